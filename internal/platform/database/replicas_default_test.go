package database_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/database"
)

// Without replicas, PublicRead is the primary: same answers, no router, no
// metrics; SQLite refuses replicas.
func TestPublicReadWithoutReplicasIsThePrimary(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, database.Options{DataDir: t.TempDir(), URL: os.Getenv("TEST_DATABASE_URL")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.PublicRead(ctx).Raw("SELECT 41 + 1").Scan(&n).Error; err != nil || n != 42 {
		t.Fatalf("PublicRead answered %d, %v", n, err)
	}
	if db.ReplicaHealth() != nil || db.ReplicaCollectors() != nil {
		t.Fatal("a DB without replicas reports replica health or metrics")
	}
	if db.Dialect == database.SQLite {
		if err := db.UseReplicas(ctx, database.ReplicaOptions{URLs: []string{"postgres://127.0.0.1:1/x"}}); err == nil {
			t.Fatal("SQLite accepted read replicas")
		}
	}
}

// A standby that cannot be reached at start does not stop the start: it is
// skipped, and public reads are answered by the primary.
func TestUnreachableReplicaAtStartIsSkipped(t *testing.T) {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL)")
	}
	ctx := context.Background()
	db, err := database.Open(ctx, database.Options{URL: url, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	err = db.UseReplicas(ctx, database.ReplicaOptions{URLs: []string{"postgres://postgres@127.0.0.1:1/test?sslmode=disable"},
		ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("UseReplicas took %v with the standby down", took)
	}
	if h := db.ReplicaHealth(); len(h) != 1 || h["127.0.0.1:1"] {
		t.Fatalf("health = %v, want the standby down", h)
	}
	var n int
	if err := db.PublicRead(ctx).Raw("SELECT 7").Scan(&n).Error; err != nil || n != 7 {
		t.Fatalf("PublicRead with the standby down: %d, %v", n, err)
	}
}
