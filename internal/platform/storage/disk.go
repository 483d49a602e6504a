package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
)

// Disk stores objects as files under one directory (DATA_DIR/media). Every
// access goes through os.Root, so even a key that slipped past ValidKey
// could not reach outside the directory, symlinks included.
type Disk struct{ dir string }

// NewDisk returns a store rooted at dir, creating the directory if needed.
func NewDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create media dir: %w", err)
	}
	return &Disk{dir: dir}, nil
}

// Dir is the directory objects are stored in.
func (d *Disk) Dir() string { return d.dir }

// root is opened per call rather than held: it keeps no descriptor alive for
// the life of the process and survives the directory being recreated.
func (d *Disk) root() (*os.Root, error) {
	r, err := os.OpenRoot(d.dir)
	if err != nil {
		return nil, fmt.Errorf("open media dir: %w", err)
	}
	return r, nil
}

// Put writes to a hidden temporary file next to the target and renames it
// into place, so readers never see a half-written object.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, _ string) error {
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	root, err := d.root()
	if err != nil {
		return err
	}
	defer root.Close()
	dir := path.Dir(key)
	if err := root.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create object dir: %w", err)
	}
	tmp := path.Join(dir, ".upload-"+randomHex(8))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return fmt.Errorf("create object: %w", err)
	}
	_, err = io.Copy(f, ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, key)
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("write object: %w", err)
	}
	return nil
}

// Open returns the file under key. Directories are not objects: asking for
// one is ErrNotFound, so nothing can list the store.
func (d *Disk) Open(_ context.Context, key string) (*Object, error) {
	if !ValidKey(key) {
		return nil, ErrNotFound
	}
	root, err := d.root()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(key)
	if err != nil {
		// A key running through a file ("a.png/x") is just as missing.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, syscall.ENOTDIR) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("open object: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("stat object: %w", err)
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, ErrNotFound
	}
	return &Object{ReadCloser: f, Size: info.Size(), ContentType: ContentTypeOf(key), ModTime: info.ModTime()}, nil
}

// Delete removes the file under key; a missing file is fine.
func (d *Disk) Delete(_ context.Context, key string) error {
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	root, err := d.root()
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete object: %w", err)
	}
	return nil
}

// ctxReader stops a long copy once the request is gone.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
