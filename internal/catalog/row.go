package catalog

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/catalog/kind"
)

// readRow is a listing as a read query returns it: JSON columns stay the
// bytes they are stored as. The hot endpoints encode it straight to the
// response (encode.go) without decoding and re-encoding those columns;
// listing() decodes it for everything else.
type readRow struct {
	ID                     uuid.UUID
	Kind                   kind.Kind
	Slug                   string
	Status                 Status
	NameID, NameEN         string
	DescID, DescEN         string
	Category               string
	Tags, Hours, Contact   []byte
	Prices, Specialties    []byte
	Address                string
	Lat, Lng               float64
	PriceRange             sql.NullInt64
	Halal                  sql.NullBool
	StartsAt, EndsAt       sql.NullTime
	PublishedAt            sql.NullTime
	Venue, Organizer, TURL string
	RatingAvg              float64
	RatingCount            int
	CreatedAt, UpdatedAt   time.Time
	Images                 sql.NullString // imagesColumn
	OpenNow                bool
	DistanceM              *float64
	hoursParsed            []Hours
	hoursOK                bool
}

const (
	columnsHead = `l.id, l.kind, l.slug, l.status, l.name_id, l.name_en, `
	columnsTail = `,
 l.category, l.tags, l.address, l.lat, l.lng, l.opening_hours, l.contact, l.ticket_prices, l.specialties,
 l.price_range, l.halal, l.starts_at, l.ends_at, l.venue, l.organizer, l.ticket_url, l.rating_avg,
 l.rating_count, l.published_at, l.created_at, l.updated_at`
)

// readColumns lists the columns scanRow reads. Descriptions are the bulk of
// a row, so only the language the response shows is fetched (for English
// the Indonesian text stands in when the English one is empty).
func readColumns(lang Lang) string {
	switch lang {
	case LangID:
		return columnsHead + `l.description_id, ''` + columnsTail
	case LangEN:
		return columnsHead + `'', CASE WHEN l.description_en <> '' THEN l.description_en ELSE l.description_id END` + columnsTail
	default:
		return columnsHead + `l.description_id, l.description_en` + columnsTail
	}
}

// scanRow reads readColumns and the images column, then extra.
func scanRow(rows rowScanner, r *readRow, extra ...any) error {
	var k, st string
	dest := append([]any{&r.ID, &k, &r.Slug, &st, &r.NameID, &r.NameEN, &r.DescID, &r.DescEN,
		&r.Category, &r.Tags, &r.Address, &r.Lat, &r.Lng, &r.Hours, &r.Contact, &r.Prices, &r.Specialties,
		&r.PriceRange, &r.Halal, &r.StartsAt, &r.EndsAt, &r.Venue, &r.Organizer, &r.TURL, &r.RatingAvg,
		&r.RatingCount, &r.PublishedAt, &r.CreatedAt, &r.UpdatedAt, &r.Images}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return fmt.Errorf("scan listing: %w", err)
	}
	r.Kind, r.Status = kind.Kind(k), Status(st)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return nil
}

// computeOpen sets OpenNow for now (see openNowSQL for the same rule).
func (r *readRow) computeOpen(now time.Time) {
	c := clockAt(now)
	open, none, ok := openAtRaw(r.Hours, c)
	if !ok {
		hours := r.openingHours()
		open, none = openAtClock(hours, c), len(hours) == 0
	}
	if r.Kind == kind.Event {
		r.OpenNow = r.StartsAt.Valid && r.EndsAt.Valid && !now.Before(r.StartsAt.Time) && now.Before(r.EndsAt.Time) &&
			(none || open)
		return
	}
	r.OpenNow = open
}

// openAtRaw is openAt over stored hours in the canonical form, without
// allocating; ok is false for any other form. none reports no hours.
func openAtRaw(b []byte, c clock) (open, none, ok bool) {
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return false, false, false
	}
	body := b[1 : len(b)-1]
	if len(body) == 0 {
		return false, true, true
	}
	const item = len(`{"day":0,"open":"00:00","close":"00:00"}`)
	for len(body) > 0 {
		if len(body) < item {
			return false, false, false
		}
		e := body[:item]
		if string(e[:7]) != `{"day":` || e[7] < '0' || e[7] > '6' || string(e[8:17]) != `,"open":"` ||
			string(e[22:33]) != `","close":"` || string(e[38:]) != `"}` {
			return false, false, false
		}
		day := int(e[7] - '0')
		o, ok1 := clockBytes(e[17:22], false)
		cl, ok2 := clockBytes(e[33:38], true)
		if !ok1 || !ok2 {
			return false, false, false
		}
		if spanCovers(day, o, cl, c) {
			open = true
		}
		body = body[item:]
		if len(body) > 0 {
			if body[0] != ',' {
				return false, false, false
			}
			body = body[1:]
		}
	}
	return open, false, true
}

