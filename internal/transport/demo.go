package transport

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
)

// Demo content: the five modes of Solo's tourist transport, their routes
// through real stops (Jaladara's street line, Werkudara's city loop, two of
// the electric cars' heritage loops, Batik Solo Trans corridors 1 and 2, the
// andong stands), weekly schedules with eight weeks of trips generated from
// the demo's "now", and Werkudara bookings around its 15-passenger minimum:
// the past week's departures already decided (one cancelled, the rest
// confirmed), and the coming ones filled by group bookings except two left
// under the minimum, so the ridership job cancels only those. Fares are the
// operators' published ones; coordinates follow the city's landmarks, and
// the BST stops are the corridors' main points, approximately placed.

var demoModes = []modeRequest{
	{Code: "andong", Name: &Text{"Andong", "Andong (horse carriage)"},
		Description: &Text{"Kereta kuda beroda empat yang mangkal di halaman museum Keraton Kasunanan dan di depan Pasar Gede. Tanpa jadwal: naik saat ada andong kosong, paling banyak lima penumpang, tarif per putaran.",
			"A four-wheeled horse carriage waiting in the Keraton Kasunanan museum yard and in front of Pasar Gede. No timetable: ride whenever one is free, five passengers at most, priced per loop."},
		Fares: []Fare{{Adult, "Per putaran (maks. 5 orang) / Per loop (up to 5 people)", 100000}}},
	{Code: "steam_train", Name: &Text{"Sepur Kluthuk Jaladara", "Jaladara steam train"},
		Description: &Text{"Lokomotif uap C12 18 buatan 1896 berbahan bakar kayu menarik dua gerbong jati dari Stasiun Purwosari ke Stasiun Solo Kota, menyusuri tengah Jalan Slamet Riyadi. 72 kursi; jamu dan musik keroncong di dalam kereta.",
			"The wood-fired C12 18 steam locomotive of 1896 pulls two teak carriages from Purwosari station to Solo Kota station down the middle of Jalan Slamet Riyadi. 72 seats, with jamu and keroncong music on board."},
		Bookable: ptr(true), Fares: []Fare{{Adult, "Umum / General", 50000}}},
	{Code: "electric_car", Name: &Text{"Mobil listrik wisata", "Electric tourist car"},
		Description: &Text{"Mobil listrik bergaya klasik untuk tujuh penumpang, berkeliling rute pusaka kota pada akhir pekan.",
			"Classic-looking electric cars for seven passengers on short heritage loops at weekends."},
		Bookable: ptr(true), Fares: []Fare{{Adult, "Per orang / Per person", 20000}},
		OperatingHours: []Hours{{6, "09:00", "15:00"}, {0, "09:00", "15:00"}}},
	{Code: "double_decker_bus", Name: &Text{"Bus Tingkat Werkudara", "Werkudara double-decker bus"},
		Description: &Text{"Bus tingkat buatan dalam negeri pertama, berangkat dari kantor Dishub Manahan pada Sabtu, Minggu dan hari libur pukul 09.00, 12.00 dan 15.00 untuk berkeliling kota sampai Taman Satwa Taru Jurug.",
			"The first Indonesian-built double-decker leaves the Dishub office in Manahan on Saturdays, Sundays and holidays at 09:00, 12:00 and 15:00 for a city loop out to the Jurug zoo."},
		Bookable: ptr(true), Fares: []Fare{{Adult, "Per orang / Per person", 20000}},
		OperatingHours: []Hours{{6, "09:00", "18:00"}, {0, "09:00", "18:00"}}},
	{Code: "city_bus", Name: &Text{"Batik Solo Trans", "Batik Solo Trans city bus"},
		Description: &Text{"Bus kota berkoridor; bayar di dalam bus dengan uang elektronik atau QRIS, tanpa pemesanan.",
			"Corridor city buses; pay on board by e-money card or QRIS, no booking."},
		Fares: []Fare{{Adult, "Umum / General", 3700}, {Student, "Pelajar / Student", 2000},
			{Elderly, "Lansia / Elderly", 2000}, {Disabled, "Penyandang disabilitas / Disabled", 0}}},
}

