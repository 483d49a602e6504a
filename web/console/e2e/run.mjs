// Drives the built console in Debian's Chromium against a live API server.
//   CONSOLE_ORIGIN=http://127.0.0.1:8080 [SUITE=full|smoke] [SCREENSHOTS=dir] node e2e/run.mjs
// Every request the page sends to /api/v1 must be an operation of
// api/openapi.yaml; the login screen must render with no console error and
// no CSP violation. Test data is made through the public API as well.
import { readFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import YAML from "yaml";

const origin = process.env.CONSOLE_ORIGIN;
if (!origin) throw new Error("CONSOLE_ORIGIN is not set");
const suite = process.env.SUITE ?? "full";
const shots = process.env.SCREENSHOTS ?? "";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const minMajor = 120;
const password = "solo-demo-2026";

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const major = Number(/(\d+)\./.exec(execFileSync(executablePath, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }))?.[1] ?? 0);
if (major < minMajor) throw new Error(`${executablePath} is Chromium ${major}; the suite needs ${minMajor} or later`);

// The operations of the API description, as method + path patterns under /api/v1.
const spec = YAML.parse(readFileSync(new URL("../../../api/openapi.yaml", import.meta.url), "utf8"));
const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ["get", "put", "post", "patch", "delete", "head", "options"]) {
    if (!item[method]) continue;
    const params = [...(item.parameters ?? []), ...(item[method].parameters ?? [])];
    const re = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_, name) => {
      const enm = params.find((p) => p.in === "path" && p.name === name)?.schema?.enum;
      return enm ? `(?:${enm.map((v) => String(v).replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("|")})` : "[^/]+";
    });
    operations.push({ method: method.toUpperCase(), re: new RegExp(`^${re}$`), op: item[method].operationId });
  }
}
function documented(method, pathname) {
  const p = pathname.replace(/^\/api\/v1/, "");
  return operations.some((o) => o.method === method && o.re.test(p));
}

// The check itself is checked: a documented operation passes, a made-up one does not.
assert(documented("GET", "/api/v1/attractions") && documented("POST", "/api/v1/transport/bookings/check-in"), "the operation matcher misses documented operations");
assert(!documented("GET", "/api/v1/staff/everything") && !documented("DELETE", "/api/v1/auth/login"), "the operation matcher accepts undocumented requests");

// --- the public API, for test data and to check what the console did ---
async function call(method, path, body, token, extra = {}) {
  const res = await fetch(origin + "/api/v1" + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: "Bearer " + token } : {}), ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  return { status: res.status, data };
}
async function tokenOf(email, pw = password) {
  const r = await call("POST", "/auth/login", { email, password: pw });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.data)}`);
  return r.data.access_token;
}
function jakartaDate(ms = Date.now()) {
  return new Date(ms + 7 * 3600e3).toISOString().slice(0, 10);
}
// onePagePDF is a small well-formed PDF (exact cross-reference offsets), as the permit document check requires.
function onePagePDF(line) {
  const content = `BT /F1 12 Tf 56 780 Td (${line.replace(/[()\\]/g, "")}) Tj ET\n`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}
async function upload(path, fields, file, token) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([file.body], { type: file.type }), file.name);
  const res = await fetch(origin + "/api/v1" + path, { method: "POST", headers: { Authorization: "Bearer " + token }, body: form });
  return { status: res.status, data: await res.json().catch(() => null) };
}

// --- the browser ---
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
const undocumented = [];
const failures = [];
const passed = [];

async function newPage(viewport = { width: 1366, height: 860 }) {
  const context = await browser.newContext({ viewport, locale: "id-ID", timezoneId: "Asia/Jakarta" });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  const csp = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // Chromium logs every 4xx it receives; the flows expect some (a wrong password is a 401).
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.exposeFunction("__cspViolation", (v) => csp.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.route("**/api/v1/**", (route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (!documented(req.method(), url.pathname)) undocumented.push(`${req.method()} ${url.pathname}`);
    return route.continue();
  });
  return { context, page, errors, csp };
}

async function login(page, email) {
  await page.goto(origin + "/console/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/Kata sandi|Password/).fill(password);
  await page.getByRole("button", { name: /^(Masuk|Log in)$/ }).click();
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

async function test(name, fn) {
  const t0 = Date.now();
  const env = await newPage();
  try {
    await fn(env);
    if (env.errors.length) throw new Error("console errors: " + env.errors.join(" | "));
    if (env.csp.length) throw new Error("CSP violations: " + env.csp.join(" | "));
    passed.push(name);
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}: ${e.message}`);
    await env.page.screenshot({ path: `/tmp/console-e2e-${name.replace(/\W+/g, "-")}.png` }).catch(() => {});
  } finally {
    await env.context.close();
  }
}

// --- the flows ---

