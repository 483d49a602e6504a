package payment

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/cursor"
)

var wib = time.FixedZone("WIB", 7*3600)

// createPaymentRequest is the body of starting a payment.
type createPaymentRequest struct {
	Channel string `json:"channel" enums:"virtual_account,va_bca,va_bri,va_mandiri,qris,ewallet" example:"qris"` // virtual_account is a BCA virtual account
} // @name CreatePaymentRequest

type receiptResponse struct {
	NTPD      string    `json:"ntpd" minLength:"20" maxLength:"20" example:"33722026100100012345"` // receipt number: region, day (Asia/Jakarta), serial, MOD 97-10 check digits
	PaymentID uuid.UUID `json:"payment_id" format:"uuid" maxLength:"36"`
	BillID    uuid.UUID `json:"bill_id" format:"uuid" maxLength:"36"`
	NOP       string    `json:"nop" maxLength:"40" example:"33.72.010.001.002-0003.0"`
	Period    string    `json:"period" maxLength:"20" example:"2026"`
	AmountIDR int64     `json:"amount_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"1262500"`
	Channel   string    `json:"channel" enums:"virtual_account,va_bca,va_bri,va_mandiri,qris,ewallet" example:"qris"`
	PaidAt    time.Time `json:"paid_at" format:"date-time" maxLength:"35"`
} // @name PaymentReceipt

type paymentResponse struct {
	ID          uuid.UUID        `json:"id" format:"uuid" maxLength:"36" example:"0193a5b2-9d00-7a11-8b22-1b2c3d4e5f60"`
	BillID      uuid.UUID        `json:"bill_id" format:"uuid" maxLength:"36"`
	PayerID     uuid.UUID        `json:"payer_id" format:"uuid" maxLength:"36"` // who started it (not necessarily the bill's owner)
	Status      string           `json:"status" enums:"pending,paid,failed,expired,refund_due" example:"pending"`
	Channel     string           `json:"channel" enums:"virtual_account,va_bca,va_bri,va_mandiri,qris,ewallet" example:"qris"`
	AmountIDR   int64            `json:"amount_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"1262500"` // fixed when the payment was started
	NOP         string           `json:"nop" maxLength:"40" example:"33.72.010.001.002-0003.0"`
	Period      string           `json:"period" maxLength:"20" example:"2026"`
	ExpiresAt   time.Time        `json:"expires_at" format:"date-time" maxLength:"35"`
	VANumber    string           `json:"va_number,omitempty" minLength:"10" maxLength:"32" extensions:"x-optional" example:"393580100010020003"` // virtual account channels (the sandbox: bank prefix and the NOP's last 13 digits)
	QRString    string           `json:"qr_string,omitempty" maxLength:"512" extensions:"x-optional"`                                            // qris: an EMVCo dynamic QR payload
	CheckoutURL string           `json:"checkout_url,omitempty" format:"uri" maxLength:"200" extensions:"x-optional"`                            // ewallet
	PaidAt      *time.Time       `json:"paid_at" format:"date-time" maxLength:"35" extensions:"x-nullable"`
	CreatedAt   time.Time        `json:"created_at" format:"date-time" maxLength:"35"`
	Receipt     *receiptResponse `json:"receipt,omitempty" extensions:"x-optional"` // once paid
} // @name Payment

func toReceiptResponse(r Receipt) receiptResponse {
	return receiptResponse{NTPD: r.NTPD, PaymentID: r.PaymentID, BillID: r.SubjectID, NOP: r.Reference, Period: r.Period,
		AmountIDR: r.AmountIDR, Channel: string(r.Channel), PaidAt: r.PaidAt.In(wib)}
}

func toPaymentResponse(p Payment) paymentResponse {
	out := paymentResponse{ID: p.ID, BillID: p.SubjectID, PayerID: p.PayerID, Status: string(p.Status), Channel: string(p.Channel),
		AmountIDR: p.AmountIDR, NOP: p.Reference, Period: p.Period, ExpiresAt: p.ExpiresAt.In(wib),
		VANumber: p.VANumber, QRString: p.QRString, CheckoutURL: p.CheckoutURL, CreatedAt: p.CreatedAt.In(wib)}
	if p.PaidAt != nil {
		t := p.PaidAt.In(wib)
		out.PaidAt = &t
	}
	if p.Receipt != nil {
		r := toReceiptResponse(*p.Receipt)
		out.Receipt = &r
	}
	return out
}