type demoStop struct {
	key      string
	name     Text
	lat, lng float64
}

var demoStops = []demoStop{
	{"purwosari", Text{"Stasiun Purwosari", "Purwosari station"}, -7.5613, 110.7958},
	{"sgm", Text{"Solo Grand Mall", "Solo Grand Mall"}, -7.5630, 110.8036},
	{"loji", Text{"Loji Gandrung", "Loji Gandrung"}, -7.5655, 110.8055},
	{"sriwedari", Text{"Sriwedari – Museum Radya Pustaka", "Sriwedari – Radya Pustaka Museum"}, -7.5675, 110.8127},
	{"danarhadi", Text{"Museum Batik Danar Hadi", "Danar Hadi Batik Museum"}, -7.5679, 110.8165},
	{"ngarsopuro", Text{"Ngarsopuro – Pasar Triwindu", "Ngarsopuro – Triwindu market"}, -7.5683, 110.8222},
	{"gladag", Text{"Gladag – Galabo", "Gladag – Galabo"}, -7.5712, 110.8283},
	{"solokota", Text{"Stasiun Solo Kota (Sangkrah)", "Solo Kota station (Sangkrah)"}, -7.5822, 110.8352},
	{"manahan", Text{"Dishub Manahan", "Dishub office, Manahan"}, -7.5530, 110.8045},
	{"balaikota", Text{"Balai Kota", "City Hall"}, -7.5697, 110.8297},
	{"pasargede", Text{"Pasar Gede", "Pasar Gede market"}, -7.5694, 110.8317},
	{"jurug", Text{"Solo Safari (Taman Satwa Taru Jurug)", "Solo Safari (Jurug zoo)"}, -7.5640, 110.8590},
	{"vastenburg", Text{"Benteng Vastenburg", "Fort Vastenburg"}, -7.5713, 110.8299},
	{"keraton", Text{"Keraton Kasunanan – halaman museum", "Keraton Kasunanan – museum yard"}, -7.5778, 110.8278},
	{"baluwarti", Text{"Alun-alun Kidul – Baluwarti", "Southern square – Baluwarti"}, -7.5822, 110.8282},
	{"klewer", Text{"Pasar Klewer", "Pasar Klewer market"}, -7.5755, 110.8255},
	{"kauman", Text{"Kampung Batik Kauman", "Kauman batik quarter"}, -7.5725, 110.8245},
	{"alunutara", Text{"Alun-alun Utara – Masjid Agung", "Northern square – Great Mosque"}, -7.5748, 110.8263},
	{"mangkunegaran", Text{"Pura Mangkunegaran", "Mangkunegaran palace"}, -7.5664, 110.8231},
	{"stadion", Text{"Stadion Manahan", "Manahan stadium"}, -7.5555, 110.8063},
	{"balekambang", Text{"Taman Balekambang", "Balekambang park"}, -7.5548, 110.8105},
	{"bandara", Text{"Bandara Adi Soemarmo", "Adi Soemarmo airport"}, -7.5161, 110.7569},
	{"kerten", Text{"Sub-terminal Kerten", "Kerten sub-terminal"}, -7.5602, 110.7850},
	{"palur", Text{"Terminal Palur", "Palur bus terminal"}, -7.5663, 110.8736},
}

// demoSchedule is a route's weekly timetable in the demo.
type demoSchedule struct {
	weekdays   []int
	departures []string
	minutes    int
	capacity   int
	fare       int64
	holidays   HolidayPolicy
	minimum    int // with a cutoff at 18:00 WIB the day before
}

type demoRoute struct {
	key      string
	mode     string
	name     Text
	desc     Text
	stops    []string
	schedule *demoSchedule // nil: on demand
}

var everyDay = []int{0, 1, 2, 3, 4, 5, 6}

