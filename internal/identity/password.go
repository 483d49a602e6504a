package identity

import (
	"github.com/alexedwards/argon2id"
)

// PasswordParams are the argon2id costs. DefaultPasswordParams follow the
// OWASP Password Storage Cheat Sheet's minimum (19 MiB, 2 passes, 1 lane),
// which keeps a login under ~50 ms on a small server.
type PasswordParams = argon2id.Params

// DefaultPasswordParams is used by the server.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// FastPasswordParams are for tests only, where hash cost buys nothing.
var FastPasswordParams = PasswordParams{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

type hasher struct {
	params PasswordParams
	// dummy is verified against when the email is unknown, so a wrong email
	// costs the same time as a wrong password.
	dummy string
}

func newHasher(p PasswordParams) (*hasher, error) {
	dummy, err := argon2id.CreateHash("not-a-real-password", &p)
	if err != nil {
		return nil, err
	}
	return &hasher{params: p, dummy: dummy}, nil
}

func (h *hasher) hash(password string) (string, error) {
	return argon2id.CreateHash(password, &h.params)
}

// verify compares in constant time; an empty hash stands for "no such user".
func (h *hasher) verify(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}
