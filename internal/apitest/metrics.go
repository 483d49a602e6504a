package apitest

import (
	"bufio"
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// Metric scrapes GET /metrics and returns the value of one series, written
// as Prometheus prints it: `payments_total{status="paid"}` or a bare name.
// A series the scrape lacks fails the test.
func (a *API) Metric(series string) float64 {
	a.T.Helper()
	body := a.Get("/metrics", Anonymous).Expect(http.StatusOK).Body
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, series+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			a.T.Fatalf("metric %s: %q", series, line)
		}
		return v
	}
	a.T.Fatalf("/metrics has no series %s", series)
	return 0
}
