// Each department opens on the few figures it steers by, from the API's
// staff-only summaries (summed by the database), with a small SVG chart.
import { useEffect, useState } from "preact/hooks";
import { api, type components, type Problem } from "./api";
import { idr, t, useLang, when } from "./i18n";
import { Link, Loading, ProblemBox } from "./ui";
import { statusName } from "./licensing";

type Summary<T> = { data: T | null; problem: Problem | null; loading: boolean };

function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown }>, deps: unknown[]): Summary<T> {
  const [s, set] = useState<Summary<T>>({ data: null, problem: null, loading: true });
  useEffect(() => {
    let live = true;
    void load().then(({ data, error }) => live && set({ data: data ?? null, problem: (error as Problem) ?? null, loading: false }));
    return () => void (live = false);
  }, deps);
  return s;
}

export function Stat({ label, value, testid }: { label: string; value: string | number; testid?: string }) {
  return (
    <div class="stat" data-testid={testid}>
      <span class="value">{value}</span>
      <span class="label">{label}</span>
    </div>
  );
}

type Bar = { label: string; value: number; max?: number; title?: string };

/** BarChart draws bars (value of max when max is given, e.g. seats booked of capacity). */
export function BarChart({ title, bars, format = String }: { title: string; bars: Bar[]; format?: (n: number) => string }) {
  const w = 640, h = 180, pad = 24;
  const top = Math.max(1, ...bars.map((b) => b.max ?? b.value));
  const bw = bars.length ? (w - pad) / bars.length : 0;
  return (
    <figure class="chart">
      <figcaption><strong>{title}</strong></figcaption>
      {bars.length === 0 ? <p class="empty">{t("empty")}</p> : (
        <svg viewBox={`0 0 ${w} ${h + 30}`} role="img" aria-label={title}>
          <line x1={pad} y1={h} x2={w} y2={h} stroke="#9aa" />
          {bars.map((b, i) => {
            const x = pad + i * bw + bw * 0.15, bwid = Math.max(2, bw * 0.7);
            const full = ((b.max ?? b.value) / top) * (h - 10), part = (b.value / top) * (h - 10);
            return (
              <g key={i}>
                <title>{b.title ?? `${b.label}: ${format(b.value)}${b.max !== undefined ? " / " + format(b.max) : ""}`}</title>
                {b.max !== undefined && <rect x={x} y={h - full} width={bwid} height={full} fill="#eadccc" />}
                <rect x={x} y={h - part} width={bwid} height={part} fill="#8a4b12" />
                {(bars.length <= 16 || i % Math.ceil(bars.length / 16) === 0) && (
                  <text x={x + bwid / 2} y={h + 14} text-anchor="middle">{b.label}</text>
                )}
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

function pct(booked: number, cap: number): string {
  return cap > 0 ? Math.round((booked / cap) * 100) + "%" : "—";
}

export function TourismDashboard() {
  const s = useLoad(() => api.GET("/staff/summary/tourism"), []);
  return (
    <section>
      <h1>{t("tourism")} · {t("dashboard")}</h1>
      <ProblemBox problem={s.problem} />
      {s.loading && <Loading />}
      {s.data && (
        <>
          <div class="stats">
            <Stat label={t("reviewsWaiting")} value={s.data.total} testid="reviews-waiting" />
            <Stat label={t("lowRated")} value={s.data.low_rated} />
          </div>
          <BarChart title={`${t("reviewsWaiting")} · ${t("since")} ${when(s.data.since)}`}
            bars={s.data.by_kind.map((k) => ({ label: t(k.kind === "attraction" ? "attractions" : k.kind === "event" ? "events" : "culinary"), value: k.count }))} />
          <p><Link to="/tourism/reviews">{t("reviews")}</Link> · <Link to="/tourism/attractions">{t("attractions")}</Link> · <Link to="/tourism/culinary">{t("culinary")}</Link> · <Link to="/tourism/events">{t("events")}</Link></p>
        </>
      )}
    </section>
  );
}

type FillWindow = components["schemas"]["TransportSeatFillWindow"];

function FillChart({ title, w }: { title: string; w: FillWindow }) {
  const time = (iso: string) => new Date(iso).toLocaleTimeString("id-ID", { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit" });
  return (
    <BarChart title={`${title}: ${w.seats_booked} / ${w.capacity} ${t("seats").toLowerCase()} (${pct(w.seats_booked, w.capacity)}), ${w.trips} ${t("trips").toLowerCase()}`}
      bars={w.items.map((i) => ({ label: time(i.departs_at), value: i.seats_booked, max: i.capacity, title: `${i.route_name} ${when(i.departs_at)}: ${i.seats_booked}/${i.capacity}` }))} />
  );
}

export function TransportDashboard() {
  const lang = useLang();
  const s = useLoad(() => api.GET("/staff/summary/transport", { params: { query: { lang } } }), [lang]);
  return (
    <section>
      <h1>{t("transport")} · {t("dashboard")}</h1>
      <ProblemBox problem={s.problem} />
      {s.loading && <Loading />}
      {s.data && (
        <>
          <div class="stats">
            <Stat label={`${t("seatFill")} · ${t("today")}`} value={pct(s.data.today.seats_booked, s.data.today.capacity)} testid="fill-today" />
            <Stat label={`${t("seatFill")} · ${t("weekend")}`} value={pct(s.data.weekend.seats_booked, s.data.weekend.capacity)} testid="fill-weekend" />
            <Stat label={`${t("trips")} · ${t("today")}`} value={s.data.today.trips} />
          </div>
          <FillChart title={`${t("today")} (${s.data.today.from})`} w={s.data.today} />
          <FillChart title={`${t("weekend")} (${s.data.weekend.from} – ${s.data.weekend.to})`} w={s.data.weekend} />
        </>
      )}
    </section>
  );
}

type Revenue = components["schemas"]["RevenueSummary"];
let revenueOnce: Promise<{ data?: Revenue; error?: unknown }> | null = null;

export function RevenueDashboard() {
  const s = useLoad(() => (revenueOnce = api.GET("/staff/summary/revenue")), []);
  return (
    <section>
      <h1>{t("revenue")} · {t("dashboard")}</h1>
      <ProblemBox problem={s.problem} />
      {s.loading && <Loading />}
      {s.data && (
        <>
          {s.data.gateway === "sandbox" && <p class="badge sandbox">{t("sandboxMode")}</p>}
          <div class="stats">
            <Stat label={`${t("paidThisMonth")} (${s.data.month})`} value={idr(s.data.paid_idr)} testid="paid-month" />
            <Stat label={`${t("unpaid")} (${s.data.unpaid_bills})`} value={idr(s.data.unpaid_idr)} testid="unpaid" />
            <Stat label={`${t("overdue")} (${s.data.overdue_bills})`} value={idr(s.data.overdue_idr)} />
          </div>
          <BarChart title={t("paidPerDay")} format={idr}
            bars={s.data.days.map((d) => ({ label: d.date.slice(8), value: d.amount_idr, title: `${d.date}: ${d.payments} · ${idr(d.amount_idr)}` }))} />
        </>
      )}
    </section>
  );
}

/** useSandbox says whether the payment gateway is the sandbox (settling by hand allowed), from the revenue summary. */
export function useSandbox(): boolean {
  const [sandbox, set] = useState(false);
  useEffect(() => {
    let live = true;
    void (revenueOnce ?? (revenueOnce = api.GET("/staff/summary/revenue"))).then(({ data }) => live && set(data?.gateway === "sandbox"));
    return () => void (live = false);
  }, []);
  return sandbox;
}

type Licensing = components["schemas"]["LicensingSummary"];

function ageLabel(b: Licensing["queue_by_age"][number]): string {
  return (b.max_days === null ? `> ${b.min_days - 1}` : `${b.min_days}–${b.max_days}`) + " " + t("daysShort");
}

export function LicensingDashboard() {
  const s = useLoad<Licensing>(() => api.GET("/staff/summary/licensing"), []);
  const count = (st: Licensing["by_status"][number]["status"]) => s.data?.by_status.find((x) => x.status === st)?.count ?? 0;
  return (
    <section>
      <h1>{t("licensing")} · {t("dashboard")}</h1>
      <ProblemBox problem={s.problem} />
      {s.loading && <Loading />}
      {s.data && (
        <>
          <div class="stats">
            <Stat label={t("openApplications")} value={s.data.open} testid="permits-open" />
            <Stat label={t("overdueSla")} value={s.data.overdue} testid="permits-overdue" />
            <Stat label={t("stSubmitted")} value={count("submitted")} />
            <Stat label={t("stInReview")} value={count("in_review")} />
          </div>
          <BarChart title={t("queueByAge")}
            bars={s.data.queue_by_age.map((b) => ({
              label: ageLabel(b), value: b.total,
              title: `${ageLabel(b)}: ${b.total} (${t("stSubmitted")} ${b.submitted}, ${t("stInReview")} ${b.in_review}, ${t("stNeedsRevision")} ${b.needs_revision})`,
            }))} />
          <table class="list compact-table" data-testid="permits-by-status">
            <thead><tr><th>{t("status")}</th><th>{t("count")}</th></tr></thead>
            <tbody>{s.data.by_status.map((x) => <tr key={x.status}><td>{statusName(x.status)}</td><td>{x.count}</td></tr>)}</tbody>
          </table>
          <p class="muted">{t("countedAt")} {when(s.data.at)}</p>
          <p><Link to="/licensing/applications">{t("permitQueue")}</Link></p>
        </>
      )}
    </section>
  );
}
