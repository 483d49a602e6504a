package transport_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/transport"
)

var wibZone = time.FixedZone("WIB", 7*3600)

// departure is 10:00 WIB on a fixed day far from the test's own clock; the
// service clock is set to the morning of that day, so nothing depends on
// when the test runs.
var departure = time.Date(2031, 3, 14, 10, 0, 0, 0, wibZone)

// tripOn creates a trip of route departing at dep.
func (w *world) tripOn(t *testing.T, dep time.Time, capacity int) string {
	t.Helper()
	var out struct{ ID string }
	w.api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{
		"route_id": w.route, "departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(time.Hour).Format(time.RFC3339),
		"capacity": capacity, "fare_idr": 50000,
	}, w.staff).Expect(http.StatusCreated).JSON(&out)
	return out.ID
}

func (w *world) setClock(at time.Time) {
	w.api.App.Transport.SetClock(func() time.Time { return at })
}

type ticketed struct {
	ID        string     `json:"id"`
	Code      string     `json:"code"`
	Status    string     `json:"status"`
	Seats     int        `json:"seats"`
	TripID    string     `json:"trip_id"`
	Ticket    *string    `json:"ticket"`
	BoardedAt *time.Time `json:"boarded_at"`
}

func publicKey(t *testing.T, api *apitest.API) (ed25519.PublicKey, string) {
	t.Helper()
	var k struct {
		Alg       string `json:"alg"`
		KeyID     string `json:"kid"`
		PublicKey string `json:"public_key"`
	}
	api.Get("/api/v1/transport/tickets/public-key", apitest.Anonymous).Expect(http.StatusOK).JSON(&k)
	raw, err := base64.RawURLEncoding.DecodeString(k.PublicKey)
	if err != nil || len(raw) != ed25519.PublicKeySize || k.Alg != "EdDSA" || k.KeyID == "" {
		t.Fatalf("public key %+v: %v", k, err)
	}
	return raw, k.KeyID
}

// A booking carries a ticket that verifies offline with the published key
// and holds no more than a conductor needs; any change breaks it.
func TestTicketVerifiesWithPublishedKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setClock(departure.Add(-2 * time.Hour))
	tr := w.tripOn(t, departure, 10)
	sari := w.api.User("sari")
	var b ticketed
	w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings",
		map[string]any{"seats": 2, "passenger_name": "sari wulan dari utomo"}, sari).Expect(http.StatusCreated).JSON(&b)
	if b.Ticket == nil {
		t.Fatal("no ticket on a new booking")
	}
	pub, kid := publicKey(t, w.api)
	c, err := transport.VerifyTicket(pub, *b.Ticket)
	if err != nil {
		t.Fatalf("ticket %q does not verify: %v", *b.Ticket, err)
	}
	if c.Code != b.Code || c.TripID.String() != tr || c.Seats != 2 || c.KeyID != kid || c.Initials != "SWD" ||
		!c.Departs().Equal(departure) {
		t.Fatalf("claims %+v, booking %+v", c, b)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(*b.Ticket, ".")[1])
	var fields map[string]any
	json.Unmarshal(payload, &fields)
	if len(fields) != 6 || strings.Contains(strings.ToLower(string(payload)), "sari") {
		t.Fatalf("the payload says too much: %s", payload)
	}

	// The same ticket on every read of the booking.
	var again ticketed
	w.api.Get("/api/v1/me/bookings/"+b.ID, sari).Expect(http.StatusOK).JSON(&again)
	if again.Ticket == nil || *again.Ticket != *b.Ticket {
		t.Fatalf("GET /me/bookings/{id} ticket %v, want %v", again.Ticket, *b.Ticket)
	}
	var mine struct{ Data []ticketed }
	w.api.Get("/api/v1/me/bookings", sari).Expect(http.StatusOK).JSON(&mine)
	if len(mine.Data) != 1 || mine.Data[0].Ticket == nil || *mine.Data[0].Ticket != *b.Ticket {
		t.Fatalf("GET /me/bookings %+v", mine.Data)
	}

	// Tampering: another seat count in the payload, a flipped signature
	// byte, another key.
	parts := strings.Split(*b.Ticket, ".")
	forged := strings.Replace(string(payload), `"seats":2`, `"seats":9`, 1)
	tampered := []string{
		parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2],
		parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"SD2." + parts[1] + "." + parts[2],
		*b.Ticket + ".x",
	}
	for _, tk := range tampered {
		if _, err := transport.VerifyTicket(pub, tk); err == nil {
			t.Errorf("tampered ticket %q verified", tk)
		}
	}
	other, _ := transport.NewTicketSigner(make([]byte, 32))
	if _, err := transport.VerifyTicket(other.PublicKey(), *b.Ticket); err == nil {
		t.Error("a ticket verified with another key")
	}
	staff := w.staff
	w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{"ticket": tampered[0]}, staff).
		ExpectProblem(http.StatusUnprocessableEntity, "invalid_ticket")

	// The ticket checks the booking in.
	var in ticketed
	w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{"ticket": *b.Ticket}, staff).
		Expect(http.StatusOK).JSON(&in)
	if in.ID != b.ID || in.BoardedAt == nil {
		t.Fatalf("checked in %+v", in)
	}

	// A cancelled booking has no ticket.
	var b2 ticketed
	w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings",
		map[string]any{"seats": 1, "passenger_name": "Budi"}, sari).Expect(http.StatusCreated).JSON(&b2)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b2.ID+"/cancel", nil, sari).Expect(http.StatusOK).JSON(&b2)
	if b2.Ticket != nil {
		t.Fatalf("cancelled booking has ticket %q", *b2.Ticket)
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[3] == 'A' {
		b[3] = 'B'
	} else {
		b[3] = 'A'
	}
	return string(b)
}

