package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ReportInput is everything docs/benchmarks.md is made from.
type ReportInput struct {
	Runs      []RunFile // one per data-set size, in the order given
	Explained *Explained
	Notes     string
	Book      *BookFile    // booking workloads, when run
	Webhook   *WebhookFile // webhook workload, when run
	Command   string       // the command that produced the results
}

// Verdict says whether a result meets its targets, and if not, why.
func Verdict(r Result) (bool, []string) {
	var why []string
	if r.RPS < r.TargetRPS {
		why = append(why, fmt.Sprintf("%.0f req/s < %.0f", r.RPS, r.TargetRPS))
	}
	if r.P99MS > TargetP99MS {
		why = append(why, fmt.Sprintf("p99 %.1f ms > %d ms", r.P99MS, TargetP99MS))
	}
	if r.Errors > 0 {
		why = append(why, fmt.Sprintf("%d errors", r.Errors))
	}
	if r.Requests == 0 {
		why = append(why, "no requests completed")
	}
	return len(why) == 0, why
}

func verdictText(r Result) string {
	if ok, why := Verdict(r); !ok {
		return "**not met** (" + strings.Join(why, "; ") + ")"
	}
	return "met"
}

// RenderReport writes the Markdown report.
func RenderReport(in ReportInput) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if len(in.Runs) == 0 {
		return "# Catalog, transport and tax benchmarks\n\nNo results.\n"
	}
	last := in.Runs[len(in.Runs)-1]

	p("# Catalog, transport and tax benchmarks\n\n")
	p("Written by `make bench` (`bench/run.sh`, which runs `cmd/benchdata` and `cmd/loadgen`) on %s. "+
		"Rerun it to refresh this page rather than editing it by hand; how to run it is at the end.\n\n",
		last.StartedAt.Format("2006-01-02 15:04 MST"))
	if in.Command != "" {
		p("This page: `%s`.\n\n", in.Command)
	}

	p("## Summary\n\n")
	p("| data set | %s |\n", strings.Join(ids(last), " | "))
	p("|---|%s\n", strings.Repeat("---|", len(last.Results)))
	for _, rf := range in.Runs {
		var cells []string
		for _, r := range rf.Results {
			ok, _ := Verdict(r)
			mark := "not met"
			if ok {
				mark = "met"
			}
			cells = append(cells, fmt.Sprintf("%s: %.0f req/s, p99 %.1f ms", mark, r.RPS, r.P99MS))
		}
		p("| %s | %s |\n", runLabel(rf), strings.Join(cells, " | "))
	}
	p("\nTargets: W1 and W3 ≥ 4000 req/s, W2 ≥ 10000 req/s, W4 and W5 ≥ 2000 req/s; T1 and T2 (transport) ≥ W1's rate in the same run; every workload p99 ≤ %d ms and no errors. The booking workloads are in the Transport section.\n\n", TargetP99MS)

	p("## Machine and software\n\n")
	p("| | |\n|---|---|\n")
	p("| date | %s |\n", last.StartedAt.Format("2006-01-02 15:04:05 MST"))
	p("| git commit | %s |\n", last.Env.Commit)
	p("| CPU | %s, %d cores |\n", orUnknown(last.Env.CPU), last.Env.Cores)
	p("| memory | %.1f GiB |\n", last.Env.MemoryGiB)
	p("| kernel | %s |\n", orUnknown(last.Env.Kernel))
	p("| Go | %s (API and load generator built with it) |\n", last.Env.GoVersion)
	if db := last.DB; db != nil {
		p("| database | %s %s%s |\n", db.Engine, db.Version, settingsText(db.Settings))
	}
	p("| load | %d connections, closed loop (each connection sends its next request when the previous response is read), %s s per workload after %s s warm-up, keep-alive, `Accept-Encoding: gzip` |\n",
		last.Concurrency, trimFloat(last.DurationS), trimFloat(last.WarmupS))
	p("| placement | API, database and load generator share this one machine; the CPU table below shows how they split it |\n\n")

	shown := map[int]bool{}
	for _, rf := range in.Runs {
		if !shown[rf.PerKind] {
			shown[rf.PerKind] = true
			renderDataSet(&b, rf)
		}
	}
	renderIndexes(&b, last.DB)

	p("## Workloads\n\n")
	p("| id | what | request | random part | target |\n|---|---|---|---|---|\n")
	for _, w := range last.Workloads {
		target := fmt.Sprintf("≥ %.0f req/s", w.TargetRPS)
		if w.TargetOf != "" {
			target = "≥ " + w.TargetOf + "'s rate in the same run"
		}
		p("| %s | %s | `%s` | %s | %s, p99 ≤ %d ms, 0 errors |\n", w.ID, w.Title, w.Shape, w.Random, target, TargetP99MS)
	}
	p("\nAn error is a transport error or any status other than 2xx and 304. Each connection draws its own random sequence from a fixed seed, so runs are repeatable. Bytes are response bodies as sent (gzip-compressed when the API compresses). Requests are anonymous.\n\n")
	if last.SignedIn {
		p("Runs marked *cache bypassed* send every request signed in (one rider's bearer token) and with a unique `%s=…` query parameter. "+
			"The catalog's response cache keys on the parameters its handlers read, so the parameter alone no longer makes a request new; "+
			"signed-in requests are never answered from it, so each request takes the database path. Signing in costs every workload the same "+
			"primary-key lookup of the account per request. Runs marked *as shipped* send the URLs above unchanged and anonymous, so whatever caching the API does counts.\n\n", CacheBustParam)
	} else {
		p("Runs marked *cache bypassed* add a unique `%s=…` query parameter to every request, which the API ignores; runs marked *as shipped* send the URLs above unchanged, so whatever caching the API does counts.\n\n", CacheBustParam)
	}

	for _, rf := range in.Runs {
		renderResults(&b, rf)
	}

	renderScaling(&b, in.Runs)
	renderTransport(&b, in)
	renderTax(&b, in)

	if in.Explained != nil {
		renderPlans(&b, in.Explained, last.Workloads)
	}

	if strings.TrimSpace(in.Notes) != "" {
		p("## Observations\n\n%s\n\n", strings.TrimSpace(in.Notes))
	}

	p("## How to run\n\n")
	p("```sh\n")
	p("make bench                                  # 10 000 listings per kind on PostgreSQL (database \"bench\" on 127.0.0.1:5432)\n")
	p("make bench-1m                               # 1 000 000 per kind in database \"bench1m\", reported with the last make bench\n")
	p("SIZES=\"10000 1000000\" make bench           # one run per size, plus the scaling table\n")
	p("DURATION=60s WARMUP=5s make bench           # longer measurements\n")
	p("BENCH_DB=sqlite PER_KIND=10000 make bench   # the embedded SQLite database instead (no plans)\n")
	p("FRESH=1 SIZES=\"10000 100000\" PROFILE=1 make bench   # as for this page: new database, two sizes, perf profile of the API\n")
	p("SIZES=100000 MODES=bypass make bench        # the database path only: catalog, transport reads and bookings in about four minutes once the data set exists\n")
	p("BOOK=0 TRANSPORT_DAYS=30 make bench         # no booking workloads; a shorter transport season\n")
	p("```\n\n")
	p("Other settings (`MODES`, `REGEN`, `EXPLAIN`, `CONCURRENCY`, `BENCH_DATABASE_URL`, …) are listed at the top of `bench/run.sh`. " +
		"Raw results, API logs, plans and profiles stay in `bench/results/` (not committed).\n\n")
	p("`bench/run.sh` builds `cmd/api`, `cmd/benchdata` and `cmd/loadgen`, creates the `bench` database when missing, " +
		"generates the data set (kept between runs when size and seed match; `REGEN=1` forces a new one), starts the API with " +
		"`APP_ENV=development SEED_DEMO=false LOG_LEVEL=warn HTTP_ADDR=127.0.0.1:18080`, the rate limits off and a JWT secret file it shares with the load generator " +
		"(`bench/results/jwt_secret`), waits for `/readyz`, runs the workloads, the booking workloads (`loadgen book`), " +
		"captures the plans, stops the API and writes this page. All traffic goes to 127.0.0.1.\n\n")
	p("Before the API starts, `loadgen prewarm` reads the catalog's indexes and rows into PostgreSQL's shared buffers " +
		"(as many as fit in 95 %% of `shared_buffers`, the rest into the page cache; `PREWARM=0` skips it), so that a run measures the plans rather than the disk. " +
		"At 1 000 000 per kind the catalog's indexes and rows are 15 GB: give PostgreSQL `shared_buffers` of 18 GB on huge pages " +
		"(`sysctl vm.nr_hugepages=9500`, `ALTER SYSTEM SET huge_pages = on`, `ALTER SYSTEM SET shared_buffers = '18GB'`, restart), " +
		"and set them back afterwards. Without huge pages, a walk of 2 000 rows took 10 ms instead of 6 on this machine.\n")
	return b.String()
}

