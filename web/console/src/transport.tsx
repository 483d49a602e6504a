// Transport: routes with their ordered stops, schedules with holiday rules
// and exceptions, generating trips, a trip's manifest, cancelling a trip
// after showing what it cancels, and checking a booking code in.
import { useEffect, useState } from "preact/hooks";
import { api, fieldErrors, type components, type Problem } from "./api";
import { dayNames, idr, t, useLang, when } from "./i18n";
import { Field, Link, Loading, PagedFooter, ProblemBox, Select, text, usePaged } from "./ui";

type Route = components["schemas"]["TransportRoute"];
type Schedule = components["schemas"]["TransportSchedule"];
type Trip = components["schemas"]["TransportTrip"];
type Booking = components["schemas"]["Booking"];

function jakartaToday(): string {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
}

function useRoutes() {
  const lang = useLang();
  const [routes, setRoutes] = useState<Route[]>([]);
  useEffect(() => {
    void api.GET("/transport/routes", { params: { query: { lang, limit: 100 } } }).then(({ data }) => setRoutes(data?.data ?? []));
  }, [lang]);
  return routes;
}

export function RouteList() {
  const lang = useLang();
  const list = usePaged<Route>((cursor) => api.GET("/transport/routes", { params: { query: { lang, limit: 20, cursor } } }), [lang]);
  return (
    <section>
      <h1>{t("routes")}</h1>
      <div class="cards">
        {list.items.map((r) => <RouteCard key={r.id} route={r} />)}
      </div>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

type Stop = Route["stops"][number];

/** RouteCard shows a route's stops in riding order; staff move them and save the new order. */
function RouteCard({ route }: { route: Route }) {
  const lang = useLang();
  const [saved, setSaved] = useState(route);
  const [stops, setStops] = useState<Stop[]>([...route.stops].sort((a, b) => a.order - b.order));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState("");
  const changed = stops.map((x) => x.id).join() !== [...saved.stops].sort((a, b) => a.order - b.order).map((x) => x.id).join();
  function move(i: number, by: number) {
    const next = [...stops];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setStops(next);
    setNote("");
  }
  async function save() {
    setProblem(null); setNote("");
    const { data, error } = await api.PATCH("/transport/routes/{id}", { params: { path: { id: route.id } }, body: { stop_ids: stops.map((x) => x.id) } });
    if (error || !data) return setProblem(error as Problem);
    setSaved(data);
    setStops([...data.stops].sort((a, b) => a.order - b.order));
    setNote(t("saved"));
  }
  return (
    <article class="card" data-route={route.id}>
      <h2>{text(saved.name, lang)} <span class="badge">{saved.mode}</span></h2>
      <p class="muted">{text(saved.description, lang)}</p>
      <h3>{t("stops")}</h3>
      <ol class="stops">
        {stops.map((x, i) => {
          const name = text(x.name, lang);
          return (
            <li key={x.id + ":" + i}>
              <span>{name}</span>
              <button class="small secondary" disabled={i === 0} aria-label={`${t("up")}: ${name}`} onClick={() => move(i, -1)}>↑</button>
              <button class="small secondary" disabled={i === stops.length - 1} aria-label={`${t("down")}: ${name}`} onClick={() => move(i, 1)}>↓</button>
            </li>
          );
        })}
      </ol>
      {changed && <button onClick={save}>{t("saveOrder")}</button>}
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status">{note}</p>}
    </article>
  );
}

export function ScheduleList() {
  const lang = useLang();
  const routes = useRoutes();
  const routeName = (id: string) => text(routes.find((r) => r.id === id)?.name, lang) || id.slice(0, 8);
  const list = usePaged<Schedule>((cursor) => api.GET("/transport/schedules", { params: { query: { limit: 20, cursor } } }), []);
  return (
    <section>
      <h1>{t("schedules")}</h1>
      <div class="cards">
        {list.items.map((s) => <ScheduleCard key={s.id} s={s} route={routeName(s.route_id)} />)}
      </div>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

function ScheduleCard({ s: initial, route }: { s: Schedule; route: string }) {
  const lang = useLang();
  const [s, setS] = useState(initial);
  const [from, setFrom] = useState(jakartaToday());
  const [to, setTo] = useState(jakartaToday());
  const [exDate, setExDate] = useState("");
  const [exType, setExType] = useState<"added" | "removed">("removed");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  async function generate(e: Event) {
    e.preventDefault();
    setProblem(null); setErrs({}); setNote("");
    const { data, error } = await api.POST("/transport/schedules/{id}/generate", { params: { path: { id: s.id } }, body: { from, to } });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setNote(t("generated", { c: data.created, e: data.existing }));
  }
  async function patch(body: components["schemas"]["TransportScheduleRequest"]) {
    setProblem(null); setErrs({}); setNote("");
    const { data, error } = await api.PATCH("/transport/schedules/{id}", { params: { path: { id: s.id } }, body });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setS(data);
    setNote(t("saved"));
  }
  return (
    <article class="card">
      <h2>{route}</h2>
      <dl class="facts">
        <dt>{t("weekdays")}</dt><dd>{s.weekdays.map((d) => dayNames[lang][d % 7]).join(", ")}</dd>
        <dt>{t("departures")}</dt><dd>{s.departures.join(", ")}</dd>
        <dt>{t("seats")} · {t("fare")}</dt><dd>{s.capacity} · {idr(s.fare_idr)}</dd>
        <dt>{t("from")} – {t("to")}</dt><dd>{s.valid_from} – {s.valid_until}</dd>
      </dl>
      <Select label={t("holidays")} value={s.holidays} onChange={(v) => void patch({ holidays: v as Schedule["holidays"] })} error={errs.holidays}
        options={[["as_usual", "as_usual"], ["skip", "skip"], ["add", "add"]]} />
      <h3>{t("exceptions")}</h3>
      <ul class="chips">
        {s.exceptions.map((x) => (
          <li key={x.date}>{x.date} ({x.type}) <button class="small secondary" aria-label={`${t("remove")} ${x.date}`}
            onClick={() => void patch({ exceptions: s.exceptions.filter((y) => y.date !== x.date) })}>×</button></li>
        ))}
      </ul>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); if (exDate) void patch({ exceptions: [...s.exceptions, { date: exDate, type: exType }] }); }}>
        <Field label={t("date")} type="date" value={exDate} onInput={(e) => setExDate((e.target as HTMLInputElement).value)} error={errs.exceptions} />
        <Select label={t("kind")} value={exType} onChange={(v) => setExType(v as "added" | "removed")} options={[["removed", "removed"], ["added", "added"]]} />
        <button type="submit" class="secondary">+ {t("exceptions")}</button>
      </form>
      <form class="filters" onSubmit={generate}>
        <Field label={t("from")} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} error={errs.from} />
        <Field label={t("to")} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} error={errs.to} />
        <button type="submit">{t("generate")}</button>
      </form>
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status">{note}</p>}
    </article>
  );
}

