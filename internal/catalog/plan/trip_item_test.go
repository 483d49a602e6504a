package plan_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
)

// rideTrip makes a steam-train trip through the transport staff API and
// returns its id and departure.
func rideTrip(t *testing.T, api *apitest.API) (string, time.Time) {
	t.Helper()
	staff := api.Staff(identity.DeptTransport)
	api.Send(http.MethodPost, "/api/v1/transport/modes", map[string]any{
		"code": "steam_train", "name": map[string]string{"id": "Kereta uap", "en": "Steam train"}, "bookable": true,
	}, staff).Expect(http.StatusCreated)
	var stops []string
	for _, s := range []struct {
		name     string
		lat, lng float64
	}{{"Purwosari", -7.5613, 110.7958}, {"Solo Kota", -7.5822, 110.8352}} {
		var out struct{ ID string }
		api.Send(http.MethodPost, "/api/v1/transport/stops", map[string]any{
			"name": map[string]string{"id": s.name}, "location": map[string]float64{"lat": s.lat, "lng": s.lng},
		}, staff).Expect(http.StatusCreated).JSON(&out)
		stops = append(stops, out.ID)
	}
	var route struct{ ID string }
	api.Send(http.MethodPost, "/api/v1/transport/routes", map[string]any{"mode": "steam_train",
		"name": map[string]string{"id": "Jalur Jaladara", "en": "Jaladara line"}, "stop_ids": stops}, staff).
		Expect(http.StatusCreated).JSON(&route)
	dep := time.Date(2031, 3, 15, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	var trip struct{ ID string }
	api.Send(http.MethodPost, "/api/v1/transport/trips", map[string]any{"route_id": route.ID,
		"departs_at": dep.Format(time.RFC3339), "arrives_at": dep.Add(3 * time.Hour).Format(time.RFC3339),
		"capacity": 72, "fare_idr": 150000}, staff).Expect(http.StatusCreated).JSON(&trip)
	return trip.ID, dep
}

type tripItemBody struct {
	ID    string `json:"id"`
	Items []struct {
		Kind      string `json:"kind"`
		ID        string `json:"id"`
		Name      string `json:"name"`
		Available bool   `json:"available"`
		Trip      *struct {
			DepartsAt time.Time `json:"departs_at"`
			Mode      string    `json:"mode"`
			Status    string    `json:"status"`
		} `json:"trip"`
	} `json:"items"`
}

// An itinerary holds the ride between two places: a trip item shows the
// trip's departure, route and status, and stops being available once the
// trip is cancelled.
func TestItineraryTripItems(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	tripID, dep := rideTrip(t, api)
	keraton := api.Listing(kind.Attraction, "published")
	soto := api.Listing(kind.Culinary, "published")
	sari := api.User("sari")

	var it tripItemBody
	api.Send(http.MethodPost, itineraries+"?lang=en", map[string]any{"name": "Naik kereta uap",
		"items": []any{item(keraton, "", 1, ""), map[string]any{"kind": "trips", "id": tripID, "day": 1, "note": "kursi jendela"},
			item(soto, "", 1, "")},
	}, sari).Expect(http.StatusCreated).JSON(&it)
	ride := it.Items[1]
	if len(it.Items) != 3 || ride.Kind != "trips" || ride.ID != tripID || ride.Name != "Jaladara line" || !ride.Available ||
		ride.Trip == nil || !ride.Trip.DepartsAt.Equal(dep) || ride.Trip.Mode != "steam_train" || ride.Trip.Status != "scheduled" {
		t.Fatalf("trip item %+v", it.Items)
	}
	if it.Items[0].Trip != nil || it.Items[0].Kind != "attractions" || !it.Items[0].Available {
		t.Fatalf("listing item %+v", it.Items[0])
	}

	// Unknown trips and ids that are not UUIDs are refused under their path.
	for _, bad := range []string{"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60", keraton.Slug} {
		p := api.Send(http.MethodPost, itineraries, map[string]any{"name": "x",
			"items": []any{item(keraton, "", 1, ""), map[string]any{"kind": "trips", "id": bad, "day": 1}}}, sari).
			ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
		if len(p.Errors) != 1 || p.Errors[0].Field != "items[1].id" {
			t.Fatalf("%s: %+v", bad, p.Errors)
		}
	}
	api.Send(http.MethodPost, itineraries, map[string]any{"name": "x",
		"items": []any{map[string]any{"kind": "rides", "id": tripID, "day": 1}}}, sari).
		ExpectProblem(http.StatusBadRequest, "bad_request")

	// Staff cancel the trip: the item stays, not available, cancelled.
	api.Send(http.MethodPatch, "/api/v1/transport/trips/"+tripID, map[string]any{"status": "cancelled"},
		api.Staff(identity.DeptTransport)).Expect(http.StatusOK)
	var got tripItemBody
	api.Get(itineraries+"/"+it.ID, sari).Expect(http.StatusOK).JSON(&got)
	if r := got.Items[1]; r.Available || r.Trip == nil || r.Trip.Status != "cancelled" || r.Name != "Jalur Jaladara" {
		t.Fatalf("after cancelling: %+v", r)
	}
	var page struct{ Data []tripItemBody }
	api.Get(itineraries, sari).Expect(http.StatusOK).JSON(&page)
	if len(page.Data) != 1 || page.Data[0].Items[1].Trip == nil || page.Data[0].Items[1].Available {
		t.Fatalf("list: %+v", page.Data)
	}
	// A cancelled trip cannot be planned anew; the plan keeps the old item
	// when other parts change.
	api.Send(http.MethodPatch, itineraries+"/"+it.ID, map[string]any{
		"items": []any{map[string]any{"kind": "trips", "id": tripID, "day": 2}}}, sari).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	api.Send(http.MethodPatch, itineraries+"/"+it.ID, map[string]any{"name": "Rencana baru"}, sari).
		Expect(http.StatusOK).JSON(&got)
	if len(got.Items) != 3 || got.Items[1].ID != tripID {
		t.Fatalf("after renaming: %+v", got.Items)
	}
	// Replacing the items drops the ride.
	api.Send(http.MethodPatch, itineraries+"/"+it.ID, map[string]any{"items": []any{item(soto, "", 1, "")}}, sari).
		Expect(http.StatusOK).JSON(&got)
	if len(got.Items) != 1 || got.Items[0].Kind != "culinary" {
		t.Fatalf("after replacing: %+v", got.Items)
	}
}
