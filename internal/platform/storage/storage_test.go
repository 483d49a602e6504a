package storage_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/contract"
)

func TestValidKey(t *testing.T) {
	t.Parallel()
	good := []string{"a", "listings/0193a5b2-7c1e/0193a5b3.webp", "x/y/z_1.PNG"}
	bad := []string{"", "/abs", "trailing/", "a//b", "..", "a/../b", "./a", "a/.hidden", ".upload-1",
		`a\b`, "a b", "a/%2e%2e", "ü.png", "a?b", strings.Repeat("a", storage.MaxKeyLen+1)}
	for _, k := range good {
		if !storage.ValidKey(k) {
			t.Errorf("ValidKey(%q) = false", k)
		}
	}
	for _, k := range bad {
		if storage.ValidKey(k) {
			t.Errorf("ValidKey(%q) = true", k)
		}
	}
}

func TestDiskRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := storage.NewDisk(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	key := "listings/l1/i1.png"
	if err := d.Put(ctx, key, strings.NewReader("png bytes"), "image/png"); err != nil {
		t.Fatal(err)
	}
	obj, err := d.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(obj)
	obj.Close()
	if string(b) != "png bytes" || obj.Size != 9 || obj.ContentType != "image/png" {
		t.Fatalf("object = %q %d %q", b, obj.Size, obj.ContentType)
	}
	entries, _ := os.ReadDir(filepath.Join(d.Dir(), "listings", "l1"))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	if _, err := d.Open(ctx, "listings/l1"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("opening a directory: %v", err)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := d.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := d.Put(ctx, "../escape.png", strings.NewReader("x"), "image/png"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Fatalf("put outside the root: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(d.Dir()), "escape.png")); !os.IsNotExist(err) {
		t.Fatal("a file was written outside the root")
	}
}

// A symlink planted inside the store cannot lead outside it.
func TestDiskRefusesSymlinkEscape(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	os.MkdirAll(outside, 0o750)
	os.WriteFile(filepath.Join(outside, "secret.png"), []byte("secret"), 0o600)
	d, err := storage.NewDisk(filepath.Join(base, "media"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(d.Dir(), "link")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if obj, err := d.Open(ctx, "link/secret.png"); err == nil {
		obj.Close()
		t.Fatal("read a file outside the store through a symlink")
	}
	if err := d.Put(ctx, "link/new.png", strings.NewReader("x"), "image/png"); err == nil {
		t.Fatal("wrote outside the store through a symlink")
	}
	if _, err := os.Stat(filepath.Join(outside, "new.png")); !os.IsNotExist(err) {
		t.Fatal("a file appeared outside the store")
	}
}

func TestDiskContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) storage.Storage {
		d, err := storage.NewDisk(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