// PayTaxBill handles POST /api/v1/taxes/bills/{id}/payments.
//
//	@Summary		Start paying a tax bill
//	@Description	Any signed-in user may pay any bill (their own, or a relative's found by the NOP lookup). The amount is the bill's total (principal and penalty) as of today in Asia/Jakarta, fixed for this payment. The answer carries how to pay: `va_number` for the virtual account channels (valid 24 h), `qr_string` (a dynamic QRIS payload, valid 15 min) or `checkout_url` (ewallet, 15 min). Starting a payment expires the bill's pending one; when two starts of one bill overlap, the earlier answers 201 with `status: expired` and no instructions (use the newer one). A paid bill → 409 `already_paid`; a cancelled one → 409 `not_payable`.
//	@Description	Send an `Idempotency-Key` to retry safely: the same key with the same body answers the first response again (with `Idempotent-Replayed: true`); the same key with another body → 422 `idempotency_conflict`; while the first request is still running → 409 `idempotency_in_progress` with `Retry-After`. Keys are per user and kept 24 h.
//	@ID				createTaxBillPayment
//	@Tags			payments
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id				path		string					true	"Bill ID"	format(uuid)	maxLength(36)
//	@Param			Idempotency-Key	header		string					false	"Unique per intended payment, e.g. a UUID"	maxLength(255)
//	@Param			body			body		createPaymentRequest	true	"The channel"
//	@Success		201				{object}	paymentResponse
//	@Failure		400				{object}	problem.Problem	"malformed JSON, bad Idempotency-Key"
//	@Failure		404				{object}	problem.Problem	"no such bill"
//	@Failure		409				{object}	problem.Problem	"already_paid, not_payable or idempotency_in_progress"
//	@Failure		422				{object}	problem.Problem	"unknown channel or idempotency_conflict"
//	@Failure		503				{object}	problem.Problem	"payments are not available on this instance, or gateway_unavailable (the gateway did not open the payment; Retry-After)"
//	@Router			/taxes/bills/{id}/payments [post]
func PayTaxBill(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		var in createPaymentRequest
		if err := web.BindJSON(c, &in); err != nil {
			return err
		}
		ctx := c.Request.Context()
		p, err := svc.Start(ctx, identity.ActorFrom(ctx), KindTaxBill, id, Channel(in.Channel))
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/me/payments/"+p.ID.String())
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, toPaymentResponse(p))
		return nil
	}
}

// ReplayPayment answers the retry of a payment request whose payment was
// made but whose answer was lost, as the first attempt would have.
func ReplayPayment(svc *Service) idempotency.Replayer {
	return func(c *gin.Context, resource string) error {
		id, err := uuid.Parse(resource)
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		p, err := svc.MyPayment(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Location", "/api/v1/me/payments/"+p.ID.String())
		c.JSON(http.StatusCreated, toPaymentResponse(p))
		return nil
	}
}

// GetMyPayment handles GET /api/v1/me/payments/{id}.
//
//	@Summary		One of my payments
//	@Description	The payment with its status, and its receipt once paid. Someone else's payment is 404.
//	@ID				getMyPayment
//	@Tags			payments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Payment ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	paymentResponse
//	@Failure		404	{object}	problem.Problem	"no such payment of yours"
//	@Failure		503	{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/me/payments/{id} [get]
func GetMyPayment(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		p, err := svc.MyPayment(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toPaymentResponse(p))
		return nil
	}
}

// GetMyReceipt handles GET /api/v1/me/payments/{id}/receipt.
//
//	@Summary		The receipt of one of my payments
//	@Description	Issued once, when the payment is paid: `ntpd, bill_id, nop, period, amount_idr, channel, paid_at`. With `Accept: application/pdf` the printable receipt instead, as `/receipt.pdf` answers. A payment not paid (yet) or someone else's → 404.
//	@ID				getMyPaymentReceipt
//	@Tags			payments
//	@Produce		json,application/pdf
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Payment ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	receiptResponse
//	@Failure		404	{object}	problem.Problem	"no such payment of yours, or not paid"
//	@Failure		503	{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/me/payments/{id}/receipt [get]
func GetMyReceipt(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		r, err := svc.MyReceipt(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		c.Header("Vary", "Accept")
		if c.NegotiateFormat(gin.MIMEJSON, "application/pdf") == "application/pdf" {
			return writeReceiptPDF(c, r)
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toReceiptResponse(r))
		return nil
	}
}

// webhookResponse acknowledges a notification.
type webhookResponse struct {
	PaymentID uuid.UUID `json:"payment_id" format:"uuid" maxLength:"36"`
	Status    string    `json:"status" enums:"pending,paid,failed,expired,refund_due" example:"paid"` // the payment's status after the notification
	Duplicate bool      `json:"duplicate"`                                                            // the event was delivered before and changed nothing
} // @name PaymentWebhookAck