func ids(rf RunFile) []string {
	var out []string
	for _, r := range rf.Results {
		out = append(out, r.ID)
	}
	return out
}

func renderDataSet(b *strings.Builder, rf RunFile) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Data set: %s listings per kind\n\n", thousands(int64(rf.PerKind)))
	p("Generated by `benchdata -per-kind %d`: names built from Indonesian and English word lists (\"Warung Soto Pak Budi 1234\" / "+
		"\"Pak Budi's Soto Soup Stall 1234\"), categories from `internal/catalog/demo/categories.json`, 2–5 tags, "+
		"opening hours (some past midnight), ratings, events over the next twelve months, about 93 %% published, 6 %% drafts, 1 %% archived, "+
		"within 15 km of Surakarta's centre and denser towards it. %s\n\n", rf.PerKind, loadMethod(rf.DB))
	db := rf.DB
	if db == nil || len(db.Counts) == 0 {
		return
	}
	p("| kind | published | draft | archived | total |\n|---|---:|---:|---:|---:|\n")
	for _, k := range []string{"attraction", "culinary", "event"} {
		pub, dr, ar := db.Counts[k+"/published"], db.Counts[k+"/draft"], db.Counts[k+"/archived"]
		p("| %s | %s | %s | %s | %s |\n", k, thousands(pub), thousands(dr), thousands(ar), thousands(pub+dr+ar))
	}
	p("\n")
	var tables []string
	for _, t := range []string{"listings", "listing_hours", "listing_tags"} {
		s := fmt.Sprintf("%s %s rows", t, thousands(db.Counts[t]))
		if n, ok := db.Sizes[t]; ok {
			s += fmt.Sprintf(" (%.0f MiB with indexes)", float64(n)/(1<<20))
		}
		tables = append(tables, s)
	}
	p("Tables: %s.\n\n", strings.Join(tables, ", "))
}