var demoRoutes = []demoRoute{
	{"jaladara", "steam_train", Text{"Jaladara Purwosari – Solo Kota", "Jaladara Purwosari – Solo Kota"},
		Text{"Sekitar 6 km di rel tengah Jalan Slamet Riyadi dengan laju kira-kira 20 km/jam, berhenti di museum dan kampung pusaka; pulang-pergi sekitar tiga jam.",
			"About 6 km on the street track down Jalan Slamet Riyadi at some 20 km/h, stopping at museums and heritage quarters; the round trip takes about three hours."},
		[]string{"purwosari", "sgm", "loji", "sriwedari", "danarhadi", "ngarsopuro", "gladag", "solokota"},
		&demoSchedule{[]int{0}, []string{"09:30"}, 180, 72, 50000, HolidaysAsUsual, 0}},
	{"werkudara", "double_decker_bus", Text{"Werkudara keliling kota", "Werkudara city loop"},
		Text{"Dari Manahan lewat Slamet Riyadi, Gladag, Balai Kota dan Pasar Gede sampai Jurug, lalu pulang lewat Purwosari. Berangkat hanya bila paling sedikit 15 penumpang, dipastikan H-1 pukul 18.00.",
			"From Manahan along Slamet Riyadi, past Gladag, City Hall and Pasar Gede out to Jurug, and back by way of Purwosari. Runs only with at least 15 passengers, confirmed at 18:00 the day before."},
		[]string{"manahan", "sriwedari", "gladag", "balaikota", "pasargede", "jurug", "gladag", "purwosari", "manahan"},
		&demoSchedule{[]int{0, 6}, []string{"09:00", "12:00", "15:00"}, 120, 43, 20000, HolidaysAdd, 15}},
	{"ev_keraton", "electric_car", Text{"Mobil listrik: Vastenburg – Keraton – Kauman", "Electric car: Vastenburg – Keraton – Kauman"},
		Text{"Putaran pendek dari Benteng Vastenburg ke Pasar Gede, lalu ke Keraton, Baluwarti dan kampung batik Kauman.",
			"A short loop from Fort Vastenburg to Pasar Gede, then to the Keraton, Baluwarti and the Kauman batik quarter."},
		[]string{"vastenburg", "pasargede", "keraton", "baluwarti", "kauman", "vastenburg"},
		&demoSchedule{[]int{0, 6}, []string{"09:00", "10:00", "11:00", "13:00", "14:00"}, 45, 7, 20000, HolidaysAdd, 0}},
	{"ev_mangkunegaran", "electric_car", Text{"Mobil listrik: Mangkunegaran – Manahan – Balekambang", "Electric car: Mangkunegaran – Manahan – Balekambang"},
		Text{"Dari Pura Mangkunegaran ke Stadion Manahan dan Taman Balekambang, kembali lewat Ngarsopuro.",
			"From the Mangkunegaran palace to Manahan stadium and Balekambang park, returning by Ngarsopuro."},
		[]string{"mangkunegaran", "stadion", "balekambang", "ngarsopuro", "mangkunegaran"},
		&demoSchedule{[]int{0, 6}, []string{"09:30", "10:30", "13:30"}, 40, 7, 20000, HolidaysAdd, 0}},
	{"bst1", "city_bus", Text{"BST Koridor 1: Bandara Adi Soemarmo – Palur", "BST corridor 1: Adi Soemarmo airport – Palur"},
		Text{"Dari bandara lewat Manahan dan sepanjang Slamet Riyadi ke Gladag, Pasar Gede dan Jurug sampai Terminal Palur. Bayar di bus; tanpa pemesanan.",
			"From the airport by Manahan and the length of Slamet Riyadi to Gladag, Pasar Gede and Jurug, ending at Palur terminal. Pay on board; no booking."},
		[]string{"bandara", "stadion", "purwosari", "sriwedari", "ngarsopuro", "gladag", "pasargede", "jurug", "palur"},
		&demoSchedule{everyDay, hourly(6, 18), 75, 60, 3700, HolidaysAsUsual, 0}},
	{"bst2", "city_bus", Text{"BST Koridor 2: Palur – Kerten", "BST corridor 2: Palur – Kerten"},
		Text{"Dari Terminal Palur lewat Jurug, Pasar Gede dan Balai Kota, menyusuri Slamet Riyadi ke Purwosari dan Sub-terminal Kerten. Bayar di bus; tanpa pemesanan.",
			"From Palur terminal by Jurug, Pasar Gede and City Hall, along Slamet Riyadi to Purwosari and the Kerten sub-terminal. Pay on board; no booking."},
		[]string{"palur", "jurug", "pasargede", "balaikota", "gladag", "danarhadi", "loji", "purwosari", "kerten"},
		&demoSchedule{everyDay, hourly(6, 18), 60, 60, 3700, HolidaysAsUsual, 0}},
	{"andong_keraton", "andong", Text{"Andong keliling Keraton", "Andong around the Keraton"},
		Text{"Kusir menunggu di halaman museum Keraton; sekali putar lewat Baluwarti, Alun-alun Kidul, Pasar Klewer dan Alun-alun Utara. Naik saat ada andong kosong.",
			"Drivers wait in the Keraton museum yard; one loop passes Baluwarti, the southern square, Pasar Klewer and the northern square. Ride whenever a carriage is free."},
		[]string{"keraton", "baluwarti", "klewer", "alunutara", "keraton"}, nil},
	{"andong_pasargede", "andong", Text{"Andong dari Pasar Gede", "Andong from Pasar Gede"},
		Text{"Pangkalan andong di depan Pasar Gede; putaran ke Balai Kota dan Benteng Vastenburg, tanpa jadwal.",
			"An andong stand in front of Pasar Gede; loops to City Hall and Fort Vastenburg, no timetable."},
		[]string{"pasargede", "balaikota", "vastenburg", "pasargede"}, nil},
}

