package transport_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// The demo network loads, reads back in both languages and can be booked.
func TestDemoNetwork(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	if err := api.App.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := api.App.Seed(context.Background()); err != nil { // a second start seeds nothing
		t.Fatal(err)
	}
	var modes struct {
		Data []struct {
			Code     string `json:"code"`
			Name     string `json:"name"`
			Bookable bool   `json:"bookable"`
		} `json:"data"`
	}
	api.Get("/api/v1/transport/modes?lang=en", apitest.Anonymous).Expect(http.StatusOK).JSON(&modes)
	bookable := map[string]bool{}
	for _, m := range modes.Data {
		bookable[m.Code] = m.Bookable
	}
	if len(modes.Data) != 5 || bookable["city_bus"] || bookable["andong"] || !bookable["steam_train"] || !bookable["double_decker_bus"] {
		t.Fatalf("demo modes %+v", modes.Data)
	}
	routes := api.All("/api/v1/transport/routes", apitest.Anonymous)
	if len(routes) != 2 {
		t.Fatalf("%d demo routes, want 2", len(routes))
	}
	trips := api.All("/api/v1/transport/trips", apitest.Anonymous)
	if len(trips) != 7 {
		t.Fatalf("%d demo trips, want 7", len(trips))
	}
	var first struct {
		ID string `json:"id"`
	}
	json.Unmarshal(trips[0], &first)
	api.Send(http.MethodPost, "/api/v1/transport/trips/"+first.ID+"/bookings",
		map[string]any{"seats": 2, "passenger_name": "Sari"}, api.User("sari")).Expect(http.StatusCreated)
	if near := api.All("/api/v1/transport/stops?near=-7.5613,110.7958&radius_m=500", apitest.Anonymous); len(near) != 1 {
		t.Fatalf("%d stops within 500 m of Purwosari, want 1", len(near))
	}
}
