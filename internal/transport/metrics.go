package transport

import (
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/database"
)

// metrics count bookings as they commit; a rolled-back booking or
// cancellation is never counted. Labels are fixed sets, never ids.
type metrics struct {
	confirmed prometheus.Counter
	cancelled *prometheus.CounterVec
}

func newMetrics() metrics {
	m := metrics{
		confirmed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "transport_bookings_confirmed_total", Help: "Seat bookings confirmed (committed).",
		}),
		cancelled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transport_bookings_cancelled_total",
			Help: "Seat bookings cancelled (committed), by reason: passenger, staff (trip cancelled) or min_passengers (ridership check).",
		}, []string{"reason"}),
	}
	for _, r := range []string{"passenger", cancelByStaff, cancelMinPassengers} {
		m.cancelled.WithLabelValues(r) // every series from the first scrape, at 0
	}
	return m
}

// Collectors are the transport metrics, for the process's registry.
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.metrics.confirmed, s.metrics.cancelled}
}

func (m metrics) bookingConfirmed(tx *gorm.DB) {
	database.AfterCommit(tx, m.confirmed.Inc)
}

func (m metrics) bookingsCancelled(tx *gorm.DB, reason string, n int64) {
	if n > 0 {
		database.AfterCommit(tx, func() { m.cancelled.WithLabelValues(reason).Add(float64(n)) })
	}
}
