package payment_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/apitest"
	paying "github.com/solodestination/api/internal/payment"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/jobs"
)

// midtransKey signed the notifications in testdata/midtrans (Midtrans
// sandbox payloads, with our payment id as order_id).
const midtransKey = "SB-Mid-server-TEST-0123456789abcdef"

var sampleOrder = uuid.MustParse("0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60")

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/midtrans/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Each recorded notification: its signature_key checked before anything is
// trusted (401), "1262500.00" read as whole rupiah and a fraction refused
// (422), Midtrans's statuses mapped onto ours.
func TestMidtransNotifications(t *testing.T) {
	t.Parallel()
	g := paying.NewMidtrans(midtransKey, "")
	for _, tc := range []struct {
		file   string
		status paying.Status
		kind   apperr.Kind
		code   string
	}{
		{"settlement", paying.Paid, 0, ""},
		{"capture_accept", paying.Paid, 0, ""},
		{"capture_challenge", paying.Pending, 0, ""},
		{"pending", paying.Pending, 0, ""},
		{"expire", paying.Expired, 0, ""},
		{"deny", paying.Failed, 0, ""},
		{"fraction", "", apperr.Unprocessable, "amount_fraction"},
		{"bad_signature", "", apperr.Unauthenticated, "unauthorized"},
		{"tampered_amount", "", apperr.Unauthenticated, "unauthorized"},
	} {
		e, err := g.Verify(http.Header{}, sample(t, tc.file))
		if tc.code != "" {
			if apperr.KindOf(err) != tc.kind || apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: err %v, want %s", tc.file, err, tc.code)
			}
			continue
		}
		if err != nil || e.Status != tc.status || e.PaymentID != sampleOrder || e.AmountIDR != 1262500 || e.EventID == "" {
			t.Errorf("%s: %+v %v, want %s", tc.file, e, err, tc.status)
		}
	}
	e, _ := g.Verify(http.Header{}, sample(t, "settlement"))
	if want := time.Date(2026, 10, 15, 5, 1, 30, 0, time.UTC); !e.PaidAt.Equal(want) {
		t.Errorf("paid at %v, want %v (settlement_time is WIB)", e.PaidAt, want)
	}
	// Another server key's adapter refuses every one of them.
	if _, err := paying.NewMidtrans("SB-Mid-server-other", "").Verify(http.Header{}, sample(t, "settlement")); apperr.KindOf(err) != apperr.Unauthenticated {
		t.Errorf("foreign key: %v", err)
	}
}

// Opening a payment is a Core API charge with the server key as Basic auth,
// read back from recorded responses; a refused charge is 503
// gateway_unavailable.
func TestMidtransCharge(t *testing.T) {
	t.Parallel()
	var got map[string]any
	reply := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/charge" || r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(midtransKey+":")) {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = nil
		_ = json.Unmarshal(b, &got)
		_, _ = w.Write(sample(t, reply))
	}))
	defer srv.Close()
	g := paying.NewMidtrans(midtransKey, srv.URL)
	now := time.Date(2026, 10, 15, 5, 0, 0, 0, time.UTC)
	in := paying.Intent{ID: sampleOrder, AmountIDR: 1262500, Reference: "337201000100200030", Now: now}
	for _, tc := range []struct {
		channel paying.Channel
		reply   string
		check   func(paying.Instructions) bool
		payType string
	}{
		{paying.VABCA, "charge_bca", func(i paying.Instructions) bool { return i.VANumber == "812785002530231" }, "bank_transfer"},
		{paying.VAMandiri, "charge_mandiri", func(i paying.Instructions) bool { return i.VANumber == "70012990000000260" }, "echannel"},
		{paying.QRIS, "charge_qris", func(i paying.Instructions) bool { return strings.HasPrefix(i.QRString, "000201") }, "qris"},
		{paying.EWallet, "charge_gopay", func(i paying.Instructions) bool { return strings.Contains(i.CheckoutURL, "payment-pin") }, "gopay"},
	} {
		reply = tc.reply
		in.Channel = tc.channel
		ins, err := g.Open(context.Background(), in)
		if err != nil || !tc.check(ins) || ins.ExpiresAt.IsZero() {
			t.Errorf("%s: %+v %v", tc.channel, ins, err)
		}
		if got["payment_type"] != tc.payType || got["transaction_details"].(map[string]any)["order_id"] != sampleOrder.String() {
			t.Errorf("%s: sent %v", tc.channel, got)
		}
	}
	reply = "charge_refused"
	in.Channel = paying.QRIS
	if _, err := g.Open(context.Background(), in); apperr.CodeOf(err) != "gateway_unavailable" {
		t.Errorf("refused charge: %v", err)
	}
}

