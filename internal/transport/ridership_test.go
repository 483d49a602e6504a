package transport_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/jobs"
	"github.com/solodestination/api/internal/platform/testdb"
	"github.com/solodestination/api/internal/transport"
)

// ridershipTrip is a trip departing in a day, given a minimum and a cutoff
// directly in the database, as trip generation from a schedule would.
// cutoff nil leaves confirm_by NULL.
func (w *world) ridershipTrip(t *testing.T, capacity, min int, cutoff *time.Time) string {
	t.Helper()
	id := w.trip(t, w.route, 24*time.Hour, capacity)
	var by any
	if cutoff != nil {
		by = cutoff.UTC()
	}
	if err := w.api.DB.Exec("UPDATE transport_trips SET min_passengers = ?, confirm_by = ? WHERE id = ?", min, by, id).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

type decidedTrip struct {
	Status    string `json:"status"`
	Confirmed bool   `json:"confirmed"`
}

func (w *world) decided(t *testing.T, id string) decidedTrip {
	t.Helper()
	var out decidedTrip
	w.api.Get("/api/v1/transport/trips/"+id, apitest.Anonymous).Expect(http.StatusOK).JSON(&out)
	return out
}

func (w *world) atClock(now time.Time) {
	w.api.App.Transport.SetClock(func() time.Time { return now })
}

func pass(t *testing.T, api *apitest.API) transport.RidershipOutcome {
	t.Helper()
	out, err := api.App.Transport.DecideRidership(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// At its cutoff a trip below its minimum is cancelled with its bookings and
// each owner is told once; one at or above it is confirmed; trips without a
// cutoff, or whose cutoff is still ahead, are left alone; a second pass
// changes nothing.
func TestRidershipConfirmsOrCancelsAtTheCutoff(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Trips are created and booked at t0; the pass runs at t0+2h, past the
	// first cutoff (t0+1h) and before the second (t0+3h).
	t0 := time.Now().UTC().Truncate(time.Second)
	w.atClock(t0)
	past, ahead, beforeCreation := t0.Add(time.Hour), t0.Add(3*time.Hour), t0.Add(-time.Minute)
	sari, budi, ani := w.api.User("sari"), w.api.User("budi"), w.api.User("ani")

	below := w.ridershipTrip(t, 20, 15, &past)
	var sariBooking booking
	w.book(below, 2, sari, "").Expect(http.StatusCreated).JSON(&sariBooking)
	w.book(below, 1, budi, "").Expect(http.StatusCreated)
	w.book(below, 1, budi, "").Expect(http.StatusCreated) // two bookings, one message
	var gone booking
	w.book(below, 1, ani, "").Expect(http.StatusCreated).JSON(&gone)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+gone.ID+"/cancel", nil, ani).Expect(http.StatusOK)

	exact := w.ridershipTrip(t, 20, 3, &past)
	w.book(exact, 3, sari, "").Expect(http.StatusCreated)
	noCutoff := w.ridershipTrip(t, 20, 15, nil)
	later := w.ridershipTrip(t, 20, 15, &ahead)
	w.book(later, 1, ani, "").Expect(http.StatusCreated)
	oneOff := w.trip(t, w.route, 24*time.Hour, 20)
	// Created after its cutoff had passed: runs as created.
	late := w.ridershipTrip(t, 20, 15, &beforeCreation)

	if d := w.decided(t, exact); d.Confirmed || d.Status != "scheduled" {
		t.Fatalf("before the pass: %+v", d)
	}
	w.atClock(t0.Add(2 * time.Hour))
	if err := jobs.RunNow(context.Background(), w.api.App.Jobs, transport.RidershipCheck{}); err != nil {
		t.Fatal(err)
	}

	if d := w.decided(t, below); d.Status != "cancelled" || d.Confirmed {
		t.Fatalf("below the minimum: %+v", d)
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM transport_trips WHERE id = ? AND cancel_reason = 'min_passengers'", below); n != 1 {
		t.Fatal("cancel_reason is not min_passengers")
	}
	var b booking
	w.api.Get("/api/v1/me/bookings/"+sariBooking.ID, sari).Expect(http.StatusOK).JSON(&b)
	if b.Status != "cancelled" {
		t.Fatalf("booking on the cancelled trip is %q", b.Status)
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM transport_bookings WHERE trip_id = ? AND status = 'confirmed'", below); n != 0 {
		t.Fatalf("%d bookings still confirmed", n)
	}
	if d := w.decided(t, exact); !d.Confirmed || d.Status != "scheduled" {
		t.Fatalf("at the minimum: %+v", d)
	}
	for _, id := range []string{noCutoff, later, oneOff, late} {
		if d := w.decided(t, id); d.Confirmed || d.Status != "scheduled" {
			t.Fatalf("trip %s was decided: %+v", id, d)
		}
	}
	notified := func() {
		t.Helper()
		for _, c := range []struct {
			who  apitest.Actor
			want int
		}{{sari, 1}, {budi, 1}, {ani, 0}} {
			if n := w.notifications(t, c.who, "trip_cancelled"); n != c.want {
				t.Errorf("%s got %d trip_cancelled notifications, want %d", c.who.Email, n, c.want)
			}
		}
	}
	notified()
	var msg struct {
		Data []struct {
			Body string `json:"body"`
		} `json:"data"`
	}
	w.api.Get("/api/v1/me/notifications?lang=en", budi).Expect(http.StatusOK).JSON(&msg)
	if len(msg.Data) == 0 || !strings.Contains(msg.Data[0].Body, "fewer than the 15 passengers") {
		t.Fatalf("budi's latest message: %+v", msg.Data)
	}
	w.api.Get("/api/v1/me/notifications?lang=id", budi).Expect(http.StatusOK).JSON(&msg)
	if len(msg.Data) == 0 || !strings.Contains(msg.Data[0].Body, "kurang dari 15 orang") {
		t.Fatalf("budi's latest message in Indonesian: %+v", msg.Data)
	}
	// The job acted, not a person: its audit entries have no actor.
	if n := count(t, w.api, `SELECT COUNT(*) FROM audit_log WHERE actor_id IS NULL AND actor_email = ''
		AND ((action = 'transport_trip.cancel' AND entity_id = ?) OR (action = 'transport_trip.confirm' AND entity_id = ?))`,
		below, exact); n != 2 {
		t.Fatalf("%d audit entries without actor, want 2", n)
	}

	// Run again, and a staff cancel of the same trip: nothing more.
	if out := pass(t, w.api); out != (transport.RidershipOutcome{}) {
		t.Fatalf("second pass decided %+v", out)
	}
	w.api.Send(http.MethodPatch, "/api/v1/transport/trips/"+below, map[string]any{"status": "cancelled"}, w.staff).
		Expect(http.StatusOK)
	notified()
	if n := count(t, w.api, `SELECT COUNT(*) FROM audit_log WHERE entity_id IN (?, ?)
		AND action IN ('transport_trip.cancel', 'transport_trip.confirm')`, below, exact); n != 2 {
		t.Fatalf("%d decisions audited for the two trips, want 2", n)
	}

	// Once its cutoff passes, the later trip is decided too.
	w.atClock(ahead.Add(time.Minute))
	if out := pass(t, w.api); out != (transport.RidershipOutcome{Cancelled: 1}) {
		t.Fatalf("pass after the second cutoff decided %+v", out)
	}
	for _, id := range []string{noCutoff, late} {
		if d := w.decided(t, id); d.Status != "scheduled" || d.Confirmed {
			t.Fatalf("trip %s was decided: %+v", id, d)
		}
	}
	if n := w.notifications(t, ani, "trip_cancelled"); n != 1 {
		t.Fatalf("ani got %d notifications for the later trip, want 1", n)
	}
}

// Passes running at once on two replicas of the service (two connection
// pools, two clocks set alike) decide each trip once and notify each owner
// once.
func TestRidershipPassOnTwoReplicasDecidesOnce(t *testing.T) {
	t.Parallel()
	trips := 6
	if testdb.IsPostgres() {
		trips = 24
	}
	w := newWorld(t)
	other := w.api.Replica()
	t0 := time.Now().UTC().Truncate(time.Second)
	past := t0.Add(time.Hour)
	w.atClock(t0)
	users := []apitest.Actor{w.api.User("sari"), w.api.User("budi"), w.api.User("ani")}

	var below, above []string
	for i := range trips {
		tr := w.ridershipTrip(t, 30, 4, &past)
		seats := 1 // three bookings of one seat: below four
		if i%2 == 1 {
			seats = 2 // six seats: above
			above = append(above, tr)
		} else {
			below = append(below, tr)
		}
		for _, u := range users {
			w.book(tr, seats, u, "").Expect(http.StatusCreated)
		}
	}

	w.atClock(t0.Add(2 * time.Hour))
	other.App.Transport.SetClock(func() time.Time { return t0.Add(2 * time.Hour) })
	replicas := []*apitest.API{w.api, other, w.api, other}
	outs := make([]transport.RidershipOutcome, len(replicas))
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = r.App.Transport.DecideRidership(context.Background())
		}()
	}
	wg.Wait()
	var sum transport.RidershipOutcome
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("pass %d: %v", i, errs[i])
		}
		sum.Confirmed += outs[i].Confirmed
		sum.Cancelled += outs[i].Cancelled
	}
	if sum.Confirmed != len(above) || sum.Cancelled != len(below) {
		t.Fatalf("passes decided %+v, want %d confirmed and %d cancelled", sum, len(above), len(below))
	}
	for _, u := range users {
		if n := w.notifications(t, u, "trip_cancelled"); n != len(below) {
			t.Errorf("%s got %d trip_cancelled notifications, want %d", u.Email, n, len(below))
		}
	}
	for _, id := range below {
		if d := w.decided(t, id); d.Status != "cancelled" {
			t.Fatalf("trip %s below the minimum: %+v", id, d)
		}
	}
	for _, id := range above {
		if d := w.decided(t, id); !d.Confirmed {
			t.Fatalf("trip %s above the minimum: %+v", id, d)
		}
	}
	if n := count(t, w.api, `SELECT COUNT(*) FROM audit_log WHERE action IN ('transport_trip.cancel', 'transport_trip.confirm')`); n != int64(trips) {
		t.Fatalf("%d decisions audited for %d trips", n, trips)
	}
}

