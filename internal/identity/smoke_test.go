package identity_test

import (
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

func TestSmoke(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	u := api.User("sari")
	api.Get("/api/v1/me", u).Expect(200)
}
