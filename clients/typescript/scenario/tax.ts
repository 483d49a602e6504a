// A resident's local tax, through the generated client only: a new resident
// submits a citizen profile (the NIK comes back masked), the revenue officer
// finds it in the review queue and verifies it, records the resident's plot by
// its NOP and bills it; the resident sees the object and the bill with its
// penalty as of today, and a relative who looks the NOP up sees the amounts and
// only a masked owner name, pays it by QRIS (retried with the same
// Idempotency-Key, answered once), the revenue officer settles it in the
// sandbox, and the relative gets the receipt whose NTPD anyone can check.
//
//   API_ORIGIN=http://127.0.0.1:8080 node dist/scenario/tax.js
import assert from "node:assert/strict";
import { createApi } from "../src/client.js";

const origin = process.env["API_ORIGIN"] ?? "http://127.0.0.1:8080";

function step(name: string): void {
  console.log(`ok  ${name}`);
}

async function newUser(name: string) {
  const api = createApi(origin);
  const email = `${name.toLowerCase().replace(/ /g, "-")}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
  const password = "sekar-jagad-2026";
  const reg = await api.client.POST("/auth/register", { body: { email, password, name } });
  assert.equal(reg.response.status, 201, `register: ${JSON.stringify(reg.error)}`);
  const login = await api.client.POST("/auth/login", { body: { email, password } });
  assert.equal(login.response.status, 200, `login: ${JSON.stringify(login.error)}`);
  assert.ok(login.data);
  api.session.accessToken = login.data.access_token;
  return { ...api, id: login.data.user.id };
}

// An invented resident of Jebres born 2 March 1985 (a woman: day 2 + 40),
// with a serial of her own so that a second run on the same server verifies
// a new NIK.
const serial = String(1 + Math.floor(Math.random() * 9999)).padStart(4, "0");
const nik = `337204420385${serial}`;
const resident = await newUser("Endang Rahayu");
const submitted = await resident.client.PUT("/me/citizen-profile", {
  body: { nik, full_name: "Endang Rahayu", birth_date: "1985-03-02" },
});
assert.equal(submitted.response.status, 200, `submit profile: ${JSON.stringify(submitted.error)}`);
assert.equal(submitted.data?.status, "pending");
assert.equal(submitted.data?.nik_masked, `33720…${serial}`);
assert.ok(!JSON.stringify(submitted.data).includes(nik), "the full NIK never comes back");
step("submit a citizen profile (NIK masked)");

// The demo's revenue officer (internal/identity/demo.go).
const staff = createApi(origin);
const staffLogin = await staff.client.POST("/auth/login", {
  body: { email: "revenue@example.com", password: "solo-demo-2026" },
});
assert.equal(staffLogin.response.status, 200, `staff login: ${JSON.stringify(staffLogin.error)}`);
assert.ok(staffLogin.data);
staff.session.accessToken = staffLogin.data.access_token;

let found = false;
let cursor: string | undefined;
do {
  const page = await staff.client.GET("/staff/citizen-profiles", {
    params: { query: { status: "pending", limit: 100, ...(cursor ? { cursor } : {}) } },
  });
  assert.equal(page.response.status, 200, `review queue: ${JSON.stringify(page.error)}`);
  found ||= (page.data?.data ?? []).some((p) => p.user_id === resident.id);
  cursor = page.data?.meta.next_cursor ?? undefined;
} while (cursor && !found);
assert.ok(found, "the profile waits in the review queue");
const verified = await staff.client.POST("/staff/citizen-profiles/{userId}/verify", {
  params: { path: { userId: resident.id } },
});
assert.equal(verified.response.status, 200, `verify: ${JSON.stringify(verified.error)}`);
assert.equal(verified.data?.profile.status, "verified");
step("revenue staff verify the profile");

// A plot in block 9xx, which the demo leaves empty, so runs never collide.
const block = String(900 + Math.floor(Math.random() * 100));
const number = String(1 + Math.floor(Math.random() * 9999)).padStart(4, "0");
const nop = `33.72.040.002.${block}-${number}.0`;
const object = await staff.client.POST("/taxes/objects", {
  body: { nop, type: "pbb", address: "Jl. Ir. Sutami No. 36, Jebres", owner_name: "Endang Rahayu", owner_nik: nik },
});
assert.equal(object.response.status, 201, `create object: ${JSON.stringify(object.error)}`);
assert.ok(object.data);
assert.equal(object.data.linked, true, "the object belongs to the verified resident at once");
const year = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear();
const bill = await staff.client.POST("/taxes/bills", {
  body: { object_id: object.data.id, period: String(year), principal_idr: 1_250_000, due_date: `${year}-09-30` },
});
assert.equal(bill.response.status, 201, `create bill: ${JSON.stringify(bill.error)}`);
assert.ok(bill.data);
assert.equal(bill.data.total_idr, bill.data.principal_idr + bill.data.penalty_idr);
step("revenue staff record the plot by NOP and bill it");

const mine = await resident.client.GET("/me/tax-bills", { params: { query: { year } } });
assert.equal(mine.response.status, 200, `my bills: ${JSON.stringify(mine.error)}`);
assert.ok((mine.data?.data ?? []).some((b) => b.id === bill.data?.id), "the bill is among the resident's");
const one = await resident.client.GET("/taxes/bills/{id}", { params: { path: { id: bill.data.id } } });
assert.equal(one.response.status, 200, `my bill: ${JSON.stringify(one.error)}`);
assert.equal(one.data?.nop, nop);
step("the resident sees the bill with its penalty as of today");

const relative = await newUser("Joko Relative");
const lookup = await relative.client.GET("/taxes/bills/lookup", { params: { query: { nop: nop.replace(/[.-]/g, ""), year } } });
assert.equal(lookup.response.status, 200, `lookup: ${JSON.stringify(lookup.error)}`);
assert.equal(lookup.data?.length, 1);
assert.equal(lookup.data?.[0]?.owner_name_masked, "E***** R*****");
assert.ok(!JSON.stringify(lookup.data).includes("Endang"), "the lookup masks the owner");
const notMine = await relative.client.GET("/taxes/bills/{id}", { params: { path: { id: bill.data.id } } });
assert.equal(notMine.response.status, 404, "someone else's bill is not found");
step("a relative looks the NOP up: amounts and a masked owner name only");

const key = `pay-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const pay = () =>
  relative.client.POST("/taxes/bills/{id}/payments", {
    params: { path: { id: bill.data!.id }, header: { "Idempotency-Key": key } },
    body: { channel: "qris" },
  });
const payment = await pay();
assert.equal(payment.response.status, 201, `pay: ${JSON.stringify(payment.error)}`);
assert.ok(payment.data);
assert.equal(payment.data.status, "pending");
assert.equal(payment.data.amount_idr, lookup.data?.[0]?.total_idr, "the amount due today, fixed");
assert.ok(payment.data.qr_string?.startsWith("000201"), "a QRIS payload");
const retried = await pay();
assert.equal(retried.response.status, 201);
assert.equal(retried.data?.id, payment.data.id, "a retry with the same key is the same payment");
step("the relative pays by QRIS; a retry with the same Idempotency-Key answers the same payment");

const settled = await staff.client.POST("/sandbox/payments/{id}/settle", { params: { path: { id: payment.data.id } } });
assert.equal(settled.response.status, 200, `settle: ${JSON.stringify(settled.error)}`);
assert.equal(settled.data?.status, "paid");
const paidBill = await resident.client.GET("/taxes/bills/{id}", { params: { path: { id: bill.data.id } } });
assert.equal(paidBill.data?.status, "paid");
const again = await relative.client.POST("/taxes/bills/{id}/payments", {
  params: { path: { id: bill.data.id } },
  body: { channel: "ewallet" },
});
assert.equal(again.response.status, 409, "a paid bill takes no second payment");
step("revenue staff settle it in the sandbox through the signed webhook path: the bill is paid");

const receipt = await relative.client.GET("/me/payments/{id}/receipt", { params: { path: { id: payment.data.id } } });
assert.equal(receipt.response.status, 200, `receipt: ${JSON.stringify(receipt.error)}`);
// The same path answers a PDF to Accept: application/pdf; this asked for JSON.
const slip = receipt.data;
assert.ok(slip && typeof slip === "object");
assert.equal(slip.nop, nop);
assert.match(slip.ntpd, /^3372\d{16}$/);
const check = await createApi(origin).client.GET("/receipts/{ntpd}", { params: { path: { ntpd: slip.ntpd } } });
assert.equal(check.response.status, 200, `check: ${JSON.stringify(check.error)}`);
assert.equal(check.data?.amount_idr, payment.data.amount_idr);
assert.ok(!JSON.stringify(check.data).includes(nop), "the public check masks the NOP");
step("the relative's receipt has an NTPD that anyone can check");
console.log("tax scenario passed");
