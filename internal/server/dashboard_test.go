package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/apitest"
)

// dashboard is the Grafana dashboard operators import.
const dashboard = "../../deployments/grafana/solo-api.json"

var (
	labelMatchers = regexp.MustCompile(`\{[^}]*\}`)
	ranges        = regexp.MustCompile(`\[[^\]]*\]`)
	grouping      = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	variables     = regexp.MustCompile(`\$\w+`)
	identifier    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`)
)

var promqlWords = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "bool": true,
	"and": true, "or": true, "unless": true, "offset": true, "group_left": true, "group_right": true, "e": true}

// metricNames are the metric names a PromQL expression reads: identifiers
// that are neither functions, keywords, label names nor numbers.
func metricNames(expr string) []string {
	e := labelMatchers.ReplaceAllString(expr, " ")
	e = ranges.ReplaceAllString(e, " ")
	e = grouping.ReplaceAllString(e, " ")
	e = variables.ReplaceAllString(e, " ")
	var out []string
	for _, m := range identifier.FindAllString(e, -1) {
		if strings.HasSuffix(m, "(") || promqlWords[m] {
			continue
		}
		out = append(out, m)
	}
	return out
}

// The dashboard cannot drift from the binary: every metric its panels read
// is one /metrics serves (or a standard go_/process_ one), and it is valid
// Grafana JSON with a Prometheus datasource variable.
func TestDashboardReadsServedMetrics(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(dashboard)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID        string `json:"uid"`
		Templating struct {
			List []struct{ Name, Type, Query string }
		}
		Panels []struct {
			Title      string
			Type       string
			Datasource *struct{ Type, UID string }
			Targets    []struct{ Expr string }
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("%s: %v", dashboard, err)
	}
	var dsVar bool
	for _, v := range d.Templating.List {
		dsVar = dsVar || v.Name == "datasource" && v.Type == "datasource" && v.Query == "prometheus"
	}
	if d.UID == "" || !dsVar {
		t.Fatalf("dashboard uid %q, datasource variable %v", d.UID, dsVar)
	}

	api := apitest.New(t)
	api.Get("/api/v1/categories", apitest.Anonymous).Expect(http.StatusOK) // the HTTP series exist once used
	served := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(api.Get("/metrics", apitest.Anonymous).Expect(http.StatusOK).Body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		served[strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
	}

	read := 0
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("panel %q: no targets or not on the datasource variable", p.Title)
		}
		for _, tg := range p.Targets {
			names := metricNames(tg.Expr)
			if len(names) == 0 {
				t.Errorf("panel %q: no metric found in %q", p.Title, tg.Expr)
			}
			for _, n := range names {
				read++
				standard := strings.HasPrefix(n, "go_") || strings.HasPrefix(n, "process_")
				if !served[n] && !standard {
					t.Errorf("panel %q reads %s, which /metrics does not serve", p.Title, n)
				}
			}
		}
	}
	if read < 20 {
		t.Fatalf("only %d metric reads found in the dashboard", read)
	}
}

func TestMetricNamesOfPromQL(t *testing.T) {
	got := metricNames(`histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{status=~"5.."}[$__rate_interval]))) / clamp_min(x_total, 1e-9)`)
	if strings.Join(got, ",") != "http_request_duration_seconds_bucket,x_total" {
		t.Fatalf("metricNames: %v", got)
	}
}
