package plan

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// listingRow is the part of a shared listings row this package reads.
type listingRow struct {
	ID     uuid.UUID
	Kind   string
	Slug   string
	Status string
	NameID string
	NameEN string
}

type favoriteRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	UserID    uuid.UUID
	ListingID uuid.UUID
	CreatedAt time.Time
}

func (favoriteRow) TableName() string { return "favorites" }

type itineraryRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	OwnerID   uuid.UUID
	Name      string
	StartDate sqlDate
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (itineraryRow) TableName() string { return "itineraries" }

type itemRow struct {
	ItineraryID uuid.UUID `gorm:"primaryKey"`
	Position    int       `gorm:"primaryKey"`
	ListingID   *uuid.UUID
	TripID      *uuid.UUID // transport's; no foreign key across domains
	Day         int
	Note        string
}

func (itemRow) TableName() string { return "itinerary_items" }

// sqlDate carries a calendar date as YYYY-MM-DD: a date column on
// PostgreSQL (which scans as time.Time), a text column on SQLite.
type sqlDate string

func (d *sqlDate) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = sqlDate(v.Format(DateLayout))
	case string:
		*d = sqlDate(truncDate(v))
	case []byte:
		*d = sqlDate(truncDate(string(v)))
	default:
		return fmt.Errorf("scan date from %T", src)
	}
	return nil
}

func (d sqlDate) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

func truncDate(s string) string {
	if len(s) > len(DateLayout) {
		return s[:len(DateLayout)]
	}
	return s
}

// store runs plan queries on a handle that may be a transaction.
type store struct{ db *gorm.DB }

func (s store) isPostgres() bool { return s.db.Dialector.Name() == "postgres" }

// publishedListing resolves a published listing of kind k by id or slug.
func (s store) publishedListing(ctx context.Context, k kind.Kind, ref string) (listingRow, error) {
	var l listingRow
	q := s.db.WithContext(ctx).Table("listings").Select("id, kind, slug, status, name_id, name_en").
		Where("kind = ? AND status = 'published'", string(k))
	if id, err := uuid.Parse(ref); err == nil {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("slug = ?", ref)
	}
	err := q.Take(&l).Error
	if database.IsNotFound(err) {
		return l, apperr.Missing(string(k), ref)
	}
	if err != nil {
		return l, fmt.Errorf("find listing: %w", err)
	}
	return l, nil
}

// publishedListings returns the published listings whose id or slug is among
// refs, in one query; callers match them to items by kind.
func (s store) publishedListings(ctx context.Context, refs []string) ([]listingRow, error) {
	var ids []uuid.UUID
	var slugs []string
	for _, r := range refs {
		if id, err := uuid.Parse(r); err == nil {
			ids = append(ids, id)
		} else {
			slugs = append(slugs, r)
		}
	}
	if len(ids) == 0 && len(slugs) == 0 {
		return nil, nil
	}
	q := s.db.WithContext(ctx).Table("listings").Select("id, kind, slug, status, name_id, name_en").
		Where("status = 'published'")
	switch {
	case len(ids) > 0 && len(slugs) > 0:
		q = q.Where("(id IN ? OR slug IN ?)", ids, slugs)
	case len(ids) > 0:
		q = q.Where("id IN ?", ids)
	default:
		q = q.Where("slug IN ?", slugs)
	}
	var out []listingRow
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("find listings: %w", err)
	}
	return out, nil
}

// addFavorite is idempotent: the unique (user_id, listing_id) index turns a
// repeat, even a concurrent one, into a no-op that keeps the first added_at.
func (s store) addFavorite(ctx context.Context, f favoriteRow) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&f).Error
	if err != nil {
		return fmt.Errorf("add favourite: %w", err)
	}
	return nil
}

// removeFavorite removes the user's favourite of the kind-k listing with this
// id or slug, whatever the listing's status; nothing to remove is fine.
func (s store) removeFavorite(ctx context.Context, userID uuid.UUID, k kind.Kind, ref string) error {
	sub := s.db.Table("listings").Select("id").Where("kind = ?", string(k))
	if id, err := uuid.Parse(ref); err == nil {
		sub = sub.Where("id = ?", id)
	} else {
		sub = sub.Where("slug = ?", ref)
	}
	err := s.db.WithContext(ctx).Where("user_id = ? AND listing_id IN (?)", userID, sub).Delete(&favoriteRow{}).Error
	if err != nil {
		return fmt.Errorf("remove favourite: %w", err)
	}
	return nil
}

// favoriteView is a favourite with its listing.
type favoriteView struct {
	ID        uuid.UUID
	CreatedAt time.Time
	Listing   listingRow
}

