package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/permit"
)

// The permits workloads: the licensing queue on the database path in both
// of its orders (P1, P1s), an applicant's own applications (P2), and
// document uploads (P3) to drafts the command makes first. Reads go through
// the Runner like the catalog's; uploads have their own closed loop since
// each is a multipart POST of the same PDF.

// PermitsFile is the results file of "loadgen permits".
type PermitsFile struct {
	StartedAt   time.Time        `json:"started_at"`
	Env         Env              `json:"env"`
	LoadAvg     string           `json:"load_avg"` // /proc/loadavg when the workloads started
	LoadAvgEnd  string           `json:"load_avg_end"`
	Concurrency int              `json:"concurrency"`
	DurationS   float64          `json:"duration_s"`
	WarmupS     float64          `json:"warmup_s"`
	CacheBust   bool             `json:"cache_bust"`
	DB          *DBInfo          `json:"db,omitempty"`
	DataSet     *fixture.Permits `json:"data_set"`
	// QueuePages are the cursors collected per order (the first page is
	// the empty cursor) that P1 and P1s draw from.
	QueuePages map[string]int `json:"queue_pages"`
	Workloads  []WorkloadDef  `json:"workloads"`
	Results    []Result       `json:"results"`
	Upload     *UploadResult  `json:"upload,omitempty"`
	Plans      []PermitPlan   `json:"plans,omitempty"`
	// Sizes are the bytes of the permits tables and the queue's indexes.
	Sizes map[string]int64 `json:"sizes,omitempty"`
}

// UploadResult is what the upload workload measured.
type UploadResult struct {
	Result
	Drafts    int     `json:"drafts"`
	FileBytes int     `json:"file_bytes"`
	MBps      float64 `json:"mb_per_s"` // file bytes accepted per second, 10^6
	SetupS    float64 `json:"setup_s"`
}

// PermitPlan is the EXPLAIN (ANALYZE, BUFFERS) of one statement the
// permits workloads run, with what it reads.
type PermitPlan struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Query    string   `json:"query"`
	Args     []string `json:"args"`
	Plan     string   `json:"plan"`
	Indexes  []string `json:"indexes"`
	SeqScans []string `json:"seq_scans"`
	Sorts    bool     `json:"sorts"`
	// IndexDriven: no whole-table scan of permit_applications and no sort.
	IndexDriven bool `json:"index_driven"`
}

