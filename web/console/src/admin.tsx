// Administration: users (search, role, department, disable) and the audit log.
import { useState } from "preact/hooks";
import { api, type components, type Problem } from "./api";
import { t, when } from "./i18n";
import { Field, PagedFooter, ProblemBox, Select, usePaged } from "./ui";

type User = components["schemas"]["User"];
type Dept = NonNullable<User["department"]>;

export function UserList() {
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [role, setRole] = useState<"" | User["role"]>("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const list = usePaged<User>((cursor) => api.GET("/admin/users", { params: { query: { q: query || undefined, role: role || undefined, limit: 20, cursor } } }), [query, role]);
  async function patch(u: User, body: components["schemas"]["UpdateUserRequest"]) {
    setProblem(null);
    const { data, error } = await api.PATCH("/admin/users/{id}", { params: { path: { id: u.id } }, body });
    if (error || !data) return setProblem(error as Problem);
    list.setItems(list.items.map((x) => (x.id === u.id ? data : x)));
  }
  const depts: [string, string][] = [["", "—"], ["tourism", t("tourism")], ["transport", t("transport")], ["revenue", t("revenue")], ["licensing", "licensing"]];
  return (
    <section>
      <h1>{t("users")}</h1>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setQuery(q.trim()); }}>
        <Field label={t("search")} type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <Select label={t("role")} value={role} onChange={(v) => setRole(v as typeof role)} options={[["", t("all")], ["user", "user"], ["staff", "staff"], ["admin", "admin"]]} />
        <button type="submit">{t("search")}</button>
      </form>
      <ProblemBox problem={problem} />
      <table class="list">
        <thead><tr><th>{t("name")}</th><th>{t("email")}</th><th>{t("role")}</th><th>{t("department")}</th><th>{t("disabled")}</th></tr></thead>
        <tbody>
          {list.items.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td><td>{u.email}</td>
              <td><Select label={`${t("role")}: ${u.email}`} value={u.role} onChange={(v) => void patch(u, { role: v as User["role"], department: v === "staff" ? u.department ?? "tourism" : null })}
                options={[["user", "user"], ["staff", "staff"], ["admin", "admin"]]} /></td>
              <td>{u.role === "staff"
                ? <Select label={`${t("department")}: ${u.email}`} value={u.department ?? ""} onChange={(v) => void patch(u, { department: (v || null) as Dept | null })} options={depts} />
                : "—"}</td>
              <td><button class={u.disabled ? "small" : "small danger"} onClick={() => void patch(u, { disabled: !u.disabled })}>{u.disabled ? t("enable") : t("disable")}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

type Entry = components["schemas"]["AuditEntry"];

export function AuditLog() {
  const [f, setF] = useState({ action: "", entity: "", from: "", to: "" });
  const [applied, setApplied] = useState(f);
  const list = usePaged<Entry>((cursor) => api.GET("/admin/audit-log", {
    params: { query: {
      action: applied.action || undefined, entity: applied.entity || undefined,
      from: applied.from ? applied.from + "T00:00:00+07:00" : undefined, to: applied.to ? applied.to + "T23:59:59+07:00" : undefined, limit: 20, cursor,
    } },
  }), [applied]);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  return (
    <section>
      <h1>{t("audit")}</h1>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setApplied({ ...f }); }}>
        <Field label={t("action")} value={f.action} onInput={set("action")} placeholder="user.update" />
        <Field label={t("entity")} value={f.entity} onInput={set("entity")} placeholder="user" />
        <Field label={t("from")} type="date" value={f.from} onInput={set("from")} />
        <Field label={t("to")} type="date" value={f.to} onInput={set("to")} />
        <button type="submit">{t("search")}</button>
      </form>
      <table class="list">
        <thead><tr><th>{t("when")}</th><th>{t("actor")}</th><th>{t("action")}</th><th>{t("entity")}</th><th>Detail</th></tr></thead>
        <tbody>
          {list.items.map((a) => (
            <tr key={a.id}><td>{when(a.at)}</td><td>{a.actor_email}</td><td><code>{a.action}</code></td><td>{a.entity} <code>{a.entity_id.slice(0, 8)}</code></td><td class="details">{a.details}</td></tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}