func hourly(from, to int) []string {
	var out []string
	for h := from; h <= to; h++ {
		out = append(out, fmt.Sprintf("%02d:00", h))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// DemoAccounts finds the demo accounts demo bookings belong to
// (*identity.Service implements it).
type DemoAccounts interface {
	DemoAccountID(ctx context.Context, tx *gorm.DB, email string) (uuid.UUID, error)
}

// demoWeeks is how far ahead the demo's trips are generated.
const demoWeeks = 8

// SeedDemo loads the demo network inside tx: every mode, stop, route and
// schedule passes the same checks as a staff request, and the trips come
// from the schedules through the same generation (batched inserts).
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB, accounts DemoAccounts) error {
	now := s.now()
	db := tx.WithContext(ctx)
	for _, m := range demoModes {
		m.Normalize()
		if p := m.check(true); len(p) > 0 {
			return fmt.Errorf("demo mode %s: %v", m.Code, p)
		}
		mode := Mode{Code: m.Code, Name: *m.Name, Description: *m.Description, Bookable: m.Bookable != nil && *m.Bookable,
			Fares: m.Fares, OperatingHours: m.OperatingHours, CreatedAt: now, UpdatedAt: now}
		row := modeToRow(mode)
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("demo mode %s: %w", m.Code, err)
		}
	}
	stops := map[string]uuid.UUID{}
	stopRows := make([]stopRow, len(demoStops))
	for i, st := range demoStops {
		id := uuid.Must(uuid.NewV7())
		stops[st.key] = id
		stopRows[i] = stopRow{ID: id, NameID: st.name.ID, NameEn: st.name.EN, Lat: st.lat, Lng: st.lng, CreatedAt: now, UpdatedAt: now}
	}
	if err := db.Create(&stopRows).Error; err != nil {
		return fmt.Errorf("demo stops: %w", err)
	}
	today := civil.Of(now.In(wib))
	last := today.AddDays(7*demoWeeks - 1)
	schedules := map[string]uuid.UUID{}
	for _, r := range demoRoutes {
		id := uuid.Must(uuid.NewV7())
		row := routeRow{ID: id, ModeCode: r.mode, NameID: r.name.ID, NameEn: r.name.EN, DescriptionID: r.desc.ID,
			DescriptionEn: r.desc.EN, CreatedAt: now, UpdatedAt: now}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("demo route %s: %w", r.key, err)
		}
		ids := make([]uuid.UUID, len(r.stops))
		for i, k := range r.stops {
			ids[i] = stops[k]
		}
		if err := setRouteStops(db, id, ids); err != nil {
			return fmt.Errorf("demo route %s stops: %w", r.key, err)
		}
		if r.schedule == nil {
			continue
		}
		from := today
		if r.schedule.minimum > 0 {
			from = today.AddDays(-demoPastDays) // valid for the week seeded as past
		}
		sc, err := demoScheduleOf(id, r.schedule, from)
		if err != nil {
			return fmt.Errorf("demo schedule %s: %w", r.key, err)
		}
		sc.CreatedAt, sc.UpdatedAt = now, now
		srow := scheduleToRow(sc)
		if err := db.Create(&srow).Error; err != nil {
			return fmt.Errorf("demo schedule %s: %w", r.key, err)
		}
		if _, err := s.generateTrips(ctx, db, sc.ID, today, last); err != nil {
			return fmt.Errorf("demo trips %s: %w", r.key, err)
		}
		schedules[r.key] = sc.ID
	}
	return s.seedDemoRidership(ctx, db, accounts, schedules["werkudara"], today)
}

