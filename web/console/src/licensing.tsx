// Licensing: the permit queue by SLA with overdue flags, an application with
// its type's labelled fields, documents, history and the applicant's reklame
// tax standing, the moves licensing staff may make from where it is, and the
// decision letter of an approved permit.
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, fieldErrors, type components, type Problem } from "./api";
import { idr, t, useLang, when, type Lang } from "./i18n";
import { Link, Loading, PagedFooter, ProblemBox, Select, TextArea, text, usePaged } from "./ui";

type Summary = components["schemas"]["PermitApplicationSummary"];
type Application = components["schemas"]["PermitApplication"];
type PermitType = components["schemas"]["PermitType"];
export type Status = Application["status"];

/**
 * moves are the workflow table's moves licensing staff make (docs/permits.md,
 * permit.Transitions): from a status, the statuses they may move it to.
 * The applicant's moves (into submitted) are not the console's.
 */
export const moves: Partial<Record<Status, Status[]>> = {
  submitted: ["in_review"],
  in_review: ["needs_revision", "approved", "rejected"],
};

const statusKey = {
  draft: "stDraft", submitted: "stSubmitted", in_review: "stInReview", needs_revision: "stNeedsRevision",
  approved: "stApproved", rejected: "stRejected",
} as const;

export function statusName(s: Status): string {
  return t(statusKey[s]);
}

export function StatusBadge({ s, testid }: { s: Status; testid?: string }) {
  return <span class={"badge " + s} data-testid={testid}>{statusName(s)}</span>;
}

/**
 * saveFile downloads a file of the API as an attachment. The access token
 * lives in memory only, so a plain link (or a new tab) would reach the API
 * without it; the file is fetched with the typed client (Authorization
 * header, connect-src 'self') and handed to the browser's downloads through
 * a short-lived object URL and <a download>. Nothing is rendered in the
 * console's origin, and the CSP needs no blob: source.
 */
async function saveFile(load: () => Promise<{ data?: Blob; error?: unknown; response: Response }>, fallback: string): Promise<Problem | null> {
  const { data, error, response } = await load();
  if (error || !data) return (error as Problem) ?? { status: response.status, title: response.statusText, type: "about:blank" } as Problem;
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
  const url = URL.createObjectURL(data);
  const a = document.createElement("a");
  a.href = url;
  a.download = named ? decodeURIComponent(named) : fallback;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return null;
}

