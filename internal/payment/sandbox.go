package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/pkg/qris"
)

// SignatureHeader carries the sandbox's lowercase hex HMAC-SHA256 of the
// raw notification body.
const SignatureHeader = "X-Signature"

// How long a payer has to pay, per channel: a virtual account stays open a
// day, a dynamic QR and an e-wallet checkout a quarter of an hour.
const (
	VAValidity     = 24 * time.Hour
	QRISValidity   = 15 * time.Minute
	WalletValidity = 15 * time.Minute
)

// bankPrefix is each bank's company code for the city's virtual accounts
// (sandbox values).
var bankPrefix = map[Channel]string{VirtualAccount: "39358", VABCA: "39358", VABRI: "88810", VAMandiri: "89022"}

// revenueOffice is the city's revenue office as a QRIS merchant (sandbox
// registration data).
var revenueOffice = qris.Merchant{
	AcquirerGUID: "ID.CO.BANKJATENG.WWW", MerchantPAN: "9360011300000012345", NMID: "ID1020012345678",
	Criteria: "UBE", MCC: qris.MCCTaxPayments, Name: "BAPENDA KOTA SURAKARTA", City: "SURAKARTA", PostalCode: "57111",
}

// Sandbox is the built-in gateway: it issues realistic instructions and
// settles payments only when asked to, by a notification signed like a
// real one and handled by the same code.
type Sandbox struct {
	secret []byte
}

// NewSandbox returns the sandbox gateway signing with secret
// (PAYMENT_WEBHOOK_SECRET).
func NewSandbox(secret []byte) *Sandbox { return &Sandbox{secret: secret} }

// Name implements Gateway.
func (*Sandbox) Name() string { return "sandbox" }

// Open implements Gateway. A VA number is the bank's prefix and the last 13
// digits of the reference (a NOP without its province and regency), so a
// bill keeps one number whichever attempt pays it.
func (*Sandbox) Open(_ context.Context, in Intent) (Instructions, error) {
	switch in.Channel {
	case QRIS:
		qr, err := qris.BuildDynamic(revenueOffice, qris.Payment{AmountIDR: in.AmountIDR, BillNumber: lastDigits(in.Reference, 25),
			ReferenceLabel: strings.ReplaceAll(in.ID.String(), "-", "")[:25]})
		if err != nil {
			return Instructions{}, fmt.Errorf("build QRIS: %w", err)
		}
		return Instructions{QRString: qr, ExpiresAt: in.Now.Add(QRISValidity)}, nil
	case EWallet:
		return Instructions{CheckoutURL: "https://sandbox.pay.solodestination.example/checkout/" + in.ID.String(),
			ExpiresAt: in.Now.Add(WalletValidity)}, nil
	}
	prefix, ok := bankPrefix[in.Channel]
	if !ok {
		return Instructions{}, apperr.FieldInvalid("channel", "unknown channel")
	}
	return Instructions{VANumber: prefix + fmt.Sprintf("%013s", lastDigits(in.Reference, 13)), ExpiresAt: in.Now.Add(VAValidity)}, nil
}

func lastDigits(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// sandboxEvent is the sandbox's notification body (API.md).
type sandboxEvent struct {
	EventID   string    `json:"event_id"`
	PaymentID uuid.UUID `json:"payment_id"`
	Status    Status    `json:"status"`
	AmountIDR int64     `json:"amount_idr"`
	PaidAt    time.Time `json:"paid_at"`
}

// Verify implements Gateway: the signature is checked over the raw bytes
// before the body is parsed.
func (g *Sandbox) Verify(h http.Header, body []byte) (Event, error) {
	got, err := hex.DecodeString(strings.TrimSpace(h.Get(SignatureHeader)))
	if err != nil || !hmac.Equal(got, g.sign(body)) {
		return Event{}, apperr.Unauthorized("The X-Signature header is missing or does not match the body.")
	}
	var e sandboxEvent
	if err := json.Unmarshal(body, &e); err != nil {
		return Event{}, apperr.BadRequest("The notification is not the sandbox's JSON.")
	}
	switch {
	case e.EventID == "" || len(e.EventID) > 100:
		return Event{}, apperr.FieldInvalid("event_id", "required, at most 100 characters")
	case e.PaymentID == uuid.Nil:
		return Event{}, apperr.FieldInvalid("payment_id", "required")
	case e.Status != Paid && e.Status != Failed && e.Status != Expired:
		return Event{}, apperr.FieldInvalid("status", "must be paid, failed or expired")
	case e.Status == Paid && e.PaidAt.IsZero():
		return Event{}, apperr.FieldInvalid("paid_at", "required when paid")
	}
	return Event{EventID: e.EventID, PaymentID: e.PaymentID, Status: e.Status, AmountIDR: e.AmountIDR, PaidAt: e.PaidAt.UTC()}, nil
}

// Settlement implements Settler.
func (g *Sandbox) Settlement(e Event) (http.Header, []byte, error) {
	body, err := json.Marshal(sandboxEvent{EventID: e.EventID, PaymentID: e.PaymentID, Status: e.Status,
		AmountIDR: e.AmountIDR, PaidAt: e.PaidAt.UTC()})
	if err != nil {
		return nil, nil, err
	}
	h := http.Header{}
	h.Set(SignatureHeader, hex.EncodeToString(g.sign(body)))
	return h, body, nil
}

func (g *Sandbox) sign(body []byte) []byte {
	m := hmac.New(sha256.New, g.secret)
	m.Write(body)
	return m.Sum(nil)
}
