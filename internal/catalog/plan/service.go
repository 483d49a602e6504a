package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/cursor"
)

// Service is the favourites and itineraries use cases; it owns their
// transactions. Every method acts for one caller on the caller's own data.
type Service struct {
	db    *database.DB
	now   func() time.Time
	trips Trips
}

// Trips tells itineraries about transport trips, which transport owns
// (*transport.Service implements it). db is the caller's handle: the
// itinerary's transaction while one is written.
type Trips interface {
	// PlanRides returns the trips among ids that exist, by id.
	PlanRides(ctx context.Context, db *gorm.DB, ids []uuid.UUID) (map[uuid.UUID]Ride, error)
}

// NewService returns the plan service over db; trips resolves trip items.
func NewService(db *database.DB, trips Trips) *Service {
	return &Service{db: db, trips: trips, now: func() time.Time { return time.Now().UTC() }}
}

// Favorite is a listing the user marked, with when.
type Favorite struct {
	ID        uuid.UUID // of the mark; orders the list
	Kind      kind.Kind
	ListingID uuid.UUID
	Slug      string
	NameID    string
	NameEN    string
	AddedAt   time.Time
}

func mustLogIn(who identity.Actor) error {
	if who.Anonymous() {
		return apperr.Unauthorized("Log in to keep favourites and itineraries.")
	}
	return nil
}

// AddFavorite marks a published listing; marking it again changes nothing.
func (s *Service) AddFavorite(ctx context.Context, who identity.Actor, k kind.Kind, ref string) error {
	if err := mustLogIn(who); err != nil {
		return err
	}
	st := store{s.db.DB}
	l, err := st.publishedListing(ctx, k, ref)
	if err != nil {
		return err
	}
	return st.addFavorite(ctx, favoriteRow{ID: uuid.Must(uuid.NewV7()), UserID: who.ID, ListingID: l.ID, CreatedAt: s.now()})
}

// RemoveFavorite unmarks a listing; removing what is not there is fine, so
// a retried request succeeds too.
func (s *Service) RemoveFavorite(ctx context.Context, who identity.Actor, k kind.Kind, ref string) error {
	if err := mustLogIn(who); err != nil {
		return err
	}
	return store{s.db.DB}.removeFavorite(ctx, who.ID, k, ref)
}

// Favorites returns up to limit of who's favourite published listings added
// before after (nil: the newest), newest first, and whether more follow.
func (s *Service) Favorites(ctx context.Context, who identity.Actor, after *uuid.UUID, limit int) ([]Favorite, bool, error) {
	if err := mustLogIn(who); err != nil {
		return nil, false, err
	}
	rows, err := store{s.db.DB}.favorites(ctx, who.ID, after, limit+1)
	if err != nil {
		return nil, false, err
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Favorite, len(rows))
	for i, r := range rows {
		out[i] = Favorite{ID: r.ID, Kind: kind.Kind(r.Listing.Kind), ListingID: r.Listing.ID, Slug: r.Listing.Slug,
			NameID: r.Listing.NameID, NameEN: r.Listing.NameEN, AddedAt: r.CreatedAt}
	}
	return out, more, nil
}

// CreateItinerary saves a new trip plan for who. Name is required.
func (s *Service) CreateItinerary(ctx context.Context, who identity.Actor, ch Changes) (Itinerary, error) {
	if err := mustLogIn(who); err != nil {
		return Itinerary{}, err
	}
	if ch.Name == nil {
		empty := ""
		ch.Name = &empty // reported as required
	}
	if ch.Items == nil {
		ch.Items = &[]ItemInput{}
	}
	if p := ch.problems(); len(p) > 0 {
		return Itinerary{}, apperr.Validation(p)
	}
	now := s.now()
	row := itineraryRow{ID: uuid.Must(uuid.NewV7()), OwnerID: who.ID, Name: *ch.Name, CreatedAt: now, UpdatedAt: now}
	if ch.StartDate != nil {
		row.StartDate = sqlDate(*ch.StartDate)
	}
	var out Itinerary
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		items, err := s.resolveItems(ctx, st, row.ID, *ch.Items)
		if err != nil {
			return err
		}
		if err := st.insertItinerary(ctx, row); err != nil {
			return err
		}
		if err := st.replaceItems(ctx, row.ID, items); err != nil {
			return err
		}
		out, err = s.load(ctx, st, row)
		return err
	})
	if err != nil {
		return Itinerary{}, fmt.Errorf("create itinerary: %w", err)
	}
	return out, nil
}

// UpdateItinerary replaces the parts of who's itinerary that ch sets.
func (s *Service) UpdateItinerary(ctx context.Context, who identity.Actor, id uuid.UUID, ch Changes) (Itinerary, error) {
	if err := mustLogIn(who); err != nil {
		return Itinerary{}, err
	}
	if p := ch.problems(); len(p) > 0 {
		return Itinerary{}, apperr.Validation(p)
	}
	var out Itinerary
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		row, err := st.ownItinerary(ctx, who.ID, id, true)
		if err != nil {
			return err
		}
		if ch.Name != nil {
			row.Name = *ch.Name
		}
		if ch.StartDate != nil {
			row.StartDate = sqlDate(*ch.StartDate)
		}
		row.UpdatedAt = s.now()
		if ch.Items != nil {
			items, err := s.resolveItems(ctx, st, row.ID, *ch.Items)
			if err != nil {
				return err
			}
			if err := st.replaceItems(ctx, row.ID, items); err != nil {
				return err
			}
		}
		if err := st.updateItinerary(ctx, row); err != nil {
			return err
		}
		out, err = s.load(ctx, st, row)
		return err
	})
	if err != nil {
		return Itinerary{}, fmt.Errorf("update itinerary %s: %w", id, err)
	}
	return out, nil
}

