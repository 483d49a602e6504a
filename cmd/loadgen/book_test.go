package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

// The booking workloads sign their riders' tokens themselves; the API must
// take them as its own, or every booking would be a 401.
func TestMintedTokensAreAcceptedByTheAPI(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	rider := api.User("rider")
	staff := api.Staff(identity.DeptTransport)
	for _, tc := range []struct {
		who              apitest.Actor
		role, department string
	}{{rider, "user", ""}, {staff, "staff", "transport"}} {
		tok, err := MintToken(apitest.Secret, tc.who.ID.String(), tc.role, tc.department, time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		me := api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", Header: map[string]string{"Authorization": "Bearer " + tok}}).
			Expect(http.StatusOK).Map()
		if me["id"] != tc.who.ID.String() || me["role"] != tc.role {
			t.Fatalf("/me with a minted token = %v, want %s as %s", me, tc.who.ID, tc.role)
		}
	}
	bad, _ := MintToken([]byte("another-secret-another-secret-0123456"), rider.ID.String(), "user", "", time.Now(), time.Hour)
	api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", Header: map[string]string{"Authorization": "Bearer " + bad}}).
		Expect(http.StatusUnauthorized)
}

func TestBurstVerdict(t *testing.T) {
	t.Parallel()
	good := BurstResult{Attempts: 1000, Seats: 50, SettleMS: 900, Status: map[string]int64{"201": 50, "409": 950},
		DBConfirmed: 50, DBSeats: 50}
	if ok, why := good.Met(); !ok {
		t.Fatalf("a clean burst is not met: %v", why)
	}
	for name, b := range map[string]BurstResult{
		"slow":       {Attempts: 1000, Seats: 50, SettleMS: 2500, Status: map[string]int64{"201": 50, "409": 950}, DBConfirmed: 50, DBSeats: 50},
		"oversold":   {Attempts: 1000, Seats: 50, SettleMS: 900, Status: map[string]int64{"201": 51, "409": 949}, DBConfirmed: 51, DBSeats: 51},
		"db differs": {Attempts: 1000, Seats: 50, SettleMS: 900, Status: map[string]int64{"201": 50, "409": 950}, DBConfirmed: 49, DBSeats: 49, DBSeatsAvailable: 1},
		"errors":     {Attempts: 1000, Seats: 50, SettleMS: 900, Status: map[string]int64{"201": 50, "409": 900, "500": 50}, DBConfirmed: 50, DBSeats: 50},
	} {
		if ok, _ := b.Met(); ok {
			t.Errorf("%s: met, want not met", name)
		}
	}
}

// runBurst releases every attempt at once and counts the answers.
func TestRunBurstCountsAnswers(t *testing.T) {
	t.Parallel()
	seats := make(chan struct{}, 3)
	for range 3 {
		seats <- struct{}{}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Idempotency-Key") == "" || r.Header.Get("Authorization") == "" {
			t.Errorf("attempt without key or token: %v", r.Header)
		}
		select {
		case <-seats:
			w.WriteHeader(http.StatusCreated)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusConflict)
			w.Write([]byte(`{"code":"insufficient_seats"}`))
		}
	}))
	defer srv.Close()
	tokens := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	res := runBurst(t.Context(), NewClient(len(tokens), 5*time.Second), srv.URL, "trip", tokens, 3)
	if res.Status["201"] != 3 || res.Status["409"] != 7 || res.Codes["insufficient_seats"] != 7 {
		t.Fatalf("burst counted %v %v", res.Status, res.Codes)
	}
}