func renderIndexes(b *strings.Builder, db *DBInfo) {
	if db == nil || len(db.Indexes) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>Indexes on the catalog tables</summary>\n\n```sql\n%s\n```\n\n</details>\n\n", strings.Join(db.Indexes, ";\n")+";")
}

func loadMethod(db *DBInfo) string {
	if db != nil && strings.HasPrefix(db.Engine, "SQLite") {
		return "Loaded with multi-row INSERTs in large transactions, then `ANALYZE`."
	}
	return "Loaded with COPY (secondary indexes rebuilt after the load), then `VACUUM (ANALYZE)`."
}

// runLabel names a run in headings and tables.
func runLabel(rf RunFile) string {
	mode := "as shipped"
	if rf.CacheBust {
		mode = "cache bypassed"
	}
	return fmt.Sprintf("%s per kind, %s", thousands(int64(rf.PerKind)), mode)
}

func renderResults(b *strings.Builder, rf RunFile) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Results: %s\n\n", runLabel(rf))
	p("| workload | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | received | target |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rf.Results {
		avg := int64(0)
		if r.Requests > 0 {
			avg = r.Bytes / r.Requests
		}
		p("| %s %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %.1f MiB (%s B/resp) | %s |\n",
			r.ID, r.Title, thousands(r.Requests), r.RPS, r.P50MS, r.P90MS, r.P99MS, r.MaxMS, r.Errors,
			float64(r.Bytes)/(1<<20), thousands(avg), verdictText(r))
	}
	p("\n")
	var errs []string
	for _, r := range rf.Results {
		if r.Errors == 0 {
			continue
		}
		codes := make([]string, 0, len(r.Status))
		for c, n := range r.Status {
			codes = append(codes, fmt.Sprintf("%s × %d", c, n))
		}
		sort.Strings(codes)
		errs = append(errs, fmt.Sprintf("- %s: statuses %s; e.g. %s", r.ID, strings.Join(codes, ", "), strings.Join(r.ErrorSample, "; ")))
	}
	if len(errs) > 0 {
		p("Errors:\n\n%s\n\n", strings.Join(errs, "\n"))
	}
	if slices.ContainsFunc(rf.Results, func(r Result) bool { return r.Static != nil }) {
		p("The bound: the same loop (%d connections) against a static Go server in the load generator answering the bytes of one response of the workload, measured right after it:\n\n", rf.Concurrency)
		p("| workload | API req/s | static req/s | ratio | static p99 ms | response bytes |\n|---|---:|---:|---:|---:|---:|\n")
		for _, r := range rf.Results {
			if st := r.Static; st != nil && st.RPS > 0 {
				p("| %s | %.0f | %.0f | %.2f | %.2f | %s |\n", r.ID, r.RPS, st.RPS, r.RPS/st.RPS, st.P99MS, thousands(int64(st.Bytes)))
			}
		}
		p("\n")
	}
	renderMemory(b, rf)
	hasCPU := slices.ContainsFunc(rf.Results, func(r Result) bool { return r.CPU != nil })
	if hasCPU {
		p("CPU during each measurement, in cores busy (the machine has %d):\n\n", rf.Env.Cores)
		p("| workload | API | PostgreSQL (all databases) | load generator | everything else | machine busy |\n|---|---:|---:|---:|---:|---:|\n")
		for _, r := range rf.Results {
			if c := r.CPU; c != nil {
				other := max(0, c.MachineBusy/100*float64(rf.Env.Cores)-c.ServerCores-c.PostgresCores-c.LoadgenCores)
				p("| %s | %.2f | %.2f | %.2f | %.2f | %.0f %% |\n", r.ID, c.ServerCores, c.PostgresCores, c.LoadgenCores, other, c.MachineBusy)
			}
		}
		p("\n")
	}
}

