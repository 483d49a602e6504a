package payment

import (
	"bytes"
	"context"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
)

// Midtrans base URLs; a server key starting "SB-" is a sandbox account's.
const (
	MidtransProductionURL = "https://api.midtrans.com"
	MidtransSandboxURL    = "https://api.sandbox.midtrans.com"
)

// Midtrans is the adapter of a Midtrans-style gateway: payments are opened
// with its Core API charge and settled by its HTTP notifications, whose
// signature_key is SHA512(order_id + status_code + gross_amount + server
// key). The order_id is our payment id.
type Midtrans struct {
	key    string
	base   string
	client *http.Client
}

// NewMidtrans returns the adapter for serverKey talking to baseURL (empty:
// chosen by the key, sandbox for "SB-" keys).
func NewMidtrans(serverKey, baseURL string) *Midtrans {
	if baseURL == "" {
		baseURL = MidtransProductionURL
		if strings.HasPrefix(serverKey, "SB-") {
			baseURL = MidtransSandboxURL
		}
	}
	return &Midtrans{key: serverKey, base: strings.TrimRight(baseURL, "/"), client: &http.Client{Timeout: 10 * time.Second}}
}

// Name implements Gateway.
func (*Midtrans) Name() string { return "midtrans" }

// WrapTransport lets the caller observe the adapter's calls (client spans
// with a traceparent) by wrapping its HTTP transport.
func (m *Midtrans) WrapTransport(wrap func(http.RoundTripper) http.RoundTripper) {
	m.client.Transport = wrap(m.client.Transport)
}

