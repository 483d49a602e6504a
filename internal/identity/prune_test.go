package identity

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/testdb"
)

func TestPruneRefreshTokens(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	svc, err := NewService(db.DB, Options{JWTSecret: []byte("prune-secret-prune-secret-prune-0123"),
		PasswordParams: FastPasswordParams, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := svc.Register(ctx, Registration{Email: "prune@example.org", Password: "prune-password", Name: "Prune"})
	if err != nil {
		t.Fatal(err)
	}
	login := func() {
		t.Helper()
		if _, err := svc.Login(ctx, u.Email, "prune-password", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	login() // the first run, with nothing to prune yet

	add := func(expires time.Time, revoked *time.Time) uuid.UUID {
		t.Helper()
		id := uuid.Must(uuid.NewV7())
		_, hash := newRefreshToken()
		row := refreshRow{ID: id, UserID: u.ID, FamilyID: uuid.Must(uuid.NewV7()), FamilyStartedAt: now.Add(-time.Hour),
			TokenHash: hash, ExpiresAt: expires, RevokedAt: revoked, CreatedAt: now.Add(-time.Hour)}
		if err := db.Create(&row).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	var expired []uuid.UUID
	for range 5 {
		expired = append(expired, add(now.Add(-time.Minute), nil))
	}
	longRevoked := add(now.Add(time.Hour), at(-48*time.Hour))
	justRevoked := add(now.Add(time.Hour), at(-time.Hour))
	live := add(now.Add(time.Hour), nil)
	count := func(ids ...uuid.UUID) int64 {
		var n int64
		db.Model(&refreshRow{}).Where("id IN ?", ids).Count(&n)
		return n
	}

	// Within the interval nothing runs.
	now = now.Add(time.Minute)
	login()
	if n := count(expired...); n != 5 {
		t.Fatalf("pruned inside the interval: %d of 5 expired left", n)
	}

	// One run deletes at most one batch.
	svc.pruner.batch = 4
	now = now.Add(pruneInterval)
	login()
	if n := count(append(expired, longRevoked)...); n != 2 {
		t.Fatalf("%d of 6 dead tokens left after a batch of 4, want 2", n)
	}
	now = now.Add(pruneInterval)
	login()
	if n := count(append(expired, longRevoked)...); n != 0 {
		t.Fatalf("%d dead tokens left after two runs", n)
	}
	// Recently revoked and live tokens stay, as do the logins' own.
	if count(justRevoked, live) != 2 {
		t.Fatal("a live or recently revoked token was pruned")
	}
	var mine int64
	db.Model(&refreshRow{}).Where("user_id = ? AND expires_at > ?", u.ID, now).Count(&mine)
	if mine != 4+2 {
		t.Fatalf("%d live tokens, want the 4 logins' and 2 kept", mine)
	}
}