// Check-in marks a booking boarded once; a second time is 409 with the
// first time; cancelled, another day, unknown and malformed codes are refused.
func TestCheckIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	morning := departure.Add(-2 * time.Hour)
	w.setClock(morning)
	tr := w.tripOn(t, departure, 10)
	tomorrow := w.tripOn(t, departure.AddDate(0, 0, 1), 10)
	sari := w.api.User("sari")
	book := func(trip string) ticketed {
		var b ticketed
		w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+trip+"/bookings",
			map[string]any{"seats": 1, "passenger_name": "Sari"}, sari).Expect(http.StatusCreated).JSON(&b)
		return b
	}
	checkIn := func(code string) *apitest.Response {
		return w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{"code": code}, w.staff)
	}
	b := book(tr)
	var in ticketed
	checkIn("  " + strings.ToLower(b.Code) + " ").Expect(http.StatusOK).JSON(&in)
	if in.BoardedAt == nil || !in.BoardedAt.Equal(morning) || in.Status != "confirmed" {
		t.Fatalf("checked in: %+v", in)
	}
	w.setClock(morning.Add(5 * time.Minute))
	p := checkIn(b.Code).ExpectProblem(http.StatusConflict, "already_checked_in")
	if at, ok := p.Extensions["boarded_at"].(string); !ok || !strings.HasPrefix(at, "2031-03-14T08:00:00+07:00") {
		t.Fatalf("already_checked_in without the first time: %+v", p)
	}
	var mine ticketed
	w.api.Get("/api/v1/me/bookings/"+b.ID, sari).Expect(http.StatusOK).JSON(&mine)
	if mine.BoardedAt == nil || !mine.BoardedAt.Equal(morning) {
		t.Fatalf("owner sees boarded_at %v", mine.BoardedAt)
	}
	// On board, the seats are in use: the owner can no longer cancel.
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+b.ID+"/cancel", nil, sari).
		ExpectProblem(http.StatusConflict, "already_checked_in")
	if got := w.seats(t, tr); got.SeatsAvailable != 9 {
		t.Fatalf("seats after a refused cancel: %d, want 9", got.SeatsAvailable)
	}

	cancelled := book(tr)
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+cancelled.ID+"/cancel", nil, sari).Expect(http.StatusOK)
	checkIn(cancelled.Code).ExpectProblem(http.StatusConflict, "booking_cancelled")

	later := book(tomorrow)
	checkIn(later.Code).ExpectProblem(http.StatusConflict, "wrong_trip_date")
	// The next morning it boards.
	w.setClock(morning.AddDate(0, 0, 1))
	checkIn(later.Code).Expect(http.StatusOK)

	checkIn("ZZZZZZZZ").ExpectProblem(http.StatusNotFound, "not_found")
	for _, bad := range []string{"K7F3Q2M0", "K7F3Q2MO", "K7F3Q2M1", "K7F3Q2MI", "K7F3Q2M", "K7F3Q2MXX", "K7F3-2MX"} {
		checkIn(bad).ExpectProblem(http.StatusBadRequest, "bad_request")
	}
	w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{}, w.staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{"code": b.Code, "ticket": *b.Ticket}, w.staff).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")

	if n := count(t, w.api, "SELECT COUNT(*) FROM audit_log WHERE action = 'transport_booking.check_in'"); n != 2 {
		t.Fatalf("%d check-in audit entries, want 2 (one per boarding)", n)
	}
}