// renderMemory shows the API's resident memory before the workloads and
// after each, and the machine's load averages around the run; the issue
// asks for < 60 MB idle and < 200 MB under load.
func renderMemory(b *strings.Builder, rf RunFile) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	if rf.LoadStart != "" {
		p("Load averages of the machine (1, 5, 15 min; %d cores, shared): %s when this run began, %s when it ended.\n\n", rf.Env.Cores, rf.LoadStart, orUnknown(rf.LoadEnd))
	}
	if rf.ServerIdle == nil && !slices.ContainsFunc(rf.Results, func(r Result) bool { return r.Memory != nil }) {
		return
	}
	p("Memory of the API process (`/proc/<pid>/status`: VmRSS now, VmHWM the peak since it started):\n\n")
	p("| when | RSS MiB | peak RSS MiB |\n|---|---:|---:|\n")
	if m := rf.ServerIdle; m != nil {
		p("| before the first workload (idle) | %.1f | %.1f |\n", m.RSSMiB, m.PeakMiB)
	}
	for _, r := range rf.Results {
		if m := r.Memory; m != nil {
			p("| right after %s (%d connections) | %.1f | %.1f |\n", r.ID, rf.Concurrency, m.RSSMiB, m.PeakMiB)
		}
	}
	p("\n")
}

// renderScaling compares the smallest and largest data sets measured in the
// same mode; the issue asks that W3 and W5 slow down by less than 2× from
// 10 000 to 1 000 000 listings.
func renderScaling(b *strings.Builder, runs []RunFile) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Scaling with data-set size\n\n")
	compared := false
	for _, bust := range []bool{false, true} {
		var group []RunFile
		for _, rf := range runs {
			if rf.CacheBust == bust {
				group = append(group, rf)
			}
		}
		slices.SortStableFunc(group, func(a, c RunFile) int { return a.PerKind - c.PerKind })
		if len(group) < 2 || group[0].PerKind == group[len(group)-1].PerKind {
			continue
		}
		compared = true
		small, large := group[0], group[len(group)-1]
		mode := "as shipped"
		if bust {
			mode = "cache bypassed"
		}
		p("From %s to %s listings per kind, %s (slowdown = req/s at the small size ÷ req/s at the large one; under a closed loop this is also the growth of mean latency):\n\n",
			thousands(int64(small.PerKind)), thousands(int64(large.PerKind)), mode)
		p("| workload | req/s %s | req/s %s | p99 ms %s | p99 ms %s | slowdown | goal |\n|---|---:|---:|---:|---:|---:|---|\n",
			short(small.PerKind), short(large.PerKind), short(small.PerKind), short(large.PerKind))
		for _, rs := range small.Results {
			i := slices.IndexFunc(large.Results, func(r Result) bool { return r.ID == rs.ID })
			if i < 0 {
				continue
			}
			rl := large.Results[i]
			slow := 0.0
			if rl.RPS > 0 {
				slow = rs.RPS / rl.RPS
			}
			goal := ""
			switch {
			case rs.ID != "W3" && rs.ID != "W5":
			case small.PerKind > 10000 || large.PerKind < 1000000:
				goal = "< 2× from 10k to 1M: not measured by this pair"
			case slow >= 2 || rl.RPS == 0:
				goal = "< 2×: **not met**"
			default:
				goal = "< 2×: met"
			}
			p("| %s | %.0f | %.0f | %.2f | %.2f | %.2f× | %s |\n", rs.ID, rs.RPS, rl.RPS, rs.P99MS, rl.P99MS, slow, goal)
		}
		p("\n")
	}
	if !compared {
		p("Only one data-set size was measured. ")
	}
	p("The goal is that W3 and W5 slow down by less than 2× between 10 000 and " +
		"1 000 000 listings per kind; measure it with `SIZES=\"10000 1000000\" make bench`, which runs the workloads at " +
		"both sizes and fills in this section. The cache-bypassed comparison is the one that speaks for the indexes. " +
		"Generating 1 000 000 per kind (3 million listings) takes ten minutes or more on this machine and about 12 GB of disk.\n\n")
}

