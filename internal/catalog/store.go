package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// listingRow is a listings row as written by the API. Rating columns are
// owned by reviews and never written here.
type listingRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	Kind          string
	Slug          string
	Status        string
	NameID        string
	NameEN        string
	DescriptionID string
	DescriptionEN string
	Category      string
	Tags          string
	Address       string
	Lat           float64
	Lng           float64
	OpeningHours  string
	Contact       string
	TicketPrices  string
	Specialties   string
	PriceRange    *int
	Halal         *bool
	StartsAt      *time.Time
	EndsAt        *time.Time
	Venue         string
	Organizer     string
	TicketURL     string
	RatingCount   int     `gorm:"->"`
	RatingAvg     float64 `gorm:"->"`
	PublishedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (listingRow) TableName() string { return "listings" }

type hoursRow struct {
	ListingID uuid.UUID
	Day       int
	OpenMin   int
	CloseMin  int
}

func (hoursRow) TableName() string { return "listing_hours" }

// tagRow carries its listing's kind, so that a tag filter reads only the
// kind's listings of the tag (listing_tags_tag_kind_idx).
type tagRow struct {
	ListingID uuid.UUID
	Tag       string
	Kind      string
}

func (tagRow) TableName() string { return "listing_tags" }

// writeColumns are the listings columns a staff write sets (never rating_*).
var writeColumns = []string{
	"slug", "status", "name_id", "name_en", "description_id", "description_en", "category", "tags",
	"address", "lat", "lng", "opening_hours", "contact", "ticket_prices", "specialties", "price_range",
	"halal", "starts_at", "ends_at", "venue", "organizer", "ticket_url", "published_at", "updated_at",
}

