// A resident's permit, through the generated client only: anyone reads the
// permit types; a new resident applies for a micro business permit (a draft
// whose data the type checks), uploads her identity card as a PDF, submits
// and gets a tracking number; the licensing officer finds the application in
// the queue, reviews and approves it, and anyone verifies the permit number.
//
//   API_ORIGIN=http://127.0.0.1:8080 node dist/scenario/permits.js
import assert from "node:assert/strict";
import { createApi, text } from "../src/client.js";

const origin = process.env["API_ORIGIN"] ?? "http://127.0.0.1:8080";

function step(name: string): void {
  console.log(`ok  ${name}`);
}

// onePagePDF is a small well-formed PDF: objects, a cross-reference table
// with exact offsets and a trailer, as the document check requires.
function onePagePDF(line: string): string {
  const content = `BT /F1 12 Tf 56 780 Td (${line.replace(/[()\\]/g, "")}) Tj ET\n`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out; // ASCII only, so its length is its byte count
}

const anyone = createApi(origin);
const types = await anyone.client.GET("/permits/types", { params: { query: { lang: "en" } } });
assert.equal(types.response.status, 200, `types: ${JSON.stringify(types.error)}`);
const codes = (types.data?.data ?? []).map((t) => t.code);
for (const c of ["keramaian", "reklame", "pbg", "usaha_mikro", "syuting"]) assert.ok(codes.includes(c), `type ${c}`);
const micro = types.data?.data.find((t) => t.code === "usaha_mikro");
assert.ok(micro);
assert.equal(text(micro.name), "Micro business permit");
const keramaian = types.data?.data.find((t) => t.code === "keramaian");
assert.deepEqual(keramaian?.lead_time?.days.map((d) => d.days), [14, 21, 30]);
step("read the permit types with their fields, documents and lead-time rule");

const api = createApi(origin);
const email = `wulan-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
const password = "sekar-jagad-2026";
assert.equal((await api.client.POST("/auth/register", { body: { email, password, name: "Wulan Sari" } })).response.status, 201);
const login = await api.client.POST("/auth/login", { body: { email, password } });
assert.ok(login.data);
api.session.accessToken = login.data.access_token;

const bad = await api.client.POST("/permits/applications", {
  body: { type: "usaha_mikro", data: { holder_name: "Wulan Sari", employees: 40 } },
});
assert.equal(bad.response.status, 422);
assert.ok((bad.error?.errors ?? []).some((e) => e.field === "data.employees"), "one error per field");
const created = await api.client.POST("/permits/applications", {
  params: { header: { "Idempotency-Key": `permit-${Date.now()}-${Math.random()}` } },
  body: {
    type: "usaha_mikro",
    data: {
      holder_name: "Wulan Sari", business_name: "Sate Kere Mbak Wulan", nib: "9120301112223", kbli: "56101",
      business_address: "Jl. Gatot Subroto No. 40, Serengan, Surakarta", employees: 3, home_based: false,
    },
  },
});
assert.equal(created.response.status, 201, `apply: ${JSON.stringify(created.error)}`);
assert.ok(created.data);
assert.equal(created.data.status, "draft");
assert.equal(created.data.tracking_number, null);
const id = created.data.id;
step("apply: a draft checked field by field");

const early = await api.client.POST("/permits/applications/{id}/submit", { params: { path: { id } } });
assert.equal(early.response.status, 422);
assert.ok((early.error?.errors ?? []).some((e) => e.field === "documents.ktp"), "the identity card is missing");
const form = new FormData();
form.append("code", "ktp");
form.append("file", new Blob([onePagePDF("KTP Wulan Sari")], { type: "application/pdf" }), "ktp wulan.pdf");
const uploaded = await api.client.POST("/permits/applications/{id}/documents", {
  params: { path: { id } },
  body: { code: "ktp", file: "ktp wulan.pdf" },
  bodySerializer: () => form,
});
assert.equal(uploaded.response.status, 201, `upload: ${JSON.stringify(uploaded.error)}`);
assert.equal(uploaded.data?.content_type, "application/pdf");
assert.match(uploaded.data?.sha256 ?? "", /^[0-9a-f]{64}$/);
step("upload the identity card as a PDF (checked by its bytes, SHA-256 kept)");

const submitted = await api.client.POST("/permits/applications/{id}/submit", { params: { path: { id } } });
assert.equal(submitted.response.status, 200, `submit: ${JSON.stringify(submitted.error)}`);
assert.equal(submitted.data?.status, "submitted");
assert.match(submitted.data?.tracking_number ?? "", /^SKT-\d{4}-\d{6}$/);
assert.ok(submitted.data?.sla_due_at, "the SLA clock runs");
const mine = await api.client.GET("/me/permit-applications", {});
assert.ok((mine.data?.data ?? []).some((a) => a.id === id && a.tracking_number === submitted.data?.tracking_number));
step(`submit: tracking number ${submitted.data?.tracking_number}`);

const staff = createApi(origin);
const staffLogin = await staff.client.POST("/auth/login", { body: { email: "licensing@example.com", password: "solo-demo-2026" } });
assert.equal(staffLogin.response.status, 200, `staff login: ${JSON.stringify(staffLogin.error)}`);
assert.ok(staffLogin.data);
staff.session.accessToken = staffLogin.data.access_token;
let found = false;
let cursor: string | undefined;
do {
  const page = await staff.client.GET("/staff/permit-applications", {
    params: { query: { status: "submitted", limit: 100, ...(cursor ? { cursor } : {}) } },
  });
  assert.equal(page.response.status, 200, `queue: ${JSON.stringify(page.error)}`);
  found ||= (page.data?.data ?? []).some((a) => a.id === id);
  cursor = page.data?.meta.next_cursor ?? undefined;
} while (cursor && !found);
assert.ok(found, "the application waits in the licensing queue");
const jump = await staff.client.POST("/permits/applications/{id}/transitions", {
  params: { path: { id } },
  body: { to: "approved" },
});
assert.equal(jump.response.status, 409, "submitted → approved is not a move");
assert.equal(jump.error?.code, "invalid_transition");
for (const to of ["in_review", "approved"] as const) {
  const moved = await staff.client.POST("/permits/applications/{id}/transitions", { params: { path: { id } }, body: { to } });
  assert.equal(moved.response.status, 200, `${to}: ${JSON.stringify(moved.error)}`);
}
const approved = await api.client.GET("/permits/applications/{id}", { params: { path: { id } } });
assert.equal(approved.data?.status, "approved");
assert.match(approved.data?.permit_number ?? "", /^503\/UMK\/\d{4}\/\d{6}$/);
assert.deepEqual(approved.data?.history.map((h) => h.to), ["submitted", "in_review", "approved"]);
step(`licensing staff review and approve: permit ${approved.data?.permit_number}`);

const check = await anyone.client.GET("/permits/verify/{code}", { params: { path: { code: approved.data?.verify_code ?? "" } } });
assert.equal(check.response.status, 200, `verify: ${JSON.stringify(check.error)}`);
assert.equal(check.data?.status, "valid");
assert.equal(check.data?.holder_masked, "W**** S***");
step("anyone verifies the permit number: valid, holder masked");
