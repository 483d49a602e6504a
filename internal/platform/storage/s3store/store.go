// Package s3store keeps the API's files in an S3-compatible object store
// (STORAGE_URL), so that every replica reads what any of them wrote. It is a
// storage.Storage like the local disk; the public media and the private
// documents are two prefixes of one bucket, and neither is ever published by
// the object store itself: /media and the authorising handlers stream them.
package s3store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/solodestination/api/internal/platform/storage"
)

// partSize is the part of an upload of unknown length held in memory at a
// time: S3's smallest. Uploads of known length (every upload path today
// has the bytes already) go in one PUT up to this size, in parts streamed
// from the reader above it.
const partSize = 5 << 20

// Credentials are STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY. Left
// empty, the standard AWS sources are asked instead: AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), then the role of the pod
// or instance (web identity, ECS or EC2 metadata).
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

func (c Credentials) provider() *credentials.Credentials {
	if c.AccessKeyID != "" {
		return credentials.NewStaticV4(c.AccessKeyID, c.SecretAccessKey, "")
	}
	return credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.IAM{}})
}

// Store is a storage.Storage over the objects of one bucket under one prefix.
type Store struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

// New returns a store at loc. It sends nothing: Check asks the service.
func New(loc Location, creds Credentials) (*Store, error) {
	opts := &minio.Options{Creds: creds.provider(), Secure: loc.Secure, Region: loc.Region, MaxRetries: 3}
	switch loc.PathStyle {
	case "true":
		opts.BucketLookup = minio.BucketLookupPath
	case "false":
		opts.BucketLookup = minio.BucketLookupDNS
	}
	client, err := minio.New(loc.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("STORAGE_URL: %w", err)
	}
	s := &Store{client: client, bucket: loc.Bucket}
	if loc.Prefix != "" {
		s.prefix = loc.Prefix + "/"
	}
	return s, nil
}

// Sub is the store of the objects under name/ inside this one, sharing its
// connection: the media and the private documents are Sub("media") and
// Sub("private"), as DATA_DIR/media and DATA_DIR/private are on disk.
func (s *Store) Sub(name string) *Store {
	return &Store{client: s.client, bucket: s.bucket, prefix: s.prefix + name + "/"}
}

// ErrUnreachable wraps a Check that got no answer from the service, as
// opposed to an answer that the configuration is wrong.
var ErrUnreachable = errors.New("object store unreachable")

// Check asks whether the bucket exists and the credentials may use it. A
// missing bucket or refused credentials are configuration errors; no answer
// at all wraps ErrUnreachable (the API still starts, as it does while Redis
// is down: everything but files keeps working).
func (s *Store) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		resp := minio.ToErrorResponse(err)
		switch {
		case resp.StatusCode == http.StatusForbidden || resp.Code == "AccessDenied" ||
			resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch":
			return fmt.Errorf("STORAGE_URL: the object store refused the credentials for bucket %q (%s): check STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY", s.bucket, resp.Code)
		case resp.StatusCode != 0:
			return fmt.Errorf("STORAGE_URL: the object store answered %d %s for bucket %q", resp.StatusCode, resp.Code, s.bucket)
		}
		return fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	if !ok {
		return fmt.Errorf("STORAGE_URL: bucket %q does not exist; create it (private: no public read policy) first", s.bucket)
	}
	return nil
}

// Put streams r to the object under key. S3 makes an object visible only
// once its upload completes, and an upload in parts that fails is aborted,
// so a failed Put leaves nothing under key.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if !storage.ValidKey(key) {
		return storage.ErrInvalidKey
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	// Each request carries the MD5 of its body, which the service checks,
	// rather than a signed payload: the chunked signature minio-go uses on
	// plain-http endpoints is not understood by every S3-compatible server.
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, r, size, minio.PutObjectOptions{
		ContentType: contentType, PartSize: partSize, SendContentMd5: true, DisableContentSha256: true})
	if err != nil {
		return fmt.Errorf("put object: %w", err)
	}
	return nil
}

// Open returns the object under key, or storage.ErrNotFound. Its body is the
// client's *minio.Object, an io.ReadSeeker that reads through range GETs,
// so /media answers Range requests without fetching the whole object. The
// content type follows from the key, as on disk.
func (s *Store) Open(ctx context.Context, key string) (*storage.Object, error) {
	if !storage.ValidKey(key) {
		return nil, storage.ErrNotFound
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open object: %w", err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, storage.ErrNotFound
		}
		return nil, fmt.Errorf("open object: %w", err)
	}
	return &storage.Object{ReadCloser: obj, Size: info.Size, ContentType: storage.ContentTypeOf(key), ModTime: info.LastModified}, nil
}

// Delete removes the object under key; S3 answers a missing key with
// success, and so does Delete.
func (s *Store) Delete(ctx context.Context, key string) error {
	if !storage.ValidKey(key) {
		return storage.ErrInvalidKey
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return fmt.Errorf("delete object: %w", err)
	}
	return nil
}

// CheckTimeout bounds Check at start.
const CheckTimeout = 10 * time.Second