const (
	queuePath   = "/api/v1/staff/permit-applications"
	minePath    = "/api/v1/me/permit-applications"
	uploadCode  = "ktp"
	uploadType  = "usaha_mikro"
	queueStatus = "submitted"
)

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func cmdPermits(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c         commonFlags
		conc      int
		duration  time.Duration
		warmup    time.Duration
		out       string
		serverPID int
		cacheBust bool
		maxPages  int
		drafts    int
		pdfKB     int
		sqliteDir string
	)
	fs := flag.NewFlagSet("loadgen permits", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs)
	fs.IntVar(&conc, "c", 64, "concurrent connections (closed loop)")
	fs.DurationVar(&duration, "duration", 20*time.Second, "measured time per workload")
	fs.DurationVar(&warmup, "warmup", 3*time.Second, "unmeasured warm-up per workload")
	fs.StringVar(&out, "out", "bench/results/results-permits.json", "results file")
	fs.IntVar(&serverPID, "server-pid", 0, "API process id, to report its CPU use")
	fs.BoolVar(&cacheBust, "cache-bust", false, "add a unique "+CacheBustParam+"= parameter to every read")
	fs.IntVar(&maxPages, "queue-pages", 400, "queue pages walked per order to collect the cursors P1 draws from")
	fs.IntVar(&drafts, "drafts", 0, "drafts the upload workload makes (default 2 × -c; each connection uploads to its own)")
	fs.IntVar(&pdfKB, "pdf-kb", 100, "size of the uploaded PDF in KiB")
	fs.StringVar(&sqliteDir, "sqlite-dir", "", "DATA_DIR of an SQLite-backed API, for version and counts (no plans)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if drafts == 0 {
		drafts = 2 * conc
	}
	if conc < 1 || duration <= 0 || warmup < 0 || maxPages < 1 || drafts < conc || pdfKB < 1 || c.secret == "" {
		return errors.New("permits needs -c ≥ 1, -duration > 0, -warmup ≥ 0, -queue-pages ≥ 1, -drafts ≥ -c, -pdf-kb ≥ 1 and -jwt-secret-file")
	}
	fx, _, client, err := c.prepare(ctx, conc, stderr)
	if err != nil {
		return err
	}
	p := fx.Permits
	if p == nil || len(p.ApplicantIDs) == 0 || p.StaffID == "" {
		return errors.New("the data set has no permit applications (benchdata -permit-applications)")
	}
	secret, err := os.ReadFile(c.secret)
	if err != nil {
		return err
	}
	secret = bytes.TrimRight(secret, "\r\n")
	now := time.Now()
	staff, err := MintToken(secret, p.StaffID, "staff", "licensing", now, 2*time.Hour)
	if err != nil {
		return err
	}
	owners := make([]string, len(p.ApplicantIDs))
	for i, id := range p.ApplicantIDs {
		if owners[i], err = MintToken(secret, id, "user", "", now, 2*time.Hour); err != nil {
			return err
		}
	}

	pf := PermitsFile{StartedAt: time.Now().UTC(), Env: CollectEnv(ctx), Concurrency: conc, DurationS: duration.Seconds(),
		WarmupS: warmup.Seconds(), CacheBust: cacheBust, DataSet: p, QueuePages: map[string]int{}}
	switch {
	case c.db != "":
		if pf.DB, err = PostgresInfo(ctx, c.db); err != nil {
			return fmt.Errorf("database info: %w", err)
		}
	case sqliteDir != "":
		if pf.DB, err = SQLiteInfo(ctx, sqliteDir); err != nil {
			return fmt.Errorf("database info: %w", err)
		}
	}
	byOrder := map[string][]string{}
	for _, order := range []string{"", "sla_due_at"} {
		cursors, err := walkQueue(ctx, client, c.base, staff, queueQuery(order), maxPages)
		if err != nil {
			return err
		}
		byOrder[order] = cursors
		pf.QueuePages[orDefault(order)] = len(cursors)
		fmt.Fprintf(stderr, "permits: %d queue pages collected (sort %s)\n", len(cursors), orDefault(order))
	}
	ws := PermitWorkloads(p, byOrder[""], byOrder["sla_due_at"], staff, owners)

	pf.LoadAvg = loadAvg()
	r := &Runner{Client: client, Base: c.base, Concurrency: conc, Duration: duration, Warmup: warmup, Seed: c.seed,
		ServerPID: serverPID, CacheBust: cacheBust}
	const row = "%-8s %9v %8v %8v %8v %8v %8v %7v\n"
	fmt.Fprintf(stdout, row, "workload", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	printRes := func(res Result) {
		fmt.Fprintf(stdout, row, res.ID, res.Requests, fmt.Sprintf("%.0f", res.RPS), fmt.Sprintf("%.2f", res.P50MS),
			fmt.Sprintf("%.2f", res.P90MS), fmt.Sprintf("%.2f", res.P99MS), fmt.Sprintf("%.2f", res.MaxMS), res.Errors)
		for _, s := range res.ErrorSample {
			fmt.Fprintln(stderr, "  ", res.ID, "error:", s)
		}
	}
	for _, w := range ws {
		pf.Workloads = append(pf.Workloads, WorkloadDef{w.ID, w.Title, w.Shape, w.Random, w.TargetRPS, w.TargetOf})
		res := r.Run(ctx, w)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		pf.Results = append(pf.Results, res)
		printRes(res)
	}

	up, def, err := runUploads(ctx, client, c.base, owners, conc, drafts, pdfKB<<10, duration, warmup, serverPID)
	if err != nil {
		return err
	}
	pf.Workloads = append(pf.Workloads, def)
	pf.Upload = up
	printRes(up.Result)
	fmt.Fprintf(stdout, "P3: %.1f MB/s of %d-byte PDFs to %d drafts (made in %.1fs)\n", up.MBps, up.FileBytes, up.Drafts, up.SetupS)
	pf.LoadAvgEnd = loadAvg()

	if c.db != "" {
		if pf.Plans, err = ExplainPermits(ctx, c.db, p); err != nil {
			return fmt.Errorf("plans: %w", err)
		}
		if pf.Sizes, err = permitSizes(ctx, c.db); err != nil {
			return fmt.Errorf("sizes: %w", err)
		}
		for _, pl := range pf.Plans {
			fmt.Fprintf(stderr, "%s: indexes %v, whole-table scans %v, sort %v\n", pl.ID, pl.Indexes, pl.SeqScans, pl.Sorts)
		}
	}
	return writeJSON(out, pf)
}

