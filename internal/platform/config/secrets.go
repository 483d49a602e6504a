package config

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
	if len(c.TicketSigningKey) == 0 {
		kept, err := keptSecret(filepath.Join(c.DataDir, "ticket_signing_key"))
		if err != nil {
			return err
		}
		if c.TicketSigningKey, err = ParseSeed(string(kept)); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(c.DataDir, "ticket_signing_key"), err)
		}
	}
	if len(c.NIKEncryptionKey) == 0 {
		if c.NIKEncryptionKey, err = keptSecret(filepath.Join(c.DataDir, "nik_encryption_key")); err != nil {
			return err
		}
	}
	return nil
}

// SeedSize is the length of an Ed25519 seed.
const SeedSize = 32

// ParseSeed reads a 32-byte seed written as 64 hex digits or as base64
// (standard or URL alphabet, padded or not).
func ParseSeed(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil {
		if len(b) != SeedSize {
			return nil, fmt.Errorf("%d bytes, want %d", len(b), SeedSize)
		}
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != SeedSize {
				return nil, fmt.Errorf("%d bytes, want %d", len(b), SeedSize)
			}
			return b, nil
		}
	}
	return nil, errors.New("neither hex nor base64")
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