// favorites returns up to limit of the user's favourite published listings
// added before the favourite after, newest first.
func (s store) favorites(ctx context.Context, userID uuid.UUID, after *uuid.UUID, limit int) ([]favoriteView, error) {
	q := s.db.WithContext(ctx).Table("favorites AS f").
		Select("f.id, f.created_at, l.id AS listing_id, l.kind, l.slug, l.status, l.name_id, l.name_en").
		Joins("JOIN listings l ON l.id = f.listing_id").
		Where("f.user_id = ? AND l.status = 'published'", userID)
	if after != nil {
		q = q.Where("f.id < ?", *after)
	}
	var rows []struct {
		ID        uuid.UUID
		CreatedAt time.Time
		ListingID uuid.UUID
		Kind      string
		Slug      string
		Status    string
		NameID    string
		NameEN    string
	}
	if err := q.Order("f.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list favourites: %w", err)
	}
	out := make([]favoriteView, len(rows))
	for i, r := range rows {
		out[i] = favoriteView{ID: r.ID, CreatedAt: r.CreatedAt, Listing: listingRow{
			ID: r.ListingID, Kind: r.Kind, Slug: r.Slug, Status: r.Status, NameID: r.NameID, NameEN: r.NameEN}}
	}
	return out, nil
}

func (s store) insertItinerary(ctx context.Context, r itineraryRow) error {
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("insert itinerary: %w", err)
	}
	return nil
}

// ownItinerary loads an itinerary of owner; another owner's is missing, so
// its existence is not revealed. lock takes a row lock on PostgreSQL for the
// read-modify-write of an update.
func (s store) ownItinerary(ctx context.Context, owner, id uuid.UUID, lock bool) (itineraryRow, error) {
	q := s.db.WithContext(ctx).Where("id = ? AND owner_id = ?", id, owner)
	if lock && s.isPostgres() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var r itineraryRow
	err := q.Take(&r).Error
	if database.IsNotFound(err) {
		return r, apperr.Missing("itinerary", id)
	}
	if err != nil {
		return r, fmt.Errorf("load itinerary: %w", err)
	}
	return r, nil
}

func (s store) itineraries(ctx context.Context, owner uuid.UUID, after *uuid.UUID, limit int) ([]itineraryRow, error) {
	q := s.db.WithContext(ctx).Where("owner_id = ?", owner)
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []itineraryRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list itineraries: %w", err)
	}
	return rows, nil
}

func (s store) updateItinerary(ctx context.Context, r itineraryRow) error {
	err := s.db.WithContext(ctx).Model(&itineraryRow{}).Where("id = ?", r.ID).Updates(map[string]any{
		"name": r.Name, "start_date": r.StartDate, "updated_at": r.UpdatedAt,
	}).Error
	if err != nil {
		return fmt.Errorf("update itinerary: %w", err)
	}
	return nil
}

func (s store) deleteItinerary(ctx context.Context, owner, id uuid.UUID) error {
	res := s.db.WithContext(ctx).Where("id = ? AND owner_id = ?", id, owner).Delete(&itineraryRow{})
	if res.Error != nil {
		return fmt.Errorf("delete itinerary: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.Missing("itinerary", id)
	}
	return nil
}

// replaceItems swaps an itinerary's items for items, in order.
func (s store) replaceItems(ctx context.Context, itineraryID uuid.UUID, items []itemRow) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("itinerary_id = ?", itineraryID).Delete(&itemRow{}).Error; err != nil {
		return fmt.Errorf("clear itinerary items: %w", err)
	}
	if len(items) == 0 {
		return nil
	}
	if err := db.Create(&items).Error; err != nil {
		return fmt.Errorf("insert itinerary items: %w", err)
	}
	return nil
}

// items loads the items of several itineraries with their listings in one
// query, so a page of itineraries costs the same whatever its size. Trip
// items come back with their TripID only.
func (s store) items(ctx context.Context, itineraryIDs []uuid.UUID) (map[uuid.UUID][]Item, error) {
	out := make(map[uuid.UUID][]Item, len(itineraryIDs))
	if len(itineraryIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ItineraryID uuid.UUID
		Position    int
		ListingID   *uuid.UUID
		TripID      *uuid.UUID
		Day         int
		Note        string
		Kind        string
		Slug        string
		Status      string
		NameID      string
		NameEN      string
	}
	err := s.db.WithContext(ctx).Table("itinerary_items AS i").
		Select("i.itinerary_id, i.position, i.listing_id, i.trip_id, i.day, i.note, COALESCE(l.kind, '') AS kind, "+
			"COALESCE(l.slug, '') AS slug, COALESCE(l.status, '') AS status, COALESCE(l.name_id, '') AS name_id, "+
			"COALESCE(l.name_en, '') AS name_en").
		Joins("LEFT JOIN listings l ON l.id = i.listing_id").
		Where("i.itinerary_id IN ?", itineraryIDs).
		Order("i.itinerary_id, i.position").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load itinerary items: %w", err)
	}
	for _, r := range rows {
		if r.TripID != nil {
			out[r.ItineraryID] = append(out[r.ItineraryID],
				Item{Position: r.Position, Kind: TripKind, TripID: *r.TripID, Day: r.Day, Note: r.Note})
			continue
		}
		it := Item{Position: r.Position, Kind: kind.Kind(r.Kind), ListingID: *r.ListingID,
			Published: r.Status == "published", Day: r.Day, Note: r.Note}
		if it.Published { // an unpublished listing's name and slug are not the user's to see
			it.Slug, it.NameID, it.NameEN = r.Slug, r.NameID, r.NameEN
		}
		out[r.ItineraryID] = append(out[r.ItineraryID], it)
	}
	return out, nil
}