// Ten conductors scanning the same code at once: exactly one boards it.
func TestConcurrentCheckIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setClock(departure.Add(-time.Hour))
	tr := w.tripOn(t, departure, 10)
	var b ticketed
	w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings",
		map[string]any{"seats": 1, "passenger_name": "Sari"}, w.api.User("sari")).Expect(http.StatusCreated).JSON(&b)
	var wg sync.WaitGroup
	statuses := make(chan int, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/transport/bookings/check-in",
				Body: map[string]any{"code": b.Code}, As: w.staff})
			statuses <- r.Code
		}()
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusOK] != 1 || got[http.StatusConflict] != 9 {
		t.Fatalf("answers %v, want one 200 and nine 409", got)
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM audit_log WHERE action = 'transport_booking.check_in'"); n != 1 {
		t.Fatalf("%d check-in audit entries, want 1", n)
	}
}

// The staff overview lists bookings with passenger names, by trip and
// status, page by page; only transport staff (and admins) read it.
func TestStaffBookingsOverview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setClock(departure.Add(-time.Hour))
	tr := w.tripOn(t, departure, 20)
	other := w.tripOn(t, departure.Add(time.Hour), 20)
	sari, budi := w.api.User("sari"), w.api.User("budi")
	var ids []string
	for i, as := range []apitest.Actor{sari, budi, sari, budi, sari} {
		trip := tr
		if i == 4 {
			trip = other
		}
		var b ticketed
		w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+trip+"/bookings",
			map[string]any{"seats": 1, "passenger_name": "Penumpang " + string(rune('A'+i))}, as).Expect(http.StatusCreated).JSON(&b)
		ids = append(ids, b.ID)
	}
	w.api.Send(http.MethodPost, "/api/v1/me/bookings/"+ids[1]+"/cancel", nil, budi).Expect(http.StatusOK)

	type row struct {
		ID            string `json:"id"`
		Status        string `json:"status"`
		PassengerName string `json:"passenger_name"`
		TripID        string `json:"trip_id"`
	}
	all := rowsOf[row](t, w.api.All(apitest.PageLimit("/api/v1/transport/bookings", 2), w.staff))
	if len(all) != 5 || all[0].ID != ids[4] || all[4].ID != ids[0] || all[0].PassengerName != "Penumpang E" {
		t.Fatalf("overview %+v", all)
	}
	byTrip := rowsOf[row](t, w.api.All(apitest.PageLimit("/api/v1/transport/bookings?trip_id="+tr, 2), w.staff))
	if len(byTrip) != 4 {
		t.Fatalf("trip's bookings %+v", byTrip)
	}
	confirmed := rowsOf[row](t, w.api.All(apitest.PageLimit("/api/v1/transport/bookings?status=confirmed&trip_id="+tr, 2), w.staff))
	cancelled := rowsOf[row](t, w.api.All(apitest.PageLimit("/api/v1/transport/bookings?status=cancelled", 2), w.staff))
	if len(confirmed) != 3 || len(cancelled) != 1 || cancelled[0].ID != ids[1] {
		t.Fatalf("confirmed %+v, cancelled %+v", confirmed, cancelled)
	}
	// A cursor of one filter is refused by another.
	var page struct {
		Meta struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	w.api.Get("/api/v1/transport/bookings?limit=1", w.staff).Expect(http.StatusOK).JSON(&page)
	w.api.Get("/api/v1/transport/bookings?limit=1&status=confirmed&cursor="+page.Meta.NextCursor, w.staff).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/bookings?status=boarded", As: w.staff, Invalid: true}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/transport/bookings?trip_id=nope", As: w.staff}).
		ExpectProblem(http.StatusBadRequest, "bad_request")
	w.api.Get("/api/v1/transport/bookings", w.api.Admin()).Expect(http.StatusOK)

	// The trip's counts: four bookings of one seat, one cancelled, one boarded.
	w.api.Send(http.MethodPost, "/api/v1/transport/bookings/check-in", map[string]any{"code": codeOf(t, w, ids[0])}, w.staff).
		Expect(http.StatusOK)
	var m struct {
		Trip              trip `json:"trip"`
		ConfirmedBookings int  `json:"confirmed_bookings"`
		SeatsBooked       int  `json:"seats_booked"`
		BoardedBookings   int  `json:"boarded_bookings"`
		SeatsBoarded      int  `json:"seats_boarded"`
		CancelledBookings int  `json:"cancelled_bookings"`
	}
	w.api.Get("/api/v1/transport/trips/"+tr+"/manifest", w.staff).Expect(http.StatusOK).JSON(&m)
	if m.Trip.ID != tr || m.ConfirmedBookings != 3 || m.SeatsBooked != 3 || m.BoardedBookings != 1 || m.SeatsBoarded != 1 ||
		m.CancelledBookings != 1 || m.Trip.SeatsAvailable != 17 {
		t.Fatalf("manifest %+v", m)
	}
	w.api.Get("/api/v1/transport/trips/0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60/manifest", w.staff).
		ExpectProblem(http.StatusNotFound, "not_found")
	w.api.DB.Queries.Reset()
	w.api.Get("/api/v1/transport/bookings?limit=100", w.staff).Expect(http.StatusOK)
	if n := w.api.DB.Queries.Count(); n > 6 {
		t.Fatalf("%d queries for one page of bookings", n)
	}
}

