package transport

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Demo content: the five modes of Solo's tourist transport, the Jaladara
// line and the Werkudara loop with their stops, and a few one-off trips on
// the coming weekend. Fares are the operators' published ones; coordinates
// of stops between the two stations are approximate.

var demoModes = []modeRequest{
	{Code: "andong", Name: &Text{"Andong", "Andong (horse carriage)"},
		Description: &Text{"Kereta kuda beroda empat yang menunggu di halaman museum Keraton Kasunanan. Sekali putaran melewati Baluwarti dan Alun-alun Kidul; naik kapan saja, paling banyak lima penumpang.",
			"A four-wheeled horse carriage waiting in the yard of the Keraton Kasunanan museum. One loop passes Baluwarti and the southern square; ride whenever one is free, five passengers at most."},
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
	{"loji", Text{"Loji Gandrung", "Loji Gandrung"}, -7.5667, 110.8128},
	{"sriwedari", Text{"Sriwedari – Museum Radya Pustaka", "Sriwedari – Radya Pustaka Museum"}, -7.5683, 110.8158},
	{"danarhadi", Text{"Museum Batik Danar Hadi", "Danar Hadi Batik Museum"}, -7.5688, 110.8178},
	{"ngarsopuro", Text{"Ngarsopuro", "Ngarsopuro"}, -7.5680, 110.8215},
	{"gladag", Text{"Gladag – Galabo", "Gladag – Galabo"}, -7.5730, 110.8280},
	{"solokota", Text{"Stasiun Solo Kota (Sangkrah)", "Solo Kota station (Sangkrah)"}, -7.5822, 110.8352},
	{"manahan", Text{"Dishub Manahan", "Dishub office, Manahan"}, -7.5530, 110.8045},
	{"balaikota", Text{"Balai Kota", "City Hall"}, -7.5695, 110.8297},
	{"pasargede", Text{"Pasar Gede", "Pasar Gede market"}, -7.5686, 110.8318},
	{"jurug", Text{"Taman Satwa Taru Jurug", "Jurug zoo"}, -7.5627, 110.8585},
}

type demoRoute struct {
	mode  string
	name  Text
	desc  Text
	stops []string
}

var demoRoutes = []demoRoute{
	{"steam_train", Text{"Jaladara Purwosari – Solo Kota", "Jaladara Purwosari – Solo Kota"},
		Text{"Sekitar 6 km di rel tengah Jalan Slamet Riyadi, kira-kira 20 km/jam; pulang-pergi sekitar tiga jam.",
			"About 6 km on the street track of Jalan Slamet Riyadi at some 20 km/h; the round trip takes about three hours."},
		[]string{"purwosari", "sgm", "loji", "sriwedari", "danarhadi", "ngarsopuro", "gladag", "solokota"}},
	{"double_decker_bus", Text{"Werkudara keliling kota", "Werkudara city loop"},
		Text{"Dari Manahan lewat Slamet Riyadi, Gladag dan Pasar Gede ke Jurug, lalu kembali lewat Purwosari.",
			"From Manahan along Slamet Riyadi, past Gladag and Pasar Gede to Jurug, and back by way of Purwosari."},
		[]string{"manahan", "sriwedari", "gladag", "balaikota", "pasargede", "jurug", "gladag", "purwosari", "manahan"}},
}

func ptr[T any](v T) *T { return &v }

// SeedDemo loads the demo network inside tx; every mode passes the same
// checks as a staff request.
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB) error {
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
	for _, st := range demoStops {
		id := uuid.Must(uuid.NewV7())
		stops[st.key] = id
		row := stopRow{ID: id, NameID: st.name.ID, NameEn: st.name.EN, Lat: st.lat, Lng: st.lng, CreatedAt: now, UpdatedAt: now}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("demo stop %s: %w", st.key, err)
		}
	}
	routes := map[string]uuid.UUID{}
	for _, r := range demoRoutes {
		id := uuid.Must(uuid.NewV7())
		routes[r.mode] = id
		row := routeRow{ID: id, ModeCode: r.mode, NameID: r.name.ID, NameEn: r.name.EN, DescriptionID: r.desc.ID,
			DescriptionEn: r.desc.EN, CreatedAt: now, UpdatedAt: now}
		if err := db.Create(&row).Error; err != nil {
			return fmt.Errorf("demo route %s: %w", r.name.EN, err)
		}
		ids := make([]uuid.UUID, len(r.stops))
		for i, k := range r.stops {
			ids[i] = stops[k]
		}
		if err := setRouteStops(db, id, ids); err != nil {
			return fmt.Errorf("demo route %s stops: %w", r.name.EN, err)
		}
	}
	// One-off trips on the first weekend after tomorrow (WIB): Werkudara's
	// three departures each day, and Jaladara on Sunday morning.
	for _, t := range demoTrips(now, routes) {
		if err := db.Omit("mode_code", "bookable").Create(&t).Error; err != nil {
			return fmt.Errorf("demo trip: %w", err)
		}
	}
	return nil
}

func demoTrips(now time.Time, routes map[string]uuid.UUID) []tripRow {
	var out []tripRow
	add := func(route uuid.UUID, day time.Time, hour, minute int, length time.Duration, capacity int, fare int64) {
		dep := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, wib)
		out = append(out, tripRow{ID: uuid.Must(uuid.NewV7()), RouteID: route, DepartsAt: dep.UTC(), ArrivesAt: dep.Add(length).UTC(),
			Capacity: capacity, SeatsAvailable: capacity, FareIDR: fare, Status: string(TripScheduled), CreatedAt: now, UpdatedAt: now})
	}
	day := now.In(wib).AddDate(0, 0, 2)
	for day.Weekday() != time.Saturday {
		day = day.AddDate(0, 0, 1)
	}
	for _, d := range []time.Time{day, day.AddDate(0, 0, 1)} {
		for _, h := range []int{9, 12, 15} {
			add(routes["double_decker_bus"], d, h, 0, 2*time.Hour, 43, 20000)
		}
	}
	add(routes["steam_train"], day.AddDate(0, 0, 1), 9, 30, 3*time.Hour, 72, 50000)
	return out
}
