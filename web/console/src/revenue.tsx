// Revenue: the citizen-profile verification queue (NIKs masked by the API),
// bills of a tax object by NOP with today's penalty, payments and receipts,
// and settling in the sandbox when the gateway is the sandbox.
import { useState } from "preact/hooks";
import { api, fieldErrors, type components, type Problem } from "./api";
import { idr, t, when } from "./i18n";
import { Field, PagedFooter, ProblemBox, Select, usePaged } from "./ui";
import { useSandbox } from "./dash";

type Profile = components["schemas"]["CitizenProfile"];
type Payment = components["schemas"]["Payment"];
type BillItem = components["schemas"]["TaxBillLookupItem"];

export function ProfileQueue() {
  const [status, setStatus] = useState<Profile["status"]>("pending");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const list = usePaged<Profile>((cursor) => api.GET("/staff/citizen-profiles", { params: { query: { status, limit: 20, cursor } } }), [status]);
  async function verify(p: Profile) {
    setProblem(null); setNote("");
    const { data, error } = await api.POST("/staff/citizen-profiles/{userId}/verify", { params: { path: { userId: p.user_id } } });
    if (error || !data) return setProblem(error as Problem);
    setNote(`${p.full_name}: ${t("verify")} ✓`);
    list.setItems(list.items.filter((x) => x.user_id !== p.user_id));
  }
  async function reject(p: Profile) {
    setProblem(null); setNote("");
    const { error } = await api.POST("/staff/citizen-profiles/{userId}/reject", { params: { path: { userId: p.user_id } }, body: { reason: reasons[p.user_id] ?? "" } });
    if (error) return setProblem(error as Problem);
    setNote(`${p.full_name}: ${t("reject")} ✓`);
    list.setItems(list.items.filter((x) => x.user_id !== p.user_id));
  }
  return (
    <section>
      <h1>{t("profiles")}</h1>
      <div class="filters">
        <Select label={t("status")} value={status} onChange={(v) => setStatus(v as Profile["status"])}
          options={[["pending", "pending"], ["verified", "verified"], ["rejected", "rejected"]]} />
      </div>
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status">{note}</p>}
      <table class="list">
        <thead><tr><th>{t("name")}</th><th>{t("nik")}</th><th>{t("date")}</th><th>{t("when")}</th><th>{t("action")}</th></tr></thead>
        <tbody>
          {list.items.map((p) => (
            <tr key={p.user_id}>
              <td>{p.full_name}</td><td><code>{p.nik_masked}</code></td><td>{p.birth_date}</td><td>{when(p.submitted_at)}</td>
              <td>
                {p.status === "pending" ? (
                  <div class="row-actions">
                    <button class="small" onClick={() => verify(p)}>{t("verify")}</button>
                    <Field label={`${t("reason")} (${p.full_name})`} class="compact" value={reasons[p.user_id] ?? ""}
                      onInput={(e) => setReasons({ ...reasons, [p.user_id]: (e.target as HTMLInputElement).value })} />
                    <button class="small danger" onClick={() => reject(p)}>{t("reject")}</button>
                  </div>
                ) : p.status}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

export function BillLookup() {
  const [nop, setNop] = useState("");
  const [year, setYear] = useState("");
  const [bills, setBills] = useState<BillItem[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  async function submit(e: Event) {
    e.preventDefault();
    setProblem(null); setErrs({}); setBills(null);
    const { data, error } = await api.GET("/taxes/bills/lookup", { params: { query: { nop: nop.trim(), year: year ? Number(year) : undefined } } });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setBills(data);
  }
  return (
    <section>
      <h1>{t("bills")}</h1>
      <form class="filters" onSubmit={submit} role="search">
        <Field label={t("nop")} value={nop} required placeholder="33.72.010.001.002-0003.0" onInput={(e) => setNop((e.target as HTMLInputElement).value)} error={errs.nop} />
        <Field label={t("year")} type="number" value={year} onInput={(e) => setYear((e.target as HTMLInputElement).value)} error={errs.year} />
        <button type="submit">{t("search")}</button>
      </form>
      <ProblemBox problem={problem} />
      {bills && bills.length === 0 && <p class="empty">{t("empty")}</p>}
      {bills && bills.length > 0 && (
        <table class="list" data-testid="bills">
          <thead><tr><th>{t("nop")}</th><th>{t("period")}</th><th>{t("owner")}</th><th>{t("due")}</th><th>{t("principal")}</th><th>{t("penalty")}</th><th>{t("total")}</th><th>{t("status")}</th></tr></thead>
          <tbody>
            {bills.map((b) => (
              <tr key={b.bill_id}>
                <td><code>{b.nop}</code></td><td>{b.period}</td><td>{b.owner_name_masked}</td><td>{b.due_date}</td>
                <td>{idr(b.principal_idr)}</td><td>{idr(b.penalty_idr)}</td><td><strong>{idr(b.total_idr)}</strong></td><td><span class={"badge " + b.status}>{b.status}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PaymentList() {
  const sandbox = useSandbox();
  const [status, setStatus] = useState<"" | Payment["status"]>("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const list = usePaged<Payment>((cursor) => api.GET("/staff/payments", { params: { query: { status: status || undefined, limit: 20, cursor } } }), [status]);
  async function settle(p: Payment) {
    setProblem(null);
    const { data, error } = await api.POST("/sandbox/payments/{id}/settle", { params: { path: { id: p.id } } });
    if (error || !data) return setProblem(error as Problem);
    list.setItems(list.items.map((x) => (x.id === p.id ? (data as Payment) : x)));
  }
  return (
    <section>
      <h1>{t("payments")}</h1>
      {sandbox && <p class="badge sandbox" data-testid="sandbox">{t("sandboxMode")}</p>}
      <div class="filters">
        <Select label={t("status")} value={status} onChange={(v) => setStatus(v as typeof status)}
          options={[["", t("all")], ["pending", "pending"], ["paid", "paid"], ["failed", "failed"], ["expired", "expired"], ["refund_due", "refund_due"]]} />
      </div>
      <ProblemBox problem={problem} />
      <table class="list">
        <thead><tr><th>{t("when")}</th><th>{t("nop")}</th><th>{t("period")}</th><th>{t("amount")}</th><th>{t("status")}</th><th>{t("receipt")}</th><th>{t("action")}</th></tr></thead>
        <tbody>
          {list.items.map((p) => (
            <tr key={p.id}>
              <td>{when(p.created_at)}</td><td><code>{p.nop}</code></td><td>{p.period}</td><td>{idr(p.amount_idr)}</td>
              <td><span class={"badge " + p.status}>{p.status}</span></td>
              <td>{p.receipt ? <><code>{p.receipt.ntpd}</code> · {when(p.paid_at)}</> : "—"}</td>
              <td>{sandbox && p.status === "pending" && <button class="small" onClick={() => settle(p)}>{t("settle")}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}
