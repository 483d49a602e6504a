package cursor_test

import (
	"errors"
	"testing"

	"github.com/solodestination/api/pkg/cursor"
)

type pos struct {
	Rating float64 `json:"r"`
	ID     string  `json:"i"`
}

func TestRoundTripAndTamper(t *testing.T) {
	c := cursor.New([]byte("k1"))
	s, err := c.Encode(pos{4.5, "abc"})
	if err != nil {
		t.Fatal(err)
	}
	var got pos
	if err := c.Decode(s, &got); err != nil || got != (pos{4.5, "abc"}) {
		t.Fatalf("decode = %+v, %v", got, err)
	}
	tampered := "x" + s[1:]
	for _, bad := range []string{"", "nodot", tampered, s + "x", s[:len(s)-2]} {
		if err := c.Decode(bad, &got); !errors.Is(err, cursor.ErrInvalid) {
			t.Errorf("Decode(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if err := cursor.New([]byte("k2")).Decode(s, &got); !errors.Is(err, cursor.ErrInvalid) {
		t.Errorf("a cursor signed with another key was accepted")
	}
}

func TestScopedCursorIsBoundToItsScope(t *testing.T) {
	c := cursor.New([]byte("k1"))
	scope := cursor.Fingerprint("kind=attraction", "sort=rating")
	s, err := c.EncodeScoped(scope, pos{4.5, "abc"})
	if err != nil {
		t.Fatal(err)
	}
	var got pos
	if err := c.DecodeScoped(s, scope, &got); err != nil || got != (pos{4.5, "abc"}) {
		t.Fatalf("decode = %+v, %v", got, err)
	}
	other := cursor.Fingerprint("kind=attraction", "sort=name")
	if err := c.DecodeScoped(s, other, &got); !errors.Is(err, cursor.ErrInvalid) {
		t.Errorf("a cursor of another scope was accepted: %v", err)
	}
	if cursor.Fingerprint("ab", "c") == cursor.Fingerprint("a", "bc") {
		t.Error("fingerprints of different parts collide")
	}
}
