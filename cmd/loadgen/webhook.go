package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/solodestination/api/cmd/benchdata/fixture"
)

// The webhook workload: a setup phase creates pending payments through the
// API as the bills' owners (POST /taxes/bills/{id}/payments), then every
// payment gets a signed sandbox "paid" notification delivered twice (the
// same event id, as a gateway's retry would), the deliveries shuffled and
// sent at the given concurrency. Afterwards the database must hold exactly
// one paid payment, one event and one receipt per payment.

// TargetWebhooksPS is the floor for webhook handling.
const TargetWebhooksPS = 500

// WebhookFile is the results file of "loadgen webhook".
type WebhookFile struct {
	StartedAt   time.Time        `json:"started_at"`
	Concurrency int              `json:"concurrency"`
	Payments    int              `json:"payments"`
	Deliveries  int              `json:"deliveries"`
	Duplicates  int              `json:"duplicates"`
	SetupS      float64          `json:"setup_s"`
	SetupPS     float64          `json:"setup_ps"`
	ElapsedS    float64          `json:"elapsed_s"`
	EventsPS    float64          `json:"events_ps"`
	P50MS       float64          `json:"p50_ms"`
	P99MS       float64          `json:"p99_ms"`
	MaxMS       float64          `json:"max_ms"`
	Status      map[string]int64 `json:"status"`
	Errors      int64            `json:"errors"`
	ErrorSample []string         `json:"error_sample,omitempty"`
	CPU         *CPUUse          `json:"cpu,omitempty"`
	// Check is what the database holds afterwards (PostgreSQL only).
	Check *WebhookCheck `json:"check,omitempty"`
}

// WebhookCheck counts the outcome in the database.
type WebhookCheck struct {
	PaidPayments   int64 `json:"paid_payments"`
	PaidSubjects   int64 `json:"paid_subjects"`
	Events         int64 `json:"events"`
	Receipts       int64 `json:"receipts"`
	PaidBills      int64 `json:"paid_bills"`
	SubjectsTwice  int64 `json:"subjects_paid_twice"`
	ExactlyOnce    bool  `json:"exactly_once"`
	PendingLeft    int64 `json:"pending_left"`
	RefundDue      int64 `json:"refund_due"`
	EventsExpected int64 `json:"events_expected"`
}

type createdPayment struct {
	ID        string `json:"id"`
	AmountIDR int64  `json:"amount_idr"`
	Status    string `json:"status"`
}

