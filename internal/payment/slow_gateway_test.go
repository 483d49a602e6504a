package payment_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solodestination/api/internal/platform/config"
)

// No transaction waits on the gateway. While the first start's charge hangs
// at a slow gateway, a second start of the same bill (which takes the same
// lock) completes, and so does an unrelated write (on SQLite every write
// would otherwise wait for the one writer). When the hung charge returns,
// its payment has been superseded: it answers 201 as expired and the newer
// one stays the only pending payment. A refused charge marks its payment
// failed, and the Idempotency-Key's retry runs afresh.
func TestGatewayCallHoldsNoTransaction(t *testing.T) {
	t.Parallel()
	var charges atomic.Int32
	release := make(chan struct{})
	refuse := atomic.Bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v2/charge" {
			http.NotFound(w, r)
			return
		}
		if charges.Add(1) == 1 {
			<-release
		}
		name := "charge_qris"
		if refuse.Load() {
			name = "charge_refused"
		}
		b, _ := os.ReadFile("testdata/midtrans/" + name + ".json")
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	w := newWorld(t, func(c *config.Config) {
		c.PaymentGateway, c.MidtransServerKey, c.MidtransAPIURL = config.GatewayMidtrans, midtransKey, srv.URL
	})

	first := make(chan payment, 1)
	go func() {
		r := w.pay(w.sari, "qris", "first")
		var p payment
		if r.Code == http.StatusCreated {
			r.JSON(&p)
		}
		first <- p
	}()
	for charges.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}

	quick := func(what string, do func()) {
		t.Helper()
		done := make(chan struct{})
		go func() { do(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s waited for the hung gateway call", what)
		}
	}
	var second payment
	quick("a second start of the same bill", func() { second = w.payOK(t, w.sari, "qris") })
	quick("an unrelated write", func() {
		w.api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
			map[string]any{"nik": "3372040302850002", "full_name": "Budi Santoso", "birth_date": "1985-02-03"},
			w.api.User("Budi")).Expect(http.StatusOK)
	})
	if second.Status != "pending" || second.QRString == "" {
		t.Fatalf("second payment %+v", second)
	}

	close(release)
	var p payment
	select {
	case p = <-first:
	case <-time.After(15 * time.Second):
		t.Fatal("the first start never answered")
	}
	if p.ID == "" || p.Status != "expired" || p.QRString != "" {
		t.Fatalf("superseded payment answered %+v", p)
	}
	if n := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'pending'"); n != 1 {
		t.Fatalf("%d pending payments", n)
	}
	if got := w.payment(t, second.ID, w.sari); got.Status != "pending" {
		t.Fatalf("newer payment %s", got.Status)
	}

	refuse.Store(true)
	w.pay(w.sari, "qris", "refused").ExpectProblem(http.StatusServiceUnavailable, "gateway_unavailable")
	if n := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'failed'"); n != 1 {
		t.Fatalf("%d failed payments after a refused charge, want 1", n)
	}
	if n := count(t, w.api, "SELECT count(*) FROM payments WHERE status = 'pending'"); n != 0 {
		t.Fatalf("%d pending payments after a refused charge (it expired the older one)", n)
	}
	refuse.Store(false)
	if r := w.pay(w.sari, "qris", "refused"); r.Code != http.StatusCreated || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after a refused charge: %d %s", r.Code, r.Body)
	}
}