// The running service works the ridership check on its own, every
// RIDERSHIP_CHECK_INTERVAL, through the job queue.
func TestRidershipJobRunsInTheApp(t *testing.T) {
	t.Parallel()
	api := apitest.New(t, func(c *config.Config) { c.RidershipCheckInterval = 200 * time.Millisecond })
	w := newWorldOn(t, api)
	cutoff := time.Now().UTC().Add(300 * time.Millisecond)
	tr := w.ridershipTrip(t, 20, 5, &cutoff)
	sari := api.User("sari")
	w.book(tr, 1, sari, "").Expect(http.StatusCreated)

	ctx := context.Background()
	if err := api.App.StartJobs(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := api.App.StopJobs(stop); err != nil {
			t.Error(err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for w.decided(t, tr).Status != "cancelled" {
		if time.Now().After(deadline) {
			t.Fatal("the job did not cancel the trip")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A later trip whose cutoff passes while the service runs is decided by
	// a later run.
	soon := time.Now().UTC().Add(2 * time.Second)
	tr2 := w.ridershipTrip(t, 20, 1, &soon)
	w.book(tr2, 1, sari, "").Expect(http.StatusCreated)
	for !w.decided(t, tr2).Confirmed {
		if time.Now().After(deadline) {
			t.Fatal("the job did not confirm the second trip")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := w.notifications(t, sari, "trip_cancelled"); n != 1 {
		t.Fatalf("%d notifications, want 1", n)
	}
}
