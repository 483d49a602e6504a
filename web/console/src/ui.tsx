// Shared pieces: labelled fields with their API errors, cursor-paged lists,
// loading, empty and error states.
import type { ComponentChildren, JSX } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Problem } from "./api";
import { base, onLink } from "./router";
import { t } from "./i18n";

let seq = 0;
export function useId(prefix: string): string {
  const r = useRef("");
  if (r.current === "") r.current = `${prefix}-${++seq}`;
  return r.current;
}

type FieldProps = {
  label: string;
  error?: string;
  children?: never;
} & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "label" | "children">;

/** Field is a labelled input with the API's message for that field beside it. */
export function Field({ label, error, class: cls, ...rest }: FieldProps & { class?: string }) {
  const id = useId("f");
  return (
    <div class={"field " + (cls ?? "")}>
      <label for={id}>{label}</label>
      <input id={id} aria-invalid={error ? "true" : undefined} aria-describedby={error ? id + "-e" : undefined} {...rest} />
      {error && <span class="field-error" id={id + "-e"} role="alert">{error}</span>}
    </div>
  );
}

export function Select({ label, error, value, onChange, options }: {
  label: string; error?: string; value: string; onChange: (v: string) => void; options: [string, string][];
}) {
  const id = useId("s");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} aria-invalid={error ? "true" : undefined} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, l]) => <option value={v} key={v}>{l}</option>)}
      </select>
      {error && <span class="field-error" role="alert">{error}</span>}
    </div>
  );
}

export function TextArea({ label, error, value, onInput }: { label: string; error?: string; value: string; onInput: (v: string) => void }) {
  const id = useId("t");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} rows={4} value={value} aria-invalid={error ? "true" : undefined} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      {error && <span class="field-error" role="alert">{error}</span>}
    </div>
  );
}

export function Link({ to, children, class: cls }: { to: string; children: ComponentChildren; class?: string }) {
  return <a href={base + to} onClick={onLink} class={cls}>{children}</a>;
}

export function ProblemBox({ problem }: { problem?: Problem | null }) {
  if (!problem) return null;
  const msg = problem.status === 403 ? t("forbidden") : problem.detail || problem.title || t("error");
  return <div class="problem" role="alert"><strong>{t("error")}:</strong> {msg}</div>;
}

export function Loading() {
  return <p class="muted" role="status" aria-live="polite">{t("loading")}</p>;
}

export function Empty() {
  return <p class="empty">{t("empty")}</p>;
}

type Page<T> = { data?: { data: T[]; meta: { next_cursor?: string | null } }; error?: unknown };

/**
 * usePaged loads a list and follows its next_cursor on request. fetchPage
 * gets the cursor (undefined for the first page); deps restart the list.
 */
export function usePaged<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const gen = useRef(0);
  const load = useCallback(async (cursor?: string) => {
    const g = cursor ? gen.current : ++gen.current;
    setLoading(true);
    setProblem(null);
    const { data, error } = await fetchPage(cursor);
    if (g !== gen.current) return;
    setLoading(false);
    if (error || !data) {
      setProblem(error as Problem);
      return;
    }
    setItems((prev) => (cursor ? [...prev, ...data.data] : data.data));
    setNext(data.meta.next_cursor ?? null);
  }, deps);
  useEffect(() => {
    setItems([]);
    void load();
  }, [load]);
  return { items, setItems, loading, problem, more: next ? () => load(next) : null, reload: () => load() };
}

export function PagedFooter({ loading, more, count, problem }: { loading: boolean; more: (() => void) | null; count: number; problem: Problem | null }) {
  return (
    <>
      <ProblemBox problem={problem} />
      {loading && <Loading />}
      {!loading && !problem && count === 0 && <Empty />}
      {!loading && more && <button class="secondary" onClick={more}>{t("more")}</button>}
    </>
  );
}

export function text(v: string | { id?: string | null; en?: string | null } | null | undefined, lang: "id" | "en" = "id"): string {
  if (v == null) return "";
  if (typeof v === "string") return v;
  return (lang === "en" ? v.en || v.id : v.id) ?? "";
}
