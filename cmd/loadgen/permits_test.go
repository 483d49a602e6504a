package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/solodestination/api/cmd/benchdata/fixture"
	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/storage"
	"github.com/solodestination/api/internal/platform/testdb"
)

// The uploaded file must pass the API's document check as a PDF, at the
// size asked for.
func TestUploadPDFPassesTheDocumentCheck(t *testing.T) {
	t.Parallel()
	for _, size := range []int{8 << 10, 100 << 10} {
		pdf := UploadPDF(size)
		if len(pdf) < size*9/10 || len(pdf) > size*11/10 {
			t.Fatalf("asked for %d bytes, got %d", size, len(pdf))
		}
		doc, err := storage.CheckDocument(context.Background(), pdf, storage.PDF)
		if err != nil {
			t.Fatalf("%d bytes: refused: %v", size, err)
		}
		if doc.Format != storage.PDF {
			t.Fatalf("format %v", doc.Format)
		}
	}
	body, ctype, err := UploadBody("ktp", "ktp.pdf", UploadPDF(8<<10))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if err := req.ParseMultipartForm(1 << 20); err != nil {
		t.Fatal(err)
	}
	if req.FormValue("code") != "ktp" || len(req.MultipartForm.File["file"]) != 1 {
		t.Fatalf("form = %+v", req.MultipartForm)
	}
}