// demoScheduleOf builds a schedule valid from the given day for a year
// through the staff request's rules.
func demoScheduleOf(route uuid.UUID, d *demoSchedule, validFrom civil.Date) (Schedule, error) {
	from, until, policy := validFrom.String(), validFrom.AddDays(365).String(), string(d.holidays)
	in := scheduleRequest{RouteID: &route, Weekdays: d.weekdays, Departures: d.departures, DurationMin: &d.minutes,
		Capacity: &d.capacity, FareIDR: &d.fare, ValidFrom: &from, ValidUntil: &until, Holidays: &policy,
		MinPassengers: &d.minimum}
	if d.minimum > 0 {
		in.ConfirmCutoff = &cutoffRequest{DaysBefore: 1, Time: "18:00"}
	}
	sc := Schedule{ID: uuid.Must(uuid.NewV7()), Weekdays: []time.Weekday{}, Exceptions: []Exception{}}
	p := in.apply(&sc, true)
	checkSchedule(sc, p)
	if len(p) > 0 {
		return Schedule{}, fmt.Errorf("%v", p)
	}
	return sc, nil
}

// demoPastDays is how far back the demo's decided Werkudara departures go:
// the seven days before today hold exactly one weekend.
const demoPastDays = 7

// The demo accounts that book Werkudara seats.
const (
	demoTourist = "user@example.com"
	demoTours   = "tours@example.com"
	demoSchool  = "school@example.com"
)

// demoBooking is one booking the demo makes: whose account, for whom, how
// many seats.
type demoBooking struct {
	account string
	name    string
	seats   int
}

var demoGroups = []struct{ account, name string }{
	{demoTours, "Rombongan Nusantara Tours – Jakarta"},
	{demoSchool, "Study tour SMA Negeri 1 Klaten, kelas XI IPS"},
	{demoTours, "Rombongan Nusantara Tours – Surabaya"},
	{demoSchool, "Study tour SMA Negeri 1 Klaten, kelas XI IPA"},
	{demoTours, "Keluarga besar Hadiwijaya (Nusantara Tours)"},
}

// demoGroupBookings fills total seats with group bookings of at most ten
// seats; i varies the groups and sizes from one trip to the next.
func demoGroupBookings(i, total int) []demoBooking {
	sizes := []int{10, 7, 9, 6, 8}
	var out []demoBooking
	for k := 0; total > 0; k++ {
		n := min(total, sizes[(i+k)%len(sizes)])
		g := demoGroups[(i+k)%len(demoGroups)]
		out = append(out, demoBooking{g.account, g.name, n})
		total -= n
	}
	return out
}