func toRow(l Listing) (listingRow, error) {
	r := listingRow{
		ID: l.ID, Kind: string(l.Kind), Slug: l.Slug, Status: string(l.Status),
		NameID: l.Name.ID, NameEN: l.Name.EN, DescriptionID: l.Description.ID, DescriptionEN: l.Description.EN,
		Category: l.Category, Address: l.Address, Lat: l.Location.Lat, Lng: l.Location.Lng,
		PriceRange: l.PriceRange, Halal: l.Halal, StartsAt: l.StartsAt, EndsAt: l.EndsAt,
		Venue: l.Venue, Organizer: l.Organizer, TicketURL: l.TicketURL,
		PublishedAt: l.PublishedAt, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
	}
	var err error
	enc := func(v any) string {
		if err != nil {
			return ""
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	r.Tags = enc(nonNil(l.Tags))
	r.OpeningHours = enc(nonNil(l.OpeningHours))
	r.Contact = enc(l.Contact)
	r.TicketPrices = enc(nonNil(l.TicketPrices))
	r.Specialties = enc(nonNil(l.Specialties))
	return r, err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (r listingRow) toDomain() (Listing, error) {
	l := Listing{
		ID: r.ID, Kind: kind.Kind(r.Kind), Slug: r.Slug, Status: Status(r.Status),
		Name: Text{r.NameID, r.NameEN}, Description: Text{r.DescriptionID, r.DescriptionEN},
		Category: r.Category, Address: r.Address, Location: Location{r.Lat, r.Lng},
		PriceRange: r.PriceRange, Halal: r.Halal, StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		Venue: r.Venue, Organizer: r.Organizer, TicketURL: r.TicketURL,
		Rating:      Rating{Average: r.RatingAvg, Count: r.RatingCount},
		PublishedAt: r.PublishedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	err := decodeJSONColumns(&l, r.Tags, r.OpeningHours, r.Contact, r.TicketPrices, r.Specialties)
	return l, err
}

// decodeJSONColumns fills the fields stored as JSON text, skipping the
// kind-specific ones of other kinds.
func decodeJSONColumns(l *Listing, tags, hours, contact, prices, specialties string) error {
	decode := func(raw string, dst any) error {
		if raw == "" {
			return nil
		}
		if err := json.Unmarshal([]byte(raw), dst); err != nil {
			return fmt.Errorf("listing %s: decode stored JSON: %w", l.ID, err)
		}
		return nil
	}
	err := errors.Join(decode(tags, &l.Tags), decode(hours, &l.OpeningHours), decode(contact, &l.Contact))
	switch l.Kind {
	case kind.Attraction:
		err = errors.Join(err, decode(prices, &l.TicketPrices))
	case kind.Culinary:
		err = errors.Join(err, decode(specialties, &l.Specialties))
	}
	return err
}

// store runs catalog queries on a handle that may be a transaction.
type store struct {
	db      *gorm.DB
	dialect database.Dialect
	near    nearStrategy // how a radius meets another sort (near.go)
	// walkRows bounds nearWalk's first read; 0 means walkRows.
	walkRows int
	// plannedWords writes search words as a literal tsquery, which the
	// planner estimates from the column's statistics (see textMatchSQL).
	plannedWords bool
	// collectCap bounds afterWalk's collect (collect.go); 0 means collectCap.
	collectCap int
	// noFacets turns the facets index's strategies off (facets.go), for
	// tests that compare them with what the walks find.
	noFacets bool
	// nameBlocks says when a name-sorted search tries nameBlockPage.
	nameBlocks nameBlockMode
	// wholeRowWalks makes every radius walk with search words read whole
	// rows (nearChoice.wide), for tests.
	wholeRowWalks bool
	// facetStats estimates what a facets query selects (shared).
	facetStats *facetStats
}

func (s store) pg() bool { return s.dialect == database.Postgres }

// read is the handle of read queries: like the shared one, but its logger
// only hears about failed and slow statements (see quietTrace).
func (s store) read(ctx context.Context) *gorm.DB {
	return s.db.Session(&gorm.Session{Context: ctx, Logger: quietTrace{s.db.Logger}})
}

// slowRead is when a read is worth a log line (the shared logger's
// threshold).
const slowRead = 500 * time.Millisecond

// quietTrace skips gorm's trace of successful fast statements. gorm's slog
// logger renders the SQL of every statement before deciding not to log it,
// which was a measurable share of a catalog read.
type quietTrace struct{ logger.Interface }

func (l quietTrace) LogMode(level logger.LogLevel) logger.Interface {
	return quietTrace{l.Interface.LogMode(level)}
}

func (l quietTrace) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if err == nil && time.Since(begin) < slowRead {
		return
	}
	l.Interface.Trace(ctx, begin, fc, err)
}

// insert writes a new listing with its tag and opening-hours rows.
func (s store) insert(ctx context.Context, l Listing) error {
	r, err := toRow(l)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return err
	}
	return s.writeChildren(ctx, l)
}

// update rewrites the staff-owned columns and the child rows of l.
func (s store) update(ctx context.Context, l Listing) error {
	r, err := toRow(l)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Model(&listingRow{ID: l.ID}).Select(writeColumns).Updates(&r).Error
	if err != nil {
		return err
	}
	db := s.db.WithContext(ctx)
	if err := db.Where("listing_id = ?", l.ID).Delete(&tagRow{}).Error; err != nil {
		return err
	}
	if err := db.Where("listing_id = ?", l.ID).Delete(&hoursRow{}).Error; err != nil {
		return err
	}
	return s.writeChildren(ctx, l)
}

func (s store) writeChildren(ctx context.Context, l Listing) error {
	db := s.db.WithContext(ctx)
	if len(l.Tags) > 0 {
		tags := make([]tagRow, len(l.Tags))
		for i, t := range l.Tags {
			tags[i] = tagRow{ListingID: l.ID, Tag: t, Kind: string(l.Kind)}
		}
		if err := db.Create(&tags).Error; err != nil {
			return err
		}
	}
	if sp := spans(l.OpeningHours); len(sp) > 0 {
		rows := make([]hoursRow, len(sp))
		for i, x := range sp {
			rows[i] = hoursRow{ListingID: l.ID, Day: x.Day, OpenMin: x.OpenMin, CloseMin: x.CloseMin}
		}
		if err := db.Create(&rows).Error; err != nil {
			return err
		}
	}
	return nil
}

// setStatus changes only the status (and the first publication time).
func (s store) setStatus(ctx context.Context, l Listing) error {
	return s.db.WithContext(ctx).Model(&listingRow{ID: l.ID}).Updates(map[string]any{
		"status": string(l.Status), "published_at": l.PublishedAt, "updated_at": l.UpdatedAt,
	}).Error
}

// forUpdate loads a listing of kind k by id, locking its row on PostgreSQL
// so concurrent staff edits apply one after the other.
func (s store) forUpdate(ctx context.Context, k kind.Kind, id uuid.UUID) (Listing, error) {
	var r listingRow
	q := s.db.WithContext(ctx).Where("id = ? AND kind = ?", id, string(k))
	if s.pg() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&r).Error
	if database.IsNotFound(err) {
		return Listing{}, apperr.Missing(string(k), id)
	}
	if err != nil {
		return Listing{}, err
	}
	return r.toDomain()
}

// freeSlug returns base, or base-2, base-3 … whichever is not yet used by
// another listing of kind k.
func (s store) freeSlug(ctx context.Context, k kind.Kind, base string, self uuid.UUID) (string, error) {
	var taken []string
	err := s.db.WithContext(ctx).Model(&listingRow{}).
		Where("kind = ? AND id <> ? AND (slug = ? OR slug LIKE ?)", string(k), self, base, base+"-%").
		Pluck("slug", &taken).Error
	if err != nil {
		return "", err
	}
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	if !used[base] {
		return base, nil
	}
	for n := 2; ; n++ {
		if c := base + "-" + strconv.Itoa(n); !used[c] {
			return c, nil
		}
	}
}