// SignSandbox is the sandbox gateway's X-Signature of body.
func SignSandbox(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// WebhookBody is a sandbox "paid" notification.
func WebhookBody(eventID, paymentID string, amount int64, paidAt time.Time) []byte {
	b, _ := json.Marshal(map[string]any{"event_id": eventID, "payment_id": paymentID, "status": "paid",
		"amount_idr": amount, "paid_at": paidAt.UTC().Format(time.RFC3339)})
	return b
}

func cmdWebhook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		c          commonFlags
		conc       int
		payments   int
		secretFile string
		serverPID  int
		out        string
	)
	fs := flag.NewFlagSet("loadgen webhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.register(fs)
	fs.IntVar(&conc, "c", 64, "concurrent deliveries")
	fs.IntVar(&payments, "payments", 5000, "pending payments created in the setup phase (each gets a paid event, delivered twice)")
	fs.StringVar(&secretFile, "webhook-secret-file", "", "file holding the API's PAYMENT_WEBHOOK_SECRET")
	fs.IntVar(&serverPID, "server-pid", 0, "API process id, to report its CPU use")
	fs.StringVar(&out, "out", "bench/results/results-webhook.json", "results file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if conc < 1 || payments < 1 || secretFile == "" || c.secret == "" {
		return errors.New("webhook needs -c ≥ 1, -payments ≥ 1, -webhook-secret-file and -jwt-secret-file")
	}
	fx, _, client, err := c.prepare(ctx, conc, stderr)
	if err != nil {
		return err
	}
	if fx.Tax == nil || len(fx.Tax.PayBills) == 0 {
		return errors.New("the data set has no tax bills to pay (benchdata -tax-citizens)")
	}
	hookSecret, err := os.ReadFile(secretFile)
	if err != nil {
		return err
	}
	hookSecret = bytes.TrimRight(hookSecret, "\r\n")
	jwtSecret, err := os.ReadFile(c.secret)
	if err != nil {
		return err
	}
	jwtSecret = bytes.TrimRight(jwtSecret, "\r\n")
	bills := fx.Tax.PayBills[:min(payments, len(fx.Tax.PayBills))]
	wf := WebhookFile{StartedAt: time.Now().UTC(), Concurrency: conc, Status: map[string]int64{}}

	// Setup: one pending payment per bill, created by its owner.
	tokens := map[string]string{}
	for _, pb := range bills {
		if _, ok := tokens[pb.UserID]; !ok {
			if tokens[pb.UserID], err = MintToken(jwtSecret, pb.UserID, "user", "", time.Now(), 2*time.Hour); err != nil {
				return err
			}
		}
	}
	start := time.Now()
	created, err := createPayments(ctx, client, c.base, bills, tokens, conc)
	if err != nil {
		return err
	}
	wf.SetupS = time.Since(start).Seconds()
	wf.SetupPS = float64(len(created)) / wf.SetupS
	wf.Payments = len(created)
	fmt.Fprintf(stderr, "webhook: %d pending payments created in %.1fs\n", len(created), wf.SetupS)

	// Every event twice, shuffled, so a duplicate often races its original.
	type delivery struct{ body []byte }
	rng := rand.New(rand.NewPCG(c.seed, 0x3eb))
	paidAt := time.Now()
	var ds []delivery
	for _, p := range created {
		body := WebhookBody("bench-"+p.ID, p.ID, p.AmountIDR, paidAt)
		ds = append(ds, delivery{body}, delivery{body})
	}
	rng.Shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] })
	wf.Deliveries, wf.Duplicates = len(ds), len(created)

	var (
		next    atomic.Int64
		mu      sync.Mutex
		lat     []int64
		wg      sync.WaitGroup
		samples []string
	)
	cpu0 := sampleCPU(serverPID)
	start = time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []int64
			status := map[int]int64{}
			var errs int64
			var sample []string
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(ds) {
					break
				}
				t0 := time.Now()
				code, err := postSigned(ctx, client, c.base+"/api/v1/payments/webhook", ds[i].body, SignSandbox(hookSecret, ds[i].body))
				mine = append(mine, int64(time.Since(t0)))
				status[code]++
				if err != nil || code != http.StatusOK {
					errs++
					if len(sample) < 3 {
						sample = append(sample, fmt.Sprintf("POST /payments/webhook -> %d %v", code, err))
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, v := range status {
				wf.Status[fmt.Sprint(k)] += v
			}
			wf.Errors += errs
			samples = append(samples, sample...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	elapsed := time.Since(start)
	wf.CPU = sampleCPU(serverPID).since(cpu0, elapsed)
	wf.ElapsedS = elapsed.Seconds()
	wf.EventsPS = float64(len(ds)) / wf.ElapsedS
	wf.ErrorSample = samples[:min(len(samples), 5)]
	slices.Sort(lat)
	wf.P50MS, wf.P99MS, wf.MaxMS = pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1)
	if c.db != "" {
		ids := make([]string, len(created))
		for i, p := range created {
			ids[i] = p.ID
		}
		if wf.Check, err = checkWebhooks(ctx, c.db, ids); err != nil {
			return fmt.Errorf("check: %w", err)
		}
	}
	fmt.Fprintf(stdout, "webhook: %d deliveries (%d duplicates) in %.1fs: %.0f events/s, p50 %.1f ms, p99 %.1f ms, errors %d\n",
		wf.Deliveries, wf.Duplicates, wf.ElapsedS, wf.EventsPS, wf.P50MS, wf.P99MS, wf.Errors)
	if wf.Check != nil {
		fmt.Fprintf(stdout, "webhook: exactly one paid payment, event and receipt per payment: %v (%+v)\n", wf.Check.ExactlyOnce, *wf.Check)
	}
	return writeJSON(out, wf)
}

func pct(sorted []int64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, int(q*float64(len(sorted))))
	return float64(sorted[i]) / 1e6
}

