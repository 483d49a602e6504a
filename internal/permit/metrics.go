package permit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queueMetricsTTL is how long one reading of the licensing queue answers
// scrapes: scrapes every few seconds from several Prometheus servers cost
// the database one set of aggregate queries per TTL at most.
const queueMetricsTTL = 10 * time.Second

// queueMetricsTimeout bounds one reading; a slow database gives a scrape
// without the queue gauges rather than a hung scrape.
const queueMetricsTimeout = 2 * time.Second

var (
	queueOpenDesc = prometheus.NewDesc("permit_queue_open",
		"Open permit applications (submitted, in_review, needs_revision) by status.", []string{"status"}, nil)
	queueAgeDesc = prometheus.NewDesc("permit_queue_by_age",
		"Open permit applications by whole days since their first submission (0-2, 3-5, 6-10, 11-20, 21+).", []string{"days"}, nil)
	queueOverdueDesc = prometheus.NewDesc("permit_queue_overdue",
		"Permit applications submitted or in review past their SLA due date.", nil, nil)
	queueOldestDesc = prometheus.NewDesc("permit_queue_oldest_age_seconds",
		"Age of the oldest open permit application since its first submission; 0 when the queue is empty.", nil, nil)
)

// queueCollector reads the licensing queue from the database when scraped,
// at most once per queueMetricsTTL (concurrent scrapes share one reading).
type queueCollector struct {
	s   *Service
	log *slog.Logger

	mu     sync.Mutex
	at     time.Time
	last   queueReading
	loaded bool
}

type queueReading struct {
	summary Summary
	oldest  time.Duration
}

// QueueCollector exports the licensing queue's size, age and overdue count.
func (s *Service) QueueCollector(log *slog.Logger) prometheus.Collector {
	return &queueCollector{s: s, log: log}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueOpenDesc
	ch <- queueAgeDesc
	ch <- queueOverdueDesc
	ch <- queueOldestDesc
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	r, ok := c.read()
	if !ok {
		return
	}
	for _, st := range Open {
		ch <- prometheus.MustNewConstMetric(queueOpenDesc, prometheus.GaugeValue, float64(r.summary.ByStatus[st]), string(st))
	}
	for _, b := range r.summary.Queue {
		n := 0
		for _, v := range b.ByStatus {
			n += v
		}
		days := fmt.Sprintf("%d+", b.Min)
		if b.Max != nil {
			days = fmt.Sprintf("%d-%d", b.Min, *b.Max)
		}
		ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, float64(n), days)
	}
	ch <- prometheus.MustNewConstMetric(queueOverdueDesc, prometheus.GaugeValue, float64(r.summary.Overdue))
	ch <- prometheus.MustNewConstMetric(queueOldestDesc, prometheus.GaugeValue, r.oldest.Seconds())
}

// read returns the cached reading, or takes a new one when it is older than
// the TTL (by the service's clock, which tests move).
func (c *queueCollector) read() (queueReading, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.s.now()
	if c.loaded && now.Sub(c.at) < queueMetricsTTL && !now.Before(c.at) {
		return c.last, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), queueMetricsTimeout)
	defer cancel()
	r, err := c.s.queueReading(ctx)
	if err != nil {
		c.log.Warn("permit queue metrics", "err", err)
		return queueReading{}, false
	}
	c.at, c.last, c.loaded = now, r, true
	return r, true
}

func (s *Service) queueReading(ctx context.Context) (queueReading, error) {
	sum, err := s.Summary(ctx)
	if err != nil {
		return queueReading{}, err
	}
	open := make([]string, len(Open))
	for i, st := range Open {
		open[i] = string(st)
	}
	// The column itself, not MIN(): SQLite returns an aggregate's time as text.
	var oldest []time.Time
	if err := s.db.WithContext(ctx).Table("permit_applications").
		Where("status IN ? AND submitted_at IS NOT NULL", open).
		Order("submitted_at").Limit(1).Pluck("submitted_at", &oldest).Error; err != nil {
		return queueReading{}, fmt.Errorf("oldest open permit application: %w", err)
	}
	r := queueReading{summary: sum}
	if len(oldest) == 1 {
		r.oldest = max(sum.At.Sub(oldest[0]), 0)
	}
	return r, nil
}