func orDefault(order string) string {
	if order == "" {
		return "submitted_at"
	}
	return order
}

// queueQuery is the query of a queue page in an order ("" the default).
func queueQuery(order string) string {
	q := "?status=" + queueStatus + "&limit=20"
	if order != "" {
		q += "&sort=" + order
	}
	return q
}

// walkQueue follows the queue's next cursors from the first page for up to
// maxPages pages and returns the cursor of each page ("" for the first).
func walkQueue(ctx context.Context, c *http.Client, base, token, query string, maxPages int) ([]string, error) {
	cursors := []string{""}
	for len(cursors) < maxPages {
		u := base + queuePath + query
		if cur := cursors[len(cursors)-1]; cur != "" {
			u += "&cursor=" + url.QueryEscape(cur)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		var body struct {
			Data []json.RawMessage `json:"data"`
			Meta struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"meta"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			return nil, fmt.Errorf("GET %s -> %d (%v)", u, resp.StatusCode, err)
		}
		if len(cursors) == 1 && len(body.Data) == 0 {
			return nil, fmt.Errorf("the licensing queue (%s) is empty", query)
		}
		if body.Meta.NextCursor == nil {
			break
		}
		cursors = append(cursors, *body.Meta.NextCursor)
	}
	return cursors, nil
}

// PermitWorkloads are the reads: the queue in both orders as the licensing
// account, from a random one of the collected pages, and a random
// applicant's own list.
func PermitWorkloads(p *fixture.Permits, bySubmission, byDue []string, staff string, owners []string) []Workload {
	staffToken := func(*rand.Rand) string { return staff }
	page := func(order string, cursors []string) func(r *rand.Rand) string {
		base := queuePath + queueQuery(order)
		return func(r *rand.Rand) string {
			if cur := pick(r, cursors); cur != "" {
				return base + "&cursor=" + url.QueryEscape(cur)
			}
			return base
		}
	}
	waiting := p.Counts["submitted"]
	return []Workload{
		{
			ID: "P1", Title: "Licensing queue, oldest submission first", TargetRPS: 1000,
			Shape:  "GET " + queuePath + "?status=submitted&limit=20[&cursor={cursor}] (as licensing staff)",
			Random: fmt.Sprintf("cursor: one of the %d pages of the %d submitted applications (first page included), among %d applications", len(bySubmission), waiting, p.Applications),
			Next:   page("", bySubmission), Token: staffToken,
		},
		{
			ID: "P1s", Title: "Licensing queue, most urgent first", TargetRPS: 1000,
			Shape:  "GET " + queuePath + "?status=submitted&limit=20&sort=sla_due_at[&cursor={cursor}] (as licensing staff)",
			Random: fmt.Sprintf("cursor: one of the %d pages in due order", len(byDue)),
			Next:   page("sla_due_at", byDue), Token: staffToken,
		},
		{
			ID: "P2", Title: "An applicant's own applications", TargetRPS: 1000,
			Shape:  "GET " + minePath + " (as {applicant})",
			Random: fmt.Sprintf("applicant: one of %d accounts with about %d applications each", len(owners), p.Applications/max(1, len(owners))),
			Next:   func(*rand.Rand) string { return minePath },
			Token:  func(r *rand.Rand) string { return pick(r, owners) },
		},
	}
}

// UploadPDF is a valid one-page PDF of about size bytes: its content
// stream holds enough lines of text (drawn off the page) to reach it, and
// its cross-reference table is exact, so the API's structure check accepts
// it.
func UploadPDF(size int) []byte {
	lines := []string{"Kartu Tanda Penduduk - dokumen uji"}
	const line = "Surakarta Jl. Slamet Riyadi 1 lorem ipsum dolor sit amet 0123456789"
	// Each line costs its text plus "(" and ") '\n" in the content stream;
	// the page's other objects and the xref table are about 700 bytes.
	for n := len(lines[0]); n < size-700; n += len(line) + 5 {
		lines = append(lines, line)
	}
	return permit.TextPDF(lines)
}

// UploadBody is the multipart body of a document upload: code and file.
func UploadBody(code, filename string, pdf []byte) (body []byte, contentType string, err error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.WriteField("code", code); err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", "application/pdf")
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(pdf); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

type draft struct{ id, token string }

// makeDrafts creates n micro-business drafts through the API, the i-th by
// applicant i (mod their number).
func makeDrafts(ctx context.Context, c *http.Client, base string, owners []string, n int) ([]draft, error) {
	out := make([]draft, n)
	for i := range n {
		data := map[string]any{"holder_name": "Pemohon Uji " + fmt.Sprint(i), "business_name": "Warung Uji " + fmt.Sprint(i),
			"nib": fmt.Sprintf("99%011d", i), "kbli": "56103", "business_address": "Jl. Slamet Riyadi No. 1, Surakarta",
			"employees": 2, "home_based": true}
		body, _ := json.Marshal(map[string]any{"type": uploadType, "data": data})
		tok := owners[i%len(owners)]
		code, resp, err := post(ctx, c, base+"/api/v1/permits/applications", tok, "", body)
		if err != nil || code != http.StatusCreated {
			return nil, fmt.Errorf("create draft: %d %v %s", code, err, resp)
		}
		var a struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(resp, &a); err != nil || a.ID == "" {
			return nil, fmt.Errorf("create draft: no id in %s", resp)
		}
		out[i] = draft{a.ID, tok}
	}
	return out, nil
}

// runUploads makes the drafts, then uploads the PDF for warmup and for
// duration from conc connections, connection k to drafts k, k+conc, … in
// turn, so no two uploads replace the same document at once.
func runUploads(ctx context.Context, c *http.Client, base string, owners []string, conc, n, size int,
	duration, warmup time.Duration, serverPID int) (*UploadResult, WorkloadDef, error) {
	pdf := UploadPDF(size)
	body, ctype, err := UploadBody(uploadCode, "ktp.pdf", pdf)
	if err != nil {
		return nil, WorkloadDef{}, err
	}
	def := WorkloadDef{ID: "P3", Title: "Document upload", TargetRPS: 100,
		Shape:  "POST /api/v1/permits/applications/{id}/documents (multipart: code=" + uploadCode + ", file: a " + fmt.Sprint(len(pdf)) + "-byte PDF; as the draft's applicant)",
		Random: fmt.Sprintf("id: one of %d %s drafts made through the API first; each connection uploads to its own drafts in turn, every upload replacing the last", n, uploadType)}
	start := time.Now()
	drafts, err := makeDrafts(ctx, c, base, owners, n)
	if err != nil {
		return nil, def, err
	}
	up := &UploadResult{Drafts: n, FileBytes: len(pdf), SetupS: time.Since(start).Seconds()}
	loop := func(d time.Duration) []*workerStats {
		deadline := time.Now().Add(d)
		stats := make([]*workerStats, conc)
		var wg sync.WaitGroup
		for k := range conc {
			s := &workerStats{status: map[int]int64{}}
			stats[k] = s
			wg.Add(1)
			go func() {
				defer wg.Done()
				per := (len(drafts) - k + conc - 1) / conc // drafts k, k+conc, … below len(drafts)
				for m := 0; ctx.Err() == nil && time.Now().Before(deadline); m++ {
					dr := drafts[k+(m%per)*conc]
					u := base + "/api/v1/permits/applications/" + dr.id + "/documents"
					t0 := time.Now()
					code, err := postMultipart(ctx, c, u, dr.token, ctype, body)
					s.lat = append(s.lat, int64(time.Since(t0)))
					s.status[code]++
					s.requests++
					if err != nil || code != http.StatusCreated {
						s.errors++
						if len(s.samples) < 3 {
							s.samples = append(s.samples, fmt.Sprintf("POST %s -> %d %v", u, code, err))
						}
						continue
					}
					s.bytes += int64(len(pdf))
				}
			}()
		}
		wg.Wait()
		return stats
	}
	if warmup > 0 {
		loop(warmup)
	}
	cpu0 := sampleCPU(serverPID)
	t0 := time.Now()
	stats := loop(duration)
	elapsed := time.Since(t0)
	res := Result{ID: def.ID, Title: def.Title, Status: map[string]int64{}, TargetRPS: def.TargetRPS,
		CPU: sampleCPU(serverPID).since(cpu0, elapsed), ElapsedS: elapsed.Seconds(),
		Example: "/api/v1/permits/applications/" + drafts[0].id + "/documents"}
	var all []int64
	for _, s := range stats {
		res.Requests += s.requests
		res.Errors += s.errors
		res.Bytes += s.bytes
		for code, n := range s.status {
			res.Status[statusKey(code)] += n
		}
		all = append(all, s.lat...)
		for _, m := range s.samples {
			if len(res.ErrorSample) < 5 && !slices.Contains(res.ErrorSample, m) {
				res.ErrorSample = append(res.ErrorSample, m)
			}
		}
	}
	res.RPS = float64(res.Requests-res.Errors) / res.ElapsedS
	slices.Sort(all)
	res.P50MS, res.P90MS, res.P99MS = ms(Percentile(all, 0.50)), ms(Percentile(all, 0.90)), ms(Percentile(all, 0.99))
	if len(all) > 0 {
		res.MaxMS = ms(all[len(all)-1])
	}
	up.Result = res
	up.MBps = float64(res.Bytes) / 1e6 / res.ElapsedS
	return up, def, nil
}

func postMultipart(ctx context.Context, c *http.Client, u, token, ctype string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// permitStatements are the statements behind P1, P1s and P2, as
// internal/permit's queueQuery (one status) and Mine build them; {col} is
// the order's column.
const (
	queueFirst = "SELECT * FROM permit_applications WHERE status = $1 AND {col} IS NOT NULL ORDER BY {col}, id LIMIT 21"
	queueAfter = "SELECT * FROM permit_applications WHERE status = $1 AND {col} IS NOT NULL AND ({col}, id) > ($2, $3) ORDER BY {col}, id LIMIT 21"
	mineFirst  = "SELECT * FROM permit_applications WHERE user_id = $1 ORDER BY id DESC LIMIT 21"
)

// ExplainPermits runs EXPLAIN (ANALYZE, BUFFERS) of the queue's first and
// a middle page in both orders and of an applicant's list, and says
// whether each reads an index in order (no whole-table scan, no sort).
func ExplainPermits(ctx context.Context, dsn string, p *fixture.Permits) ([]PermitPlan, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var out []PermitPlan
	add := func(id, title, q string, args ...any) error {
		rows, err := conn.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				rows.Close()
				return err
			}
			lines = append(lines, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		pl := PermitPlan{ID: id, Title: title, Query: q, Plan: strings.Join(lines, "\n")}
		for _, a := range args {
			pl.Args = append(pl.Args, fmt.Sprint(a))
		}
		pl.Indexes, pl.SeqScans = PlanAccess(pl.Plan)
		pl.Sorts = strings.Contains(pl.Plan, "Sort  (") || strings.Contains(pl.Plan, "Sort Key")
		pl.IndexDriven = len(pl.Indexes) > 0 && !slices.Contains(pl.SeqScans, "permit_applications") && !pl.Sorts
		out = append(out, pl)
		return nil
	}
	for _, o := range []struct{ id, col, title string }{
		{"P1", "submitted_at", "queue, oldest submission first"},
		{"P1s", "sla_due_at", "queue, most urgent first"},
	} {
		first := strings.ReplaceAll(queueFirst, "{col}", o.col)
		if err := add(o.id+" first page", o.title+", first page", first, queueStatus); err != nil {
			return nil, err
		}
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM permit_applications WHERE status = $1 AND "+o.col+" IS NOT NULL", queueStatus).Scan(&n); err != nil {
			return nil, err
		}
		var at time.Time
		var id string
		q := "SELECT " + o.col + ", id::text FROM permit_applications WHERE status = $1 AND " + o.col + " IS NOT NULL ORDER BY " + o.col + ", id OFFSET $2 LIMIT 1"
		if err := conn.QueryRow(ctx, q, queueStatus, n/2).Scan(&at, &id); err != nil {
			return nil, err
		}
		after := strings.ReplaceAll(queueAfter, "{col}", o.col)
		if err := add(o.id+" middle page", o.title+", the page after the middle of the queue", after, queueStatus, at, id); err != nil {
			return nil, err
		}
	}
	if len(p.ApplicantIDs) > 0 {
		if err := add("P2", "an applicant's applications, newest first", mineFirst, p.ApplicantIDs[len(p.ApplicantIDs)/2]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// permitSizeOf are the relations whose size the report gives.
var permitSizeOf = []string{"permit_applications", "permit_history", "permit_applications_queue_idx",
	"permit_applications_sla_idx", "permit_applications_user_idx"}

func permitSizes(ctx context.Context, dsn string) (map[string]int64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	out := map[string]int64{}
	for _, rel := range permitSizeOf {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT pg_relation_size($1::regclass)", rel).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		out[rel] = n
	}
	return out, nil
}
