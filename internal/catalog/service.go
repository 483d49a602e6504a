package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/httpcache"
	"github.com/solodestination/api/pkg/cursor"
)

// Options configure the catalog service.
type Options struct {
	// Now is the clock of open_now and timestamps; nil means time.Now.
	Now func() time.Time
	// Cache, when set, holds anonymous public reads for a moment; every
	// catalog write invalidates it.
	Cache *httpcache.Cache
}

// Service implements the catalog use cases: reading, listing, searching and
// the staff writes of listings.
type Service struct {
	db    *database.DB
	cats  *categories
	cache *httpcache.Cache // anonymous public reads; nil when off
	now   func() time.Time
	// near is the strategy of radius + other sort: nearAuto but in tests
	// that compare the strategies (set before serving, never changed while
	// requests run).
	near     nearStrategy
	walkRows int
	// collectCap lowers the cap of a word or tag collect in tests.
	collectCap int
	// noFacets turns the facets index's strategies off in tests.
	noFacets bool
	// nameBlocks says when a name-sorted search tries nameBlockPage.
	nameBlocks nameBlockMode
	// wholeRowWalks forces wide radius walks in tests (store.wholeRowWalks).
	wholeRowWalks bool
	// facetStats caches the facets index's lexeme statistics.
	facetStats *facetStats
}

// NewService wires the catalog service.
func NewService(db *database.DB, o Options) (*Service, error) {
	cats, err := loadCategories()
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, cats: cats, cache: o.Cache, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		facetStats: newFacetStats(db.DB)}, nil
}

// categories returns the categories of kind k in display order.
func (s *Service) categories(k kind.Kind) []Category { return s.cats.list[k] }

func (s *Service) store() store {
	return store{db: s.db.DB, dialect: s.db.Dialect, near: s.near, walkRows: s.walkRows, collectCap: s.collectCap, noFacets: s.noFacets, nameBlocks: s.nameBlocks, wholeRowWalks: s.wholeRowWalks, facetStats: s.facetStats}
}

// readStore is the store of a read by who. An anonymous read shows nobody's
// own write, so it may come from a read replica a moment behind; a signed-in
// caller (a reviewer, tourism staff after an edit) reads the primary.
func (s *Service) readStore(ctx context.Context, who identity.Actor) store {
	st := s.store()
	if who.Anonymous() {
		st.db = s.db.PublicRead(ctx)
	}
	return st
}

func (s *Service) txStore(tx *gorm.DB) store {
	return store{db: tx, dialect: s.db.Dialect, near: s.near, walkRows: s.walkRows, collectCap: s.collectCap, noFacets: s.noFacets, nameBlocks: s.nameBlocks, wholeRowWalks: s.wholeRowWalks, facetStats: s.facetStats}
}

// Get returns the listing of kind k whose id or slug is ref. Drafts and
// archived listings exist only for tourism staff and admins.
func (s *Service) Get(ctx context.Context, who identity.Actor, k kind.Kind, ref string) (Listing, error) {
	r, err := s.getRow(ctx, who, k, ref, LangAll)
	if err != nil {
		return Listing{}, err
	}
	return r.listing()
}

// getRow is Get without decoding, for the HTTP handler.
func (s *Service) getRow(ctx context.Context, who identity.Actor, k kind.Kind, ref string, lang Lang) (readRow, error) {
	r, err := s.readStore(ctx, who).get(ctx, k, ref, s.now(), lang)
	if err == nil && !canSee(who, r.Status) {
		return readRow{}, apperr.Missing(string(k), ref) // unpublished looks like missing
	}
	return r, err
}

// list returns a page of q and whether another page follows.
func (s *Service) list(ctx context.Context, q listQuery) ([]listed, bool, error) {
	if q.Category != "" && !s.cats.known(q.Kind, q.Category) {
		return nil, false, apperr.BadRequest(fmt.Sprintf("category %q is not a category of %s (see GET /api/v1/categories).", q.Category, q.Kind.Plural()))
	}
	items, err := s.readStore(ctx, identity.ActorFrom(ctx)).list(ctx, q, s.now())
	if err != nil {
		return nil, false, err
	}
	items, more := cursor.Cut(items, q.Limit)
	return items, more, nil
}

// search returns a page of search hits and whether another page follows.
func (s *Service) search(ctx context.Context, q searchQuery) ([]hit, bool, error) {
	hits, err := s.readStore(ctx, identity.ActorFrom(ctx)).search(ctx, q)
	if err != nil {
		return nil, false, err
	}
	hits, more := cursor.Cut(hits, q.Limit)
	return hits, more, nil
}

// suggest returns up to limit name completions of the typed words.
func (s *Service) suggest(ctx context.Context, toks []string, limit int) ([]suggestion, error) {
	return s.readStore(ctx, identity.ActorFrom(ctx)).suggest(ctx, toks, limit)
}

// slugAttempts bounds retries when a concurrent write takes the same slug.
const slugAttempts = 3

