package storage

import (
	"context"
	"image"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// With all decode memory taken, an upload waits and then gets 503 with
// Retry-After instead of decoding beside the others. Not parallel: it
// holds the process-wide budget.
func TestDecodeMemoryIsBounded(t *testing.T) {
	if err := decodeSlots.Acquire(context.Background(), DecodeMemory); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			decodeSlots.Release(DecodeMemory)
			released = true
		}
	}
	defer release()
	data := storagetest.PNG(t, storagetest.Halves(4, 4))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := SanitizeImage(ctx, data, DefaultImageLimits)
	if e, ok := apperr.As(err); !ok || e.Kind != apperr.Unavailable || e.RetryAfter <= 0 {
		t.Fatalf("err = %v, want 503 with Retry-After", err)
	}

	// A waiting decode goes ahead as soon as memory frees up.
	done := make(chan error, 1)
	go func() {
		_, err := SanitizeImage(context.Background(), data, DefaultImageLimits)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	release()
	if err := <-done; err != nil {
		t.Fatalf("after release: %v", err)
	}

	// The largest allowed image still fits the budget on its own.
	if c := decodeCost(imageConfig(8000, 5000), 6); c > DecodeMemory {
		t.Fatalf("cost %d over the budget", c)
	}
}

func imageConfig(w, h int) image.Config { return image.Config{Width: w, Height: h} }