// webhookBody documents the sandbox gateway's notification.
type webhookBody struct {
	EventID   string    `json:"event_id" minLength:"1" maxLength:"100"`
	PaymentID uuid.UUID `json:"payment_id" format:"uuid" maxLength:"36"`
	Status    string    `json:"status" enums:"paid,failed,expired"`
	AmountIDR int64     `json:"amount_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"150000"`
	PaidAt    time.Time `json:"paid_at" format:"date-time" maxLength:"35"`
} // @name PaymentWebhook

// Webhook handles POST /api/v1/payments/webhook.
//
//	@Summary		Payment gateway notification
//	@Description	Sent by the configured gateway, not by apps, in its own format: the sandbox's is documented here; with `PAYMENT_GATEWAY=midtrans` it is Midtrans's HTTP notification, verified by its `signature_key` = SHA512(order_id + status_code + gross_amount + server key), `gross_amount` like `"150000.00"` read as whole rupiah (a non-zero fraction → 422 `amount_fraction`). For the sandbox, `X-Signature` is the lowercase hex HMAC-SHA256 of the raw body under `PAYMENT_WEBHOOK_SECRET`, checked before the body is read: a bad one → 401 and nothing changes. An amount other than the payment's → 422 `amount_mismatch`, nothing changes. Each `(provider, event_id)` is applied once: a redelivery answers 200 with `duplicate: true`. Statuses only move forward (pending → paid, failed or expired; paid is final); on paid the bill is paid and its receipt (NTPD) issued; a paid notice for a payment already expired or failed is recorded as `refund_due` and never pays the bill twice.
//	@ID				receivePaymentWebhook
//	@Tags			payments
//	@Accept			json
//	@Produce		json
//	@Param			X-Signature	header		string		false	"sandbox gateway: hex HMAC-SHA256 of the raw body (a Midtrans-style gateway signs inside its JSON instead)"	maxLength(128)
//	@Param			body		body		webhookBody	true	"The notification"
//	@Success		200			{object}	webhookResponse
//	@Failure		400			{object}	problem.Problem	"not the sandbox's JSON"
//	@Failure		401			{object}	problem.Problem	"missing or bad signature"
//	@Failure		404			{object}	problem.Problem	"no such payment"
//	@Failure		422			{object}	problem.Problem	"amount_mismatch, bad status or event_id"
//	@Failure		503			{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/payments/webhook [post]
func Webhook(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return web.PayloadTooLarge(tooLarge.Limit)
			}
			return apperr.BadRequest("The request body could not be read.")
		}
		o, err := svc.Notify(c.Request.Context(), c.Request.Header, body)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, webhookResponse{PaymentID: o.PaymentID, Status: string(o.Status), Duplicate: o.Duplicate})
		return nil
	}
}

// SettleSandbox handles POST /api/v1/sandbox/payments/{id}/settle.
//
//	@Summary		Settle a payment in the sandbox
//	@Description	Sandbox gateway only (otherwise 404). Sends a correctly signed `paid` notification for the payment through the same path a gateway's takes; audited. A paid payment answers as it is; a failed, expired or refunded one → 409 `payment_not_pending`.
//	@ID				settleSandboxPayment
//	@Tags			payments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Payment ID"	format(uuid)	maxLength(36)
//	@Success		200	{object}	paymentResponse
//	@Failure		404	{object}	problem.Problem	"no such payment, or not the sandbox gateway"
//	@Failure		409	{object}	problem.Problem	"payment_not_pending"
//	@Failure		503	{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/sandbox/payments/{id}/settle [post]
func SettleSandbox(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		p, err := svc.Settle(c.Request.Context(), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toPaymentResponse(p))
		return nil
	}
}

// receiptCheckResponse is all a public receipt check shows.
type receiptCheckResponse struct {
	NTPD      string `json:"ntpd" minLength:"20" maxLength:"20" example:"33722026101500012345"`
	AmountIDR int64  `json:"amount_idr" minimum:"1" maximum:"2000000000000" format:"int64" example:"1262500"`
	PaidOn    string `json:"paid_on" format:"date" maxLength:"10" example:"2026-10-15"` // the day in Asia/Jakarta
	NOPMasked string `json:"nop_masked" maxLength:"40" example:"33.72.010.001.***-**03.0"`
} // @name ReceiptCheck