// demoShortTrip is the position, among the coming Werkudara departures that
// await their cutoff, of the group trip deliberately left under the minimum
// (the other is the second one, the demo tourist's own).
const demoShortTrip = 8

// seedDemoRidership books the demo's Werkudara seats. Coming departures that
// await their cutoff: the first holds the demo tourist's 16 seats (it will be
// confirmed), the second her 3 (it will be cancelled), the one at
// demoShortTrip a group's 9, and every other one 15 to 28 seats of group
// bookings. The week before today is then played as it would have run: its
// departures generated and booked on the morning of their first cutoff, and
// decided by the ridership pass at each cutoff, so a newcomer finds a
// confirmed departure already run and one cancelled for too few passengers
// (the demo tourist's 4 seats, cancelled with a notification).
func (s *Service) seedDemoRidership(ctx context.Context, db *gorm.DB, accounts DemoAccounts, schedule uuid.UUID, today civil.Date) error {
	if accounts == nil || schedule == uuid.Nil {
		return nil
	}
	users := map[string]uuid.UUID{}
	for _, email := range []string{demoTourist, demoTours, demoSchool} {
		id, err := accounts.DemoAccountID(ctx, db, email)
		if err != nil {
			return err
		}
		users[email] = id
	}

	var next []tripRow
	if err := tripSelect(db).Where("t.schedule_id = ? AND t.confirm_by IS NOT NULL", schedule).
		Order("t.departs_at").Find(&next).Error; err != nil {
		return err
	}
	if len(next) <= demoShortTrip {
		return fmt.Errorf("demo bookings: %d Werkudara trips await a cutoff, want more than %d", len(next), demoShortTrip)
	}
	plans := make([][]demoBooking, len(next))
	for i := range next {
		switch i {
		case 0:
			plans[i] = []demoBooking{{demoTourist, "Rombongan arisan Laweyan", 10}, {demoTourist, "Sari Wulandari", 6}}
		case 1:
			plans[i] = []demoBooking{{demoTourist, "Sari Wulandari", 3}}
		case demoShortTrip:
			plans[i] = []demoBooking{{demoTours, "Rombongan Nusantara Tours – Bandung", 9}}
		default:
			plans[i] = demoGroupBookings(i, 15+(i*5)%14)
		}
	}
	if err := s.bookDemo(ctx, db, next, plans, users, s.now()); err != nil {
		return err
	}
	return s.seedDemoPastWeek(ctx, db, schedule, today, users)
}

// seedDemoPastWeek plays the seven days before today on the schedule
// through the code that runs them live, on a copy of the service bound to
// the seeding transaction with its own clock (the service's clock is never
// moved): trip generation on the morning of the first cutoff day, bookings
// then, and DecideRidership a minute after each cutoff.
func (s *Service) seedDemoPastWeek(ctx context.Context, db *gorm.DB, schedule uuid.UUID, today civil.Date, users map[string]uuid.UUID) error {
	from, to := today.AddDays(-demoPastDays), today.AddDays(-1)
	// Earlier than the first cutoff (18:00 the day before the first day).
	then := from.AddDays(-1).At(9, 0, wib)
	if _, err := s.replay(db, then).generateTrips(ctx, db, schedule, from, to); err != nil {
		return fmt.Errorf("demo past trips: %w", err)
	}
	var past []tripRow
	if err := tripSelect(db).Where("t.schedule_id = ? AND t.departs_at < ? AND t.confirm_by IS NOT NULL", schedule,
		today.At(0, 0, wib).UTC()).Order("t.departs_at").Find(&past).Error; err != nil {
		return err
	}
	if len(past) < 2 {
		return fmt.Errorf("demo past trips: %d Werkudara trips in the past week, want at least 2", len(past))
	}
	plans := make([][]demoBooking, len(past))
	for i := range past {
		plans[i] = demoGroupBookings(i, 15+(i*3)%12)
	}
	plans[0] = append(plans[0], demoBooking{demoTourist, "Sari Wulandari", 2})
	plans[len(past)-1] = []demoBooking{{demoTourist, "Sari Wulandari", 4}}
	if err := s.bookDemo(ctx, db, past, plans, users, then); err != nil {
		return err
	}
	var cutoffs []time.Time
	for _, t := range past {
		if c := t.ConfirmBy.UTC(); len(cutoffs) == 0 || !cutoffs[len(cutoffs)-1].Equal(c) {
			cutoffs = append(cutoffs, c)
		}
	}
	for _, c := range cutoffs {
		if _, err := s.replay(db, c.Add(time.Minute)).DecideRidership(ctx); err != nil {
			return fmt.Errorf("demo past decisions: %w", err)
		}
	}
	return nil
}

