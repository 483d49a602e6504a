package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// Centre of Surakarta (around the Gladag roundabout); listings cluster there.
const (
	centreLat = -7.5666
	centreLng = 110.8167
	// spreadM bounds how far from the centre a listing may be.
	spreadM = 15000.0
)

// Kinds are the singular kind words as stored in listings.kind.
var Kinds = []string{"attraction", "culinary", "event"}

var plurals = map[string]string{"attractions": "attraction", "culinary": "culinary", "events": "event"}

// Listing is one generated row of listings plus its child rows.
type Listing struct {
	ID          uuid.UUID
	Kind        string
	Slug        string
	Status      string
	NameID      string
	NameEN      string
	DescID      string
	DescEN      string
	Category    string
	Tags        []string
	TagsJSON    string
	Address     string
	Lat, Lng    float64
	Hours       []Hours
	HoursJSON   string
	Spans       []Span
	ContactJSON string
	TicketsJSON string
	SpecialJSON string
	PriceRange  *int16
	Halal       *bool
	StartsAt    *time.Time
	EndsAt      *time.Time
	Venue       string
	Organizer   string
	TicketURL   string
	RatingSum   int64
	RatingCount int32
	RatingAvg   float64
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Hours is the API shape of opening hours (day 0 = Sunday, Asia/Jakarta).
type Hours struct {
	Day   int    `json:"day"`
	Open  string `json:"open"`
	Close string `json:"close"`
}

// Span is a listing_hours row: a span past midnight becomes two rows.
type Span struct {
	Day, OpenMin, CloseMin int16
}

type contact struct {
	Phone     string `json:"phone"`
	Website   string `json:"website"`
	Instagram string `json:"instagram"`
}

type ticketPrice struct {
	Label     string `json:"label"`
	AmountIDR int64  `json:"amount_idr"`
}

// Generator builds listings deterministically from a seed (ids excepted:
// UUIDv7 carries the wall clock).
type Generator struct {
	rng  *rand.Rand
	now  time.Time
	wib  *time.Location
	cats map[string][]string
}

// NewGenerator returns a generator whose content depends only on seed and now.
func NewGenerator(seed uint64, now time.Time, cats map[string][]string) (*Generator, error) {
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return nil, err
	}
	for _, k := range Kinds {
		if len(cats[k]) == 0 {
			return nil, fmt.Errorf("no categories for kind %s", k)
		}
	}
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), now: now.UTC(), wib: wib, cats: cats}, nil
}

// LoadCategories reads internal/catalog/demo/categories.json and returns the
// codes per singular kind.
func LoadCategories(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string][]struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("categories %s: %w", path, err)
	}
	out := map[string][]string{}
	for plural, list := range raw {
		k, ok := plurals[plural]
		if !ok {
			continue
		}
		for _, c := range list {
			out[k] = append(out[k], c.Code)
		}
	}
	for _, k := range Kinds {
		if len(out[k]) == 0 {
			return nil, fmt.Errorf("categories %s: no codes for %s", path, k)
		}
	}
	return out, nil
}

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }
func (g *Generator) pickPair(list []pair) pair { return list[g.rng.IntN(len(list))] }

