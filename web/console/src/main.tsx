import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "./style.css";
import { bind, login, logout, type User } from "./api";
import { setLang, t, useLang, type Lang } from "./i18n";
import { navigate, usePath } from "./router";
import { Field, Link } from "./ui";
import { ListingEdit, ListingList, ReviewQueue } from "./tourism";
import { LicensingDashboard, RevenueDashboard, TourismDashboard, TransportDashboard } from "./dash";
import { CheckIn, RouteList, ScheduleList, TripDetail, TripList } from "./transport";
import { BillLookup, NewObject, PaymentList, ProfileQueue } from "./revenue";
import { AuditLog, UserList } from "./admin";
import { ApplicationPage, PermitQueue } from "./licensing";

type Dept = "tourism" | "transport" | "revenue" | "licensing" | "admin";

const sections: Record<Dept, [string, Parameters<typeof t>[0]][]> = {
  tourism: [["/tourism", "dashboard"], ["/tourism/reviews", "reviews"], ["/tourism/attractions", "attractions"], ["/tourism/culinary", "culinary"], ["/tourism/events", "events"]],
  transport: [["/transport", "dashboard"], ["/transport/routes", "routes"], ["/transport/schedules", "schedules"], ["/transport/trips", "trips"], ["/transport/check-in", "checkin"]],
  revenue: [["/revenue", "dashboard"], ["/revenue/profiles", "profiles"], ["/revenue/bills", "bills"], ["/revenue/objects/new", "newObject"], ["/revenue/payments", "payments"]],
  licensing: [["/licensing", "dashboard"], ["/licensing/applications", "permitQueue"]],
  admin: [["/admin/users", "users"], ["/admin/audit", "audit"]],
};

/** depts are the sections a user may open: their own department's, or all of them for an admin. */
export function depts(u: User): Dept[] {
  if (u.role === "admin") return ["tourism", "transport", "revenue", "licensing", "admin"];
  if (u.department === "tourism" || u.department === "transport" || u.department === "revenue" || u.department === "licensing") return [u.department];
  return [];
}

function LangSwitch() {
  const lang = useLang();
  return (
    <div class="lang" role="group" aria-label={t("language")}>
      {(["id", "en"] as Lang[]).map((l) => (
        <button type="button" class={l === lang ? "on" : ""} aria-pressed={l === lang} onClick={() => setLang(l)} key={l}>{l.toUpperCase()}</button>
      ))}
    </div>
  );
}

