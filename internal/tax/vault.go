package tax

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/solodestination/api/pkg/nik"
)

// Vault keeps NIKs at rest: AES-256-GCM ciphertexts that only this key can
// open, and a keyed HMAC-SHA256 blind index so that "the objects of this
// NIK" is an indexed equality without the number in any column. Both keys
// are derived from one master key (NIK_ENCRYPTION_KEY) with distinct
// labels, so the index reveals nothing about the encryption key.
type Vault struct {
	aead     cipher.AEAD
	indexKey []byte
}

// sealedNIK is what a row stores of one NIK.
type sealedNIK struct {
	Cipher string // base64(nonce ‖ ciphertext)
	Index  string // hex HMAC-SHA256
	Masked string // 33720…0001
}

// aad binds a ciphertext to its purpose, so one cut from another column
// or a future format does not open as a NIK.
var aad = []byte("solodestination/nik/v1")

// NewVault derives the keys from master (at least 32 bytes in production;
// config enforces it).
func NewVault(master []byte) (*Vault, error) {
	if len(master) == 0 {
		return nil, errors.New("tax: empty NIK encryption key")
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("solodestination nik encryption v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead, indexKey: derive("solodestination nik blind index v1")}, nil
}

// Index is the blind index of n: equal NIKs, equal indexes.
func (v *Vault) Index(n nik.NIK) string {
	m := hmac.New(sha256.New, v.indexKey)
	m.Write([]byte(n.Full()))
	return hex.EncodeToString(m.Sum(nil))
}

// Seal encrypts n with a fresh random nonce.
func (v *Vault) Seal(n nik.NIK) (sealedNIK, error) {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return sealedNIK{}, err
	}
	ct := v.aead.Seal(nonce, nonce, []byte(n.Full()), aad)
	return sealedNIK{Cipher: base64.StdEncoding.EncodeToString(ct), Index: v.Index(n), Masked: n.Mask()}, nil
}

// Open decrypts a stored NIK; an error means a wrong key or a damaged row.
func (v *Vault) Open(sealed string) (nik.NIK, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < v.aead.NonceSize() {
		return nik.NIK{}, errors.New("tax: stored NIK is not a ciphertext")
	}
	ns := v.aead.NonceSize()
	plain, err := v.aead.Open(nil, raw[:ns], raw[ns:], aad)
	if err != nil {
		return nik.NIK{}, fmt.Errorf("tax: stored NIK does not open with this key: %w", err)
	}
	return nik.Parse(string(plain))
}