// With PAYMENT_GATEWAY=midtrans the webhook takes Midtrans's notifications:
// a recorded settlement pays the bill once; a bad signature_key (401) and a
// fractional amount (422) change nothing. The payment is seeded as the
// charge would have made it (the charge itself is TestMidtransCharge's).
func TestMidtransWebhookPaysBill(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *config.Config) {
		c.PaymentGateway, c.MidtransServerKey = config.GatewayMidtrans, midtransKey
	})
	now := time.Date(2026, 10, 15, 5, 0, 0, 0, time.UTC)
	if err := w.api.DB.Exec(`INSERT INTO payments (id, subject_kind, subject_id, payer_id, provider, channel, status, amount_idr,
		reference, reference_masked, period, qr_string, expires_at, created_at, updated_at)
		VALUES (?, 'tax_bill', ?, ?, 'midtrans', 'qris', 'pending', 1262500, '33.72.010.001.002-0003.0', '33.72.010.001.***-**03.0',
		'2026', '000201', ?, ?, ?)`, sampleOrder, w.billID, w.sari.ID, now.Add(15*time.Minute), now, now).Error; err != nil {
		t.Fatal(err)
	}
	post := func(name string) *apitest.Response {
		return w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/payments/webhook", RawBody: sample(t, name)})
	}
	post("bad_signature").ExpectProblem(http.StatusUnauthorized, "unauthorized")
	post("fraction").ExpectProblem(http.StatusUnprocessableEntity, "amount_fraction")
	if b := w.bill(t); b.Status != "unpaid" {
		t.Fatalf("bill %s after refusals", b.Status)
	}
	post("pending").Expect(http.StatusOK)
	post("settlement").Expect(http.StatusOK)
	post("settlement").Expect(http.StatusOK)
	post("expire").Expect(http.StatusOK)
	if b := w.bill(t); b.Status != "paid" {
		t.Fatalf("bill %s", b.Status)
	}
	if p := w.payment(t, sampleOrder.String(), w.sari); p.Status != "paid" || p.Receipt == nil {
		t.Fatalf("payment %+v", p)
	}
	// The sandbox settle does not exist with a real gateway.
	w.api.Send(http.MethodPost, "/api/v1/sandbox/payments/"+sampleOrder.String()+"/settle", nil, w.revenue).
		ExpectProblem(http.StatusNotFound, "not_found")
}

// A payment whose notification never came is settled by the sweep asking
// the gateway (the status API's answer goes through the same Verify and
// state machine); a young one is left to its notification. The stand-in
// Midtrans server answers the charge and the status from recorded replies.
func TestMidtransReconcile(t *testing.T) {
	t.Parallel()
	var statusCalls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v2/charge":
			b, _ := os.ReadFile("testdata/midtrans/charge_qris.json")
			_, _ = w.Write(b)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/status"):
			statusCalls.Add(1)
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v2/"), "/status")
			var n map[string]any
			b, _ := os.ReadFile("testdata/midtrans/settlement.json")
			_ = json.Unmarshal(b, &n)
			sum := sha512.Sum512([]byte(id + "200" + "1262500.00" + midtransKey))
			n["order_id"], n["signature_key"] = id, hex.EncodeToString(sum[:])
			_ = json.NewEncoder(w).Encode(n)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	w := newWorld(t, func(c *config.Config) {
		c.PaymentGateway, c.MidtransServerKey, c.MidtransAPIURL = config.GatewayMidtrans, midtransKey, srv.URL
	})
	p := w.payOK(t, w.sari, "qris")
	if !strings.HasPrefix(p.QRString, "000201") || p.AmountIDR != 1262500 {
		t.Fatalf("payment %+v", p)
	}
	start := time.Date(2026, 10, 15, 12, 0, 0, 0, wib)
	sweep := func(at time.Time) {
		t.Helper()
		w.at(at)
		if err := jobs.RunNow(context.Background(), w.api.App.Jobs, paying.ExpirySweep{}); err != nil {
			t.Fatal(err)
		}
	}
	sweep(start.Add(time.Minute))
	if got := w.payment(t, p.ID, w.sari); got.Status != "pending" || statusCalls.Load() != 0 {
		t.Fatalf("young payment %s, %d status calls", got.Status, statusCalls.Load())
	}
	sweep(start.Add(6 * time.Minute))
	if got := w.payment(t, p.ID, w.sari); got.Status != "paid" || got.Receipt == nil {
		t.Fatalf("reconciled payment %+v", got)
	}
	if b := w.bill(t); b.Status != "paid" {
		t.Fatalf("bill %s", b.Status)
	}
	sweep(start.Add(7 * time.Minute))
	if statusCalls.Load() != 1 {
		t.Fatalf("%d status calls, want 1", statusCalls.Load())
	}
}

// With tracing on, the call to the gateway carries the request's trace in
// traceparent, from a client span of its own.
func TestMidtransCallsCarryTraceparent(t *testing.T) {
	t.Parallel()
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body) }))
	defer collector.Close()
	var sent atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Store(r.Header.Get("traceparent"))
		b, _ := os.ReadFile("testdata/midtrans/charge_qris.json")
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	w := newWorld(t, func(c *config.Config) {
		c.PaymentGateway, c.MidtransServerKey, c.MidtransAPIURL = config.GatewayMidtrans, midtransKey, srv.URL
		c.OTLPEndpoint = collector.URL
	})
	const traceID, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/taxes/bills/" + w.billID + "/payments",
		Body: map[string]any{"channel": "qris"}, As: w.sari,
		Header: map[string]string{"traceparent": "00-" + traceID + "-" + parent + "-01"}}).Expect(http.StatusCreated)
	got, _ := sent.Load().(string)
	parts := strings.Split(got, "-")
	if len(parts) != 4 || parts[1] != traceID || parts[2] == parent || parts[3] != "01" {
		t.Fatalf("the gateway got traceparent %q, want trace %s from a span of the call", got, traceID)
	}
}
