// Command loadgen benchmarks the catalog endpoints of a running API on this
// machine and writes docs/benchmarks.md.
//
//	loadgen run          run workloads W1–W5 (and T1–T2 on a transport data set) and write a results file
//	loadgen book         run the booking workloads (a burst on one trip, sustained bookings)
//	loadgen webhook      create pending tax payments, then deliver their signed paid webhooks twice each
//	loadgen matrix       time every filter × sort combination single-client against a static bound
//	loadgen permits      run the permits workloads P1–P3 (licensing queue, own applications, uploads) with their plans
//	loadgen permits-report   write the permits section of docs/benchmarks.md
//	loadgen explain      capture the PostgreSQL plans of each workload's SQL (-matrix: the matrix's)
//	loadgen auto-explain on|off   set up the database for "explain"
//	loadgen prewarm      read the catalog's relations into PostgreSQL's shared buffers
//	loadgen report       render results (and plans) as Markdown
//	loadgen matrix-report  append the matrix (and its plans) to the report
//
// bench/run.sh strings these together; see docs/benchmarks.md.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

const usage = "usage: loadgen run|book|webhook|matrix|permits|permits-report|explain|auto-explain|prewarm|report|matrix-report [flags] (-h for flags)"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "book":
		return cmdBook(ctx, args[1:], stdout, stderr)
	case "webhook":
		return cmdWebhook(ctx, args[1:], stdout, stderr)
	case "matrix":
		return cmdMatrix(ctx, args[1:], stdout, stderr)
	case "matrix-report":
		return cmdMatrixReport(args[1:], stderr)
	case "permits":
		return cmdPermits(ctx, args[1:], stdout, stderr)
	case "permits-report":
		return cmdPermitsReport(args[1:], stderr)
	case "explain":
		return cmdExplain(ctx, args[1:], stderr)
	case "auto-explain":
		return cmdAutoExplain(ctx, args[1:], stderr)
	case "prewarm":
		return cmdPrewarm(ctx, args[1:], stderr)
	case "report":
		return cmdReport(args[1:], stderr)
	default:
		return errors.New(usage)
	}
}

// RunFile is the results file of one "loadgen run".
type RunFile struct {
	StartedAt   time.Time `json:"started_at"`
	Base        string    `json:"base"`
	Concurrency int       `json:"concurrency"`
	DurationS   float64   `json:"duration_s"`
	WarmupS     float64   `json:"warmup_s"`
	PerKind     int       `json:"per_kind"`
	CacheBust   bool      `json:"cache_bust"`
	// SignedIn says the cache-bypassing requests were sent with a rider's
	// access token: the catalog never answers those from its cache.
	SignedIn  bool          `json:"signed_in,omitempty"`
	Env       Env           `json:"env"`
	DB        *DBInfo       `json:"db,omitempty"`
	Workloads []WorkloadDef `json:"workloads"`
	Results   []Result      `json:"results"`
	// ServerIdle is the API's memory before the first workload; each
	// result holds it right after that workload.
	ServerIdle *Memory `json:"server_idle,omitempty"`
	// LoadStart and LoadEnd are the machine's load averages (1, 5, 15
	// minutes) when the run began and ended: the machine is shared.
	LoadStart string `json:"load_start,omitempty"`
	LoadEnd   string `json:"load_end,omitempty"`
}

// WorkloadDef is a workload's definition as the report prints it.
type WorkloadDef struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Shape     string  `json:"shape"`
	Random    string  `json:"random"`
	TargetRPS float64 `json:"target_rps"`
	TargetOf  string  `json:"target_of,omitempty"`
}

type commonFlags struct {
	base      string
	fixtures  string
	db        string
	seed      uint64
	waitReady time.Duration
	timeout   time.Duration
	secret    string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.base, "base", "http://127.0.0.1:8080", "API base URL (loopback only)")
	fs.StringVar(&c.fixtures, "fixtures", "bench/results/fixtures.json", "data-set fixtures written by benchdata; when missing, the data set is sampled through the list API")
	fs.StringVar(&c.db, "db", "", "PostgreSQL URL of the API's database, for versions, counts and plans")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the request mix")
	fs.DurationVar(&c.waitReady, "wait-ready", 0, "wait up to this long for /readyz before starting")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&c.secret, "jwt-secret-file", "", "file holding the API's JWT_SECRET: cache-bypassing requests are then sent signed in as a rider of the data set")
}

// bypassToken returns the access token that cache-bypassing requests carry.
// The catalog's response cache keys on the parameters the handler reads,
// so an unknown parameter no longer makes a request new; signed-in requests
// never use that cache. Without a secret it returns "" and says so.
func (c *commonFlags) bypassToken(fx *fixture.Set, stderr io.Writer) (string, error) {
	if c.secret == "" || fx.Transport == nil || len(fx.Transport.UserIDs) == 0 {
		fmt.Fprintln(stderr, "warning: no -jwt-secret-file or no riders in the data set; requests go anonymous and the catalog's response cache may answer them")
		return "", nil
	}
	secret, err := os.ReadFile(c.secret)
	if err != nil {
		return "", err
	}
	return MintToken(bytes.TrimRight(secret, "\r\n"), fx.Transport.UserIDs[0], "user", "", time.Now(), 2*time.Hour)
}