// Listing builds the n-th listing (1-based) of kind. The number ends the
// name, which keeps names and slugs unique per kind at any size.
func (g *Generator) Listing(kind string, n int) Listing {
	l := Listing{Kind: kind}
	id, err := uuid.NewV7()
	if err != nil {
		panic(err) // only fails when the system random source does
	}
	l.ID = id
	l.Category = g.pick(g.cats[kind])
	place := g.pick(places)
	theme := g.pickPair(themes)
	num := strconv.Itoa(n)

	switch kind {
	case "attraction":
		t := g.pickPair(attractionTypesFor(l.Category))
		if g.rng.IntN(2) == 0 {
			l.NameID = t.id + " " + theme.id + " " + place + " " + num
			l.NameEN = place + " " + theme.en + " " + t.en + " " + num
		} else {
			l.NameID = t.id + " " + place + " " + num
			l.NameEN = place + " " + t.en + " " + num
		}
		l.DescID, l.DescEN = g.describe(descAttraction, l.NameID, l.NameEN, place, theme)
		l.TicketsJSON = g.ticketPrices()
		l.Hours = g.attractionHours()
		l.Address = g.address(place)
	case "culinary":
		c := culinaryFor(l.Category)
		t := g.pickPair(c.types)
		dish := g.pickPair(c.dishes)
		owner := g.pick(owners)
		if t == pusat {
			l.NameID = t.id + " " + place + " " + num
			l.NameEN = place + " " + t.en + " " + num
			owner = place
		} else {
			l.NameID = t.id + " " + dish.id + " " + owner + " " + num
			l.NameEN = owner + "'s " + dish.en + " " + t.en + " " + num
		}
		l.DescID, l.DescEN = g.describe(descCulinary, l.NameID, l.NameEN, place, dish)
		specials := []string{dish.id}
		if other := g.pickPair(c.dishes); other != dish {
			specials = append(specials, other.id)
		}
		l.SpecialJSON = mustJSON(specials)
		pr := int16(1 + g.rng.IntN(4))
		if g.rng.IntN(10) < 6 {
			pr = int16(1 + g.rng.IntN(2)) // most warung are cheap
		}
		l.PriceRange = &pr
		halal := g.rng.IntN(100) < 85
		l.Halal = &halal
		l.Hours = g.culinaryHours(l.Category)
		l.Address = g.address(place)
	case "event":
		t := g.pickPair(eventTypesFor(l.Category))
		l.NameID = t.id + " " + theme.id + " " + place + " " + num
		l.NameEN = place + " " + theme.en + " " + t.en + " " + num
		l.Venue = g.pick(venues)
		l.Organizer = g.pick(organizers)
		l.DescID, l.DescEN = g.describe(descEvent, l.NameID, l.NameEN, l.Venue, theme)
		l.Address = l.Venue + ", " + place + ", Surakarta"
		starts, ends := g.eventSpan()
		l.StartsAt, l.EndsAt = &starts, &ends
		if g.rng.IntN(10) < 4 {
			l.TicketURL = "https://tiket.example.com/" + slugify(l.NameID)
		}
	}
	if l.Hours == nil {
		l.Hours = []Hours{}
	}
	l.Slug = slugify(l.NameID)
	l.HoursJSON = mustJSON(l.Hours)
	l.Spans = Spans(l.Hours)
	l.Tags = g.tags(kind)
	l.TagsJSON = mustJSON(l.Tags)
	l.ContactJSON = g.contact(l.Slug)
	if l.TicketsJSON == "" {
		l.TicketsJSON = "[]"
	}
	if l.SpecialJSON == "" {
		l.SpecialJSON = "[]"
	}
	l.Lat, l.Lng = g.location()
	g.rating(&l)
	g.lifecycle(&l)
	return l
}

func attractionTypesFor(cat string) []pair {
	if t, ok := attractionTypes[cat]; ok {
		return t
	}
	return []pair{{"Wisata", "Attraction"}}
}

func culinaryFor(cat string) culinaryCategory {
	if c, ok := culinaryKinds[cat]; ok {
		return c
	}
	return culinaryKinds["restaurant"]
}

func eventTypesFor(cat string) []pair {
	if c, ok := eventKinds[cat]; ok {
		return c.types
	}
	return []pair{{"Acara", "Event"}}
}

// describe writes a first sentence naming the listing and two or three more.
func (g *Generator) describe(sentences []pair, nameID, nameEN, place string, topic pair) (string, string) {
	first := sentences[0]
	id := []string{fmt.Sprintf(first.id, nameID, place, strings.ToLower(topic.id))}
	en := []string{fmt.Sprintf(first.en, nameEN, place, strings.ToLower(topic.en))}
	rest := sentences[1:]
	start := g.rng.IntN(len(rest))
	for i := range 2 + g.rng.IntN(2) {
		s := rest[(start+i)%len(rest)]
		id = append(id, s.id)
		en = append(en, s.en)
	}
	return strings.Join(id, " "), strings.Join(en, " ")
}