export function TripList() {
  const lang = useLang();
  const routes = useRoutes();
  const [route, setRoute] = useState("");
  const [date, setDate] = useState(jakartaToday());
  const list = usePaged<Trip>((cursor) => api.GET("/transport/trips", { params: { query: { route_id: route || undefined, date: date || undefined, limit: 20, cursor } } }), [route, date]);
  return (
    <section>
      <h1>{t("trips")}</h1>
      <div class="filters">
        <Select label={t("route")} value={route} onChange={setRoute} options={[["", t("all")], ...routes.map((r): [string, string] => [r.id, text(r.name, lang)])]} />
        <Field label={t("date")} type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
      </div>
      <table class="list">
        <thead><tr><th>{t("departs")}</th><th>{t("route")}</th><th>{t("seats")}</th><th>{t("fare")}</th><th>{t("status")}</th></tr></thead>
        <tbody>
          {list.items.map((tr) => (
            <tr key={tr.id}>
              <td><Link to={`/transport/trips/${tr.id}`}>{when(tr.departs_at)}</Link></td>
              <td>{text(routes.find((r) => r.id === tr.route_id)?.name, lang) || tr.mode}</td>
              <td>{tr.capacity - tr.seats_available} / {tr.capacity}</td>
              <td>{idr(tr.fare_idr)}</td>
              <td><span class={"badge " + tr.status}>{tr.status}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

export function TripDetail({ id }: { id: string }) {
  const [m, setM] = useState<components["schemas"]["TripManifest"] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  async function load() {
    const { data, error } = await api.GET("/transport/trips/{id}/manifest", { params: { path: { id } } });
    if (error || !data) return setProblem(error as Problem);
    setM(data);
  }
  useEffect(() => void load(), [id]);
  const bookings = usePaged<Booking>((cursor) => api.GET("/transport/bookings", { params: { query: { trip_id: id, limit: 50, cursor } } }), [id, m?.trip.status]);
  async function cancel() {
    setBusy(true); setProblem(null);
    const { error } = await api.PATCH("/transport/trips/{id}", { params: { path: { id } }, body: { status: "cancelled" } });
    setBusy(false); setConfirming(false);
    if (error) return setProblem(error as Problem);
    await load();
  }
  if (!m) return problem ? <ProblemBox problem={problem} /> : <Loading />;
  const active = m.confirmed_bookings;
  return (
    <section>
      <div class="head">
        <h1>{t("manifest")} · {when(m.trip.departs_at)}</h1>
        <span class={"badge " + m.trip.status} data-testid="trip-status">{m.trip.status}</span>
      </div>
      <dl class="facts">
        <dt>{t("seats")}</dt><dd>{m.seats_booked} / {m.trip.capacity}</dd>
        <dt>{t("booked")}</dt><dd>{m.confirmed_bookings}</dd>
        <dt>{t("boarded")}</dt><dd>{m.boarded_bookings} ({m.seats_boarded} {t("seats").toLowerCase()})</dd>
      </dl>
      <ProblemBox problem={problem} />
      {m.trip.status === "scheduled" && !confirming && <button class="danger" onClick={() => setConfirming(true)}>{t("cancelTrip")}</button>}
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="cancel-q">
          <p id="cancel-q" data-testid="cancel-consequence">{t("cancelConsequence", { n: active, s: m.seats_booked })}</p>
          <button class="danger" disabled={busy} onClick={cancel}>{t("confirm")}</button>
          <button class="secondary" onClick={() => setConfirming(false)}>{t("cancel")}</button>
        </div>
      )}
      <h2>{t("manifest")}</h2>
      <table class="list">
        <thead><tr><th>{t("bookingCode")}</th><th>{t("passenger")}</th><th>{t("seats")}</th><th>{t("status")}</th><th>{t("boarded")}</th></tr></thead>
        <tbody>
          {bookings.items.map((b) => (
            <tr key={b.id}><td><code>{b.code}</code></td><td>{b.passenger_name}</td><td>{b.seats}</td><td>{b.status}</td><td>{when(b.boarded_at)}</td></tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...bookings} count={bookings.items.length} />
    </section>
  );
}

export function CheckIn() {
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Booking | null>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setProblem(null); setErrs({}); setDone(null);
    const { data, error } = await api.POST("/transport/bookings/check-in", { body: { code: code.trim() } });
    if (error || !data) { setProblem(error as Problem); setErrs(fieldErrors(error as Problem)); return; }
    setDone(data as Booking);
    setCode("");
  }
  return (
    <section>
      <h1>{t("checkin")}</h1>
      <form class="filters" onSubmit={submit}>
        <Field label={t("bookingCode")} value={code} required autoComplete="off" onInput={(e) => setCode((e.target as HTMLInputElement).value)} error={errs.code} />
        <button type="submit">{t("checkin")}</button>
      </form>
      <ProblemBox problem={problem} />
      {done && <p class="ok" role="status" data-testid="checked-in">{t("checkedIn")}: <code>{done.code}</code> · {done.passenger_name} · {done.seats} {t("seats").toLowerCase()}</p>}
    </section>
  );
}
