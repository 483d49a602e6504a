package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// Clients choose methods and paths; the metrics must not grow with them.
func TestMetricsStaySmallWhateverClientsSend(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	api.Get("/api/v1/categories", apitest.Anonymous).Expect(http.StatusOK)
	api.Do(apitest.Req{Method: "BREW", Path: "/api/v1/categories"})
	api.Get("/nowhere", apitest.Anonymous)
	before := len(api.Get("/metrics", apitest.Anonymous).Expect(http.StatusOK).Body)

	for i := range 2000 {
		path := fmt.Sprintf("/invented/%d", i)
		if i%2 == 0 {
			path = "/api/v1/categories"
		}
		api.Do(apitest.Req{Method: fmt.Sprintf("M%04d", i), Path: path})
	}
	m := api.Get("/metrics", apitest.Anonymous).Expect(http.StatusOK).Body
	if grew := len(m) - before; grew > 4<<10 {
		t.Fatalf("2000 requests with invented methods grew the scrape by %d bytes (from %d)", grew, before)
	}
	for _, leak := range []string{"M0001", "invented", "BREW"} {
		if bytes.Contains(m, []byte(leak)) {
			t.Errorf("client input %q became a label", leak)
		}
	}
	for _, want := range []string{`method="other",route="unmatched",status="405"`, `method="other",route="unmatched",status="404"`} {
		if !bytes.Contains(m, []byte(want)) {
			t.Errorf("metrics lack %s:\n%s", want, bytes.Join(grep(m, "http_requests_total"), []byte("\n")))
		}
	}
}

func grep(b []byte, s string) [][]byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if bytes.Contains(l, []byte(s)) {
			out = append(out, l)
		}
	}
	return out
}