// midtransCharge is the part of a charge response the adapter reads.
type midtransCharge struct {
	StatusCode    string `json:"status_code"`
	StatusMessage string `json:"status_message"`
	VANumbers     []struct {
		Bank     string `json:"bank"`
		VANumber string `json:"va_number"`
	} `json:"va_numbers"`
	BillKey    string `json:"bill_key"`
	BillerCode string `json:"biller_code"`
	QRString   string `json:"qr_string"`
	Actions    []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"actions"`
	ExpiryTime string `json:"expiry_time"` // "2026-10-16 12:00:00", Asia/Jakarta
}

// Open implements Gateway with a Core API charge.
func (g *Midtrans) Open(ctx context.Context, in Intent) (Instructions, error) {
	validity := VAValidity
	req := map[string]any{"transaction_details": map[string]any{"order_id": in.ID.String(), "gross_amount": in.AmountIDR}}
	switch in.Channel {
	case VirtualAccount, VABCA, VABRI:
		bank := "bca"
		if in.Channel == VABRI {
			bank = "bri"
		}
		req["payment_type"], req["bank_transfer"] = "bank_transfer", map[string]any{"bank": bank}
	case VAMandiri:
		req["payment_type"], req["echannel"] = "echannel", map[string]any{"bill_info1": "Pajak daerah", "bill_info2": in.Reference}
	case QRIS:
		validity, req["payment_type"] = QRISValidity, "qris"
	case EWallet:
		validity, req["payment_type"] = WalletValidity, "gopay"
	default:
		return Instructions{}, apperr.FieldInvalid("channel", "unknown channel")
	}
	req["custom_expiry"] = map[string]any{"expiry_duration": int(validity / time.Minute), "unit": "minute"}
	body, err := json.Marshal(req)
	if err != nil {
		return Instructions{}, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/v2/charge", bytes.NewReader(body))
	if err != nil {
		return Instructions{}, err
	}
	hr.SetBasicAuth(g.key, "")
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	res, err := g.client.Do(hr)
	if err != nil {
		return Instructions{}, gatewayDown(err.Error())
	}
	defer res.Body.Close()
	var c midtransCharge
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil {
		return Instructions{}, gatewayDown("unreadable charge response")
	}
	if c.StatusCode != "201" {
		return Instructions{}, gatewayDown("charge refused: " + c.StatusCode + " " + c.StatusMessage)
	}
	out := Instructions{ExpiresAt: in.Now.Add(validity)}
	if t, err := time.ParseInLocation(time.DateTime, c.ExpiryTime, wib); err == nil {
		out.ExpiresAt = t.UTC()
	}
	switch {
	case len(c.VANumbers) > 0:
		out.VANumber = c.VANumbers[0].VANumber
	case c.BillKey != "":
		out.VANumber = c.BillerCode + c.BillKey
	case c.QRString != "":
		out.QRString = c.QRString
	default:
		for _, a := range c.Actions {
			if a.Name == "deeplink-redirect" || (out.CheckoutURL == "" && a.Name == "generate-qr-code") {
				out.CheckoutURL = a.URL
			}
		}
	}
	if out.VANumber == "" && out.QRString == "" && out.CheckoutURL == "" {
		return Instructions{}, gatewayDown("charge response without payment instructions")
	}
	return out, nil
}

func gatewayDown(why string) error {
	return &apperr.Error{Kind: apperr.Unavailable, Code: "gateway_unavailable",
		Detail: "The payment gateway did not open the payment; try again shortly.", RetryAfter: 5 * time.Second,
		Err: fmt.Errorf("midtrans: %s", why)}
}

// StatusBody implements Reconciler with the transaction status API, whose
// answer carries the same fields and signature_key as a notification.
func (g *Midtrans) StatusBody(ctx context.Context, paymentID uuid.UUID) ([]byte, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, g.base+"/v2/"+paymentID.String()+"/status", nil)
	if err != nil {
		return nil, err
	}
	hr.SetBasicAuth(g.key, "")
	hr.Header.Set("Accept", "application/json")
	res, err := g.client.Do(hr)
	if err != nil {
		return nil, gatewayDown(err.Error())
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, gatewayDown("unreadable status response")
	}
	return body, nil
}

// midtransNotification is the part of an HTTP notification the adapter reads.
type midtransNotification struct {
	OrderID           string `json:"order_id"`
	StatusCode        string `json:"status_code"`
	GrossAmount       string `json:"gross_amount"`
	SignatureKey      string `json:"signature_key"`
	TransactionID     string `json:"transaction_id"`
	TransactionStatus string `json:"transaction_status"`
	FraudStatus       string `json:"fraud_status"`
	SettlementTime    string `json:"settlement_time"`
	TransactionTime   string `json:"transaction_time"`
}

// Verify implements Gateway: Midtrans signs inside its JSON, so the body is
// parsed, then the signature_key checked before any field is trusted.
func (g *Midtrans) Verify(_ http.Header, body []byte) (Event, error) {
	var n midtransNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return Event{}, apperr.BadRequest("The notification is not Midtrans JSON.")
	}
	sum := sha512.Sum512([]byte(n.OrderID + n.StatusCode + n.GrossAmount + g.key))
	want := hex.EncodeToString(sum[:])
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(n.SignatureKey)), []byte(want)) != 1 {
		return Event{}, apperr.Unauthorized("The signature_key does not match the notification.")
	}
	id, err := uuid.Parse(n.OrderID)
	if err != nil {
		return Event{}, apperr.Missing("payment", n.OrderID)
	}
	amount, err := wholeRupiah(n.GrossAmount)
	if err != nil {
		return Event{}, err
	}
	if n.TransactionID == "" || len(n.TransactionID) > 80 {
		return Event{}, apperr.FieldInvalid("transaction_id", "required, at most 80 characters")
	}
	e := Event{EventID: n.TransactionID + ":" + n.TransactionStatus + ":" + n.FraudStatus, PaymentID: id,
		Status: midtransStatus(n.TransactionStatus, n.FraudStatus), AmountIDR: amount}
	if e.Status == Paid {
		at := n.SettlementTime
		if at == "" {
			at = n.TransactionTime
		}
		t, err := time.ParseInLocation(time.DateTime, at, wib)
		if err != nil {
			return Event{}, apperr.FieldInvalid("settlement_time", "want YYYY-MM-DD hh:mm:ss (Asia/Jakarta)")
		}
		e.PaidAt = t.UTC()
	}
	return e, nil
}

// midtransStatus maps Midtrans's transaction statuses onto ours; Pending
// stands for a notice that changes nothing (still pending, a fraud
// challenge, refunds handled outside).
func midtransStatus(status, fraud string) Status {
	switch status {
	case "settlement":
		return Paid
	case "capture":
		switch fraud {
		case "accept", "":
			return Paid
		case "deny":
			return Failed
		}
	case "deny", "cancel", "failure":
		return Failed
	case "expire":
		return Expired
	}
	return Pending
}

// wholeRupiah reads Midtrans's "150000.00": whole rupiah, so a non-zero
// fraction is refused.
func wholeRupiah(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.Trim(frac, "0") != "" {
		return 0, &apperr.Error{Kind: apperr.Unprocessable, Code: "amount_fraction",
			Detail: "gross_amount has a fraction of a rupiah; amounts are whole rupiah."}
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n <= 0 || whole != strconv.FormatInt(n, 10) {
		return 0, apperr.FieldInvalid("gross_amount", "want whole rupiah, e.g. \"150000.00\"")
	}
	return n, nil
}
