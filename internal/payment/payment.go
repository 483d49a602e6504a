// Package payment takes money for things other domains own, through a
// payment gateway. It knows nothing of taxes or bookings: a subject (a tax
// bill today) is paid through the Payable its owning domain implements, and
// a gateway (the sandbox, later a real one) through Gateway.
//
// The money rules hold under any concurrency and any delivery order of the
// gateway's notifications: every transaction that starts or settles a
// payment of a subject locks the subject's row first; a subject has at most
// one pending and at most one paid payment (partial unique indexes); a
// gateway event is stored once by (provider, event_id); and a payment's
// status only moves forward, by conditional UPDATEs.
package payment

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
)

// Status is where a payment is.
type Status string

// Payment statuses. pending → paid | failed | expired; paid is final. A
// payment the gateway reports paid after it was superseded or expired is
// refund_due: the money came in but never pays the subject a second time.
const (
	Pending   Status = "pending"
	Paid      Status = "paid"
	Failed    Status = "failed"
	Expired   Status = "expired"
	RefundDue Status = "refund_due"
)

// Channel is how the payer pays.
type Channel string

// Channels. virtual_account is a BCA virtual account, as va_bca.
const (
	VirtualAccount Channel = "virtual_account"
	VABCA          Channel = "va_bca"
	VABRI          Channel = "va_bri"
	VAMandiri      Channel = "va_mandiri"
	QRIS           Channel = "qris"
	EWallet        Channel = "ewallet"
)

// Channels lists every channel, in the order the API documents them.
var Channels = []Channel{VirtualAccount, VABCA, VABRI, VAMandiri, QRIS, EWallet}

func validChannel(c Channel) bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// KindTaxBill names tax bills as a payment subject.
const KindTaxBill = "tax_bill"

// Due is what a subject costs today, as its owning domain says.
type Due struct {
	AmountIDR int64
	// Reference identifies the subject to the payer and the bank: a NOP's
	// 18 digits for a tax bill. Digits only.
	Reference string
	// Shown is Reference as people read it (a dotted NOP).
	Shown string
	// Masked is what a public receipt check shows of it (a masked NOP).
	Masked string
	Period string
	// Settled is true when the subject is already paid; Closed when it can
	// no longer be paid (cancelled).
	Settled, Closed bool
}

// Payable is a domain whose things can be paid: it tells what one costs
// today and marks it paid in the payment's transaction (tax implements it
// for bills). MarkPaid of the same payment twice is a no-op.
type Payable interface {
	PaymentDue(ctx context.Context, tx *gorm.DB, id uuid.UUID) (Due, error)
	MarkPaid(ctx context.Context, tx *gorm.DB, id, paymentID uuid.UUID, paidAt time.Time) error
}

// Notifier writes in-app messages with the caller's transaction, so the
// payer hears of a payment exactly when it committed (*notification.Service
// implements it).
type Notifier interface {
	Notify(ctx context.Context, tx *gorm.DB, msgs ...notification.Message) error
}

// Desk finds who to tell about money owed back: the staff accounts of the
// department that handles refunds (*identity.Service implements it).
type Desk interface {
	StaffOf(ctx context.Context, tx *gorm.DB, dept identity.Department) ([]uuid.UUID, error)
}

// Payment is one attempt to pay a subject.
type Payment struct {
	ID          uuid.UUID
	SubjectKind string
	SubjectID   uuid.UUID
	PayerID     uuid.UUID
	Provider    string
	Channel     Channel
	Status      Status
	AmountIDR   int64
	Reference   string
	Masked      string
	Period      string
	VANumber    string
	QRString    string
	CheckoutURL string
	ExpiresAt   time.Time
	PaidAt      *time.Time
	CreatedAt   time.Time
	Receipt     *Receipt
}

// Receipt proves a subject was paid: issued once, with an NTPD.
type Receipt struct {
	NTPD        string
	PaymentID   uuid.UUID
	SubjectKind string
	SubjectID   uuid.UUID
	AmountIDR   int64
	Channel     Channel
	Reference   string
	Masked      string
	Period      string
	PaidAt      time.Time
}

// Instructions are how the payer pays a new payment: one of VA number, QR
// string or checkout URL, and when the offer ends.
type Instructions struct {
	VANumber    string
	QRString    string
	CheckoutURL string
	ExpiresAt   time.Time
}

// Intent is a payment a gateway is asked to open.
type Intent struct {
	ID        uuid.UUID
	Channel   Channel
	AmountIDR int64
	Reference string
	Now       time.Time
}

// Event is a gateway notification in the gateway-neutral form.
type Event struct {
	EventID   string
	PaymentID uuid.UUID
	Status    Status // Paid, Failed or Expired
	AmountIDR int64
	PaidAt    time.Time
}

// Gateway is a payment provider's adapter.
type Gateway interface {
	// Name is the provider stored with payments and events ("sandbox").
	Name() string
	// Open issues the payer's instructions for a new payment.
	Open(ctx context.Context, in Intent) (Instructions, error)
	// Verify checks a notification's signature over the raw body before
	// anything is parsed, then parses it: a bad signature is
	// apperr.Unauthorized, a malformed body a 400.
	Verify(header http.Header, body []byte) (Event, error)
}

// Reconciler is a gateway that can be asked where a payment stands: it
// returns the gateway's answer as a notification body its Verify accepts,
// so a notification that never arrived is applied by the same code.
type Reconciler interface {
	StatusBody(ctx context.Context, paymentID uuid.UUID) ([]byte, error)
}

// Settler is a gateway that can settle its own payments (the sandbox): it
// returns a signed notification, as the provider would send it.
type Settler interface {
	Settlement(e Event) (http.Header, []byte, error)
}