// create adds a listing of kind k; it starts as a draft unless the body
// says otherwise.
func (s *Service) create(ctx context.Context, who identity.Actor, k kind.Kind, in ListingChanges) (Listing, error) {
	if !canManage(who) {
		return Listing{}, apperr.Denied("Only tourism staff may add listings.")
	}
	now := s.now()
	l, err := s.prepare(in, Listing{ID: uuid.Must(uuid.NewV7()), Kind: k, Status: Draft, CreatedAt: now, UpdatedAt: now}, in.missingOnCreate(k))
	if err != nil {
		return Listing{}, err
	}
	if l.Status == Published {
		l.PublishedAt = &now
	}
	err = s.withSlugRetry(ctx, func(tx *gorm.DB) error {
		st := s.txStore(tx)
		var err error
		if l.Slug, err = st.freeSlug(ctx, k, slugify(l.Name.ID), l.ID); err != nil {
			return err
		}
		if err := st.insert(ctx, l); err != nil {
			return err
		}
		s.purgeAfterCommit(tx)
		return audit.Record(ctx, tx, string(k)+".create", string(k), l.ID.String(),
			map[string]any{"slug": l.Slug, "status": l.Status})
	})
	if err != nil {
		return Listing{}, fmt.Errorf("create %s: %w", k, err)
	}
	l.OpenNow = isOpen(l, now)
	return l, nil
}

// insertDemo stores a validated listing as the demo loader gives it.
func (s *Service) insertDemo(ctx context.Context, tx *gorm.DB, l Listing) error {
	st := s.txStore(tx)
	var err error
	if l.Slug, err = st.freeSlug(ctx, l.Kind, slugify(l.Name.ID), l.ID); err != nil {
		return err
	}
	return st.insert(ctx, l)
}

// prepare applies changes to base and checks the result with the rules
// every write shares; problems already found (missing fields, fields that
// could not be read) are reported with the rest.
func (s *Service) prepare(in ListingChanges, base Listing, problems map[string]string) (Listing, error) {
	for f, m := range in.Problems {
		problems[f] = m
	}
	l := in.apply(base)
	for f, m := range validate(l, s.cats) {
		if _, seen := problems[f]; !seen {
			problems[f] = m
		}
	}
	if len(problems) > 0 {
		return Listing{}, apperr.Validation(problems)
	}
	return l, nil
}

// update applies a PATCH. A draft that was never published follows its
// new name with its slug; once published, the slug stays, since links to
// it exist.
func (s *Service) update(ctx context.Context, who identity.Actor, k kind.Kind, id uuid.UUID, in ListingChanges) (Listing, error) {
	if !canManage(who) {
		return Listing{}, apperr.Denied("Only tourism staff may change listings.")
	}
	err := s.withSlugRetry(ctx, func(tx *gorm.DB) error {
		st := s.txStore(tx)
		cur, err := st.forUpdate(ctx, k, id)
		if err != nil {
			return err
		}
		l, err := s.prepare(in, cur, map[string]string{})
		if err != nil {
			return err
		}
		now := s.now()
		l.UpdatedAt = now
		if l.Status == Published && l.PublishedAt == nil {
			l.PublishedAt = &now
		}
		if !cur.everPublished() && l.Name.ID != cur.Name.ID {
			if l.Slug, err = st.freeSlug(ctx, k, slugify(l.Name.ID), l.ID); err != nil {
				return err
			}
		}
		if err := st.update(ctx, l); err != nil {
			return err
		}
		s.purgeAfterCommit(tx)
		return audit.Record(ctx, tx, string(k)+".update", string(k), id.String(),
			map[string]any{"fields": in.fields(), "slug": l.Slug, "status": l.Status})
	})
	if err != nil {
		return Listing{}, fmt.Errorf("update %s %s: %w", k, id, err)
	}
	r, err := s.store().get(ctx, k, id.String(), s.now(), LangAll)
	if err != nil {
		return Listing{}, err
	}
	return r.listing()
}

// archive takes a listing out of public view (DELETE is soft). Archiving
// an archived listing changes nothing.
func (s *Service) archive(ctx context.Context, who identity.Actor, k kind.Kind, id uuid.UUID) error {
	if !canManage(who) {
		return apperr.Denied("Only tourism staff may archive listings.")
	}
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := s.txStore(tx)
		l, err := st.forUpdate(ctx, k, id)
		if err != nil || l.Status == Archived {
			return err
		}
		l.Status, l.UpdatedAt = Archived, s.now()
		if err := st.setStatus(ctx, l); err != nil {
			return err
		}
		s.purgeAfterCommit(tx)
		return audit.Record(ctx, tx, string(k)+".archive", string(k), id.String(), map[string]any{"slug": l.Slug})
	})
	if err != nil {
		return fmt.Errorf("archive %s %s: %w", k, id, err)
	}
	return nil
}

// withSlugRetry runs fn in a transaction, again when another write took
// the chosen slug between our check and our insert.
func (s *Service) withSlugRetry(ctx context.Context, fn func(tx *gorm.DB) error) error {
	for range slugAttempts {
		if err := s.db.InTx(ctx, fn); !database.IsDuplicate(err) {
			return err
		}
	}
	return apperr.StateConflict("conflict", "Another listing took this name's address at the same moment; try again.")
}

// isOpen is open_now for a listing held in memory (the twin of openNowSQL).
func isOpen(l Listing, now time.Time) bool {
	if l.Kind == kind.Event {
		if l.StartsAt == nil || l.EndsAt == nil || now.Before(*l.StartsAt) || !now.Before(*l.EndsAt) {
			return false
		}
		return len(l.OpeningHours) == 0 || openAt(l.OpeningHours, now)
	}
	return openAt(l.OpeningHours, now)
}
