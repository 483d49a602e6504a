// Tourism: attractions, culinary spots and events; both languages side by
// side, the point on a plain marker map, opening hours, photos, status,
// and the listing's reviews to moderate.
import { useEffect, useState } from "preact/hooks";
import { api, fieldErrors, type components, type Problem } from "./api";
import { dayNames, t, useLang, when } from "./i18n";
import { navigate } from "./router";
import { Empty, Field, Link, Loading, PagedFooter, ProblemBox, Select, TextArea, text, usePaged } from "./ui";

type Kind = "attractions" | "culinary" | "events";
type Listing = components["schemas"]["Listing"];
type Status = "draft" | "published" | "archived";

export function ListingList({ kind }: { kind: Kind }) {
  const lang = useLang();
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<Status | "all">("all");
  const [sort, setSort] = useState<"newest" | "name" | "rating">("newest");
  const list = usePaged<Listing>(
    (cursor) => api.GET("/{kind}", { params: { path: { kind }, query: { q: query || undefined, status, sort: query ? undefined : sort, lang, limit: 20, cursor } } }),
    [kind, query, status, sort, lang],
  );
  return (
    <section>
      <div class="head">
        <h1>{t(kind)}</h1>
        <Link to={`/tourism/${kind}/new`} class="button">{t("create")}</Link>
      </div>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setQuery(q.trim()); }}>
        <Field label={t("search")} type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <Select label={t("status")} value={status} onChange={(v) => setStatus(v as Status | "all")}
          options={[["all", t("all")], ["draft", t("draft")], ["published", t("published")], ["archived", t("archived")]]} />
        <Select label="Urut / Sort" value={sort} onChange={(v) => setSort(v as typeof sort)}
          options={[["newest", "↓ " + t("when")], ["name", t("name")], ["rating", t("rating")]]} />
        <button type="submit">{t("search")}</button>
      </form>
      <table class="list">
        <thead><tr><th>{t("name")}</th><th>{t("category")}</th><th>{t("status")}</th><th>{t("rating")}</th><th>{t("when")}</th></tr></thead>
        <tbody>
          {list.items.map((l) => (
            <tr key={l.id}>
              <td><Link to={`/tourism/${kind}/${l.id}`}>{text(l.name, lang)}</Link></td>
              <td>{l.category}</td>
              <td><span class={"badge " + l.status}>{t(l.status)}</span></td>
              <td>{l.rating.count > 0 ? `${l.rating.average.toFixed(1)} (${l.rating.count})` : "—"}</td>
              <td>{when(l.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

// Surakarta's bounding box, for the plain marker view.
const box = { south: -7.61, north: -7.52, west: 110.76, east: 110.88 };

function PointMap({ lat, lng, onPick }: { lat: number; lng: number; onPick: (lat: number, lng: number) => void }) {
  const w = 320, h = 240;
  const x = ((lng - box.west) / (box.east - box.west)) * w;
  const y = ((box.north - lat) / (box.north - box.south)) * h;
  const inside = x >= 0 && x <= w && y >= 0 && y <= h;
  function click(e: MouseEvent) {
    const r = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * w, py = ((e.clientY - r.top) / r.height) * h;
    onPick(+(box.north - (py / h) * (box.north - box.south)).toFixed(6), +(box.west + (px / w) * (box.east - box.west)).toFixed(6));
  }
  return (
    <figure class="map">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t("map")} onClick={click}>
        <rect x="0" y="0" width={w} height={h} fill="#eef3ea" stroke="#9aa" />
        {[1, 2, 3].map((i) => <line key={"v" + i} x1={(w / 4) * i} y1="0" x2={(w / 4) * i} y2={h} stroke="#cdd" />)}
        {[1, 2, 3].map((i) => <line key={"h" + i} x1="0" y1={(h / 4) * i} x2={w} y2={(h / 4) * i} stroke="#cdd" />)}
        <path d="M 0 150 C 80 140, 140 170, 200 150 S 290 120, 320 135" fill="none" stroke="#8ab4d8" stroke-width="4" />
        {inside && <g><circle cx={x} cy={y} r="7" fill="#c0392b" stroke="#fff" stroke-width="2" /><circle cx={x} cy={y} r="2" fill="#fff" /></g>}
      </svg>
      <figcaption class="muted">{t("map")}{inside ? "" : " — ⚠ " + lat + ", " + lng}</figcaption>
    </figure>
  );
}

type Hours = { day: number; open: string; close: string };
type Form = {
  name_id: string; name_en: string; desc_id: string; desc_en: string; category: string; tags: string; address: string;
  lat: string; lng: string; hours: Hours[]; starts_at: string; ends_at: string; venue: string; price_range: string;
  organizer: string; ticket_url: string; halal: boolean; specialties: string; prices: { label: string; amount_idr: string }[];
  phone: string; website: string; instagram: string;
};

function toLocalInput(iso?: string): string {
  if (!iso) return "";
  const d = new Date(new Date(iso).getTime() + 7 * 3600e3);
  return d.toISOString().slice(0, 16);
}

function fromForm(l: Listing | null): Form {
  const n = l?.name, d = l?.description;
  const lt = (v: typeof n, k: "id" | "en") => (v && typeof v !== "string" ? v[k] ?? "" : k === "id" ? (v as string) ?? "" : "");
  return {
    name_id: lt(n, "id"), name_en: lt(n, "en"), desc_id: lt(d, "id"), desc_en: lt(d, "en"),
    category: l?.category ?? "", tags: (l?.tags ?? []).join(", "), address: l?.address ?? "",
    lat: String(l?.location.lat ?? -7.5755), lng: String(l?.location.lng ?? 110.8243),
    hours: (l?.opening_hours ?? []).map((h) => ({ ...h })), starts_at: toLocalInput(l?.starts_at), ends_at: toLocalInput(l?.ends_at),
    venue: l?.venue ?? "", price_range: String(l?.price_range ?? ""),
    organizer: l?.organizer ?? "", ticket_url: l?.ticket_url ?? "", halal: l?.halal ?? false, specialties: (l?.specialties ?? []).join(", "),
    prices: (l?.ticket_prices ?? []).map((p) => ({ label: p.label, amount_idr: String(p.amount_idr) })),
    phone: l?.contact.phone ?? "", website: l?.contact.website ?? "", instagram: l?.contact.instagram ?? "",
  };
}

export function ListingEdit({ kind, id }: { kind: Kind; id: string | null }) {
  const lang = useLang();
  const [listing, setListing] = useState<Listing | null>(null);
  const [form, setForm] = useState<Form>(fromForm(null));
  const [loading, setLoading] = useState(id !== null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);

  async function load(key: string) {
    setLoading(true);
    const { data, error } = await api.GET("/{kind}/{idOrSlug}", { params: { path: { kind, idOrSlug: key }, query: { lang: "all" } } });
    setLoading(false);
    if (error || !data) return setProblem(error as Problem);
    setListing(data);
    setForm(fromForm(data));
  }
  useEffect(() => { if (id) void load(id); }, [id]);

  const set = (k: keyof Form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  function body(): components["schemas"]["ListingWrite"] {
    const b: components["schemas"]["ListingWrite"] = {
      name: { id: form.name_id, en: form.name_en || null },
      description: { id: form.desc_id, en: form.desc_en || null },
      category: form.category, address: form.address,
      tags: form.tags.split(",").map((s) => s.trim()).filter(Boolean),
      location: { lat: Number(form.lat), lng: Number(form.lng) },
      opening_hours: form.hours,
      contact: { phone: form.phone || null, website: form.website || null, instagram: form.instagram || null },
    };
    if (kind === "events") {
      b.starts_at = form.starts_at ? form.starts_at + ":00+07:00" : null;
      b.ends_at = form.ends_at ? form.ends_at + ":00+07:00" : null;
      b.venue = form.venue;
      b.organizer = form.organizer;
      b.ticket_url = form.ticket_url;
    }
    if (kind === "culinary") {
      if (form.price_range) b.price_range = Number(form.price_range);
      b.halal = form.halal;
      b.specialties = form.specialties.split(",").map((x) => x.trim()).filter(Boolean);
    }
    if (kind === "attractions") b.ticket_prices = form.prices.map((p) => ({ label: p.label, amount_idr: Number(p.amount_idr) }));
    return b;
  }

  async function save(e: Event) {
    e.preventDefault();
    setBusy(true); setProblem(null); setErrs({}); setNote("");
    const r = listing
      ? await api.PATCH("/{kind}/{idOrSlug}", { params: { path: { kind, idOrSlug: listing.id } }, body: body() })
      : await api.POST("/{kind}", { params: { path: { kind } }, body: { ...body(), status: "draft" } });
    setBusy(false);
    if (r.error || !r.data) {
      setProblem(r.error as Problem);
      setErrs(fieldErrors(r.error as Problem));
      return;
    }
    setNote(t("saved"));
    if (!listing) navigate(`/tourism/${kind}/${r.data.id}`, true);
    else await load(listing.id);
  }

  async function setStatus(status: Status) {
    if (!listing) return;
    setBusy(true); setProblem(null); setNote("");
    const r = status === "archived"
      ? await api.DELETE("/{kind}/{idOrSlug}", { params: { path: { kind, idOrSlug: listing.id } } })
      : await api.PATCH("/{kind}/{idOrSlug}", { params: { path: { kind, idOrSlug: listing.id } }, body: { status } });
    setBusy(false);
    if (r.error) return setProblem(r.error as Problem);
    setNote(t("saved"));
    await load(listing.id);
  }

  if (loading) return <Loading />;
  const days = dayNames[lang];
  return (
    <section>
      <div class="head">
        <h1>{t(kind)} · {listing ? text(listing.name, lang) : t("create")}</h1>
        {listing && <span class={"badge " + listing.status} data-testid="listing-status">{t(listing.status)}</span>}
      </div>
      {listing && (
        <div class="actions">
          {listing.status !== "published" && <button disabled={busy} onClick={() => setStatus("published")}>{t("publish")}</button>}
          {listing.status === "published" && <button class="secondary" disabled={busy} onClick={() => setStatus("draft")}>{t("toDraft")}</button>}
          {listing.status !== "archived" && <button class="danger" disabled={busy} onClick={() => setStatus("archived")}>{t("archive")}</button>}
        </div>
      )}
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status">{note}</p>}
      <form onSubmit={save} class="editor">
        <fieldset class="bilingual">
          <legend>{t("name")} · {t("description")}</legend>
          <div class="col">
            <h3>{t("indonesian")}</h3>
            <Field label={`${t("name")} (ID)`} value={form.name_id} onInput={set("name_id")} error={errs["name.id"] ?? errs.name} required />
            <TextArea label={`${t("description")} (ID)`} value={form.desc_id} onInput={(v) => setForm({ ...form, desc_id: v })} error={errs["description.id"] ?? errs.description} />
          </div>
          <div class="col">
            <h3>{t("english")}</h3>
            <Field label={`${t("name")} (EN)`} value={form.name_en} onInput={set("name_en")} error={errs["name.en"]} />
            <TextArea label={`${t("description")} (EN)`} value={form.desc_en} onInput={(v) => setForm({ ...form, desc_en: v })} error={errs["description.en"]} />
          </div>
        </fieldset>
        <div class="grid2">
          <Field label={t("category")} value={form.category} onInput={set("category")} error={errs.category} />
          <Field label={t("tags")} value={form.tags} onInput={set("tags")} error={errs.tags} />
          <Field label={t("address")} value={form.address} onInput={set("address")} error={errs.address} class="wide" />
          {kind === "events" && <>
            <Field label={t("startsAt") + " (WIB)"} type="datetime-local" value={form.starts_at} onInput={set("starts_at")} error={errs.starts_at} />
            <Field label={t("endsAt") + " (WIB)"} type="datetime-local" value={form.ends_at} onInput={set("ends_at")} error={errs.ends_at} />
            <Field label={t("venue")} value={form.venue} onInput={set("venue")} error={errs.venue} />
          </>}
          {kind === "events" && <>
            <Field label={t("organizer")} value={form.organizer} onInput={set("organizer")} error={errs.organizer} />
            <Field label={t("ticketUrl")} type="url" value={form.ticket_url} onInput={set("ticket_url")} error={errs.ticket_url} />
          </>}
          {kind === "culinary" && <>
            <Field label={t("priceRange")} type="number" min={1} max={4} value={form.price_range} onInput={set("price_range")} error={errs.price_range} />
            <Field label={t("specialties")} value={form.specialties} onInput={set("specialties")} error={errs.specialties} />
            <div class="field check"><label><input type="checkbox" checked={form.halal} onChange={(e) => setForm({ ...form, halal: (e.target as HTMLInputElement).checked })} /> {t("halal")}</label></div>
          </>}
          <Field label={t("phone")} type="tel" value={form.phone} onInput={set("phone")} error={errs["contact.phone"]} />
          <Field label={t("website")} type="url" value={form.website} onInput={set("website")} error={errs["contact.website"]} />
          <Field label="Instagram" value={form.instagram} onInput={set("instagram")} error={errs["contact.instagram"]} />
        </div>
        {kind === "attractions" && (
          <fieldset>
            <legend>{t("ticketPrices")}</legend>
            {form.prices.map((p, i) => (
              <div class="hours" key={i}>
                <Field label={`${t("label")} ${i + 1}`} value={p.label} error={errs[`ticket_prices[${i}].label`]}
                  onInput={(e) => { const ps = [...form.prices]; ps[i] = { ...p, label: (e.target as HTMLInputElement).value }; setForm({ ...form, prices: ps }); }} />
                <Field label={`${t("amount")} (Rp) ${i + 1}`} type="number" min={0} value={p.amount_idr} error={errs[`ticket_prices[${i}].amount_idr`]}
                  onInput={(e) => { const ps = [...form.prices]; ps[i] = { ...p, amount_idr: (e.target as HTMLInputElement).value }; setForm({ ...form, prices: ps }); }} />
                <span />
                <button type="button" class="secondary" onClick={() => setForm({ ...form, prices: form.prices.filter((_, j) => j !== i) })}>{t("remove")}</button>
              </div>
            ))}
            {errs.ticket_prices && <span class="field-error" role="alert">{errs.ticket_prices}</span>}
            <button type="button" class="secondary" onClick={() => setForm({ ...form, prices: [...form.prices, { label: "", amount_idr: "" }] })}>{t("addPrice")}</button>
          </fieldset>
        )}
        <fieldset class="point">
          <legend>{t("map")}</legend>
          <div class="grid2">
            <Field label={t("latitude")} type="number" step="0.000001" value={form.lat} onInput={set("lat")} error={errs["location.lat"] ?? errs.location} />
            <Field label={t("longitude")} type="number" step="0.000001" value={form.lng} onInput={set("lng")} error={errs["location.lng"]} />
          </div>
          <PointMap lat={Number(form.lat)} lng={Number(form.lng)} onPick={(la, ln) => setForm({ ...form, lat: String(la), lng: String(ln) })} />
        </fieldset>
        <fieldset>
          <legend>{t("openingHours")}</legend>
          {form.hours.map((h, i) => (
            <div class="hours" key={i}>
              <Select label={t("day")} value={String(h.day)} onChange={(v) => { const hs = [...form.hours]; hs[i] = { ...h, day: Number(v) }; setForm({ ...form, hours: hs }); }}
                options={days.map((d, n) => [String(n), d])} error={errs[`opening_hours[${i}].day`]} />
              <Field label={t("open")} type="time" value={h.open} error={errs[`opening_hours[${i}].open`]}
                onInput={(e) => { const hs = [...form.hours]; hs[i] = { ...h, open: (e.target as HTMLInputElement).value }; setForm({ ...form, hours: hs }); }} />
              <Field label={t("closeTime")} type="time" value={h.close} error={errs[`opening_hours[${i}].close`]}
                onInput={(e) => { const hs = [...form.hours]; hs[i] = { ...h, close: (e.target as HTMLInputElement).value }; setForm({ ...form, hours: hs }); }} />
              <button type="button" class="secondary" onClick={() => setForm({ ...form, hours: form.hours.filter((_, j) => j !== i) })}>{t("remove")}</button>
            </div>
          ))}
          {errs.opening_hours && <span class="field-error" role="alert">{errs.opening_hours}</span>}
          <button type="button" class="secondary" onClick={() => setForm({ ...form, hours: [...form.hours, { day: 1, open: "08:00", close: "16:00" }] })}>{t("addHours")}</button>
        </fieldset>
        <button type="submit" disabled={busy}>{t("save")}</button>
      </form>
      {listing && <Images kind={kind} listing={listing} reload={() => load(listing.id)} />}
      {listing && <Reviews kind={kind} listingId={listing.id} />}
    </section>
  );
}

type ListingImage = Listing["images"][number];

/** Images lists a listing's photos in display order: staff upload, remove, move them and save the new order. */
function Images({ kind, listing, reload }: { kind: Kind; listing: Listing; reload: () => void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [caption, setCaption] = useState("");
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState("");
  const [order, setOrder] = useState<ListingImage[]>(listing.images);
  const savedIds = listing.images.map((im) => im.id).join();
  useEffect(() => setOrder(listing.images), [savedIds]);
  const changed = order.map((im) => im.id).join() !== savedIds;
  async function upload(e: Event) {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector("input[type=file]") as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true); setProblem(null); setNote("");
    const { error } = await api.POST("/{kind}/{id}/images", {
      params: { path: { kind, id: listing.id } },
      body: { file: file as unknown as string, caption },
      bodySerializer: (b) => { if (!b) return b; const fd = new FormData(); fd.append("file", b.file as unknown as Blob); if (b.caption) fd.append("caption", b.caption); return fd; },
    });
    setBusy(false);
    if (error) return setProblem(error as Problem);
    input.value = ""; setCaption("");
    reload();
  }
  async function remove(imageId: string) {
    setProblem(null); setNote("");
    const { error } = await api.DELETE("/{kind}/{id}/images/{imageId}", { params: { path: { kind, id: listing.id, imageId } } });
    if (error) return setProblem(error as Problem);
    reload();
  }
  function move(i: number, by: number) {
    const next = [...order];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setOrder(next);
    setNote("");
    // Keep the keyboard on the photo that moved.
    requestAnimationFrame(() => {
      const b = document.querySelector<HTMLButtonElement>(`[data-image="${next[i + by].id}"] button[data-move="${by < 0 ? "up" : "down"}"]`);
      (b && !b.disabled ? b : document.querySelector<HTMLButtonElement>(`[data-image="${next[i + by].id}"] button[data-move]:not([disabled])`))?.focus();
    });
  }
  async function saveOrder() {
    setBusy(true); setProblem(null); setNote("");
    const { error } = await api.PUT("/{kind}/{id}/images/order", { params: { path: { kind, id: listing.id } }, body: { ids: order.map((im) => im.id) } });
    setBusy(false);
    if (error) return setProblem(error as Problem);
    setNote(t("saved"));
    reload();
  }
  return (
    <section class="panel">
      <h2>{t("images")}</h2>
      <ProblemBox problem={problem} />
      {order.length === 0 && <Empty />}
      <ol class="images">
        {order.map((im, i) => {
          const name = im.caption || t("photoN", { n: i + 1 });
          return (
            <li key={im.id} data-image={im.id}>
              <img src={im.url} alt={im.caption} loading="lazy" />
              <span>{im.caption}</span>
              <div class="row">
                <button class="small secondary" data-move="up" disabled={i === 0} aria-label={`${t("up")}: ${name}`} onClick={() => move(i, -1)}>↑</button>
                <button class="small secondary" data-move="down" disabled={i === order.length - 1} aria-label={`${t("down")}: ${name}`} onClick={() => move(i, 1)}>↓</button>
                <button class="danger small" aria-label={`${t("remove")}: ${name}`} disabled={changed} onClick={() => remove(im.id)}>{t("remove")}</button>
              </div>
            </li>
          );
        })}
      </ol>
      {changed && <button onClick={saveOrder} disabled={busy}>{t("savePhotoOrder")}</button>}
      {note && <p class="ok" role="status">{note}</p>}
      <form class="filters" onSubmit={upload}>
        <div class="field"><label for="img-file">{t("file")}</label><input id="img-file" type="file" accept="image/jpeg,image/png,image/webp" required /></div>
        <Field label={t("caption")} value={caption} onInput={(e) => setCaption((e.target as HTMLInputElement).value)} maxLength={200} />
        <button type="submit" disabled={busy || changed}>{t("upload")}</button>
      </form>
    </section>
  );
}

type Review = components["schemas"]["Review"];

function Reviews({ kind, listingId }: { kind: Kind; listingId: string }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const list = usePaged<Review>((cursor) => api.GET("/{kind}/{id}/reviews", { params: { path: { kind, id: listingId }, query: { limit: 20, cursor } } }), [kind, listingId]);
  async function hide(id: string) {
    setProblem(null);
    const { error } = await api.DELETE("/reviews/{id}", { params: { path: { id } } });
    if (error) return setProblem(error as Problem);
    list.setItems(list.items.filter((r) => r.id !== id));
  }
  return (
    <section class="panel">
      <h2>{t("reviews")}</h2>
      <ProblemBox problem={problem} />
      <ul class="reviews">
        {list.items.map((r) => (
          <li key={r.id}>
            <strong>{"★".repeat(r.rating)}</strong> {r.text} <span class="muted">— {when(r.created_at)}</span>
            <button class="secondary small" onClick={() => hide(r.id)}>{t("hide")}</button>
          </li>
        ))}
      </ul>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}

type Queued = components["schemas"]["QueuedReview"];
const plural = { attraction: "attractions", culinary: "culinary", event: "events" } as const;

/** ReviewQueue is the moderators' queue: every listing's visible reviews, newest first. */
export function ReviewQueue() {
  const lang = useLang();
  const [max, setMax] = useState("5");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState("");
  const list = usePaged<Queued>((cursor) => api.GET("/staff/reviews", { params: { query: { max_rating: Number(max), lang, limit: 20, cursor } } }), [max, lang]);
  async function hide(r: Queued) {
    setProblem(null); setNote("");
    const { error } = await api.DELETE("/reviews/{id}", { params: { path: { id: r.id } } });
    if (error) return setProblem(error as Problem);
    list.setItems(list.items.filter((x) => x.id !== r.id));
    setNote(`${t("hidden")}: ${r.author.name} · ${r.listing.name}`);
  }
  return (
    <section>
      <h1>{t("reviews")}</h1>
      <div class="filters">
        <Select label={t("rating")} value={max} onChange={setMax}
          options={[["5", t("all")], ["2", "★ ≤ 2"], ["1", "★ 1"]]} />
      </div>
      <ProblemBox problem={problem} />
      {note && <p class="ok" role="status">{note}</p>}
      <ul class="reviews" data-testid="review-queue">
        {list.items.map((r) => (
          <li key={r.id}>
            <strong aria-label={`${r.rating} / 5`}>{"★".repeat(r.rating)}</strong>
            <span>{r.text || "—"}</span>
            <span class="muted">— {r.author.name}, {when(r.created_at)} ·{" "}
              <Link to={`/tourism/${plural[r.listing.kind]}/${r.listing.id}`}>{r.listing.name}</Link></span>
            <button class="secondary small" aria-label={`${t("hide")}: ${r.author.name}, ${r.listing.name}`} onClick={() => hide(r)}>{t("hide")}</button>
          </li>
        ))}
      </ul>
      <PagedFooter {...list} count={list.items.length} />
    </section>
  );
}