func (g *Generator) address(place string) string {
	return fmt.Sprintf("%s No. %d, %s, %s, Surakarta", g.pick(streets), 1+g.rng.IntN(250), place, g.pick(districts))
}

// location draws a point within spreadM of the centre, denser in the middle:
// most listings sit in the old city, some in the suburbs.
func (g *Generator) location() (float64, float64) {
	var r float64
	if g.rng.IntN(10) < 7 {
		r = math.Abs(g.rng.NormFloat64()) * 3000
	} else {
		r = spreadM * math.Sqrt(g.rng.Float64())
	}
	r = math.Min(r, spreadM)
	theta := g.rng.Float64() * 2 * math.Pi
	return Offset(centreLat, centreLng, r*math.Cos(theta), r*math.Sin(theta))
}

// Offset moves a point north and east by the given metres (small distances).
func Offset(lat, lng, northM, eastM float64) (float64, float64) {
	const mPerDeg = 111320.0
	lat2 := lat + northM/mPerDeg
	lng2 := lng + eastM/(mPerDeg*math.Cos(lat*math.Pi/180))
	return math.Round(lat2*1e6) / 1e6, math.Round(lng2*1e6) / 1e6
}

// tags picks two to five distinct tags, favouring the front of the pool so
// some tags are common and others rare, as in real data.
func (g *Generator) tags(kind string) []string {
	pool := tagPools[kind]
	n := 2 + g.rng.IntN(4)
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		i := int(float64(len(pool)) * math.Pow(g.rng.Float64(), 1.6))
		if t := pool[i]; !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func (g *Generator) contact(slug string) string {
	var c contact
	switch v := g.rng.IntN(10); {
	case v < 5:
		c.Phone = fmt.Sprintf("+62271%06d", g.rng.IntN(1_000_000))
	case v < 9:
		c.Phone = fmt.Sprintf("+628%010d", g.rng.Int64N(10_000_000_000))
	}
	if g.rng.IntN(5) == 0 {
		c.Website = "https://www.example.com/" + slug
	}
	if g.rng.IntN(2) == 0 {
		c.Instagram = "@" + strings.ReplaceAll(slug, "-", "")
		if len(c.Instagram) > 30 {
			c.Instagram = c.Instagram[:30]
		}
	}
	return mustJSON(c)
}

func (g *Generator) ticketPrices() string {
	if g.rng.IntN(10) < 4 {
		return "[]" // free entry
	}
	adult := int64(5+g.rng.IntN(46)) * 1000
	prices := []ticketPrice{
		{"Dewasa / Adult", adult},
		{"Anak-anak / Child", adult / 2 / 1000 * 1000},
	}
	if g.rng.IntN(3) == 0 {
		prices = append(prices, ticketPrice{"Wisatawan mancanegara / Foreign visitor", adult * 3})
	}
	return mustJSON(prices)
}

func daily(days []int, open, close string) []Hours {
	out := make([]Hours, 0, len(days))
	for _, d := range days {
		out = append(out, Hours{Day: d, Open: open, Close: close})
	}
	return out
}

var (
	allWeek    = []int{1, 2, 3, 4, 5, 6, 0}
	tueToSun   = []int{2, 3, 4, 5, 6, 0}
	monToSat   = []int{1, 2, 3, 4, 5, 6}
	notFridays = []int{1, 2, 3, 4, 6, 0}
)

func (g *Generator) attractionHours() []Hours {
	switch v := g.rng.IntN(20); {
	case v < 8:
		return daily(tueToSun, "08:00", "16:00")
	case v < 12:
		return daily(notFridays, "09:00", "15:00")
	case v < 16:
		return daily(allWeek, "06:00", "18:00")
	case v < 17:
		return daily(allWeek, "00:00", "24:00")
	default:
		return daily(allWeek, "10:00", "21:00")
	}
}

// culinaryHours includes evening stalls that close after midnight, which
// exercise the overnight split in listing_hours.
func (g *Generator) culinaryHours(cat string) []Hours {
	if cat == "wedangan" || (cat == "satay_grill" && g.rng.IntN(2) == 0) {
		return daily(allWeek, "18:00", "02:00")
	}
	switch v := g.rng.IntN(20); {
	case v < 4:
		return daily(allWeek, "06:00", "11:00")
	case v < 8:
		return daily(monToSat, "07:00", "15:00")
	case v < 14:
		return daily(allWeek, "10:00", "22:00")
	case v < 18:
		return daily(monToSat, "17:00", "01:00")
	default:
		return daily(allWeek, "00:00", "24:00")
	}
}

// Spans turns API hours into listing_hours rows: a span whose close is not
// after its open runs past midnight into the next day.
func Spans(hours []Hours) []Span {
	var out []Span
	for _, h := range hours {
		open, close := minutes(h.Open), minutes(h.Close)
		if close > open {
			out = append(out, Span{int16(h.Day), open, close})
			continue
		}
		out = append(out, Span{int16(h.Day), open, 1440})
		if close > 0 {
			out = append(out, Span{int16((h.Day + 1) % 7), 0, close})
		}
	}
	return out
}

func minutes(hhmm string) int16 {
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	return int16(h*60 + m)
}

// eventSpan starts an event within the next twelve months at a usual local
// hour; most last an evening, some several days.
func (g *Generator) eventSpan() (time.Time, time.Time) {
	today := g.now.In(g.wib)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, g.wib).AddDate(0, 0, 1+g.rng.IntN(365))
	hours := []int{8, 9, 10, 13, 15, 18, 19, 19, 20}
	start := day.Add(time.Duration(hours[g.rng.IntN(len(hours))]) * time.Hour)
	if g.rng.IntN(2) == 0 {
		start = start.Add(30 * time.Minute)
	}
	var d time.Duration
	switch v := g.rng.IntN(10); {
	case v < 7:
		d = time.Duration(2+g.rng.IntN(4)) * time.Hour
	case v < 9:
		d = time.Duration(1+g.rng.IntN(3)) * 24 * time.Hour
	default:
		d = time.Duration(4+g.rng.IntN(7)) * 24 * time.Hour
	}
	return start.UTC(), start.Add(d).UTC()
}