await test("login screen renders with no console error and no CSP violation", async ({ page, errors, csp }) => {
  const res = await page.goto(origin + "/console/");
  assert(res.headers()["content-security-policy"]?.includes("script-src 'self'"), "no CSP header on /console/");
  await page.waitForURL(/\/console\/login$/);
  await page.getByRole("heading", { name: "Konsol Staf" }).waitFor();
  await page.getByRole("button", { name: "EN" }).click();
  await page.getByRole("heading", { name: "Staff Console" }).waitFor();
  await page.getByLabel("Password").waitFor();
  await page.waitForTimeout(200);
  assert(errors.length === 0 && csp.length === 0, "errors on the login screen: " + [...errors, ...csp].join(" | "));
  await page.getByRole("button", { name: "ID" }).click();
  await shot(page, "login");
});

await test("a logged-out visitor to a deep link is sent to login, then back", async ({ page }) => {
  await page.goto(origin + "/console/transport/trips");
  await page.waitForURL(/\/console\/login\?next=%2Ftransport%2Ftrips$/);
  // By keyboard alone: the language switch, then the email and password fields, Enter logs in.
  await page.getByRole("heading", { name: "Konsol Staf" }).waitFor();
  for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement?.getAttribute("type")) === "email", "Tab does not reach the email field");
  await page.keyboard.type("transport@example.com");
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/console\/transport\/trips$/);
  await page.getByRole("heading", { name: "Perjalanan" }).waitFor();
  await page.keyboard.press("Tab");
  assert(await page.evaluate(() => document.activeElement?.className) === "skip", "the first Tab does not reach the skip link");
});

await test("a user without a staff role is refused", async ({ page }) => {
  await login(page, "user@example.com");
  await page.getByTestId("login-error").getByText("bukan akun staf").waitFor();
  assert(page.url().endsWith("/console/login"), "a citizen left the login screen: " + page.url());
  await page.getByLabel("Email").fill("user@example.com");
  await page.getByLabel("Kata sandi").fill("wrong-password-1");
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.getByTestId("login-error").getByText("salah").waitFor();
});

