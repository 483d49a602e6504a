package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/notification"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/cursor"
	"github.com/solodestination/api/pkg/ntpd"
)

// Service is the payment use cases; it owns their transactions.
type Service struct {
	db       *database.DB
	gateway  Gateway
	notes    Notifier
	payables map[string]Payable
	desk     Desk
	deskDept identity.Department
	now      func() time.Time
	metrics  metrics
}

// NewService returns the payment service over db paying through gateway
// (nil when payments are disabled: the routes answer 503 before reaching it).
func NewService(db *database.DB, gateway Gateway, notes Notifier, now func() time.Time) *Service {
	return &Service{db: db, gateway: gateway, notes: notes, payables: map[string]Payable{},
		now: func() time.Time { return now().UTC() }, metrics: newMetrics()}
}

// Accept makes subjects of kind payable through p (app wires tax bills).
func (s *Service) Accept(kind string, p Payable) { s.payables[kind] = p }

// TellStaff makes refunds due known to the staff of dept, found through desk.
func (s *Service) TellStaff(desk Desk, dept identity.Department) { s.desk, s.deskDept = desk, dept }

// SetClock replaces the clock; tests move time with it.
func (s *Service) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

var errNoGateway = &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Detail: "Payments are not available on this instance."}

func errAlreadyPaid() error {
	return apperr.StateConflict("already_paid", "This is already paid; nothing more is due.")
}

// openingWindow is the expiry a payment is stored with while its gateway
// call is in flight. It bounds what a crash between storing the payment and
// recording the gateway's answer leaves behind: a pending payment without
// instructions that the next start supersedes and the sweep expires.
const openingWindow = 2 * time.Minute

