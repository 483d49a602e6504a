package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

func TestTransportDataSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbArgs, open := target(t)
	fx := filepath.Join(t.TempDir(), "fixtures.json")
	base := append([]string{"-per-kind", "20", "-fixtures", fx, "-categories", categoriesPath,
		"-transport-routes", "10", "-transport-stops", "40", "-transport-days", "3", "-transport-users", "5"}, dbArgs...)
	if err := run(ctx, base, noEnv, io.Discard); err != nil {
		t.Fatalf("load: %v", err)
	}
	db := open()
	set, err := fixture.Read(fx)
	if err != nil {
		t.Fatal(err)
	}
	tr := set.Transport
	if tr == nil || len(tr.RouteIDs) != 10 || len(tr.UserIDs) != 5 || tr.StaffID == "" {
		t.Fatalf("fixture transport = %+v", tr)
	}
	count := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.Raw(q, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Two routes per mode; per route and day: andong 30, steam train 2,
	// electric car 16, double-decker 3, city bus 102 departures.
	wantTrips := int64(2 * 3 * (30 + 2 + 16 + 3 + 102))
	if got := count("SELECT count(*) FROM transport_trips"); got != wantTrips || tr.Counts["transport_trips"] != wantTrips {
		t.Fatalf("trips: %d in the database, %d in the fixture, want %d", got, tr.Counts["transport_trips"], wantTrips)
	}
	if n := count("SELECT count(*) FROM transport_stops s WHERE NOT EXISTS (SELECT 1 FROM transport_route_stops rs WHERE rs.stop_id = s.id)"); n != 0 {
		t.Fatalf("%d stops on no route", n)
	}
	if n := count("SELECT count(*) FROM transport_stops WHERE lat NOT BETWEEN ? AND ? OR lng NOT BETWEEN ? AND ?",
		tr.Box.MinLat, tr.Box.MaxLat, tr.Box.MinLng, tr.Box.MaxLng); n != 0 {
		t.Fatalf("%d stops outside the box", n)
	}
	// The sample for sustained bookings: bookable, large, in the future.
	if len(tr.BookableTrips) != 2*3*(2+3) {
		t.Fatalf("%d bookable trips sampled", len(tr.BookableTrips))
	}
	ids := make([]string, len(tr.BookableTrips))
	for i, bt := range tr.BookableTrips {
		ids[i] = bt.ID
		if !bt.DepartsAt.After(time.Now()) || bt.Capacity < 40 {
			t.Fatalf("sampled trip %+v", bt)
		}
	}
	if n := count(`SELECT count(*) FROM transport_trips t JOIN transport_routes r ON r.id = t.route_id
		JOIN transport_modes m ON m.code = r.mode_code WHERE m.bookable AND t.id IN ?`, ids); n != int64(len(ids)) {
		t.Fatalf("%d of %d sampled trips are bookable trips", n, len(ids))
	}
	if n := count("SELECT count(*) FROM users WHERE role = 'staff' AND department = 'transport' AND CAST(id AS text) = ?", tr.StaffID); n != 1 {
		t.Fatal("no transport staff account")
	}
	first := tr.BookableTrips[0].ID

	// -keep-existing keeps a matching transport data set.
	if err := run(ctx, append(base, "-keep-existing"), noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM transport_trips WHERE CAST(id AS text) = ?", first); n != 1 {
		t.Fatal("-keep-existing replaced the transport data")
	}
	// Another season length replaces the transport data only, accounts included.
	longer := append(append([]string{}, base...), "-keep-existing", "-transport-days", "4")
	if err := run(ctx, longer, noEnv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := count("SELECT count(*) FROM transport_trips"); got != wantTrips/3*4 {
		t.Fatalf("after -transport-days 4: %d trips, want %d", got, wantTrips/3*4)
	}
	if n := count("SELECT count(*) FROM users WHERE email LIKE ?", "%"+benchEmailDomain); n != 6 {
		t.Fatalf("%d generated accounts, want 6", n)
	}
	if n := count("SELECT count(*) FROM listings"); n != 60 {
		t.Fatalf("listings: %d, want the 60 kept", n)
	}
}
