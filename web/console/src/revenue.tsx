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

type TaxObject = components["schemas"]["TaxObject"];
const taxTypes: TaxObject["type"][] = ["pbb", "pbjt_restoran", "pbjt_hotel", "reklame", "parkir", "hiburan"];

/** NewObject registers a tax object by NOP and then bills it. */
export function NewObject() {
  const [o, setO] = useState({ nop: "", type: "pbb" as TaxObject["type"], address: "", owner_name: "", owner_nik: "" });
  const [made, setMade] = useState<TaxObject | null>(null);
  const [b, setB] = useState({ period: String(new Date().getFullYear()), principal_idr: "", due_date: "" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const setOf = (k: keyof typeof o) => (e: Event) => setO({ ...o, [k]: (e.target as HTMLInputElement).value });
  const setBf = (k: keyof typeof b) => (e: Event) => setB({ ...b, [k]: (e.target as HTMLInputElement).value });
  async function createObject(e: Event) {
    e.preventDefault();
    setProblem(null); setErrs({}); setNote("");
    const { data, error } = await api.POST("/taxes/objects", { body: o });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setMade(data);
    setNote(`${t("nop")} ${data.nop} ✓`);
  }
  async function createBill(e: Event) {
    e.preventDefault();
    if (!made) return;
    setProblem(null); setErrs({}); setNote("");
    const { data, error } = await api.POST("/taxes/bills", { body: { object_id: made.id, period: b.period, principal_idr: Number(b.principal_idr), due_date: b.due_date } });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setNote(`${t("bill")} ${data.period}: ${idr(data.total_idr)} ✓`);
  }
  return (
    <section>
      <h1>{t("newObject")}</h1>
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status" data-testid="revenue-note">{note}</p>}
      <form class="editor" onSubmit={createObject}>
        <fieldset>
          <legend>{t("taxObject")}</legend>
          <div class="grid2">
            <Field label={t("nop")} value={o.nop} required placeholder="33.72.010.001.002-0003.0" onInput={setOf("nop")} error={errs.nop} disabled={!!made} />
            <Select label={t("taxType")} value={o.type} onChange={(v) => setO({ ...o, type: v as TaxObject["type"] })} options={taxTypes.map((x) => [x, x])} error={errs.type} />
            <Field label={t("address")} value={o.address} required onInput={setOf("address")} error={errs.address} class="wide" disabled={!!made} />
            <Field label={t("owner")} value={o.owner_name} required onInput={setOf("owner_name")} error={errs.owner_name} disabled={!!made} />
            <Field label={t("ownerNik")} value={o.owner_nik} inputMode="numeric" autoComplete="off" onInput={setOf("owner_nik")} error={errs.owner_nik} disabled={!!made} />
          </div>
          {!made && <button type="submit">{t("save")}</button>}
          {made && <p class="muted">{made.owner_nik_masked} · {made.linked ? t("linked") : t("notLinked")}</p>}
        </fieldset>
      </form>
      {made && (
        <form class="editor" onSubmit={createBill}>
          <fieldset>
            <legend>{t("bill")} · {made.nop}</legend>
            <div class="grid2">
              <Field label={t("period")} value={b.period} required placeholder="2026 / 2026-07" onInput={setBf("period")} error={errs.period} />
              <Field label={`${t("principal")} (Rp)`} type="number" min={0} value={b.principal_idr} required onInput={setBf("principal_idr")} error={errs.principal_idr} />
              <Field label={t("due")} type="date" value={b.due_date} required onInput={setBf("due_date")} error={errs.due_date} />
            </div>
            <button type="submit">{t("save")}</button>
          </fieldset>
        </form>
      )}
    </section>
  );
}
