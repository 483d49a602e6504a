package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FillDevelopmentSecrets gives a development instance stable secrets without
// any setup: missing ones are generated once and kept in DATA_DIR, so tokens
// survive a restart. Production never reaches this (Load refuses empty secrets).
func (c *Config) FillDevelopmentSecrets() error {
	if c.IsProduction() {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("create DATA_DIR: %w", err)
	}
	var err error
	if len(c.JWTSecret) == 0 {
		if c.JWTSecret, err = keptSecret(filepath.Join(c.DataDir, "jwt_secret")); err != nil {
			return err
		}
	}
	if len(c.PaymentWebhookSecret) == 0 {
		if c.PaymentWebhookSecret, err = keptSecret(filepath.Join(c.DataDir, "payment_webhook_secret")); err != nil {
			return err
		}
	}
	if len(c.NIKEncryptionKey) == 0 {
		if c.NIKEncryptionKey, err = keptSecret(filepath.Join(c.DataDir, "nik_encryption_key")); err != nil {
			return err
		}
	}
	return nil
}

func keptSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= MinSecretBytes {
		return b, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	if err := os.WriteFile(path, secret, 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return secret, nil
}
