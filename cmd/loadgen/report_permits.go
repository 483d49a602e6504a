package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// The permits section lives between two markers in docs/benchmarks.md, so
// it can be written by a run of the permits workloads alone without
// rendering (or losing) the rest of the page.
const (
	permitsBegin = "<!-- permits benchmark: begin -->"
	permitsEnd   = "<!-- permits benchmark: end -->"
)

// ReplaceSection puts section between the markers of doc, replacing what
// was there, or appends it with its markers when doc has none.
func ReplaceSection(doc, section string) string {
	block := permitsBegin + "\n" + strings.TrimRight(section, "\n") + "\n" + permitsEnd + "\n"
	i := strings.Index(doc, permitsBegin)
	j := strings.Index(doc, permitsEnd)
	if i >= 0 && j > i {
		return doc[:i] + block + strings.TrimLeft(doc[j+len(permitsEnd):], "\n")
	}
	if doc != "" && !strings.HasSuffix(doc, "\n") {
		doc += "\n"
	}
	if doc != "" {
		doc += "\n"
	}
	return doc + block
}

// RenderPermits writes the permits section from a results file.
func RenderPermits(pf *PermitsFile, command string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Permits\n\n")
	p("Run of %s UTC, commit `%s`, %d cores (%s), %s. Load average (1, 5, 15 min) when the workloads started: %s; when they ended: %s.\n\n",
		pf.StartedAt.Format("2006-01-02 15:04"), orUnknown(pf.Env.Commit), pf.Env.Cores, orUnknown(pf.Env.CPU), dbText(pf.DB),
		orUnknown(pf.LoadAvg), orUnknown(pf.LoadAvgEnd))
	if command != "" {
		p("Command: `%s`\n\n", command)
	}
	if ds := pf.DataSet; ds != nil {
		c := ds.Counts
		p("Data set (`benchdata -permit-applications %d`): %s applications over the five standard permit types (each at two versions; "+
			"those older than a year made under the first), owned by %s applicants; %s submitted, %s in review and %s sent back for revision, "+
			"%s of those on the clock past their `sla_due_at` when generated, the rest approved or rejected; %s history rows. "+
			"SLA due times counted in working days over the API's holiday table. Loaded with COPY in one transaction.\n\n",
			ds.Applications, thousands(int64(ds.Applications)), thousands(int64(len(ds.ApplicantIDs))), thousands(c["submitted"]),
			thousands(c["in_review"]), thousands(c["needs_revision"]), thousands(c["overdue"]), thousands(c["permit_history"]))
	}
	if len(pf.Sizes) > 0 {
		var parts []string
		for _, rel := range permitSizeOf {
			if n, ok := pf.Sizes[rel]; ok {
				parts = append(parts, fmt.Sprintf("`%s` %.1f MB", rel, float64(n)/1e6))
			}
		}
		p("On disk (without TOAST): %s.\n\n", strings.Join(parts, ", "))
	}
	mode := "as the API ships"
	if pf.CacheBust {
		mode = "each read with a unique `" + CacheBustParam + "` parameter (the database path)"
	}
	p("%d connections, closed loop, %s measured after %s of warm-up per workload; reads sent %s.\n\n",
		pf.Concurrency, trimFloat(pf.DurationS)+" s", trimFloat(pf.WarmupS)+" s", mode)
	p("| id | workload | request | drawn from |\n|---|---|---|---|\n")
	for _, w := range pf.Workloads {
		p("| %s | %s | `%s` | %s |\n", w.ID, w.Title, w.Shape, w.Random)
	}
	p("\n| id | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | statuses | API cores | PostgreSQL cores |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n")
	rows := append([]Result{}, pf.Results...)
	if pf.Upload != nil {
		rows = append(rows, pf.Upload.Result)
	}
	for _, r := range rows {
		api, pg := "–", "–"
		if r.CPU != nil {
			api, pg = fmt.Sprintf("%.2f", r.CPU.ServerCores), fmt.Sprintf("%.2f", r.CPU.PostgresCores)
		}
		p("| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s | %s | %s |\n", r.ID, thousands(r.Requests), r.RPS, r.P50MS, r.P90MS,
			r.P99MS, r.MaxMS, r.Errors, countsText(r.Status), api, pg)
	}
	p("\n")
	if u := pf.Upload; u != nil {
		p("Uploads (P3): %.0f accepted uploads/s of a %s-byte PDF, **%.1f MB/s** of documents checked (magic bytes, PDF structure, "+
			"foreign signatures), hashed and written to private storage; %d drafts made through the API first (%.1f s).\n\n",
			u.RPS, thousands(int64(u.FileBytes)), u.MBps, u.Drafts, u.SetupS)
	}
	if len(pf.QueuePages) > 0 {
		p("Queue pages P1 draws from: %d in submission order, %d in due order (20 applications each, cursors collected by following `next_cursor` from the first page).\n\n",
			pf.QueuePages["submitted_at"], pf.QueuePages["sla_due_at"])
	}
	if len(pf.Plans) > 0 {
		p("### Plans of the permits reads (PostgreSQL)\n\n")
		p("EXPLAIN (ANALYZE, BUFFERS) of the statements `internal/permit` sends for a page of the queue (one status: the queue's `queueQuery`) " +
			"and for an applicant's list (`Mine`), with a real first page and the page after the queue's middle. Index-driven means: an index read in order, " +
			"no whole-table scan of `permit_applications` and no sort.\n\n")
		p("| statement | indexes | whole-table scans | sort | index-driven |\n|---|---|---|---|---|\n")
		for _, pl := range pf.Plans {
			p("| %s | %s | %s | %v | %v |\n", pl.ID, codeList(pl.Indexes), codeList(pl.SeqScans), pl.Sorts, pl.IndexDriven)
		}
		p("\n")
		for _, pl := range pf.Plans {
			p("#### %s: %s\n\n```sql\n%s\n```\n\nparameters: %s\n\n```\n%s\n```\n\n", pl.ID, pl.Title, pl.Query, strings.Join(pl.Args, ", "), pl.Plan)
		}
	}
	return b.String()
}

func codeList(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return "`" + strings.Join(xs, "`, `") + "`"
}

func dbText(db *DBInfo) string {
	if db == nil {
		return "database unknown"
	}
	return strings.TrimSpace(db.Engine + " " + db.Version)
}

func cmdPermitsReport(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen permits-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("results", "bench/results/results-permits.json", "results file of loadgen permits")
	command := fs.String("command", "", "the command that produced the results, quoted in the report")
	out := fs.String("out", "docs/benchmarks.md", "report file; only its permits section is written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var pf PermitsFile
	if err := readJSON(*in, &pf); err != nil {
		return err
	}
	doc, err := os.ReadFile(*out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.WriteFile(*out, []byte(ReplaceSection(string(doc), RenderPermits(&pf, *command))), 0o644)
}