// Every new route, allowed and denied: the key for anyone; the overview
// and check-in for transport staff only.
func TestTicketRoutesAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.setClock(departure.Add(-time.Hour))
	tr := w.tripOn(t, departure, 10)
	user := w.api.User("sari")
	var b ticketed
	w.api.Send(http.MethodPost, "/api/v1/transport/trips/"+tr+"/bookings",
		map[string]any{"seats": 1, "passenger_name": "Sari"}, user).Expect(http.StatusCreated).JSON(&b)
	for _, as := range []apitest.Actor{apitest.Anonymous, user, w.staff} {
		w.api.Get("/api/v1/transport/tickets/public-key", as).Expect(http.StatusOK)
	}
	tourism := w.api.Staff(identity.DeptTourism)
	staffOnly := []apitest.Req{
		{Method: http.MethodGet, Path: "/api/v1/transport/bookings"},
		{Method: http.MethodGet, Path: "/api/v1/transport/trips/" + tr + "/manifest"},
		{Method: http.MethodPost, Path: "/api/v1/transport/bookings/check-in", Body: map[string]any{"code": b.Code}},
	}
	for _, r := range staffOnly {
		for _, denied := range []struct {
			as     apitest.Actor
			status int
			code   string
		}{{apitest.Anonymous, 401, "unauthorized"}, {user, 403, "forbidden"}, {tourism, 403, "forbidden"}} {
			d := r
			d.As = denied.as
			w.api.Do(d).ExpectProblem(denied.status, denied.code)
		}
		r.As = w.staff
		w.api.Do(r).Expect(http.StatusOK)
	}
	if n := count(t, w.api, "SELECT COUNT(*) FROM transport_bookings WHERE boarded_at IS NOT NULL"); n != 1 {
		t.Fatalf("denied check-ins boarded the booking: %d boarded", n)
	}
}

func rowsOf[T any](t *testing.T, raw []json.RawMessage) []T {
	t.Helper()
	out := make([]T, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func codeOf(t *testing.T, w *world, bookingID string) string {
	t.Helper()
	var code string
	if err := w.api.DB.Raw("SELECT code FROM transport_bookings WHERE id = ?", bookingID).Scan(&code).Error; err != nil {
		t.Fatal(err)
	}
	return code
}