// rating keeps rating_sum, rating_count and rating_avg consistent the way the
// review code maintains them; many listings have no reviews yet.
func (g *Generator) rating(l *Listing) {
	if g.rng.IntN(100) < 15 {
		return
	}
	count := int64(math.Exp(g.rng.Float64() * 7)) // 1 … ~1100, skewed low
	mean := math.Max(1, math.Min(5, 4.2+g.rng.NormFloat64()*0.5))
	sum := int64(math.Round(mean * float64(count)))
	sum = max(count, min(5*count, sum))
	l.RatingCount = int32(count)
	l.RatingSum = sum
	l.RatingAvg = float64(sum) / float64(count)
}

// lifecycle sets status and timestamps: mostly published, some drafts, a few
// archived, created over the past two years.
func (g *Generator) lifecycle(l *Listing) {
	// Fractions rather than IntN(bound): the number of random draws must not
	// depend on the clock, or the same seed would give different data.
	created := g.now.Add(-time.Duration(g.rng.Float64() * float64(730*24*time.Hour))).Truncate(time.Second)
	updated := created.Add(time.Duration(g.rng.Float64() * float64(g.now.Sub(created)))).Truncate(time.Second)
	l.CreatedAt, l.UpdatedAt = created, updated
	switch v := g.rng.IntN(100); {
	case v < 93:
		l.Status = "published"
	case v < 99:
		l.Status = "draft"
	default:
		l.Status = "archived"
	}
	if l.Status != "draft" {
		p := created.Add(time.Duration(g.rng.Float64() * float64(updated.Sub(created)))).Truncate(time.Second)
		l.PublishedAt = &p
	}
	if l.Status == "draft" {
		l.RatingSum, l.RatingCount, l.RatingAvg = 0, 0, 0
	}
}

// slugify lowercases s and joins its letter and digit runs with hyphens.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// NameWords returns the words of a name worth searching for: letters only,
// three or more of them.
func NameWords(name string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		f = strings.TrimSuffix(f, "'s")
		f = strings.Trim(f, "'")
		if len(f) >= 3 && strings.IndexFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			out = append(out, f)
		}
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