// Itinerary returns one of who's itineraries.
func (s *Service) Itinerary(ctx context.Context, who identity.Actor, id uuid.UUID) (Itinerary, error) {
	if err := mustLogIn(who); err != nil {
		return Itinerary{}, err
	}
	st := store{s.db.DB}
	row, err := st.ownItinerary(ctx, who.ID, id, false)
	if err != nil {
		return Itinerary{}, err
	}
	return s.load(ctx, st, row)
}

// Itineraries returns up to limit of who's itineraries created before after
// (nil: the newest), newest first, with their items: two queries whatever
// the page size.
func (s *Service) Itineraries(ctx context.Context, who identity.Actor, after *uuid.UUID, limit int) ([]Itinerary, bool, error) {
	if err := mustLogIn(who); err != nil {
		return nil, false, err
	}
	st := store{s.db.DB}
	rows, err := st.itineraries(ctx, who.ID, after, limit+1)
	if err != nil {
		return nil, false, err
	}
	rows, more := cursor.Cut(rows, limit)
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	items, err := s.items(ctx, st, ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]Itinerary, len(rows))
	for i, r := range rows {
		out[i] = toItinerary(r, items[r.ID])
	}
	return out, more, nil
}

// DeleteItinerary removes one of who's itineraries with its items.
func (s *Service) DeleteItinerary(ctx context.Context, who identity.Actor, id uuid.UUID) error {
	if err := mustLogIn(who); err != nil {
		return err
	}
	return store{s.db.DB}.deleteItinerary(ctx, who.ID, id)
}

// resolveItems turns the owner's items into rows, every one pointing at a
// published listing of its kind or at a trip that is not cancelled; the ones
// that do not are reported all at once under their JSON paths.
func (s *Service) resolveItems(ctx context.Context, st store, itineraryID uuid.UUID, in []ItemInput) ([]itemRow, error) {
	var refs []string
	var tripIDs []uuid.UUID
	for _, it := range in {
		if it.Kind == TripKind {
			tripIDs = append(tripIDs, uuid.MustParse(it.Ref)) // checked by problems
		} else {
			refs = append(refs, it.Ref)
		}
	}
	found, err := st.publishedListings(ctx, refs)
	if err != nil {
		return nil, err
	}
	rides := map[uuid.UUID]Ride{}
	if len(tripIDs) > 0 {
		if rides, err = s.trips.PlanRides(ctx, st.db, tripIDs); err != nil {
			return nil, err
		}
	}
	type key struct{ kind, ref string }
	byRef := make(map[key]uuid.UUID, 2*len(found))
	for _, l := range found {
		byRef[key{l.Kind, l.ID.String()}] = l.ID
		byRef[key{l.Kind, l.Slug}] = l.ID
	}
	rows := make([]itemRow, len(in))
	problems := map[string]string{}
	for i, it := range in {
		if it.Kind == TripKind {
			id := uuid.MustParse(it.Ref)
			switch r, ok := rides[id]; {
			case !ok:
				problems[fmt.Sprintf("items[%d].id", i)] = "no trip has this id"
			case r.Status == "cancelled":
				problems[fmt.Sprintf("items[%d].id", i)] = "this trip was cancelled"
			default:
				rows[i] = itemRow{ItineraryID: itineraryID, Position: i, TripID: &id, Day: it.Day, Note: it.Note}
			}
			continue
		}
		ref := it.Ref
		if id, err := uuid.Parse(ref); err == nil {
			ref = id.String() // canonical form, whatever case the client sent
		}
		listingID, ok := byRef[key{string(it.Kind), ref}]
		if !ok {
			problems[fmt.Sprintf("items[%d].id", i)] = fmt.Sprintf("no published listing of kind %s has this id or slug", it.Kind.Plural())
			continue
		}
		rows[i] = itemRow{ItineraryID: itineraryID, Position: i, ListingID: &listingID, Day: it.Day, Note: it.Note}
	}
	if len(problems) > 0 {
		return nil, apperr.Validation(problems)
	}
	return rows, nil
}

func (s *Service) load(ctx context.Context, st store, row itineraryRow) (Itinerary, error) {
	items, err := s.items(ctx, st, []uuid.UUID{row.ID})
	if err != nil {
		return Itinerary{}, err
	}
	return toItinerary(row, items[row.ID]), nil
}

// items loads the items of itineraries, their trips in one more question
// to transport.
func (s *Service) items(ctx context.Context, st store, itineraryIDs []uuid.UUID) (map[uuid.UUID][]Item, error) {
	items, err := st.items(ctx, itineraryIDs)
	if err != nil {
		return nil, err
	}
	var tripIDs []uuid.UUID
	for _, its := range items {
		for _, it := range its {
			if it.Kind == TripKind {
				tripIDs = append(tripIDs, it.TripID)
			}
		}
	}
	if len(tripIDs) == 0 {
		return items, nil
	}
	rides, err := s.trips.PlanRides(ctx, st.db, tripIDs)
	if err != nil {
		return nil, err
	}
	for _, its := range items {
		for i := range its {
			if r, ok := rides[its[i].TripID]; ok && its[i].Kind == TripKind {
				its[i].Ride = &r
			}
		}
	}
	return items, nil
}

func toItinerary(r itineraryRow, items []Item) Itinerary {
	if items == nil {
		items = []Item{}
	}
	return Itinerary{ID: r.ID, OwnerID: r.OwnerID, Name: r.Name, StartDate: string(r.StartDate), Items: items,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}