// citizenTokens signs an access token for every generated citizen.
func (c *commonFlags) citizenTokens(t *fixture.Tax) ([]string, error) {
	secret, err := os.ReadFile(c.secret)
	if err != nil {
		return nil, err
	}
	secret = bytes.TrimRight(secret, "\r\n")
	now := time.Now()
	tokens := make([]string, len(t.CitizenIDs))
	for i, id := range t.CitizenIDs {
		if tokens[i], err = MintToken(secret, id, "user", "", now, 2*time.Hour); err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

func (c *commonFlags) prepare(ctx context.Context, concurrency int, stderr io.Writer) (*fixture.Set, []Workload, *http.Client, error) {
	c.base = strings.TrimRight(c.base, "/")
	if err := CheckLoopback(c.base); err != nil {
		return nil, nil, nil, err
	}
	client := NewClient(concurrency, c.timeout)
	if c.waitReady > 0 {
		if err := WaitReady(ctx, client, c.base, c.waitReady); err != nil {
			return nil, nil, nil, err
		}
	}
	fx, err := fixture.Read(c.fixtures)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "no fixtures at %s; sampling the data set through the list API\n", c.fixtures)
		fx, err = Discover(ctx, client, c.base, 20)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	ws, err := Workloads(fx)
	if err != nil {
		return nil, nil, nil, err
	}
	if fx.Tax != nil && c.secret != "" {
		tokens, err := c.citizenTokens(fx.Tax)
		if err != nil {
			return nil, nil, nil, err
		}
		ws = append(ws, TaxWorkloads(fx.Tax, tokens)...)
	}
	return fx, ws, client, nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c         commonFlags
		conc      int
		duration  time.Duration
		warmup    time.Duration
		only      string
		out       string
		sqliteDir string
		serverPID int
		cacheBust bool
		static    bool
	)
	fs := flag.NewFlagSet("loadgen run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs)
	fs.IntVar(&conc, "c", 64, "concurrent connections (closed loop)")
	fs.DurationVar(&duration, "duration", 20*time.Second, "measured time per workload")
	fs.DurationVar(&warmup, "warmup", 3*time.Second, "unmeasured warm-up per workload")
	fs.StringVar(&only, "workloads", "", "comma-separated workload ids to run (default all)")
	fs.StringVar(&out, "out", "bench/results/results.json", "results file")
	fs.StringVar(&sqliteDir, "sqlite-dir", "", "DATA_DIR of an SQLite-backed API, for version and counts")
	fs.IntVar(&serverPID, "server-pid", 0, "API process id, to report its CPU use")
	fs.BoolVar(&cacheBust, "cache-bust", false, "add a unique "+CacheBustParam+"= parameter to every request so response caches cannot answer")
	fs.BoolVar(&static, "static", false, "also run each workload against a static server in this process answering the bytes of one of its responses (the bound)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if conc < 1 || duration <= 0 || warmup < 0 {
		return errors.New("-c must be ≥ 1, -duration > 0 and -warmup ≥ 0")
	}
	fx, ws, client, err := c.prepare(ctx, conc, stderr)
	if err != nil {
		return err
	}
	if ws, err = Select(ws, only); err != nil {
		return err
	}
	rf := RunFile{
		StartedAt: time.Now().UTC(), Base: c.base, Concurrency: conc,
		DurationS: duration.Seconds(), WarmupS: warmup.Seconds(), PerKind: fx.PerKind, CacheBust: cacheBust,
		Env: CollectEnv(ctx), ServerIdle: procMemory(serverPID), LoadStart: loadAverage(),
	}
	switch {
	case c.db != "":
		if rf.DB, err = PostgresInfo(ctx, c.db); err != nil {
			return fmt.Errorf("database info: %w", err)
		}
	case sqliteDir != "":
		if rf.DB, err = SQLiteInfo(ctx, sqliteDir); err != nil {
			return fmt.Errorf("database info: %w", err)
		}
	}
	r := &Runner{Client: client, Base: c.base, Concurrency: conc, Duration: duration, Warmup: warmup, Seed: c.seed, ServerPID: serverPID, CacheBust: cacheBust}
	if cacheBust {
		if r.Token, err = c.bypassToken(fx, stderr); err != nil {
			return err
		}
		rf.SignedIn = r.Token != ""
	}
	const row = "%-8s %9v %8v %8v %8v %8v %8v %7v\n"
	fmt.Fprintf(stdout, row, "workload", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	for _, w := range ws {
		rf.Workloads = append(rf.Workloads, WorkloadDef{w.ID, w.Title, w.Shape, w.Random, w.TargetRPS, w.TargetOf})
		res := r.Run(ctx, w)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if static {
			if res.Static, err = staticBound(ctx, r, w); err != nil {
				return err
			}
		}
		rf.Results = append(rf.Results, res)
		fmt.Fprintf(stdout, row, res.ID, res.Requests, fmt.Sprintf("%.0f", res.RPS), fmt.Sprintf("%.2f", res.P50MS),
			fmt.Sprintf("%.2f", res.P90MS), fmt.Sprintf("%.2f", res.P99MS), fmt.Sprintf("%.2f", res.MaxMS), res.Errors)
		for _, s := range res.ErrorSample {
			fmt.Fprintln(stderr, "  ", res.ID, "error:", s)
		}
	}
	relativeTargets(&rf)
	rf.LoadEnd = loadAverage()
	return writeJSON(out, rf)
}

// relativeTargets sets the target of each workload measured against
// another one of the same run to that one's rate.
func relativeTargets(rf *RunFile) {
	for i, w := range rf.Workloads {
		if w.TargetOf == "" {
			continue
		}
		for _, r := range rf.Results {
			if r.ID == w.TargetOf {
				rf.Workloads[i].TargetRPS = r.RPS
				for j := range rf.Results {
					if rf.Results[j].ID == w.ID {
						rf.Results[j].TargetRPS = r.RPS
					}
				}
			}
		}
	}
}

func cmdExplain(ctx context.Context, args []string, stderr io.Writer) error {
	var (
		c     commonFlags
		n     int
		pgLog string
		out   string
		only  string
		mx    bool
	)
	fs := flag.NewFlagSet("loadgen explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs)
	fs.IntVar(&n, "n", 3, "requests per workload")
	fs.StringVar(&pgLog, "pg-log", "", "PostgreSQL server log file (found automatically when empty)")
	fs.StringVar(&out, "out", "bench/results/explain.json", "plans file")
	fs.StringVar(&only, "workloads", "", "comma-separated workload ids (default all)")
	fs.BoolVar(&mx, "matrix", false, "the filter × sort matrix's combinations instead of the workloads")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.db == "" {
		return errors.New("explain needs -db (PostgreSQL)")
	}
	fx, ws, client, err := c.prepare(ctx, 1, stderr)
	if err != nil {
		return err
	}
	if mx {
		if ws, err = MatrixWorkloads(fx); err != nil {
			return err
		}
	}
	token, err := c.bypassToken(fx, stderr)
	if err != nil {
		return err
	}
	if ws, err = Select(ws, only); err != nil {
		return err
	}
	if pgLog == "" {
		if pgLog, err = PostgresLogFile(ctx, c.db); err != nil {
			return err
		}
	}
	ex, err := CaptureExplain(ctx, client, c.base, token, c.db, pgLog, ws, n, c.seed)
	if err != nil {
		return err
	}
	for _, w := range ws {
		got := 0
		for _, r := range ex.Workloads[w.ID] {
			got += len(r.Statements)
		}
		fmt.Fprintf(stderr, "%s: %d statements captured over %d requests\n", w.ID, got, len(ex.Workloads[w.ID]))
	}
	return writeJSON(out, ex)
}

func cmdAutoExplain(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen auto-explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "PostgreSQL URL of the API's database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || fs.NArg() != 1 || (fs.Arg(0) != "on" && fs.Arg(0) != "off") {
		return errors.New("usage: loadgen auto-explain -db URL on|off")
	}
	return SetAutoExplain(ctx, *db, fs.Arg(0) == "on")
}

func cmdReport(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	results := fs.String("results", "bench/results/results.json", "comma-separated results files (one per data-set size)")
	explain := fs.String("explain", "", "plans file from loadgen explain (optional)")
	notes := fs.String("notes", "", "Markdown file with observations to include (optional)")
	book := fs.String("book", "", "results file of loadgen book (optional)")
	webhook := fs.String("webhook", "", "results file of loadgen webhook (optional)")
	command := fs.String("command", "", "the command that produced the results, quoted in the report")
	out := fs.String("out", "docs/benchmarks.md", "report file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var runs []RunFile
	for _, p := range strings.Split(*results, ",") {
		var rf RunFile
		if err := readJSON(strings.TrimSpace(p), &rf); err != nil {
			return err
		}
		runs = append(runs, rf)
	}
	in := ReportInput{Runs: runs, Command: *command}
	if *book != "" {
		in.Book = &BookFile{}
		if err := readJSON(*book, in.Book); err != nil {
			return err
		}
	}
	if *webhook != "" {
		in.Webhook = &WebhookFile{}
		if err := readJSON(*webhook, in.Webhook); err != nil {
			return err
		}
	}
	if *explain != "" {
		in.Explained = &Explained{}
		if err := readJSON(*explain, in.Explained); err != nil {
			return err
		}
	}
	if *notes != "" {
		b, err := os.ReadFile(*notes)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		in.Notes = string(b)
	}
	return os.WriteFile(*out, []byte(RenderReport(in)), 0o644)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