func renderPlans(b *strings.Builder, ex *Explained, defs []WorkloadDef) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("## Query plans (PostgreSQL)\n\n")
	p("What is shown: the statements the API itself ran for sample requests of each workload, with their "+
		"`EXPLAIN (ANALYZE, BUFFERS)` output. They were captured with PostgreSQL's `auto_explain` module "+
		"(`log_min_duration = 0`, `log_analyze`, `log_buffers`), enabled only for the `%s` database and only for a "+
		"separate pass after the measurements (the API is restarted for it, so its sessions load the module; the settings are removed afterwards). "+
		"The SQL is therefore exactly what the catalog code sends, with real parameter values folded into the plans. "+
		"Each sample request carries the cache-bypassing `"+CacheBustParam+"` parameter, so it reaches the database. "+
		"Timings include auto_explain's own instrumentation overhead. The first sample request of each workload is shown in full; the others are summarised.\n\n", ex.Database)
	for _, d := range defs {
		reqs := ex.Workloads[d.ID]
		p("### %s %s\n\n", d.ID, d.Title)
		if len(reqs) == 0 {
			p("No request captured.\n\n")
			continue
		}
		first := reqs[0]
		var dbMS float64
		var allIdx, allSeq []string
		for _, s := range first.Statements {
			dbMS += s.DurationMS
			idx, seq := PlanAccess(s.Plan)
			allIdx = appendNew(allIdx, idx...)
			allSeq = appendNew(allSeq, seq...)
		}
		p("`GET %s` → %d; %d statement(s), %.2f ms in the database.", first.Path, first.Status, len(first.Statements), dbMS)
		if first.Helpers > 0 {
			p(" (%d helper-function evaluations during planning left out.)", first.Helpers)
		}
		p("\n\n")
		if len(first.Statements) == 0 {
			p("No statement was logged for this request (served without the database, or the log was not readable).\n\n")
		}
		if len(allIdx) > 0 {
			p("Indexes used: `%s`.", strings.Join(allIdx, "`, `"))
		} else if len(first.Statements) > 0 {
			p("No index scan.")
		}
		if len(allSeq) > 0 {
			p(" Sequential scans: `%s`.", strings.Join(allSeq, "`, `"))
		}
		p("\n\n")
		for i, s := range first.Statements {
			p("Statement %d (%.3f ms):\n\n```sql\n%s\n```\n\n```\n%s\n```\n\n", i+1, s.DurationMS, s.Query, s.Plan)
		}
		if len(reqs) > 1 {
			p("Other samples:\n\n")
			for _, r := range reqs[1:] {
				var ms float64
				var idx, seq []string
				for _, s := range r.Statements {
					ms += s.DurationMS
					i, q := PlanAccess(s.Plan)
					idx = appendNew(idx, i...)
					seq = appendNew(seq, q...)
				}
				line := fmt.Sprintf("- `GET %s` → %d; %d statement(s), %.2f ms in the database", r.Path, r.Status, len(r.Statements), ms)
				if len(idx) > 0 {
					line += "; indexes " + strings.Join(idx, ", ")
				}
				if len(seq) > 0 {
					line += "; sequential scans " + strings.Join(seq, ", ")
				}
				p("%s\n", line)
			}
			p("\n")
		}
	}
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func settingsText(s map[string]string) string {
	if len(s) == 0 {
		return ""
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+s[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", f), "0"), ".")
}

// thousands formats n with thin spaces between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	out = append([]string{s}, out...)
	r := strings.Join(out, " ")
	if neg {
		r = "-" + r
	}
	return r
}

func short(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
