package tax

import (
	"strings"
	"testing"

	"github.com/solodestination/api/pkg/nik"
)

// The vault: a ciphertext opens only with its key and is fresh each time;
// the blind index is stable for one key and differs across keys; nothing
// stored shows the number.
func TestVault(t *testing.T) {
	v, err := NewVault([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewVault([]byte(strings.Repeat("o", 32)))
	n := nik.MustParse("3372015407900001")
	a, err := v.Seal(n)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.Seal(n)
	if a.Cipher == b.Cipher || a.Index != b.Index || a.Masked != "33720…0001" {
		t.Fatalf("seal: %+v %+v", a, b)
	}
	for _, s := range []string{a.Cipher, a.Index, a.Masked} {
		if strings.Contains(s, n.Full()) {
			t.Fatalf("stored form %q holds the NIK", s)
		}
	}
	got, err := v.Open(a.Cipher)
	if err != nil || got.Full() != n.Full() {
		t.Fatalf("open: %v %v", got, err)
	}
	if _, err := other.Open(a.Cipher); err == nil {
		t.Fatal("another key opened the ciphertext")
	}
	if other.Index(n) == v.Index(n) {
		t.Fatal("the blind index does not depend on the key")
	}
	tampered := []byte(a.Cipher)
	tampered[len(tampered)-3] ^= 1
	if _, err := v.Open(string(tampered)); err == nil {
		t.Fatal("a tampered ciphertext opened")
	}
	if _, err := NewVault(nil); err == nil {
		t.Fatal("an empty key was accepted")
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"Sari Wulandari":   "S*** W********",
		"  Budi   Santoso": "B*** S******",
		"Ñoño":             "Ñ***",
		"A":                "A",
		"":                 "",
	} {
		if got := maskName(in); got != want {
			t.Errorf("maskName(%q) = %q, want %q", in, got, want)
		}
	}
}
