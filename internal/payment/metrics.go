package payment

import (
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

// metrics count payments and gateway notifications once their effect has
// committed. Labels are fixed sets, never ids or amounts.
type metrics struct {
	statuses *prometheus.CounterVec
	webhooks *prometheus.CounterVec
}

// webhookOutcomes are the values of payment_webhooks_total's outcome label.
var webhookOutcomes = []string{"paid", "applied", "ignored", "refund_due", "duplicate",
	"bad_signature", "malformed", "invalid", "amount_mismatch", "unknown_payment", "unavailable", "error"}

func newMetrics() metrics {
	m := metrics{
		statuses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payments_total",
			Help: "Payments that entered each status (committed): pending when opened, then paid, failed, expired or refund_due.",
		}, []string{"status"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payment_webhooks_total",
			Help: "Gateway notifications received on the webhook, by outcome: what they changed (paid, applied, ignored, refund_due), duplicate, or why they were refused.",
		}, []string{"outcome"}),
	}
	for _, s := range []Status{Pending, Paid, Failed, Expired, RefundDue} {
		m.statuses.WithLabelValues(string(s))
	}
	for _, o := range webhookOutcomes {
		m.webhooks.WithLabelValues(o)
	}
	return m
}

// Collectors are the payment metrics, for the process's registry.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.metrics.statuses, s.metrics.webhooks}
}

// entered counts n payments entering status once tx commits (tx nil: the
// change is already committed).
func (m metrics) entered(tx *gorm.DB, status Status, n int64) {
	if n <= 0 {
		return
	}
	inc := func() { m.statuses.WithLabelValues(string(status)).Add(float64(n)) }
	if tx == nil {
		inc()
		return
	}
	database.AfterCommit(tx, inc)
}

// webhook counts one notification by what became of it. It runs after the
// notification's transaction ended, so a rolled-back one counts as refused.
func (m metrics) webhook(o Outcome, err error) {
	m.webhooks.WithLabelValues(webhookOutcome(o, err)).Inc()
}

func webhookOutcome(o Outcome, err error) string {
	if err == nil {
		if o.Duplicate {
			return "duplicate"
		}
		if o.Effect == "" {
			return "ignored"
		}
		return o.Effect
	}
	e, ok := apperr.As(err)
	if !ok {
		return "error"
	}
	switch {
	case e.Code == "amount_mismatch":
		return "amount_mismatch"
	case e.Kind == apperr.Unauthenticated:
		return "bad_signature"
	case e.Kind == apperr.Invalid:
		return "malformed"
	case e.Kind == apperr.Unprocessable:
		return "invalid"
	case e.Kind == apperr.NotFound:
		return "unknown_payment"
	case e.Kind == apperr.Unavailable:
		return "unavailable"
	}
	return "error"
}