// Start opens a payment of the subject for who through channel, for the
// amount due today. It takes three steps so that no transaction waits on the
// gateway (whose call may take seconds, and on SQLite would stall every
// writer): (1) in one transaction, after the subject's lock, a paid subject
// → 409, the pending payment of the subject (if any) expires and the new
// one is stored pending; (2) the gateway opens it; (3) its instructions are
// stored if it is still pending, or the payment is marked failed when the
// gateway refused. Of any number of racing starts the last to store stays
// pending; an earlier one answers as it now is (expired, superseded).
func (s *Service) Start(ctx context.Context, who identity.Actor, kind string, subjectID uuid.UUID, ch Channel) (Payment, error) {
	if s.gateway == nil {
		return Payment{}, errNoGateway
	}
	if !validChannel(ch) {
		return Payment{}, apperr.FieldInvalid("channel", "must be one of virtual_account, va_bca, va_bri, va_mandiri, qris, ewallet")
	}
	payable, ok := s.payables[kind]
	if !ok {
		return Payment{}, apperr.Missing(kind, subjectID)
	}
	now := s.now()
	p := Payment{ID: uuid.Must(uuid.NewV7()), SubjectKind: kind, SubjectID: subjectID, PayerID: who.ID,
		Provider: s.gateway.Name(), Channel: ch, Status: Pending, CreatedAt: now, ExpiresAt: now.Add(openingWindow)}
	var reference string
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		if err := lockSubject(ctx, tx, kind, subjectID, now); err != nil {
			return err
		}
		due, err := payable.PaymentDue(ctx, tx, subjectID)
		if err != nil {
			return err
		}
		switch {
		case due.Settled:
			return errAlreadyPaid()
		case due.Closed || due.AmountIDR <= 0:
			return apperr.StateConflict("not_payable", "This can no longer be paid.")
		}
		p.AmountIDR, p.Reference, p.Masked, p.Period = due.AmountIDR, due.Shown, due.Masked, due.Period
		reference = due.Reference
		res := tx.Exec(`UPDATE payments SET status = ?, updated_at = ? WHERE subject_kind = ? AND subject_id = ? AND status = ?`,
			Expired, now, kind, subjectID, Pending)
		if res.Error != nil {
			return fmt.Errorf("expire pending payment: %w", res.Error)
		}
		s.metrics.entered(tx, Expired, res.RowsAffected)
		if err := tx.Exec(`INSERT INTO payments (id, subject_kind, subject_id, payer_id, provider, channel, status, amount_idr,
			reference, reference_masked, period, expires_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, kind, subjectID, who.ID, p.Provider, string(ch), string(Pending), p.AmountIDR, p.Reference, p.Masked, p.Period,
			p.ExpiresAt, now, now).Error; err != nil {
			return fmt.Errorf("insert payment: %w", err)
		}
		s.metrics.entered(tx, Pending, 1)
		return nil
	})
	if err != nil {
		return Payment{}, err
	}

	ins, openErr := s.gateway.Open(ctx, Intent{ID: p.ID, Channel: ch, AmountIDR: p.AmountIDR, Reference: reference, Now: now})
	// The outcome is recorded even if the client has gone away meanwhile:
	// the gateway has acted on the payment.
	done, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if openErr != nil {
		res := s.db.WithContext(done).Exec(`UPDATE payments SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
			string(Failed), s.now(), p.ID, string(Pending))
		if res.Error != nil {
			return Payment{}, errors.Join(openErr, fmt.Errorf("mark payment failed: %w", res.Error))
		}
		s.metrics.entered(nil, Failed, res.RowsAffected)
		return Payment{}, openErr
	}
	err = s.db.InTx(done, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE payments SET va_number = ?, qr_string = ?, checkout_url = ?, expires_at = ?, updated_at = ?
			WHERE id = ? AND status = ?`, ins.VANumber, ins.QRString, ins.CheckoutURL, ins.ExpiresAt.UTC(), s.now(), p.ID, string(Pending))
		if res.Error != nil {
			return fmt.Errorf("store payment instructions: %w", res.Error)
		}
		// A retry with the request's Idempotency-Key finds this payment
		// even if this process dies before answering.
		return idempotency.BindEffect(done, tx, p.ID.String())
	})
	if err != nil {
		return Payment{}, err
	}
	r, err := paymentByID(done, s.db.DB, p.ID)
	if err != nil {
		return Payment{}, err
	}
	return r.toDomain(), nil
}

// MyPayment returns a payment, with its receipt once paid, to its payer;
// to anyone else it does not exist.
func (s *Service) MyPayment(ctx context.Context, who identity.Actor, id uuid.UUID) (Payment, error) {
	r, err := paymentByID(ctx, s.db.DB, id)
	if err != nil {
		return Payment{}, err
	}
	if r.PayerID != who.ID {
		return Payment{}, apperr.Missing("payment", id)
	}
	p := r.toDomain()
	if p.Receipt, err = receiptOf(ctx, s.db.DB, id); err != nil {
		return Payment{}, err
	}
	return p, nil
}

// MyReceipt returns the receipt of a paid payment to its payer; a payment
// without one (not paid) is 404.
func (s *Service) MyReceipt(ctx context.Context, who identity.Actor, id uuid.UUID) (Receipt, error) {
	p, err := s.MyPayment(ctx, who, id)
	if err != nil {
		return Receipt{}, err
	}
	if p.Receipt == nil {
		return Receipt{}, apperr.Missing("receipt of payment", id)
	}
	return *p.Receipt, nil
}

// Outcome is what a notification did.
type Outcome struct {
	PaymentID uuid.UUID
	Status    Status // the payment's status after it
	Duplicate bool   // the event was seen before and changed nothing
	// Effect is what a new event did: paid, applied (failed or expired),
	// refund_due or ignored.
	Effect string
}

// Notify handles a gateway's notification: verified before anything is
// read or changed, then applied once (see apply).
func (s *Service) Notify(ctx context.Context, header http.Header, body []byte) (Outcome, error) {
	o, err := s.notify(ctx, header, body, nil)
	s.metrics.webhook(o, err)
	return o, err
}

func (s *Service) notify(ctx context.Context, header http.Header, body []byte, also func(tx *gorm.DB, o Outcome) error) (Outcome, error) {
	if s.gateway == nil {
		return Outcome{}, errNoGateway
	}
	e, err := s.gateway.Verify(header, body)
	if err != nil {
		return Outcome{}, err
	}
	var out Outcome
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		o, err := s.apply(ctx, tx, e)
		if err != nil {
			return err
		}
		out = o
		if also != nil {
			return also(tx, o)
		}
		return nil
	})
	return out, err
}

// apply stores the event once and moves the payment forward. The amount is
// checked first (a mismatch stores nothing); a redelivered event changes
// nothing; the subject's lock orders it against starts and other events.
func (s *Service) apply(ctx context.Context, tx *gorm.DB, e Event) (Outcome, error) {
	now := s.now()
	p, err := paymentByID(ctx, tx, e.PaymentID)
	if err != nil {
		return Outcome{}, err
	}
	if p.Provider != s.gateway.Name() {
		return Outcome{}, apperr.Missing("payment", e.PaymentID)
	}
	if e.AmountIDR != p.AmountIDR {
		return Outcome{}, &apperr.Error{Kind: apperr.Unprocessable, Code: "amount_mismatch",
			Detail: fmt.Sprintf("The notified amount is not the payment's %d rupiah.", p.AmountIDR)}
	}
	res := tx.Exec(`INSERT INTO payment_events (provider, event_id, payment_id, status, amount_idr, received_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, p.Provider, e.EventID, p.ID, string(e.Status), e.AmountIDR, now)
	if res.Error != nil {
		return Outcome{}, fmt.Errorf("store payment event: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		cur, err := paymentByID(ctx, tx, p.ID)
		return Outcome{PaymentID: p.ID, Status: Status(cur.Status), Duplicate: true}, err
	}
	if err := lockSubject(ctx, tx, p.SubjectKind, p.SubjectID, now); err != nil {
		return Outcome{}, err
	}
	status, outcome, err := s.advance(ctx, tx, p, e, now)
	if err != nil {
		return Outcome{}, err
	}
	if err := tx.Exec("UPDATE payment_events SET outcome = ? WHERE provider = ? AND event_id = ?",
		outcome, p.Provider, e.EventID).Error; err != nil {
		return Outcome{}, fmt.Errorf("record event outcome: %w", err)
	}
	if outcome != "ignored" {
		s.metrics.entered(tx, status, 1)
	}
	return Outcome{PaymentID: p.ID, Status: status, Effect: outcome}, nil
}

// advance is the state machine: pending → paid | failed | expired by
// conditional UPDATEs; paid is final; a paid notice for a payment that is
// no longer pending becomes refund_due (audited) and never pays the
// subject twice.
func (s *Service) advance(ctx context.Context, tx *gorm.DB, p paymentRow, e Event, now time.Time) (Status, string, error) {
	if e.Status == Pending {
		// A notice that moves nothing (Midtrans's pending, a fraud challenge).
		return Status(p.Status), "ignored", nil
	}
	if e.Status != Paid {
		res := tx.Exec("UPDATE payments SET status = ?, updated_at = ? WHERE id = ? AND status = ?", string(e.Status), now, p.ID, Pending)
		if res.Error != nil {
			return "", "", fmt.Errorf("update payment: %w", res.Error)
		}
		cur, err := paymentByID(ctx, tx, p.ID)
		if err != nil {
			return "", "", err
		}
		if res.RowsAffected == 1 {
			return Status(cur.Status), "applied", nil
		}
		return Status(cur.Status), "ignored", nil
	}
	res := tx.Exec("UPDATE payments SET status = ?, paid_at = ?, updated_at = ? WHERE id = ? AND status = ?",
		string(Paid), e.PaidAt, now, p.ID, Pending)
	if res.Error != nil {
		return "", "", fmt.Errorf("update payment: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		err := s.payables[p.SubjectKind].MarkPaid(ctx, tx, p.SubjectID, p.ID, e.PaidAt)
		if k := apperr.KindOf(err); err != nil && k == apperr.Conflict {
			// Paid another way meanwhile: this money is owed back.
			return s.refundDue(ctx, tx, p, e, now, Paid)
		}
		if err != nil {
			return "", "", err
		}
		p.Status = string(Paid)
		rc, err := issueReceipt(ctx, tx, p, e.PaidAt, now)
		if err != nil {
			return "", "", err
		}
		if err := s.notes.Notify(ctx, tx, paidMessage(p, rc)); err != nil {
			return "", "", err
		}
		return Paid, "paid", nil
	}
	cur, err := paymentByID(ctx, tx, p.ID)
	if err != nil {
		return "", "", err
	}
	switch Status(cur.Status) {
	case Failed, Expired:
		return s.refundDue(ctx, tx, cur, e, now, Status(cur.Status))
	}
	return Status(cur.Status), "ignored", nil
}

func (s *Service) refundDue(ctx context.Context, tx *gorm.DB, p paymentRow, e Event, now time.Time, from Status) (Status, string, error) {
	res := tx.Exec("UPDATE payments SET status = ?, paid_at = ?, updated_at = ? WHERE id = ? AND status = ?",
		string(RefundDue), e.PaidAt, now, p.ID, string(from))
	if res.Error != nil {
		return "", "", fmt.Errorf("mark refund due: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return "", "", errors.New("payment moved during its refund")
	}
	// Revenue staff find it in the audit log; the payer is told the money
	// will come back.
	if err := audit.Record(ctx, tx, "payment.refund_due", "payment", p.ID.String(), map[string]any{
		"subject_kind": p.SubjectKind, "subject_id": p.SubjectID, "amount_idr": p.AmountIDR,
		"event_id": e.EventID, "was": string(from)}); err != nil {
		return "", "", err
	}
	msgs := []notification.Message{refundMessage(p)}
	if s.desk != nil {
		staff, err := s.desk.StaffOf(ctx, tx, s.deskDept)
		if err != nil {
			return "", "", err
		}
		for _, id := range staff {
			msgs = append(msgs, staffRefundMessage(p, id))
		}
	}
	if err := s.notes.Notify(ctx, tx, msgs...); err != nil {
		return "", "", err
	}
	return RefundDue, "refund_due", nil
}

// issueReceipt gives the subject its one receipt with a fresh NTPD. ON
// CONFLICT keeps the transaction usable on PostgreSQL: a taken NTPD is
// drawn again, a receipt the subject already has is kept.
func issueReceipt(ctx context.Context, tx *gorm.DB, p paymentRow, paidAt, now time.Time) (Receipt, error) {
	day := civil.TodayInJakarta(paidAt)
	for range 5 {
		n, err := ntpd.Random(ntpd.SurakartaRegion, day)
		if err != nil {
			return Receipt{}, err
		}
		r := receiptRow{PaymentID: p.ID, SubjectKind: p.SubjectKind, SubjectID: p.SubjectID, NTPD: n, AmountIDR: p.AmountIDR,
			Channel: p.Channel, Reference: p.Reference, Masked: p.Masked, Period: p.Period, PaidAt: paidAt.UTC(), CreatedAt: now}
		res := tx.WithContext(ctx).Exec(`INSERT INTO payment_receipts (payment_id, subject_kind, subject_id, ntpd, amount_idr,
			channel, reference, reference_masked, period, paid_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			r.PaymentID, r.SubjectKind, r.SubjectID, r.NTPD, r.AmountIDR, r.Channel, r.Reference, r.Masked, r.Period, r.PaidAt, r.CreatedAt)
		if res.Error != nil {
			return Receipt{}, fmt.Errorf("insert receipt: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return r.toDomain(), nil
		}
		var have []receiptRow
		if err := tx.WithContext(ctx).Where("subject_kind = ? AND subject_id = ?", p.SubjectKind, p.SubjectID).
			Limit(1).Find(&have).Error; err != nil {
			return Receipt{}, fmt.Errorf("load receipt: %w", err)
		}
		if len(have) == 1 {
			return have[0].toDomain(), nil
		}
	}
	return Receipt{}, errors.New("no free NTPD after 5 draws")
}

func paidMessage(p paymentRow, r Receipt) notification.Message {
	amount := rupiah(p.AmountIDR)
	return notification.Message{UserID: p.PayerID, Kind: "payment_paid", Entity: "payment", EntityID: p.ID.String(),
		DedupeKey: "payment_paid:" + p.ID.String(),
		Title:     notification.Text{ID: "Pembayaran berhasil", EN: "Payment received"},
		Body: notification.Text{
			ID: fmt.Sprintf("Rp%s untuk %s %s diterima. NTPD %s.", amount, p.Reference, p.Period, r.NTPD),
			EN: fmt.Sprintf("Rp%s for %s %s received. NTPD %s.", amount, p.Reference, p.Period, r.NTPD)}}
}

func refundMessage(p paymentRow) notification.Message {
	amount := rupiah(p.AmountIDR)
	return notification.Message{UserID: p.PayerID, Kind: "payment_refund_due", Entity: "payment", EntityID: p.ID.String(),
		DedupeKey: "payment_refund_due:" + p.ID.String(),
		Title:     notification.Text{ID: "Dana akan dikembalikan", EN: "Refund due"},
		Body: notification.Text{
			ID: fmt.Sprintf("Pembayaran Rp%s untuk %s tiba setelah tagihan dibayar atau kedaluwarsa; dana akan dikembalikan.", amount, p.Reference),
			EN: fmt.Sprintf("Rp%s for %s arrived after the bill was paid or the payment expired; it will be refunded.", amount, p.Reference)}}
}

func staffRefundMessage(p paymentRow, staff uuid.UUID) notification.Message {
	amount := rupiah(p.AmountIDR)
	return notification.Message{UserID: staff, Kind: "payment_refund_due_staff", Entity: "payment", EntityID: p.ID.String(),
		DedupeKey: "payment_refund_due_staff:" + p.ID.String(),
		Title:     notification.Text{ID: "Pengembalian dana diperlukan", EN: "Refund to make"},
		Body: notification.Text{
			ID: fmt.Sprintf("Pembayaran %s sebesar Rp%s untuk %s %s tiba setelah kedaluwarsa atau digantikan; kembalikan dananya.", p.ID, amount, p.Reference, p.Period),
			EN: fmt.Sprintf("Payment %s of Rp%s for %s %s arrived after it expired or was superseded; refund it.", p.ID, amount, p.Reference, p.Period)}}
}

// rupiah writes n with dots between thousands, as Indonesians do.
func rupiah(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Settle is the sandbox's "the payer paid": staff send a correctly signed
// paid notification for a pending payment through the same path a gateway
// uses, audited in its transaction. A paid payment settles again as a
// no-op; any other → 409.
func (s *Service) Settle(ctx context.Context, id uuid.UUID) (Payment, error) {
	settler, ok := s.gateway.(Settler)
	if !ok {
		return Payment{}, apperr.Missing("sandbox payment", id)
	}
	p, err := paymentByID(ctx, s.db.DB, id)
	if err != nil {
		return Payment{}, err
	}
	switch Status(p.Status) {
	case Pending, Paid:
	default:
		return Payment{}, apperr.StateConflict("payment_not_pending", "Only a pending payment can be settled; this one is "+p.Status+".")
	}
	header, body, err := settler.Settlement(Event{EventID: "settle-" + uuid.Must(uuid.NewV7()).String(), PaymentID: id,
		Status: Paid, AmountIDR: p.AmountIDR, PaidAt: s.now()})
	if err != nil {
		return Payment{}, err
	}
	_, err = s.notify(ctx, header, body, func(tx *gorm.DB, o Outcome) error {
		return audit.Record(ctx, tx, "payment.settle", "payment", id.String(), map[string]any{"status": string(o.Status)})
	})
	if err != nil {
		return Payment{}, err
	}
	r, err := paymentByID(ctx, s.db.DB, id)
	if err != nil {
		return Payment{}, err
	}
	out := r.toDomain()
	out.Receipt, err = receiptOf(ctx, s.db.DB, id)
	return out, err
}

// CheckReceipt is the public check of a receipt number printed on a
// receipt: only the number, amount, day and masked reference come back. A
// number that fails its check digits is refused before any lookup.
func (s *Service) CheckReceipt(ctx context.Context, number string) (Receipt, error) {
	if !ntpd.Valid(number) {
		return Receipt{}, apperr.BadRequest("That is not a valid NTPD: 20 digits with matching check digits.")
	}
	var rows []receiptRow
	if err := s.db.WithContext(ctx).Where("ntpd = ?", number).Limit(1).Find(&rows).Error; err != nil {
		return Receipt{}, fmt.Errorf("load receipt: %w", err)
	}
	if len(rows) == 0 {
		return Receipt{}, apperr.Missing("receipt", number)
	}
	return rows[0].toDomain(), nil
}

// PaymentFilter narrows the staff overview; zero fields match everything.
type PaymentFilter struct {
	Status    Status
	SubjectID *uuid.UUID
}

// List returns up to limit payments matching f older than after, newest
// first, for revenue staff (the route guards who asks).
func (s *Service) List(ctx context.Context, f PaymentFilter, after *uuid.UUID, limit int) ([]Payment, bool, error) {
	q := s.db.WithContext(ctx).Model(&paymentRow{})
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.SubjectID != nil {
		q = q.Where("subject_id = ?", *f.SubjectID)
	}
	if after != nil {
		q = q.Where("id < ?", *after)
	}
	var rows []paymentRow
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list payments: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out := make([]Payment, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, more, nil
}