function Login({ message }: { message: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(message);
  const [fields, setFields] = useState<Record<string, string>>({});
  useEffect(() => setErr(message), [message]);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErr("");
    setFields({});
    const r = await login(email, password);
    setBusy(false);
    if (r.ok) return;
    if (r.notStaff) setErr(t("notStaff"));
    else if (r.problem?.status === 422) {
      const f: Record<string, string> = {};
      for (const x of r.problem.errors ?? []) f[x.field] = x.message;
      setFields(f);
    } else if (r.problem?.status === 401) setErr(t("badLogin"));
    else setErr(r.problem?.detail ?? t("error"));
  }
  return (
    <main class="login">
      <form onSubmit={submit} class="card" aria-labelledby="login-title">
        <LangSwitch />
        <h1 id="login-title">{t("appName")}</h1>
        <p class="muted">{t("city")}</p>
        {err && <div class="problem" role="alert" data-testid="login-error">{err}</div>}
        <Field label={t("email")} type="email" autoComplete="username" required value={email} error={fields.email}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        <Field label={t("password")} type="password" autoComplete="current-password" required value={password} error={fields.password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>{busy ? t("loggingIn") : t("login")}</button>
      </form>
    </main>
  );
}

function Page({ path, user }: { path: string; user: User }) {
  const allowed = depts(user);
  const seg = path.split("/").filter(Boolean);
  const dept = (seg[0] ?? "") as Dept;
  if (!allowed.includes(dept)) return <Home user={user} />;
  switch (dept) {
    case "tourism":
      if (!seg[1]) return <TourismDashboard />;
      if (seg[1] === "reviews") return <ReviewQueue />;
      if (seg[1] === "attractions" || seg[1] === "culinary" || seg[1] === "events") {
        if (seg[2]) return <ListingEdit kind={seg[1]} id={seg[2] === "new" ? null : seg[2]} key={seg[2]} />;
        return <ListingList kind={seg[1]} key={seg[1]} />;
      }
      break;
    case "transport":
      if (!seg[1]) return <TransportDashboard />;
      if (seg[1] === "routes") return <RouteList />;
      if (seg[1] === "schedules") return <ScheduleList />;
      if (seg[1] === "trips" && seg[2]) return <TripDetail id={seg[2]} key={seg[2]} />;
      if (seg[1] === "trips") return <TripList />;
      if (seg[1] === "check-in") return <CheckIn />;
      break;
    case "revenue":
      if (!seg[1]) return <RevenueDashboard />;
      if (seg[1] === "profiles") return <ProfileQueue />;
      if (seg[1] === "bills") return <BillLookup />;
      if (seg[1] === "payments") return <PaymentList />;
      if (seg[1] === "objects") return <NewObject />;
      break;
    case "licensing":
      if (!seg[1]) return <LicensingDashboard />;
      if (seg[1] === "applications" && seg[2]) return <ApplicationPage id={seg[2]} key={seg[2]} />;
      if (seg[1] === "applications") return <PermitQueue />;
      break;
    case "admin":
      if (seg[1] === "audit") return <AuditLog />;
      return <UserList />;
  }
  return <Home user={user} />;
}

function Home({ user }: { user: User }) {
  const d = depts(user);
  // A department's staff open on their dashboard.
  if (d.length === 1 && d[0] === "tourism") return <TourismDashboard />;
  if (d.length === 1 && d[0] === "transport") return <TransportDashboard />;
  if (d.length === 1 && d[0] === "revenue") return <RevenueDashboard />;
  if (d.length === 1 && d[0] === "licensing") return <LicensingDashboard />;
  return (
    <section>
      <h1>{t("welcome")}, {user.name}</h1>
      <ul class="tiles">
        {d.map((x) => <li key={x}><Link to={sections[x][0][0]}>{t(x)}</Link></li>)}
      </ul>
    </section>
  );
}

function Shell({ user, path }: { user: User; path: string }) {
  const [menu, setMenu] = useState(false);
  return (
    <div class="shell">
      <a class="skip" href="#content">{t("skip")}</a>
      <header class="top">
        <button class="menu-toggle secondary" aria-expanded={menu} aria-controls="nav" onClick={() => setMenu(!menu)}>☰</button>
        <Link to="/" class="brand">{t("appName")}</Link>
        <span class="who" data-testid="who">{user.name} · {user.role === "admin" ? t("admin") : t(user.department as Dept)}</span>
        <LangSwitch />
        <button class="secondary" onClick={() => void logout()}>{t("logout")}</button>
      </header>
      <nav id="nav" class={menu ? "nav open" : "nav"} aria-label={t("appName")} onClick={() => setMenu(false)}>
        {depts(user).map((d) => (
          <div key={d} class="nav-group" data-dept={d}>
            <h2>{t(d)}</h2>
            <ul>
              {sections[d].map(([to, label]) => (
                <li key={to}><Link to={to} class={path === to || (to !== "/" + d && path.startsWith(to + "/")) ? "active" : ""}>{t(label)}</Link></li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main class="content" id="content" tabIndex={-1}><Page path={path} user={user} /></main>
    </div>
  );
}

function App() {
  useLang();
  const { path, query } = usePath();
  const [user, setUser] = useState<User | null>(null);
  const [message, setMessage] = useState("");
  useEffect(() => {
    bind(
      (u) => setUser(u),
      (reason) => {
        setUser(null);
        setMessage(reason === "expired" ? t("expired") : "");
        const here = location.pathname.slice("/console".length) + location.search;
        navigate(reason === "expired" && !here.startsWith("/login") ? "/login?next=" + encodeURIComponent(here) : "/login", true);
      },
    );
  }, []);
  useEffect(() => {
    if (user === null && !path.startsWith("/login")) {
      const here = path + location.search;
      navigate(here === "/" ? "/login" : "/login?next=" + encodeURIComponent(here), true);
    } else if (user !== null && path.startsWith("/login")) {
      const next = query.get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", true);
    }
  }, [user, path]);
  if (user === null) return <Login message={message} />;
  return <Shell user={user} path={path} />;
}

render(<App />, document.getElementById("app")!);