export function PermitQueue() {
  const lang = useLang();
  const [status, setStatus] = useState<"" | Exclude<Status, "draft">>("");
  // By SLA, most urgent first; an application sent back for revision has its clock paused (no due time).
  const sort = status === "needs_revision" ? "submitted_at" : "sla_due_at";
  const list = usePaged<Summary>((cursor) => api.GET("/staff/permit-applications", {
    params: { query: { status: status || undefined, sort, lang, limit: 20, cursor } },
  }), [status, lang]);
  return (
    <section>
      <h1>{t("permitQueue")}</h1>
      <div class="filters">
        <Select label={t("status")} value={status} onChange={(v) => setStatus(v as typeof status)}
          options={[["", t("waiting")], ...(["submitted", "in_review", "needs_revision", "approved", "rejected"] as const).map((s): [string, string] => [s, statusName(s)])]} />
      </div>
      <p class="muted">{sort === "sla_due_at" ? t("bySla") : t("bySubmission")}</p>
      <table class="list" data-testid="permit-queue">
        <thead><tr><th>{t("trackingNumber")}</th><th>{t("permitType")}</th><th>{t("status")}</th><th>{t("submittedAt")}</th><th>{t("slaDue")}</th></tr></thead>
        <tbody>
          {list.items.map((a) => (
            <tr key={a.id} class={a.overdue ? "overdue" : ""}>
              <td><Link to={`/licensing/applications/${a.id}`}>{a.tracking_number ?? a.id.slice(0, 8)}</Link></td>
              <td>{text(a.type_name, lang)}</td>
              <td><StatusBadge s={a.status} /></td>
              <td>{when(a.submitted_at)}</td>
              <td>{when(a.sla_due_at)} {a.overdue && <span class="badge late">{t("late")}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

function value(v: unknown, lang: Lang): string {
  if (v === true) return lang === "en" ? "yes" : "ya";
  if (v === false) return lang === "en" ? "no" : "tidak";
  if (v == null || v === "") return "—";
  if (typeof v === "number") return v.toLocaleString(lang === "en" ? "en-GB" : "id-ID");
  return String(v);
}

export function ApplicationPage({ id }: { id: string }) {
  const lang = useLang();
  const [a, setA] = useState<Application | null>(null);
  const [type, setType] = useState<PermitType | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [conflict, setConflict] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState("");
  async function load() {
    const { data, error } = await api.GET("/permits/applications/{id}", { params: { path: { id }, query: { lang } } });
    if (error || !data) return setProblem(error as Problem);
    setA(data);
  }
  useEffect(() => void load(), [id, lang]);
  useEffect(() => {
    if (!a) return;
    void api.GET("/permits/types", { params: { query: { lang } } }).then(({ data }) => setType(data?.data.find((x) => x.code === a.type) ?? null));
  }, [a?.type, lang]);
  async function move(to: Status) {
    setBusy(true); setProblem(null); setConflict(null); setErrs({}); setDone("");
    const { data, error } = await api.POST("/permits/applications/{id}/transitions", {
      params: { path: { id }, query: { lang } }, body: { to, note: note.trim() },
    });
    setBusy(false);
    if (error || !data) {
      const p = error as Problem;
      if (p?.status === 409) setConflict(p);
      else if (p?.status === 422 && p.errors?.length) setErrs(fieldErrors(p));
      else setProblem(p);
      return;
    }
    setA(data);
    setNote("");
    setDone(`${t("movedTo")} ${statusName(data.status)}`);
  }
  async function download(run: () => Promise<Problem | null>) {
    setProblem(null);
    const p = await run();
    if (p) setProblem(p);
  }
  if (!a) return problem ? <ProblemBox problem={problem} /> : <Loading />;
  const fieldLabel = (name: string) => text(type?.fields.find((f) => f.name === name)?.label, lang) || name;
  const docName = (code: string) => text(type?.documents.find((d) => d.code === code)?.name, lang) || code;
  const names = [...(type?.fields.map((f) => f.name).filter((n) => n in a.data) ?? []), ...Object.keys(a.data).filter((n) => !type?.fields.some((f) => f.name === n))];
  const next = moves[a.status] ?? [];
  return (
    <section>
      <p><Link to="/licensing/applications">← {t("permitQueue")}</Link></p>
      <div class="head">
        <h1>{text(a.type_name, lang)} · {a.tracking_number ?? "—"}</h1>
        <StatusBadge s={a.status} testid="permit-status" />
        {a.overdue && <span class="badge late" data-testid="permit-overdue">{t("late")}</span>}
      </div>
      <dl class="facts">
        <dt>{t("permitType")}</dt><dd>{text(a.type_name, lang)} (<code>{a.type}</code> v{a.type_version})</dd>
        <dt>{t("submittedAt")}</dt><dd>{when(a.submitted_at)}</dd>
        <dt>{t("slaDue")}</dt><dd>{when(a.sla_due_at)}</dd>
        {a.permit_number && <><dt>{t("permitNumber")}</dt><dd data-testid="permit-number"><code>{a.permit_number}</code></dd></>}
        {a.valid_until && <><dt>{t("validUntil")}</dt><dd>{a.valid_until}</dd></>}
        {a.decided_at && <><dt>{t("decidedAt")}</dt><dd>{when(a.decided_at)}</dd></>}
      </dl>
      {a.tax_status && (
        <div class={a.tax_status.overdue_bills > 0 ? "problem" : "ok"} data-testid="tax-status">
          <strong>{t("taxStatus")}:</strong> {t("taxLine", { n: a.tax_status.unpaid_bills, a: idr(a.tax_status.unpaid_idr), o: a.tax_status.overdue_bills })}
        </div>
      )}
      <ProblemBox problem={problem} />
      {conflict && (
        <div class="problem conflict" role="alert" data-testid="conflict">
          <strong>{t("conflict")}</strong> {conflict.detail ?? conflict.title}
          {" "}<button class="small secondary" onClick={() => { setConflict(null); void load(); }}>{t("reload")}</button>
        </div>
      )}
      {done && <p class="ok" role="status" data-testid="permit-moved">{done}</p>}
      {next.length > 0 && (
        <fieldset class="editor" aria-describedby="moves-help">
          <legend>{t("decision")}</legend>
          <p id="moves-help" class="muted">{t("noteHelp")}</p>
          <TextArea label={t("note")} value={note} onInput={setNote} error={errs.note} />
          {Object.entries(errs).filter(([k]) => k !== "note").map(([k, v]) => <p class="field-error" key={k}>{k}: {v}</p>)}
          <div class="row-actions">
            {next.map((to) => (
              <button key={to} class={to === "rejected" ? "danger" : to === "needs_revision" ? "secondary" : ""} disabled={busy} onClick={() => void move(to)}>
                {t("moveTo")} {statusName(to)}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      {a.status === "approved" && (
        <p><button onClick={() => void download(() => saveFile(() => api.GET("/permits/applications/{id}/letter", { params: { path: { id } }, parseAs: "blob" }),
          `${(a.permit_number ?? a.id).replace(/\//g, "-")}.pdf`))}>{t("letter")}</button></p>
      )}
      <h2>{t("applicationData")}</h2>
      {names.length === 0 ? <p class="empty">{t("empty")}</p> : (
        <dl class="facts" data-testid="permit-data">
          {names.map((n) => <Fragment key={n}><dt>{fieldLabel(n)}</dt><dd>{value(a.data[n], lang)}</dd></Fragment>)}
        </dl>
      )}
      <h2>{t("documents")}</h2>
      {a.documents.length === 0 ? <p class="empty">{t("empty")}</p> : (
        <ul class="docs" data-testid="permit-documents">
          {a.documents.map((d) => (
            <li key={d.id}>
              <span>{docName(d.code)}: <code>{d.filename}</code> ({Math.ceil(d.size / 1024)} KB, {d.content_type}, {when(d.uploaded_at)})</span>
              {" "}<button class="small secondary" aria-label={`${t("download")}: ${docName(d.code)} (${d.filename})`}
                onClick={() => void download(() => saveFile(() => api.GET("/permits/applications/{id}/documents/{docId}", { params: { path: { id, docId: d.id } }, parseAs: "blob" }), d.filename))}>
                {t("download")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2>{t("history")}</h2>
      {a.history.length === 0 ? <p class="empty">{t("empty")}</p> : (
        <table class="list" data-testid="permit-history">
          <thead><tr><th>{t("when")}</th><th>{t("from")}</th><th>{t("to")}</th><th>{t("by")}</th><th>{t("note")}</th></tr></thead>
          <tbody>
            {a.history.map((h, i) => (
              <tr key={i}><td>{when(h.at)}</td><td>{statusName(h.from)}</td><td>{statusName(h.to)}</td><td>{h.by === "licensing" ? t("licensing") : t("applicant")}</td><td>{h.note || "—"}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