if (suite === "smoke") {
  await test("tourism staff log in and list attractions", async ({ page }) => {
    await login(page, "tourism@example.com");
    await page.locator("nav").getByRole("link", { name: "Atraksi", exact: true }).click();
    await page.getByRole("heading", { name: "Atraksi" }).waitFor();
    await page.locator("table.list tbody tr").first().waitFor();
  });
} else {
  await test("tourism: create an attraction in both languages, publish it, the public API lists it", async ({ page }) => {
    await login(page, "tourism@example.com");
    await page.getByRole("heading", { name: "Pariwisata · Ringkasan" }).waitFor();
    await page.getByTestId("reviews-waiting").waitFor();
    await shot(page, "tourism-dashboard");
    // Only the tourism department's sections.
    assert(await page.locator("nav [data-dept]").count() === 1, "tourism staff see other departments");
    await page.locator("nav").getByRole("link", { name: "Atraksi", exact: true }).click();
    await page.locator("table.list tbody tr").first().waitFor();
    await shot(page, "tourism-attractions");
    // Paged with the API's cursor: the next page adds the rest, each once.
    const published = (await call("GET", "/attractions?limit=100")).data.data.length;
    if (published > 20) {
      assert(await page.locator("table.list tbody tr").count() === 20, "the first page is not 20 rows");
      await page.getByRole("button", { name: "Muat lebih banyak" }).click();
      await page.locator("table.list tbody tr").nth(20).waitFor();
      const names = await page.locator("table.list tbody tr td:first-child").allInnerTexts();
      assert(new Set(names).size === names.length, "a listing appears twice after paging");
    }
    // Search narrows the list.
    await page.getByLabel("Cari").fill("keraton");
    const searched = page.waitForResponse((r) => /\/api\/v1\/attractions\?.*q=keraton/.test(r.url()));
    await page.getByRole("button", { name: "Cari" }).click();
    const hits = (await (await searched).json()).data.length;
    assert(hits > 0 && hits < published, `search for keraton found ${hits} of ${published}`);
    await page.waitForFunction((n) => document.querySelectorAll("table.list tbody tr").length === n, hits);
    await page.locator("table.list tbody tr", { hasText: /keraton/i }).first().waitFor();
    await page.locator("#content").getByRole("link", { name: "Buat baru" }).click();
    const name = `Museum Uji ${Date.now()}`;
    await page.getByLabel("Nama (ID)").fill(name);
    await page.getByLabel("Nama (EN)").fill(name.replace("Museum Uji", "Test Museum"));
    await page.getByLabel("Deskripsi (ID)").fill("Museum kecil untuk uji konsol.");
    await page.getByLabel("Deskripsi (EN)").fill("A small museum for the console test.");
    await page.getByLabel("Kategori").fill("museum");
    await page.getByLabel("Alamat").fill("Jl. Slamet Riyadi, Surakarta");
    // A point outside the earth is refused beside its field, and nothing is created.
    await page.getByLabel("Lintang").fill("-97.5");
    await page.getByRole("button", { name: "Tambah jam" }).click();
    await page.getByRole("button", { name: "Tambah harga" }).click();
    await page.getByLabel("Keterangan harga 1").fill("Dewasa");
    await page.getByLabel("Jumlah (Rp) 1").fill("10000");
    await page.getByRole("button", { name: "Simpan" }).click();
    // The API's errors[] appear beside their fields.
    await page.locator(".field", { has: page.getByLabel("Lintang") }).locator(".field-error").getByText("-90").waitFor();
    assert(await page.getByLabel("Lintang").getAttribute("aria-invalid") === "true", "the latitude is not marked invalid");
    assert(page.url().endsWith("/tourism/attractions/new"), "an invalid listing was created");
    await page.getByLabel("Lintang").fill("-7.5690");
    await page.getByLabel("Bujur").fill("110.8200");
    await page.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/console\/tourism\/attractions\/[0-9a-f-]{36}$/);
    await page.getByTestId("listing-status").getByText("draf").waitFor();
    await page.locator(".map circle").first().waitFor();
    await shot(page, "tourism-edit");
    await page.getByRole("button", { name: "Terbitkan" }).click();
    await page.getByTestId("listing-status").getByText("terbit").waitFor();
    const id = page.url().split("/").pop();
    const pub = await call("GET", `/attractions/${id}?lang=en`);
    assert(pub.status === 200 && pub.data.name === name.replace("Museum Uji", "Test Museum"), "public API: " + JSON.stringify(pub));
    assert(pub.data.opening_hours.length === 1, "opening hours not saved");
    assert(pub.data.ticket_prices.length === 1 && pub.data.ticket_prices[0].amount_idr === 10000, "ticket prices not saved: " + JSON.stringify(pub.data.ticket_prices));
    const listed = await call("GET", `/attractions?q=${encodeURIComponent(name)}`);
    assert(listed.data.data.some((l) => l.id === id), "the public list does not have the new attraction");
    // Two photos: uploaded, shown in upload order, reordered from the keyboard and saved, deleted.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
    for (const caption of ["Gerbang depan", "Pendapa"]) {
      await page.getByLabel("Berkas").setInputFiles({ name: "foto.png", mimeType: "image/png", buffer: png });
      await page.getByLabel("Keterangan", { exact: true }).fill(caption);
      await page.getByRole("button", { name: "Unggah" }).click();
      await page.locator(".images li", { hasText: caption }).waitFor();
    }
    const captions = async () => (await call("GET", `/attractions/${id}`)).data.images.map((im) => im.caption);
    assert((await captions()).join() === "Gerbang depan,Pendapa", "photos not in upload order: " + (await captions()));
    const before = (await call("GET", `/attractions/${id}`)).data.images.map((im) => im.id);
    await page.getByRole("button", { name: "Naikkan: Pendapa" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => [...document.querySelectorAll(".images li span")].map((s) => s.textContent).join() === "Pendapa,Gerbang depan");
    const reordered = page.waitForResponse((r) => r.url().endsWith(`/attractions/${id}/images/order`) && r.request().method() === "PUT");
    await page.getByRole("button", { name: "Simpan urutan foto" }).click();
    assert((await reordered).status() === 200, "the new order was not saved");
    await page.getByRole("button", { name: "Simpan urutan foto" }).waitFor({ state: "detached" });
    const after = (await call("GET", `/attractions/${id}`)).data.images.map((im) => im.id);
    assert(after.join() === [before[1], before[0]].join(), `public API order ${after}, want ${[before[1], before[0]]}`);
    assert((await captions()).join() === "Pendapa,Gerbang depan", "photos not reordered: " + (await captions()));
    for (const caption of ["Gerbang depan", "Pendapa"]) {
      await page.locator(".images li", { hasText: caption }).getByRole("button", { name: "Hapus" }).click();
      await page.locator(".images li", { hasText: caption }).waitFor({ state: "detached" });
    }
    assert((await call("GET", `/attractions/${id}`)).data.images.length === 0, "the photos were not deleted");
    // A visitor's one-star review reaches the moderation queue; hidden, it leaves the listing's reviews.
    const visitor = await tokenOf("user@example.com");
    const rev = await call("POST", `/attractions/${id}/reviews`, { rating: 1, text: "Spam spam spam." }, visitor);
    assert(rev.status === 201, "review: " + JSON.stringify(rev));
    await page.locator("nav").getByRole("link", { name: "Ulasan", exact: true }).click();
    await page.getByLabel("Nilai").selectOption("2");
    const queued = page.getByTestId("review-queue").locator("li", { hasText: "Spam spam spam." });
    await queued.waitFor();
    await shot(page, "tourism-reviews");
    await queued.getByRole("button", { name: /^Sembunyikan/ }).click();
    await queued.waitFor({ state: "detached" });
    const left = await call("GET", `/attractions/${id}/reviews`);
    assert(!left.data.data.some((r) => r.id === rev.data.id), "the hidden review is still listed");
  });

  await test("transport: check a booking in, see a trip's manifest, cancel it after seeing what it cancels", async ({ page }) => {
    const staff = await tokenOf("transport@example.com");
    const user = await tokenOf("user@example.com");
    const routes = await call("GET", "/transport/routes?limit=100", undefined, staff);
    const modes = await call("GET", "/transport/modes", undefined, staff);
    const bookable = new Set(modes.data.data.filter((m) => m.bookable).map((m) => m.code));
    const route = routes.data.data.find((r) => bookable.has(r.mode));
    assert(route, "no route of a bookable mode");
    // A trip later today (Asia/Jakarta), so its booking may be checked in today.
    let departs = Date.now() + 20 * 60e3 + 86400e3;
    const sameDay = jakartaDate(departs) === jakartaDate();
    const trip = await call("POST", "/transport/trips", {
      route_id: route.id, departs_at: new Date(departs).toISOString(), arrives_at: new Date(departs + 3600e3).toISOString(), capacity: 20, fare_idr: 15000,
    }, staff);
    assert(trip.status === 201, "create trip: " + JSON.stringify(trip));
    const booking = await call("POST", `/transport/trips/${trip.data.id}/bookings`, { seats: 2, passenger_name: "Sari Wulandari" }, user, { "Idempotency-Key": "e2e-" + Date.now() });
    assert(booking.status === 201, "book: " + JSON.stringify(booking));

    await login(page, "transport@example.com");
    await page.getByTestId("fill-today").waitFor();
    await page.locator(".chart svg rect").first().waitFor(); // today's trip, at least the one made above
    await shot(page, "transport-dashboard");
    if (sameDay) {
      await page.locator("nav").getByRole("link", { name: "Check-in", exact: true }).click();
      await page.getByLabel("Kode pemesanan").fill(booking.data.code.toLowerCase());
      await page.getByRole("button", { name: "Check-in" }).click();
      await page.getByTestId("checked-in").waitFor();
      await page.getByRole("button", { name: "Check-in" }).click();
      await page.getByLabel("Kode pemesanan").fill(booking.data.code);
      await page.getByRole("button", { name: "Check-in" }).click();
      await page.locator(".problem").waitFor(); // a second check-in is refused
    }
    await page.locator("nav").getByRole("link", { name: "Perjalanan", exact: true }).click();
    // The list opens on today (Asia/Jakarta); near midnight the trip made above departs tomorrow.
    await page.getByLabel("Tanggal").fill(jakartaDate(departs));
    await page.locator(`table.list tbody tr a[href$="/transport/trips/${trip.data.id}"]`).waitFor();
    await shot(page, "transport-trips");
    await page.goto(origin + `/console/transport/trips/${trip.data.id}`); // a deep link, signed in: the session is in memory…
    await page.waitForURL(/\/console\/login/); // …so a reload asks to log in again, and comes back
    await page.getByLabel("Email").fill("transport@example.com");
    await page.getByLabel("Kata sandi").fill(password);
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.waitForURL(new RegExp(`/console/transport/trips/${trip.data.id}$`));
    await page.locator("table.list tbody tr").getByText(booking.data.code).waitFor();
    await page.getByRole("button", { name: "Batalkan perjalanan" }).click();
    await page.getByTestId("cancel-consequence").getByText("1 pemesanan aktif (2 kursi)").waitFor();
    await shot(page, "transport-cancel");
    await page.getByRole("button", { name: "Konfirmasi" }).click();
    await page.getByTestId("trip-status").getByText("cancelled").waitFor();
    const mine = await call("GET", `/me/bookings/${booking.data.id}`, undefined, user);
    assert(mine.data.status === "cancelled", "the booking was not cancelled");
    const notes = await call("GET", "/me/notifications?limit=20", undefined, user);
    assert(notes.data.data.some((n) => n.kind === "trip_cancelled" && n.entity_id === trip.data.id), "no trip_cancelled notification: " + JSON.stringify(notes.data.data.slice(0, 3)));
    // A route's stops: the second moved up, saved, the API rides them in the new order; then back.
    await page.locator("nav").getByRole("link", { name: "Rute", exact: true }).click();
    const card = page.locator("article[data-route]").first();
    await card.waitFor();
    const routeId = await card.getAttribute("data-route");
    const before = (await call("GET", `/transport/routes/${routeId}`)).data.stops.map((x) => x.id);
    await card.getByRole("button", { name: /^Naikkan: / }).nth(1).click(); // the second stop's ↑ (the first one's is disabled)
    await card.getByRole("button", { name: "Simpan urutan halte" }).click();
    await card.locator(".ok").waitFor();
    const moved = (await call("GET", `/transport/routes/${routeId}`)).data.stops.map((x) => x.id);
    assert(moved[0] === before[1] && moved[1] === before[0] && moved.slice(2).join() === before.slice(2).join(), "stops not reordered: " + moved.join());
    await shot(page, "transport-routes");
    await card.getByRole("button", { name: /^Naikkan: / }).nth(1).click();
    await card.getByRole("button", { name: "Simpan urutan halte" }).click();
    await card.locator(".ok").waitFor();
    assert((await call("GET", `/transport/routes/${routeId}`)).data.stops.map((x) => x.id).join() === before.join(), "stops not restored");
    await page.locator("nav").getByRole("link", { name: "Jadwal", exact: true }).click();
    await page.locator(".cards .card").first().waitFor();
    await page.getByRole("button", { name: "Buat perjalanan" }).first().click();
    await page.locator(".card .ok").first().waitFor();
  });

  await test("revenue: verify a citizen profile, bills by NOP with today's penalty", async ({ page }) => {
    const email = `warga${Date.now()}@example.com`;
    assert((await call("POST", "/auth/register", { email, password: "warga-kota-solo", name: "Budi Santoso" })).status === 201, "register");
    const citizen = await tokenOf(email, "warga-kota-solo");
    const serial = String(Date.now() % 10000).padStart(4, "0");
    const prof = await call("PUT", "/me/citizen-profile", { nik: `337201150885${serial}`, full_name: "Budi Santoso", birth_date: "1985-08-15" }, citizen);
    assert(prof.status === 200 || prof.status === 201, "profile: " + JSON.stringify(prof));
    const sari = await tokenOf("user@example.com");
    const objects = await call("GET", "/me/tax-objects", undefined, sari);
    const nop = objects.data.data[0].nop;

    await login(page, "revenue@example.com");
    await page.getByTestId("unpaid").waitFor();
    await page.locator("nav").getByRole("link", { name: "Verifikasi profil warga", exact: true }).click();
    const row = page.locator("table.list tbody tr", { hasText: "Budi Santoso" });
    await row.waitFor();
    assert(/\d{5}…\d{4}/.test(await row.locator("code").innerText()), "the NIK is not masked");
    await shot(page, "revenue-profiles");
    await row.getByRole("button", { name: "Verifikasi" }).click();
    await page.locator(".ok").getByText("Budi Santoso").waitFor();
    const after = await call("GET", "/me/citizen-profile", undefined, citizen);
    assert(after.data.status === "verified", "profile not verified: " + JSON.stringify(after.data));
    await page.locator("nav").getByRole("link", { name: "Tagihan per NOP", exact: true }).click();
    await page.getByLabel("NOP").fill(nop);
    await page.getByRole("button", { name: "Cari" }).click();
    await page.getByTestId("bills").waitFor();
    await shot(page, "revenue-bills");
    await page.getByLabel("NOP").fill("12345");
    await page.getByRole("button", { name: "Cari" }).click();
    await page.locator(".field-error, .problem").first().waitFor();

    // A new tax object owned by the citizen just verified is linked to them, and billed.
    const newNop = `3372010001009${String(Date.now() % 10000).padStart(4, "0")}0`;
    await page.locator("nav").getByRole("link", { name: "Objek pajak & tagihan baru", exact: true }).click();
    await page.getByLabel("NOP").fill(newNop);
    await page.getByLabel("Alamat").fill("Jl. Kartini No. 3, Laweyan");
    await page.getByLabel("Pemilik", { exact: true }).fill("Budi Santoso");
    await page.getByLabel("NIK pemilik").fill(`337201150885${serial}`);
    await page.getByRole("button", { name: "Simpan" }).click();
    await page.getByText("tertaut ke warga terverifikasi").waitFor();
    await page.getByLabel("Pokok (Rp)").fill("150000");
    await page.getByLabel("Jatuh tempo").fill("2027-08-31");
    await page.getByRole("button", { name: "Simpan" }).click();
    await page.getByTestId("revenue-note").getByText("Rp 150.000").waitFor();
    const budiBills = await call("GET", "/me/tax-bills", undefined, citizen);
    assert(budiBills.data.data.length === 1 && budiBills.data.data[0].principal_idr === 150000, "the citizen does not see the new bill");

    // Sari starts paying an unpaid bill; in the sandbox, staff settle it and the receipt appears.
    const bills = await call("GET", "/me/tax-bills?limit=100", undefined, sari);
    const unpaid = bills.data.data.find((b) => b.status === "unpaid");
    assert(unpaid, "Sari has no unpaid bill");
    const pay = await call("POST", `/taxes/bills/${unpaid.id}/payments`, { channel: "qris" }, sari, { "Idempotency-Key": "e2e-pay-" + Date.now() });
    assert(pay.status === 201, "pay: " + JSON.stringify(pay));
    await page.locator("nav").getByRole("link", { name: "Pembayaran", exact: true }).click();
    await page.getByTestId("sandbox").waitFor();
    const prow = page.locator("table.list tbody tr", { hasText: "pending" }).first();
    await prow.getByRole("button", { name: "Lunasi (sandbox)" }).click();
    await page.locator("table.list tbody tr", { hasText: "paid" }).first().waitFor();
    await shot(page, "revenue-payments");
    const after2 = await call("GET", `/me/payments/${pay.data.id}/receipt`, undefined, sari);
    assert(after2.status === 200 && after2.data.ntpd, "no receipt after settling: " + JSON.stringify(after2));
    await page.locator("nav").getByRole("link", { name: "Ringkasan", exact: true }).click();
    await page.getByTestId("paid-month").waitFor();
    const paid = (await page.getByTestId("paid-month").locator(".value").innerText()).trim();
    assert(paid !== "Rp 0", "the dashboard does not count today's payment");
    await shot(page, "revenue-dashboard");
  });

  await test("licensing: review and approve a citizen's application with a note; the applicant is notified", async ({ page }) => {
    // A citizen applies for a micro business permit through the public API, uploads a PDF and submits.
    const email = `pemohon${Date.now()}@example.com`;
    assert((await call("POST", "/auth/register", { email, password: "usaha-mikro-solo", name: "Wulan Sari" })).status === 201, "register");
    const citizen = await tokenOf(email, "usaha-mikro-solo");
    const types = await call("GET", "/permits/types?lang=id");
    const micro = types.data.data.find((x) => x.code === "usaha_mikro");
    assert(micro && micro.documents.some((d) => d.code === "ktp" && d.required), "no usaha_mikro type with a ktp document");
    const made = await call("POST", "/permits/applications", {
      type: "usaha_mikro",
      data: {
        holder_name: "Wulan Sari", business_name: `Sate Kere Mbak Wulan ${Date.now() % 1000}`, nib: "9120301112223", kbli: "56101",
        business_address: "Jl. Gatot Subroto No. 40, Serengan, Surakarta", employees: 3, home_based: false,
      },
    }, citizen, { "Idempotency-Key": "e2e-permit-" + Date.now() });
    assert(made.status === 201, "apply: " + JSON.stringify(made));
    const id = made.data.id;
    const doc = await upload(`/permits/applications/${id}/documents`, { code: "ktp" }, { name: "ktp wulan.pdf", type: "application/pdf", body: onePagePDF("KTP Wulan Sari") }, citizen);
    assert(doc.status === 201, "upload: " + JSON.stringify(doc));
    const sub = await call("POST", `/permits/applications/${id}/submit`, undefined, citizen);
    assert(sub.status === 200 && sub.data.tracking_number, "submit: " + JSON.stringify(sub));
    const tracking = sub.data.tracking_number;

    // Licensing staff open on their dashboard and see only licensing.
    await login(page, "licensing@example.com");
    await page.getByRole("heading", { name: "Perizinan · Ringkasan" }).waitFor();
    await page.getByTestId("permits-overdue").waitFor();
    assert(await page.locator("nav [data-dept]").count() === 1, "licensing staff see other departments");
    assert(Number(await page.getByTestId("permits-open").locator(".value").innerText()) >= 1, "the dashboard counts no open application");
    await page.locator(".chart svg rect").first().waitFor();
    await shot(page, "licensing-dashboard");

    // The queue, most urgent first; the new application is found with the status filter and paging.
    const queued = page.waitForResponse((r) => /\/api\/v1\/staff\/permit-applications\?.*sort=sla_due_at/.test(r.url()));
    await page.locator("nav").getByRole("link", { name: "Antrean permohonan izin", exact: true }).click();
    assert((await queued).status() === 200, "the queue did not load by SLA");
    await page.getByRole("heading", { name: "Antrean permohonan izin" }).waitFor();
    await page.getByTestId("permit-queue").locator("tbody tr").first().waitFor();
    await shot(page, "licensing-queue");
    await page.getByLabel("Status").selectOption("submitted");
    const row = page.getByTestId("permit-queue").locator("tbody tr", { hasText: tracking });
    for (let i = 0; i < 50 && !(await row.count()); i++) {
      const more = page.getByRole("button", { name: "Muat lebih banyak" });
      await Promise.race([row.waitFor().catch(() => {}), more.waitFor().catch(() => {})]);
      if (await row.count()) break;
      await more.click();
    }
    await row.waitFor();
    await row.getByRole("link", { name: tracking }).click();
    await page.waitForURL(new RegExp(`/console/licensing/applications/${id}$`));
    await page.getByTestId("permit-status").getByText("Diajukan").waitFor();
    // Labelled fields, the document as an attachment (fetched with the token, saved as a download).
    await page.getByTestId("permit-data").getByText("Nama usaha").waitFor();
    await page.getByTestId("permit-data").getByText("9120301112223").waitFor();
    const downloading = page.waitForEvent("download");
    await page.getByTestId("permit-documents").getByRole("button", { name: /^Unduh: / }).click();
    const file = await downloading;
    assert(/\.pdf$/.test(file.suggestedFilename()), "the document's download name: " + file.suggestedFilename());
    await shot(page, "licensing-application");

    // Someone else moves it first: the console's move is refused with 409, shown, and a reload shows the new status.
    const staff = await tokenOf("licensing@example.com");
    assert((await call("POST", `/permits/applications/${id}/transitions`, { to: "in_review" }, staff)).status === 200, "move from outside");
    await page.getByRole("button", { name: "Ubah ke: Ditinjau" }).click();
    await page.getByTestId("conflict").waitFor();
    await shot(page, "licensing-conflict");
    await page.getByTestId("conflict").getByRole("button", { name: "Muat ulang" }).click();
    await page.getByTestId("permit-status").getByText("Ditinjau").waitFor();
    // A revision without a note: the API's 422 beside the note field, nothing moved.
    await page.getByRole("button", { name: "Ubah ke: Perlu perbaikan" }).click();
    await page.locator(".field", { has: page.getByLabel("Catatan") }).locator(".field-error").waitFor();
    assert(await page.getByLabel("Catatan").getAttribute("aria-invalid") === "true", "the note is not marked invalid");
    assert((await call("GET", `/permits/applications/${id}`, undefined, citizen)).data.status === "in_review", "a move without a note changed the application");
    // Approved with a note, by keyboard from the note field.
    await page.getByLabel("Catatan").fill("Dokumen lengkap dan sesuai. Izin diterbitkan.");
    await page.getByRole("button", { name: "Ubah ke: Disetujui" }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("permit-status").getByText("Disetujui").waitFor();
    await page.getByTestId("permit-number").waitFor();
    await page.getByTestId("permit-history").getByText("Dokumen lengkap dan sesuai.").waitFor();
    const letter = page.waitForEvent("download");
    await page.getByRole("button", { name: "Unduh surat keputusan (PDF)" }).click();
    assert(/\.pdf$/.test((await letter).suggestedFilename()), "the letter is not a PDF download");
    await shot(page, "licensing-approved");

    // Through the API: approved with a permit number, and the applicant is notified of it.
    const after = await call("GET", `/permits/applications/${id}`, undefined, citizen);
    assert(after.data.status === "approved" && /^503\/UMK\/\d{4}\/\d{6}$/.test(after.data.permit_number ?? ""), "not approved: " + JSON.stringify(after.data));
    assert(after.data.history.some((h) => h.to === "approved" && h.note.startsWith("Dokumen lengkap")), "the note is not in the history");
    const notes = await call("GET", "/me/notifications?limit=20", undefined, citizen);
    assert(notes.data.data.some((n) => n.kind === "permit_approved" && n.entity_id === id), "no permit_approved notification: " + JSON.stringify(notes.data.data.slice(0, 3)));
    // English labels on request.
    await page.getByRole("button", { name: "EN", exact: true }).click();
    await page.getByTestId("permit-status").getByText("Approved").waitFor();
    await page.getByTestId("permit-data").getByText("Business name").waitFor();
    await page.getByRole("button", { name: "ID", exact: true }).click();
    // A rejected reklame application (demo): the applicant's reklame tax standing, and no move left to make.
    await page.locator("nav").getByRole("link", { name: "Antrean permohonan izin", exact: true }).click();
    await page.getByLabel("Status").selectOption("rejected");
    await page.getByTestId("permit-queue").locator("tbody tr", { hasText: "Reklame" }).first().getByRole("link").click();
    await page.getByTestId("tax-status").waitFor();
    await page.getByTestId("permit-status").getByText("Ditolak").waitFor();
    assert(await page.getByRole("button", { name: /^Ubah ke:/ }).count() === 0, "a rejected application offers moves");
  });

  await test("admin: every section, find a user, disable them, the audit log shows it", async ({ page }) => {
    const email = `nonaktif${Date.now()}@example.com`;
    assert((await call("POST", "/auth/register", { email, password: "akun-uji-konsol", name: "Akun Uji" })).status === 201, "register");
    await login(page, "admin@example.com");
    await page.getByRole("heading", { name: /Selamat datang/ }).waitFor();
    assert(await page.locator("nav [data-dept]").count() === 5, "admin does not see every department");
    assert(await page.locator('nav [data-dept="licensing"]').count() === 1, "admin does not see licensing");
    await page.locator("nav").getByRole("link", { name: "Pengguna", exact: true }).click();
    await page.getByLabel("Cari").fill(email);
    await page.getByRole("button", { name: "Cari" }).click();
    const row = page.locator("table.list tbody tr", { hasText: email });
    await row.waitFor();
    await shot(page, "admin-users");
    await row.getByRole("button", { name: "Nonaktifkan", exact: true }).click();
    await row.getByRole("button", { name: "Aktifkan", exact: true }).waitFor();
    const r = await call("POST", "/auth/login", { email, password: "akun-uji-konsol" });
    assert(r.status === 401 || r.status === 403, "a disabled user logged in: " + r.status);
    await page.locator("nav").getByRole("link", { name: "Log audit", exact: true }).click();
    await page.getByLabel("Entitas").fill("user");
    await page.getByRole("button", { name: "Cari" }).click();
    await page.locator("table.list tbody tr").first().waitFor();
    await shot(page, "admin-audit");
  });

  await test("the access token is refreshed before it expires; a refused refresh returns to login", async ({ page }) => {
    await page.clock.install();
    const loggedIn = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
    await login(page, "transport@example.com");
    const first = (await (await loggedIn).json()).refresh_token;
    await page.getByTestId("fill-today").waitFor();
    // Fourteen and a half minutes on: the console refreshes on its own and keeps working.
    const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
    await page.clock.fastForward("14:30");
    const res = await refreshed;
    assert(res.status() === 200, "the refresh failed");
    const refreshToken = (await res.json()).refresh_token;
    assert(refreshToken && refreshToken !== first, "the refresh token did not rotate");
    await page.locator("nav").getByRole("link", { name: "Rute", exact: true }).click();
    await page.locator(".cards .card").first().waitFor();
    // Someone else uses the console's refresh token first: the API revokes the login (reuse
    // detection), the console's next refresh gets 401, and it returns to the login screen.
    const stolen = await call("POST", "/auth/refresh", { refresh_token: refreshToken });
    assert(stolen.status === 200, "refresh from outside: " + stolen.status);
    const refused = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
    await page.clock.fastForward("14:30");
    assert((await refused).status() === 401, "a reused refresh token was accepted");
    await page.waitForURL(/\/console\/login\?next=%2Ftransport%2Froutes$/);
    await page.getByTestId("login-error").getByText("Sesi berakhir").waitFor();
  });

  await test("an account disabled while signed in is returned to login", async ({ page }) => {
    const admin = await tokenOf("admin@example.com");
    const email = `staf${Date.now()}@example.com`;
    const reg = await call("POST", "/auth/register", { email, password: "staf-uji-konsol", name: "Staf Uji" });
    assert(reg.status === 201, "register");
    assert((await call("PATCH", `/admin/users/${reg.data.id}`, { role: "staff", department: "tourism" }, admin)).status === 200, "make staff");
    await page.goto(origin + "/console/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Kata sandi").fill("staf-uji-konsol");
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.getByTestId("reviews-waiting").waitFor();
    assert((await call("PATCH", `/admin/users/${reg.data.id}`, { disabled: true }, admin)).status === 200, "disable");
    await page.locator("nav").getByRole("link", { name: "Atraksi", exact: true }).click();
    await page.waitForURL(/\/console\/login/);
    await page.getByTestId("login-error").getByText("Sesi berakhir").waitFor();
  });

  await test("logout revokes the session; a tablet sees the menu", async ({ page, context }) => {
    await page.setViewportSize({ width: 820, height: 1180 });
    const loggedIn = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
    await login(page, "revenue@example.com");
    const refreshToken = (await (await loggedIn).json()).refresh_token;
    await page.getByTestId("unpaid").waitFor();
    await page.getByRole("button", { name: "☰" }).click();
    await page.locator("nav").getByRole("link", { name: "Pembayaran", exact: true }).click();
    await page.getByRole("heading", { name: "Pembayaran" }).waitFor();
    const logout = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/logout"));
    await page.getByRole("button", { name: "Keluar" }).click();
    assert((await logout).status() === 204, "logout did not revoke");
    await page.waitForURL(/\/console\/login$/);
    const after = await call("POST", "/auth/refresh", { refresh_token: refreshToken });
    assert(after.status === 401, "the refresh token still works after logout: " + after.status);
    void context;
  });
}

await browser.close();
if (undocumented.length) {
  console.log("requests that api/openapi.yaml does not describe:\n  " + [...new Set(undocumented)].join("\n  "));
  failures.push("undocumented requests");
}
console.log(`${passed.length} passed, ${failures.length} failed (${suite} suite, Chromium ${major})`);
process.exit(failures.length ? 1 : 0);
