package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The query plans in the report come from PostgreSQL's auto_explain module,
// loaded into the API's own sessions through per-database settings: every
// statement the catalog code runs is logged with EXPLAIN (ANALYZE, BUFFERS)
// output and its real parameters. The settings only apply to sessions opened
// after they are set, so the harness sets them, starts the API, sends a few
// requests per workload, stops the API and removes them again.

// autoExplainSettings are applied with ALTER DATABASE … SET.
var autoExplainSettings = [][2]string{
	{"session_preload_libraries", "auto_explain"},
	{"auto_explain.log_min_duration", "0"},
	{"auto_explain.log_analyze", "on"},
	{"auto_explain.log_buffers", "on"},
	{"auto_explain.log_timing", "on"},
	{"auto_explain.log_nested_statements", "off"},
	{"auto_explain.log_format", "text"},
}

// Statement is one logged plan.
type Statement struct {
	DurationMS float64 `json:"duration_ms"`
	Query      string  `json:"query"`
	Plan       string  `json:"plan"`
}

// ExplainedRequest is one API request and the statements it ran.
type ExplainedRequest struct {
	Path       string      `json:"path"`
	Status     int         `json:"status"`
	Statements []Statement `json:"statements"`
	// Helpers counts statements left out as trivial: SQL-language helper
	// functions (earthdistance's earth(), ll_to_earth()) that PostgreSQL runs
	// while planning the real statement, which auto_explain also logs.
	Helpers int `json:"helpers,omitempty"`
}

// isHelper reports whether a logged statement is a table-less helper
// evaluation rather than a statement the API sent.
func isHelper(s Statement) bool {
	plan := strings.TrimSpace(s.Plan)
	return !strings.Contains(plan, "\n") && strings.HasPrefix(plan, "Result  (")
}

// isJobQueue reports whether a logged statement is the job queue's own
// polling (River's tables), which runs beside requests, not for them.
func isJobQueue(s Statement) bool { return strings.Contains(s.Query, "river_") }

// Explained holds the captured plans per workload.
type Explained struct {
	Database  string                        `json:"database"`
	LogFile   string                        `json:"log_file"`
	Workloads map[string][]ExplainedRequest `json:"workloads"`
}

func dbName(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return "", errors.New("database URL names no database")
	}
	return name, nil
}

// SetAutoExplain turns the per-database auto_explain settings on or off.
func SetAutoExplain(ctx context.Context, dsn string, on bool) error {
	name, err := dbName(dsn)
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if on {
		// Loading the module here first fails early, before a broken
		// session_preload_libraries could stop the API from connecting.
		if _, err := conn.Exec(ctx, "LOAD 'auto_explain'"); err != nil {
			return fmt.Errorf("auto_explain is not available: %w", err)
		}
	}
	for _, s := range autoExplainSettings {
		q := "ALTER DATABASE " + ident + " RESET " + s[0]
		if on {
			q = "ALTER DATABASE " + ident + " SET " + s[0] + " = '" + s[1] + "'"
		}
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// PostgresLogFile finds the server log: the collector's current file, else
// the Debian cluster log for the server's major version.
func PostgresLogFile(ctx context.Context, dsn string) (string, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var current *string
	if err := conn.QueryRow(ctx, "SELECT pg_current_logfile()").Scan(&current); err == nil && current != nil {
		if filepath.IsAbs(*current) {
			return *current, nil
		}
		var dataDir string
		if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dataDir); err == nil {
			return filepath.Join(dataDir, *current), nil
		}
	}
	var num int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
		return "", err
	}
	matches, _ := filepath.Glob(fmt.Sprintf("/var/log/postgresql/postgresql-%d-*.log", num/10000))
	if len(matches) == 0 {
		return "", errors.New("cannot find the PostgreSQL log file; pass -pg-log")
	}
	slices.SortFunc(matches, func(a, b string) int { return modTime(b).Compare(modTime(a)) })
	return matches[0], nil
}