func clockBytes(b []byte, allow24 bool) (int, bool) {
	var a [5]byte
	copy(a[:], b)
	return parseClock(string(a[:]), allow24) // the conversion does not escape
}

// openingHours parses the stored hours once; the canonical form written by
// the API is read without encoding/json.
func (r *readRow) openingHours() []Hours {
	if r.hoursOK {
		return r.hoursParsed
	}
	r.hoursOK = true
	hs, ok := parseHoursJSON(r.Hours)
	if !ok {
		hs = nil
		_ = json.Unmarshal(r.Hours, &hs) // non-canonical spacing or order; invalid stays empty
	}
	r.hoursParsed = hs
	return hs
}

// parseHoursJSON reads exactly [{"day":D,"open":"HH:MM","close":"HH:MM"},…]
// as json.Marshal writes it; anything else reports false.
func parseHoursJSON(b []byte) ([]Hours, bool) {
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	body := b[1 : len(b)-1]
	if len(body) == 0 {
		return []Hours{}, true
	}
	const item = len(`{"day":0,"open":"00:00","close":"00:00"}`)
	var out []Hours
	for len(body) > 0 {
		if len(body) < item {
			return nil, false
		}
		e := body[:item]
		if !bytes.HasPrefix(e, []byte(`{"day":`)) || e[7] < '0' || e[7] > '6' ||
			!bytes.Equal(e[8:17], []byte(`,"open":"`)) || !bytes.Equal(e[22:33], []byte(`","close":"`)) ||
			!bytes.Equal(e[38:], []byte(`"}`)) {
			return nil, false
		}
		out = append(out, Hours{Day: int(e[7] - '0'), Open: string(e[17:22]), Close: string(e[33:38])})
		body = body[item:]
		if len(body) > 0 {
			if body[0] != ',' {
				return nil, false
			}
			body = body[1:]
		}
	}
	return out, true
}

// listing decodes the row into the domain type.
func (r *readRow) listing() (Listing, error) {
	l := Listing{
		ID: r.ID, Kind: r.Kind, Slug: r.Slug, Status: r.Status,
		Name: Text{r.NameID, r.NameEN}, Description: Text{r.DescID, r.DescEN},
		Category: r.Category, Address: r.Address, Location: Location{r.Lat, r.Lng},
		StartsAt: timePtr(r.StartsAt), EndsAt: timePtr(r.EndsAt), Venue: r.Venue, Organizer: r.Organizer,
		TicketURL: r.TURL, Rating: Rating{Average: r.RatingAvg, Count: r.RatingCount},
		OpenNow: r.OpenNow, DistanceM: r.DistanceM,
		PublishedAt: timePtr(r.PublishedAt), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.PriceRange.Valid {
		v := int(r.PriceRange.Int64)
		l.PriceRange = &v
	}
	if r.Halal.Valid {
		v := r.Halal.Bool
		l.Halal = &v
	}
	if err := decodeJSONColumns(&l, string(r.Tags), string(r.Hours), string(r.Contact), string(r.Prices), string(r.Specialties)); err != nil {
		return l, err
	}
	imgs, err := r.images()
	l.Images = imgs
	return l, err
}

// images decodes the images column: [[id, storage_key, caption], …].
func (r *readRow) images() ([]Image, error) {
	raw := strings.TrimSpace(r.Images.String)
	if !r.Images.Valid || raw == "" || raw == "[]" {
		return nil, nil
	}
	var rows [][3]string
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		return nil, fmt.Errorf("listing %s: images: %w", r.ID, err)
	}
	out := make([]Image, len(rows))
	for i, p := range rows {
		id, err := uuid.Parse(p[0])
		if err != nil {
			return nil, fmt.Errorf("listing %s: image id: %w", r.ID, err)
		}
		out[i] = Image{ID: id, URL: "/media/" + p[1], Caption: p[2]}
	}
	return out, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
