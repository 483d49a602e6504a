package storage

import (
	"context"
	"image"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"

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
	if c := decodeCost(imageConfig(8000, 5000), 6, 3); c > DecodeMemory {
		t.Fatalf("cost %d over the budget", c)
	}
}

func imageConfig(w, h int) image.Config { return image.Config{Width: w, Height: h} }

// TestMeasureDecodeMemory reports the peak heap of parallel uploads of a
// 39.5 Mpx phone photo that needs turning. It takes tens of seconds, so it
// runs only when asked: IMAGE_DECODE_MEASURE=4 go test -run TestMeasureDecodeMemory -v
// (add IMAGE_DECODE_UNBOUNDED=1 to see the same without the semaphore).
func TestMeasureDecodeMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("IMAGE_DECODE_MEASURE"))
	if n <= 0 {
		t.Skip("set IMAGE_DECODE_MEASURE to the number of parallel uploads")
	}
	if os.Getenv("IMAGE_DECODE_UNBOUNDED") != "" {
		saved := decodeSlots
		decodeSlots = semaphore.NewWeighted(1 << 40)
		defer func() { decodeSlots = saved }()
	}
	photo := storagetest.JPEGWithEXIF(storagetest.JPEG(t, storagetest.Halves(7600, 5200)), storagetest.EXIF(6))
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), m.HeapInuse))
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	var refused atomic.Int32
	for range n {
		wg.Go(func() {
			if _, err := SanitizeImage(context.Background(), photo, DefaultImageLimits); err != nil {
				refused.Add(1)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	t.Logf("%d parallel uploads of a %d-byte 7600×5200 JPEG (orientation 6): peak heap %d MiB in %v; %d answered 503",
		n, len(photo), peak.Load()>>20, time.Since(start).Round(time.Millisecond), refused.Load())
}
