package notification_test

import (
	"context"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/notification"
)

func notify(t *testing.T, api *apitest.API, msgs ...notification.Message) {
	t.Helper()
	err := api.App.DB.InTx(context.Background(), func(tx *gorm.DB) error {
		return api.App.Notifications.Notify(context.Background(), tx, msgs...)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type note struct {
	ID     string  `json:"id"`
	Kind   string  `json:"kind"`
	Title  string  `json:"title"`
	ReadAt *string `json:"read_at"`
}

func TestNotificationsListReadAndLanguage(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	sari, budi := api.User("sari"), api.User("budi")
	msg := func(n int) notification.Message {
		return notification.Message{UserID: sari.ID, Kind: "booking_confirmed",
			Title: notification.Text{ID: "Pemesanan dikonfirmasi", EN: "Booking confirmed"}, Entity: "booking", EntityID: string(rune('a' + n))}
	}
	notify(t, api, msg(0), msg(1), msg(2))
	// A rolled-back transaction leaves no message behind.
	_ = api.App.DB.InTx(context.Background(), func(tx *gorm.DB) error {
		if err := api.App.Notifications.Notify(context.Background(), tx, msg(3)); err != nil {
			return err
		}
		return gorm.ErrInvalidTransaction
	})

	all := api.All(apitest.PageLimit("/api/v1/me/notifications", 2), sari)
	if len(all) != 3 {
		t.Fatalf("listed %d notifications, want 3", len(all))
	}
	if got := api.All("/api/v1/me/notifications", budi); len(got) != 0 {
		t.Fatalf("another user sees %d notifications", len(got))
	}

	var page struct {
		Data []note `json:"data"`
	}
	res := api.Get("/api/v1/me/notifications", sari).Expect(http.StatusOK)
	res.JSON(&page)
	if page.Data[0].Title != "Pemesanan dikonfirmasi" || page.Data[0].ReadAt != nil || res.Header.Get("Content-Language") != "id" {
		t.Fatalf("first page %+v (%s), want Indonesian unread", page.Data[0], res.Header.Get("Content-Language"))
	}
	api.Send(http.MethodPatch, "/api/v1/me", map[string]any{"preferred_lang": "en"}, sari).Expect(http.StatusOK)
	api.Get("/api/v1/me/notifications", sari).Expect(http.StatusOK).JSON(&page)
	if page.Data[0].Title != "Booking confirmed" {
		t.Fatalf("title %q after choosing English", page.Data[0].Title)
	}
	api.Get("/api/v1/me/notifications?lang=id", sari).Expect(http.StatusOK).JSON(&page)
	if page.Data[0].Title != "Pemesanan dikonfirmasi" {
		t.Fatalf("?lang=id gave %q", page.Data[0].Title)
	}

	id := page.Data[1].ID
	var read note
	api.Send(http.MethodPost, "/api/v1/me/notifications/"+id+"/read", nil, sari).Expect(http.StatusOK).JSON(&read)
	if read.ReadAt == nil {
		t.Fatal("read_at still null")
	}
	var again note
	api.Send(http.MethodPost, "/api/v1/me/notifications/"+id+"/read", nil, sari).Expect(http.StatusOK).JSON(&again)
	if *again.ReadAt != *read.ReadAt {
		t.Fatalf("read_at moved from %s to %s", *read.ReadAt, *again.ReadAt)
	}
	api.Send(http.MethodPost, "/api/v1/me/notifications/"+id+"/read", nil, budi).ExpectProblem(http.StatusNotFound, "not_found")
	api.Send(http.MethodPost, "/api/v1/me/notifications/"+id+"/read", nil, apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")
	api.Get("/api/v1/me/notifications", apitest.Anonymous).ExpectProblem(http.StatusUnauthorized, "unauthorized")

	if unread := api.All("/api/v1/me/notifications?unread=true", sari); len(unread) != 2 {
		t.Fatalf("%d unread, want 2", len(unread))
	}
	api.Get("/api/v1/me/notifications?unread=maybe", sari).ExpectProblem(http.StatusBadRequest, "bad_request")
}

// A message with a dedupe key is written once per user however often the
// event is announced.
func TestDedupeKeyWritesOnce(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	sari := api.User("sari")
	m := notification.Message{UserID: sari.ID, Kind: "trip_cancelled", Title: notification.Text{ID: "Batal"}, DedupeKey: "trip_cancelled:x"}
	notify(t, api, m, m)
	notify(t, api, m)
	if got := api.All("/api/v1/me/notifications", sari); len(got) != 1 {
		t.Fatalf("%d notifications, want 1", len(got))
	}
}