// replay is a copy of s that works inside tx (its transactions become
// savepoints, whose AfterCommit effects wait for tx's commit) with the
// clock stopped at now.
func (s *Service) replay(tx *gorm.DB, now time.Time) *Service {
	c := *s
	c.db = &database.DB{DB: tx, Dialect: s.db.Dialect, SQL: s.db.SQL}
	c.now = func() time.Time { return now.UTC() }
	return &c
}

// bookDemo makes the planned bookings on trips at now in a few statements:
// the bookings by batched inserts, the seats they take by one UPDATE (whose
// CHECK refuses an overbooked plan), the confirmations through the notifier.
func (s *Service) bookDemo(ctx context.Context, db *gorm.DB, trips []tripRow, plans [][]demoBooking, users map[string]uuid.UUID,
	now time.Time) error {
	var rows []bookingRow
	var ids []uuid.UUID
	for i, t := range trips {
		ids = append(ids, t.ID)
		for _, p := range plans[i] {
			rows = append(rows, bookingRow{ID: uuid.Must(uuid.NewV7()), Code: newCode(), TripID: t.ID, UserID: users[p.account],
				Seats: p.seats, PassengerName: p.name, RiderCategory: string(Adult), TotalIDR: t.FareIDR * int64(p.seats),
				Status: string(BookingConfirmed), CreatedAt: now})
		}
	}
	const batch = 200
	for i := 0; i < len(rows); i += batch {
		chunk := rows[i:min(i+batch, len(rows))]
		res := db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "code"}}, DoNothing: true}).Create(&chunk)
		if res.Error != nil {
			return fmt.Errorf("demo bookings: %w", res.Error)
		}
		if int(res.RowsAffected) < len(chunk) {
			if err := redrawDemoCodes(ctx, db, chunk); err != nil {
				return err
			}
		}
	}
	res := db.Exec(`UPDATE transport_trips SET updated_at = ?, seats_available = capacity - COALESCE((SELECT SUM(b.seats)
		FROM transport_bookings b WHERE b.trip_id = transport_trips.id AND b.status = 'confirmed'), 0) WHERE id IN ?`, now, ids)
	if res.Error != nil {
		return fmt.Errorf("demo booking seats: %w", res.Error)
	}
	byID := make(map[uuid.UUID]Trip, len(trips))
	for _, t := range trips {
		byID[t.ID] = t.toDomain()
	}
	msgs := make([]notification.Message, len(rows))
	for i, r := range rows {
		b := r.toDomain()
		b.Trip = byID[r.TripID]
		msgs[i] = bookingConfirmed(b)
	}
	return s.notes.Notify(ctx, db, msgs...)
}

// redrawDemoCodes inserts, with fresh codes, the bookings of chunk whose
// code another booking already had.
func redrawDemoCodes(ctx context.Context, db *gorm.DB, chunk []bookingRow) error {
	var stored []uuid.UUID
	ids := make([]uuid.UUID, len(chunk))
	for i, r := range chunk {
		ids[i] = r.ID
	}
	if err := db.Model(&bookingRow{}).Where("id IN ?", ids).Pluck("id", &stored).Error; err != nil {
		return err
	}
	for i := range chunk {
		if slices.Contains(stored, chunk[i].ID) {
			continue
		}
		b := chunk[i].toDomain()
		if err := insertBooking(ctx, db, &b); err != nil {
			return err
		}
		chunk[i].Code = b.Code
	}
	return nil
}