func modTime(p string) time.Time {
	fi, err := os.Stat(p)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// CaptureExplain sends n requests per workload, one at a time, and reads
// the plans each one left in the log.
func CaptureExplain(ctx context.Context, c *http.Client, base, token, dsn, logFile string, ws []Workload, n int, seed uint64) (*Explained, error) {
	name, err := dbName(dsn)
	if err != nil {
		return nil, err
	}
	out := &Explained{Database: name, LogFile: logFile, Workloads: map[string][]ExplainedRequest{}}
	rng := rand.New(rand.NewPCG(seed, 99))
	for _, w := range ws {
		for range n {
			// A unique parameter keeps any response cache from answering:
			// the point is the statements a request costs.
			path := bust(w.Next(rng), rng)
			tok := token
			if w.Token != nil {
				tok = w.Token(rng)
			}
			from, err := fileSize(logFile)
			if err != nil {
				return nil, err
			}
			status, err := get(ctx, c, base+path, tok)
			if err != nil {
				return nil, err
			}
			// The backend writes the plan as the statement ends, which may be
			// a moment after the response left the API.
			time.Sleep(300 * time.Millisecond)
			text, err := readFrom(logFile, from)
			if err != nil {
				return nil, err
			}
			req := ExplainedRequest{Path: path, Status: status}
			for _, st := range ParseAutoExplain(text, name) {
				if isHelper(st) {
					req.Helpers++
					continue
				}
				if isJobQueue(st) {
					continue
				}
				req.Statements = append(req.Statements, st)
			}
			out.Workloads[w.ID] = append(out.Workloads[w.ID], req)
		}
	}
	return out, nil
}

func get(ctx context.Context, c *http.Client, u, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func fileSize(p string) (int64, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func readFrom(p string, off int64) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(f, 32<<20))
	return string(b), err
}

// planHeader matches the first line of an auto_explain entry under the
// Debian default log_line_prefix '%m [%p] %q%u@%d ':
//
//	2026-01-02 10:00:00.123 UTC [4242] postgres@bench LOG:  duration: 0.421 ms  plan:
var planHeader = regexp.MustCompile(`\[\d+\] \S*@(\S+) LOG:\s+duration: ([0-9.]+) ms\s+plan:\s*$`)

// ParseAutoExplain extracts the text-format plans that auto_explain logged
// for database db. Continuation lines of a log entry start with a tab; the
// query text runs until the first plan node line (it carries "(cost=").
func ParseAutoExplain(logText, db string) []Statement {
	var (
		out  []Statement
		cur  *Statement
		body []string
	)
	flush := func() {
		if cur == nil {
			return
		}
		var q, p []string
		inPlan := false
		for _, l := range body {
			if !inPlan && strings.Contains(l, "(cost=") {
				inPlan = true
			}
			if inPlan {
				p = append(p, l)
			} else {
				q = append(q, l)
			}
		}
		cur.Query = strings.TrimSpace(strings.TrimPrefix(strings.Join(q, "\n"), "Query Text:"))
		cur.Plan = strings.Join(p, "\n")
		out = append(out, *cur)
		cur, body = nil, nil
	}
	sc := bufio.NewScanner(strings.NewReader(logText))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			if cur != nil {
				body = append(body, strings.TrimPrefix(line, "\t"))
			}
			continue
		}
		flush()
		m := planHeader.FindStringSubmatch(line)
		if m == nil || m[1] != db {
			continue
		}
		d, _ := strconv.ParseFloat(m[2], 64)
		cur = &Statement{DurationMS: d}
	}
	flush()
	return out
}

// indexUse lists the indexes a plan reads and the tables it scans whole.
var (
	indexScan = regexp.MustCompile(`(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)`)
	seqScan   = regexp.MustCompile(`Seq Scan on (\S+)`)
)

// PlanAccess summarises how a plan reaches its rows.
func PlanAccess(plan string) (indexes, seqScans []string) {
	for _, m := range indexScan.FindAllStringSubmatch(plan, -1) {
		if !slices.Contains(indexes, m[1]) {
			indexes = append(indexes, m[1])
		}
	}
	for _, m := range seqScan.FindAllStringSubmatch(plan, -1) {
		if !slices.Contains(seqScans, m[1]) {
			seqScans = append(seqScans, m[1])
		}
	}
	return indexes, seqScans
}
