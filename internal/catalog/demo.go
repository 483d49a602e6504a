package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/platform/apperr"
)

// demoItem is one entry of demo/{attractions,culinary,events}.json: the
// POST body plus, for events, local start and end as "MM-DDTHH:MM" without
// a year (the loader picks the year, so demo events are always upcoming).
type demoItem struct {
	listingRequest
	Start string `json:"start"`
	End   string `json:"end"`
}

// SeedDemo loads the Surakarta demo listings, published, inside tx. Each
// item passes the same validation as a POST body.
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB) error {
	now := s.now()
	for _, k := range kind.All {
		items, err := readDemo(k)
		if err != nil {
			return err
		}
		for i, it := range items {
			l, err := s.demoListing(k, it, now)
			if err != nil {
				return fmt.Errorf("demo %s[%d] %q: %w", k.Plural(), i, nameOf(it), err)
			}
			if err := s.insertDemo(ctx, tx, l); err != nil {
				return fmt.Errorf("demo %s[%d]: %w", k.Plural(), i, err)
			}
		}
	}
	return nil
}

func readDemo(k kind.Kind) ([]demoItem, error) {
	b, err := demoFiles.ReadFile("demo/" + k.Plural() + ".json")
	if err != nil {
		return nil, err
	}
	var items []demoItem
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("demo/%s.json: %w", k.Plural(), err)
	}
	return items, nil
}

func nameOf(it demoItem) string {
	if it.Name == nil {
		return ""
	}
	return it.Name.ID
}

// demoListing validates one demo item like a POST body and publishes it.
func (s *Service) demoListing(k kind.Kind, it demoItem, now time.Time) (Listing, error) {
	if k == kind.Event {
		start, end, err := demoSpan(it.Start, it.End, now)
		if err != nil {
			return Listing{}, err
		}
		it.StartsAt, it.EndsAt = &start, &end
	}
	published := Published
	it.Status = &published
	it.Normalize()
	ch := it.changes()
	l, err := s.prepare(ch, Listing{ID: uuid.Must(uuid.NewV7()), Kind: k, CreatedAt: now, UpdatedAt: now},
		ch.missingOnCreate(k))
	if err != nil {
		if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
			return Listing{}, fmt.Errorf("invalid: %v", e.Fields)
		}
		return Listing{}, err
	}
	l.PublishedAt = &now
	return l, nil
}

// demoSpan places "MM-DDTHH:MM" start and end (Asia/Jakarta) in the year
// that makes the start fall within the twelve months from now. An end
// earlier in the year than the start is in the following year.
func demoSpan(start, end string, now time.Time) (time.Time, time.Time, error) {
	const layout = "2006-01-02T15:04"
	local := now.In(Jakarta)
	parse := func(s string, year int) (time.Time, error) {
		return time.ParseInLocation(layout, fmt.Sprintf("%04d-%s", year, s), Jakarta)
	}
	year := local.Year()
	st, err := parse(start, year)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("start %q: want MM-DDTHH:MM", start)
	}
	if st.Before(local) {
		year++
		if st, err = parse(start, year); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	en, err := parse(end, year)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("end %q: want MM-DDTHH:MM", end)
	}
	if end[:5] < start[:5] {
		if en, err = parse(end, year+1); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	return st.UTC(), en.UTC(), nil
}