// CheckReceipt handles GET /api/v1/receipts/{ntpd}.
//
//	@Summary		Check a receipt number
//	@Description	Public: anyone holding a receipt (or scanning its QR code) checks that the city received the payment. Shows only the NTPD, the amount, the day paid (Asia/Jakarta) and the masked NOP. A number whose check digits do not match → 400 before any lookup; an unknown one → 404.
//	@ID				checkReceipt
//	@Tags			payments
//	@Produce		json
//	@Param			ntpd	path		string	true	"The 20-digit NTPD"	minLength(20)	maxLength(20)
//	@Success		200		{object}	receiptCheckResponse
//	@Failure		404		{object}	problem.Problem	"no such receipt"
//	@Router			/receipts/{ntpd} [get]
func CheckReceipt(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		r, err := svc.CheckReceipt(c.Request.Context(), c.Param("ntpd"))
		if err != nil {
			return err
		}
		// A receipt never changes once issued.
		c.Header("Cache-Control", "public, max-age=3600")
		c.JSON(http.StatusOK, receiptCheckResponse{NTPD: r.NTPD, AmountIDR: r.AmountIDR,
			PaidOn: r.PaidAt.In(wib).Format(time.DateOnly), NOPMasked: r.Masked})
		return nil
	}
}

// GetMyReceiptPDF handles GET /api/v1/me/payments/{id}/receipt.pdf.
//
//	@Summary		The receipt of one of my payments, as a PDF
//	@Description	The printable receipt (A5): NTPD, NOP, period, amount, channel, time paid, and a QR code that opens the public check `GET /receipts/{ntpd}`. A payment not paid (yet) or someone else's → 404.
//	@ID				getMyPaymentReceiptPdf
//	@Tags			payments
//	@Produce		application/pdf
//	@Security		BearerAuth
//	@Param			id	path		string	true	"Payment ID"	format(uuid)	maxLength(36)
//	@Success		200	{file}		binary	"the receipt (Content-Disposition: inline; filename=receipt-<ntpd>.pdf)"
//	@Failure		404	{object}	problem.Problem	"no such payment of yours, or not paid"
//	@Failure		503	{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/me/payments/{id}/receipt.pdf [get]
func GetMyReceiptPDF(svc *Service) web.HandlerFunc {
	return func(c *gin.Context) error {
		id, err := web.PathUUID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request.Context()
		r, err := svc.MyReceipt(ctx, identity.ActorFrom(ctx), id)
		if err != nil {
			return err
		}
		return writeReceiptPDF(c, r)
	}
}

func writeReceiptPDF(c *gin.Context, r Receipt) error {
	doc, err := ReceiptPDF(r, checkURL(c, r.NTPD))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", `inline; filename="receipt-`+r.NTPD+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", doc)
	return nil
}

// checkURL is the public check of an NTPD (see web.Origin).
func checkURL(c *gin.Context, number string) string {
	return web.Origin(c) + "/api/v1/receipts/" + number
}

type paymentList struct {
	Data []paymentResponse `json:"data" validate:"max=100"`
	Meta web.ListMeta      `json:"meta"`
} // @name PaymentList

// ListPayments handles GET /api/v1/staff/payments.
//
//	@Summary		Payments overview
//	@Description	Revenue staff's view of payments, newest first: e.g. `?status=refund_due` lists the money received for payments already expired, failed or superseded, to be refunded.
//	@ID				listPayments
//	@Tags			payments
//	@Produce		json
//	@Security		BearerAuth
//	@Param			status	query		string	false	"Only this status"	Enums(pending, paid, failed, expired, refund_due)
//	@Param			bill_id	query		string	false	"Only this bill's"	format(uuid)	maxLength(36)
//	@Param			limit	query		int		false	"Page size"			format(int32)	minimum(1)	maximum(100)	default(20)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	paymentList
//	@Failure		400		{object}	problem.Problem	"bad status, bill_id, limit or cursor"
//	@Failure		503		{object}	problem.Problem	"payments are not available on this instance"
//	@Router			/staff/payments [get]
func ListPayments(svc *Service, pg web.Pager) web.HandlerFunc {
	return func(c *gin.Context) error {
		var f PaymentFilter
		switch st := Status(c.Query("status")); st {
		case "", Pending, Paid, Failed, Expired, RefundDue:
			f.Status = st
		default:
			return apperr.BadRequest("status must be pending, paid, failed, expired or refund_due.")
		}
		if raw := c.Query("bill_id"); raw != "" {
			id, err := uuid.Parse(raw)
			if err != nil {
				return apperr.BadRequest("bill_id must be a UUID.")
			}
			f.SubjectID = &id
		}
		page, err := web.ReadPage[uuid.UUID](c, pg, cursor.Fingerprint("payments", string(f.Status), c.Query("bill_id")))
		if err != nil {
			return err
		}
		ps, more, err := svc.List(c.Request.Context(), f, page.After, page.Limit)
		if err != nil {
			return err
		}
		out, err := web.NewList(page, ps, more, func(p Payment) uuid.UUID { return p.ID }, toPaymentResponse)
		if err != nil {
			return err
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, paymentList(out))
		return nil
	}
}
