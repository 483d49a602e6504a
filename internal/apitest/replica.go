package apitest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/solodestination/api/internal/app"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/testdb"
)

// Replica builds a second API over the same database with its own
// connection pool and its own in-memory state, as another replica of the
// service would be. Tokens of one are accepted by the other (same secret).
func (a *API) Replica() *API {
	a.T.Helper()
	return a.ReplicaVia(a.DB.URL)
}

// ReplicaVia is Replica reaching the PostgreSQL database through url (a
// testdb.FaultProxy's, say); on SQLite url is empty and the file is shared.
func (a *API) ReplicaVia(url string) *API {
	a.T.Helper()
	return a.replica(url, nil)
}

// ReplicaWith is Replica with opts applied to its copy of the
// configuration (another replica pointed at a Redis that is down, say).
func (a *API) ReplicaWith(opts ...Option) *API {
	a.T.Helper()
	return a.replica(a.DB.URL, opts)
}

func (a *API) replica(url string, opts []Option) *API {
	a.T.Helper()
	ctx := context.Background()
	cfg := a.App.Config
	for _, o := range opts {
		o(&cfg)
	}
	o := database.Options{URL: url, MaxConns: 8, BusyTimeout: a.App.Config.DBQueryTimeout, ConnectTimeout: time.Second}
	if o.URL == "" {
		var file string
		if err := a.DB.SQL.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			a.T.Fatal(err)
		}
		o.DataDir = filepath.Dir(file)
	}
	db, err := database.Open(ctx, o)
	if err != nil {
		a.T.Fatal(err)
	}
	a.T.Cleanup(func() { db.Close() })
	r, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, identity.FastPasswordParams)
	if err != nil {
		a.T.Fatal(err)
	}
	a.T.Cleanup(func() {
		r.StopCacheSync()
		if r.Redis != nil {
			r.Redis.Close()
		}
	})
	draining := &atomic.Bool{}
	h, engine, err := r.Handler(draining)
	if err != nil {
		a.T.Fatal(err)
	}
	return &API{T: a.T, App: r, DB: testdb.DB{DB: db, URL: a.DB.URL}, Handler: h, Engine: engine, Draining: draining}
}
