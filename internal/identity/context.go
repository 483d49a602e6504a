package identity

import (
	"context"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
)

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the caller stored by the auth middleware; the zero Actor
// (anonymous) when there is none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// ReadHandle is db's handle for a public endpoint's read on behalf of the
// caller in ctx. An anonymous caller has written nothing the read must show,
// so it may come from a read replica a moment behind (database.PublicRead);
// a signed-in caller, who may have just booked, paid or edited, reads the
// primary. Only for handlers' reads: background work has no caller and uses
// db itself.
func ReadHandle(ctx context.Context, db *database.DB) *gorm.DB {
	if ActorFrom(ctx).Anonymous() {
		return db.PublicRead(ctx)
	}
	return db.WithContext(ctx)
}