func postSigned(ctx context.Context, c *http.Client, u string, body []byte, sig string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature", sig)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// createPayments opens a QRIS payment for every bill, conc at a time.
func createPayments(ctx context.Context, c *http.Client, base string, bills []fixture.PayBill, tokens map[string]string, conc int) ([]createdPayment, error) {
	out := make([]createdPayment, len(bills))
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		mu       sync.Mutex
	)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(bills) {
					return
				}
				p, err := createPayment(ctx, c, base, bills[i], tokens[bills[i].UserID])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				out[i] = p
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, ctx.Err()
}

func createPayment(ctx context.Context, c *http.Client, base string, pb fixture.PayBill, token string) (createdPayment, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/taxes/bills/"+pb.BillID+"/payments",
		bytes.NewReader([]byte(`{"channel":"qris"}`)))
	if err != nil {
		return createdPayment{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", "bench-"+pb.BillID)
	resp, err := c.Do(req)
	if err != nil {
		return createdPayment{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return createdPayment{}, fmt.Errorf("POST /taxes/bills/%s/payments -> %d: %s", pb.BillID, resp.StatusCode, b)
	}
	var p createdPayment
	if err := json.Unmarshal(b, &p); err != nil || p.ID == "" || p.AmountIDR <= 0 {
		return createdPayment{}, fmt.Errorf("POST /taxes/bills/%s/payments: unexpected body %s", pb.BillID, b)
	}
	return p, nil
}

func checkWebhooks(ctx context.Context, dsn string, ids []string) (*WebhookCheck, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	ch := &WebhookCheck{EventsExpected: int64(len(ids))}
	q := func(sql string, dst *int64) error { return conn.QueryRow(ctx, sql, ids).Scan(dst) }
	for _, s := range []struct {
		sql string
		dst *int64
	}{
		{"SELECT count(*) FROM payments WHERE id::text = ANY($1) AND status = 'paid'", &ch.PaidPayments},
		{"SELECT count(DISTINCT subject_id) FROM payments WHERE id::text = ANY($1) AND status = 'paid'", &ch.PaidSubjects},
		{"SELECT count(*) FROM payments WHERE id::text = ANY($1) AND status = 'pending'", &ch.PendingLeft},
		{"SELECT count(*) FROM payments WHERE id::text = ANY($1) AND status = 'refund_due'", &ch.RefundDue},
		{"SELECT count(*) FROM payment_events WHERE payment_id::text = ANY($1)", &ch.Events},
		{"SELECT count(*) FROM payment_receipts WHERE payment_id::text = ANY($1)", &ch.Receipts},
		{"SELECT count(*) FROM tax_bills b JOIN payments p ON p.subject_id = b.id WHERE p.id::text = ANY($1) AND b.status = 'paid'", &ch.PaidBills},
		{`SELECT count(*) FROM (SELECT subject_id FROM payments WHERE subject_id IN (SELECT subject_id FROM payments WHERE id::text = ANY($1))
			AND status = 'paid' GROUP BY subject_id HAVING count(*) > 1) t`, &ch.SubjectsTwice},
	} {
		if err := q(s.sql, s.dst); err != nil {
			return nil, err
		}
	}
	n := int64(len(ids))
	ch.ExactlyOnce = ch.PaidPayments == n && ch.PaidSubjects == n && ch.Events == n && ch.Receipts == n &&
		ch.PaidBills == n && ch.SubjectsTwice == 0
	return ch, nil
}
