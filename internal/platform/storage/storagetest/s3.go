package storagetest

import (
	"net/http/httptest"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 is an S3-compatible server speaking the real protocol over real HTTP
// on a local port (gofakes3, in memory), with one empty bucket.
type S3 struct {
	// URL is a STORAGE_URL for the bucket, path-style at the server.
	URL string
	// Endpoint is the server's origin (http://127.0.0.1:port).
	Endpoint string
	Bucket   string
	// AccessKeyID and SecretAccessKey are what clients sign with; the
	// server accepts any.
	AccessKeyID, SecretAccessKey string

	backend *s3mem.Backend
	server  *httptest.Server
}

var buckets atomic.Int64

// NewS3 starts a server for the test, closed when it ends.
func NewS3(t testing.TB) *S3 {
	t.Helper()
	backend := s3mem.New()
	bucket := "test-bucket-" + strconv.FormatInt(buckets.Add(1), 10)
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(srv.Close)
	return &S3{
		URL:         "s3://" + bucket + "/solo?endpoint=" + srv.URL + "&region=us-east-1&path_style=true",
		Endpoint:    srv.URL,
		Bucket:      bucket,
		AccessKeyID: "test-access-key", SecretAccessKey: "test-secret-key-0123456789",
		backend: backend, server: srv,
	}
}

// Keys lists every object in the bucket, read from the server's own
// store rather than through the client under test.
func (s *S3) Keys(t testing.TB) []string {
	t.Helper()
	list, err := s.backend.ListBucket(s.Bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range list.Contents {
		keys = append(keys, c.Key)
	}
	sort.Strings(keys)
	return keys
}

// Close stops the server, as an outage of the object store would.
func (s *S3) Close() { s.server.Close() }