// The workloads run against the real API: the queue walked by its cursors
// as licensing staff, an applicant's list, and uploads to drafts the
// workload makes, all answered 2xx.
func TestPermitWorkloadsAgainstTheAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	api := apitest.New(t)
	if err := api.DB.InTx(ctx, func(tx *gorm.DB) error { return api.App.Permits.SeedTypes(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler)
	defer srv.Close()
	client := NewClient(4, 10*time.Second)
	staffActor := api.Staff(identity.DeptLicensing)
	staff, err := MintToken(apitest.Secret, staffActor.ID.String(), "staff", "licensing", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var owners []string
	var ids []string
	for _, name := range []string{"a", "b"} {
		u := api.User(name)
		tok, err := MintToken(apitest.Secret, u.ID.String(), "user", "", time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		owners, ids = append(owners, tok), append(ids, u.ID.String())
	}
	// 23 submitted applications: two pages of the queue.
	drafts, err := makeDrafts(ctx, client, srv.URL, owners, 23)
	if err != nil {
		t.Fatal(err)
	}
	body, ctype, err := UploadBody(uploadCode, "ktp.pdf", UploadPDF(8<<10))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drafts {
		if code, err := postMultipart(ctx, client, srv.URL+"/api/v1/permits/applications/"+d.id+"/documents", d.token, ctype, body); err != nil || code != http.StatusCreated {
			t.Fatalf("upload: %d %v", code, err)
		}
		if code, b, err := post(ctx, client, srv.URL+"/api/v1/permits/applications/"+d.id+"/submit", d.token, "", nil); err != nil || code != http.StatusOK {
			t.Fatalf("submit: %d %v %s", code, err, b)
		}
	}
	bySub, err := walkQueue(ctx, client, srv.URL, staff, queueQuery(""), 10)
	if err != nil {
		t.Fatal(err)
	}
	byDue, err := walkQueue(ctx, client, srv.URL, staff, queueQuery("sla_due_at"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(bySub) != 2 || len(byDue) != 2 || bySub[0] != "" || bySub[1] == "" {
		t.Fatalf("cursors %q %q", bySub, byDue)
	}
	p := &fixture.Permits{Applications: 23, ApplicantIDs: ids, StaffID: staffActor.ID.String(), Counts: map[string]int64{"submitted": 23}}
	ws := PermitWorkloads(p, bySub, byDue, staff, owners)
	if len(ws) != 3 {
		t.Fatalf("%d workloads", len(ws))
	}
	r := &Runner{Client: client, Base: srv.URL, Concurrency: 2, Duration: 300 * time.Millisecond, Seed: 1, CacheBust: true}
	for _, w := range ws {
		res := r.Run(ctx, w)
		if res.Requests == 0 || res.Errors != 0 {
			t.Fatalf("%s: %d requests, %d errors %v", w.ID, res.Requests, res.Errors, res.ErrorSample)
		}
	}
	// Both pages are drawn.
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[bool]bool{}
	for range 40 {
		seen[strings.Contains(ws[0].Next(rng), "cursor=")] = true
	}
	if !seen[true] || !seen[false] {
		t.Fatal("P1 does not draw both pages")
	}

	// The plans' statements run on PostgreSQL with real positions (a table
	// this small is read whole; the benchmark's data set says which index).
	if testdb.IsPostgres() {
		plans, err := ExplainPermits(ctx, api.DB.URL, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 5 || len(plans[1].Args) != 3 || !strings.Contains(plans[1].Plan, "actual time") {
			t.Fatalf("plans = %+v", plans)
		}
		sizes, err := permitSizes(ctx, api.DB.URL)
		if err != nil || sizes["permit_applications"] == 0 || len(sizes) != len(permitSizeOf) {
			t.Fatalf("sizes %v %v", sizes, err)
		}
	}

	up, def, err := runUploads(ctx, client, srv.URL, owners, 2, 4, 8<<10, 400*time.Millisecond, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if def.ID != "P3" || up.Drafts != 4 || up.Requests == 0 || up.Errors != 0 || up.MBps <= 0 || up.Status["201"] != up.Requests {
		t.Fatalf("uploads = %+v", up)
	}
	// Every accepted upload is a stored document row; the last per draft is current.
	var stored, current int64
	api.DB.Raw("SELECT count(*) FROM permit_documents").Scan(&stored)
	api.DB.Raw("SELECT count(*) FROM permit_documents WHERE superseded_at IS NULL").Scan(&current)
	if stored != 23+up.Requests || current != 23+4 {
		t.Fatalf("%d documents stored (%d current), want %d (%d)", stored, current, 23+up.Requests, 23+4)
	}
}

func TestReplaceSection(t *testing.T) {
	t.Parallel()
	doc := "# Benchmarks\n\ntext\n"
	once := ReplaceSection(doc, "## Permits\n\nfirst\n")
	if !strings.HasPrefix(once, doc) || !strings.Contains(once, permitsBegin+"\n## Permits\n\nfirst\n"+permitsEnd+"\n") {
		t.Fatalf("appended:\n%s", once)
	}
	twice := ReplaceSection(once+"## After\n", "## Permits\n\nsecond\n")
	if strings.Contains(twice, "first") || !strings.Contains(twice, "second") || !strings.HasSuffix(twice, permitsEnd+"\n## After\n") ||
		strings.Count(twice, permitsBegin) != 1 {
		t.Fatalf("replaced:\n%s", twice)
	}
}

func TestRenderPermits(t *testing.T) {
	t.Parallel()
	pf := &PermitsFile{Concurrency: 64, DurationS: 10, WarmupS: 3, CacheBust: true, LoadAvg: "1.50 1.20 1.00",
		DataSet:   &fixture.Permits{Applications: 100000, ApplicantIDs: make([]string, 5000), Counts: map[string]int64{"submitted": 2000, "overdue": 300}},
		Workloads: []WorkloadDef{{ID: "P1", Title: "Licensing queue"}},
		Results:   []Result{{ID: "P1", Requests: 12000, RPS: 1200, P99MS: 45.5}},
		Upload:    &UploadResult{Result: Result{ID: "P3", RPS: 150, P99MS: 900}, FileBytes: 102400, MBps: 15.4, Drafts: 128},
		Sizes:     map[string]int64{"permit_applications": 41_000_000},
		Plans:     []PermitPlan{{ID: "P1 first page", Indexes: []string{"permit_applications_queue_idx"}, IndexDriven: true, Plan: "Limit\n  ->  Index Scan"}},
	}
	out := RenderPermits(pf, "make bench")
	for _, want := range []string{"## Permits", "1.50 1.20 1.00", "100 000 applications", "| P1 | 12 000 | 1200 |", "45.50",
		"**15.4 MB/s**", "`permit_applications_queue_idx`", "| true |", "Command: `make bench`", "`permit_applications` 41.0 MB"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
