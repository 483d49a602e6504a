package s3store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/storage/storagetest"
)

// BenchmarkPutOpen compares one upload and one full read of a 1 MiB file
// (a typical permit document) on the local disk and through the S3 client
// to a server on loopback: the client's own cost, without a real network.
//
//	go test -run '^$' -bench PutOpen -benchtime 200x ./internal/platform/storage/s3store/
func BenchmarkPutOpen(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	disk, err := storage.NewDisk(filepath.Join(b.TempDir(), "media"))
	if err != nil {
		b.Fatal(err)
	}
	stores := map[string]storage.Storage{"disk": disk, "s3": newStore(b, storagetest.NewS3(b)).Sub("media")}
	for _, name := range []string{"disk", "s3"} {
		s := stores[name]
		ctx := context.Background()
		b.Run(name+"/put", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := range b.N {
				if err := s.Put(ctx, fmt.Sprintf("bench/%d.pdf", i), bytes.NewReader(data), "application/pdf"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/open", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := range b.N {
				obj, err := s.Open(ctx, fmt.Sprintf("bench/%d.pdf", i%10))
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, obj); err != nil || n != int64(len(data)) {
					b.Fatal(n, err)
				}
				obj.Close()
			}
		})
	}
}
