// A ride on a tourist trip, through the generated client only. Transport staff
// add a one-off trip on a bookable route a few days ahead, so nothing here
// depends on the time of day; then a new tourist lists the modes and the
// route's trips for that date, books two seats with an Idempotency-Key, sends
// the same request again and gets the same booking back, finds it among their
// bookings, verifies its ticket offline with the published key, is found by
// staff in the trip's bookings (checking in three days early is refused),
// cancels it, sees the seats free again and reads the notifications.
//
//   API_ORIGIN=http://127.0.0.1:8080 node dist/scenario/transport.js
import assert from "node:assert/strict";
import { createPublicKey, randomUUID, verify } from "node:crypto";
import { createApi, text, type components } from "../src/client.js";

type Trip = components["schemas"]["TransportTrip"];

const origin = process.env["API_ORIGIN"] ?? "http://127.0.0.1:8080";

function step(name: string): void {
  console.log(`ok  ${name}`);
}

// The demo's transport officer (internal/identity/demo.go).
const staff = createApi(origin);
const staffLogin = await staff.client.POST("/auth/login", {
  body: { email: "transport@example.com", password: "solo-demo-2026" },
});
assert.equal(staffLogin.response.status, 200, `staff login: ${JSON.stringify(staffLogin.error)}`);
assert.ok(staffLogin.data);
staff.session.accessToken = staffLogin.data.access_token;
step("log in as transport staff");

const modes = await staff.client.GET("/transport/modes", { params: { query: { lang: "en" } } });
assert.equal(modes.response.status, 200, `list modes: ${JSON.stringify(modes.error)}`);
const bookable = (modes.data?.data ?? []).filter((m) => m.bookable);
assert.ok(bookable.length > 0, "the demo content has bookable modes");

// The first route of a bookable mode, with that mode's adult fare.
let route: components["schemas"]["TransportRoute"] | undefined;
let fare = 0;
for (const mode of bookable) {
  const routes = await staff.client.GET("/transport/routes", {
    params: { query: { mode: mode.code, lang: "en", limit: 100 } },
  });
  assert.equal(routes.response.status, 200, `list routes: ${JSON.stringify(routes.error)}`);
  route = routes.data?.data[0];
  if (route) {
    fare = mode.fares.find((f) => f.category === "adult")?.amount_idr ?? mode.fares[0]?.amount_idr ?? 0;
    break;
  }
}
assert.ok(route, "a bookable mode has a route");

// Three days ahead in Asia/Jakarta (UTC+7 all year), at an hour no schedule uses.
const jakartaOffsetMs = 7 * 60 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;
const date = new Date(Date.now() + jakartaOffsetMs + 3 * dayMs).toISOString().slice(0, 10);
const capacity = 12;
const created = await staff.client.POST("/transport/trips", {
  body: {
    route_id: route.id,
    departs_at: `${date}T10:17:00+07:00`,
    arrives_at: `${date}T11:02:00+07:00`,
    capacity,
    fare_idr: fare,
  },
});
assert.equal(created.response.status, 201, `create trip: ${JSON.stringify(created.error)}`);
const trip = created.data;
assert.ok(trip);
assert.equal(trip.route_id, route.id);
assert.equal(trip.status, "scheduled");
assert.equal(trip.seats_available, capacity);
assert.equal(Date.parse(trip.departs_at), Date.parse(`${date}T10:17:00+07:00`));
step(`create a one-off trip on ${text(route.name)} (${trip.mode}) on ${date} at 10:17 WIB, ${capacity} seats`);

// A new tourist from here on.
const { client, session } = createApi(origin);
const email = `rider-${Date.now()}@example.org`;
const password = "sepur-kluthuk-2026";
const registered = await client.POST("/auth/register", {
  body: { email, password, name: "Dimas Rider" },
});
assert.equal(registered.response.status, 201, `register: ${JSON.stringify(registered.error)}`);
const login = await client.POST("/auth/login", { body: { email, password } });
assert.equal(login.response.status, 200, `login: ${JSON.stringify(login.error)}`);
assert.ok(login.data);
session.accessToken = login.data.access_token;
step("register and log in as a new tourist");

const listedModes = await client.GET("/transport/modes", { params: { query: { lang: "en" } } });
assert.equal(listedModes.response.status, 200, `list modes: ${JSON.stringify(listedModes.error)}`);
const codes = (listedModes.data?.data ?? []).map((m) => m.code);
assert.ok(codes.includes(trip.mode), "the trip's mode is listed");
step(`list modes (${codes.join(", ")})`);

// Every trip of the route that day, page by page.
async function tripsOn(routeId: string, cursor: string | null): Promise<components["schemas"]["TransportTripList"]> {
  const page = await client.GET("/transport/trips", {
    params: { query: { route_id: routeId, date, limit: 100, ...(cursor === null ? {} : { cursor }) } },
  });
  assert.equal(page.response.status, 200, `list trips: ${JSON.stringify(page.error)}`);
  assert.ok(page.data);
  return page.data;
}
const dayTrips: Trip[] = [];
let cursor: string | null = null;
do {
  const page = await tripsOn(route.id, cursor);
  dayTrips.push(...page.data);
  cursor = page.meta.next_cursor;
} while (cursor !== null);
assert.ok(dayTrips.every((t) => t.route_id === route.id), "only the route's trips");
const listed = dayTrips.find((t) => t.id === trip.id);
assert.ok(listed, "the new trip is among the route's trips that day");
assert.equal(listed.seats_available, capacity);
step(`list the route's trips on ${date} (${dayTrips.length}, the new one with ${listed.seats_available} seats free)`);

const idempotencyKey = randomUUID();
const bookingRequest = {
  params: { path: { id: trip.id }, header: { "Idempotency-Key": idempotencyKey } },
  body: { seats: 2, passenger_name: "Dimas Rider" },
};
const booked = await client.POST("/transport/trips/{id}/bookings", bookingRequest);
assert.equal(booked.response.status, 201, `book: ${JSON.stringify(booked.error)}`);
const booking = booked.data;
assert.ok(booking);
assert.equal(booking.status, "confirmed");
assert.equal(booking.seats, 2);
assert.equal(booking.total_idr, 2 * trip.fare_idr);
assert.match(booking.code, /^[A-HJ-NP-Z2-9]{8}$/, "a code without 0/O or 1/I");
step(`book 2 seats (code ${booking.code}, ${booking.total_idr} IDR)`);

const replayed = await client.POST("/transport/trips/{id}/bookings", bookingRequest);
assert.equal(replayed.response.status, 201, `book again: ${JSON.stringify(replayed.error)}`);
assert.equal(replayed.response.headers.get("Idempotent-Replayed"), "true");
assert.deepEqual(replayed.data, booking, "the same booking comes back");
const afterBooking = await client.GET("/transport/trips/{id}", { params: { path: { id: trip.id } } });
assert.equal(afterBooking.response.status, 200, `open trip: ${JSON.stringify(afterBooking.error)}`);
assert.equal(afterBooking.data?.seats_available, capacity - 2, "two seats taken, not four");
step("repeat the request with the same Idempotency-Key: the same booking, seats taken once");

const mine = await client.GET("/me/bookings", { params: { query: { limit: 20 } } });
assert.equal(mine.response.status, 200, `my bookings: ${JSON.stringify(mine.error)}`);
const own = mine.data?.data ?? [];
assert.equal(own.length, 1, "one booking, not two");
assert.equal(own[0]?.id, booking.id);
assert.equal(own[0]?.trip.id, trip.id);
assert.equal(own[0]?.status, "confirmed");
step("see it in /me/bookings");

// The ticket verifies offline with the published key (docs/tickets.md).
const key = await client.GET("/transport/tickets/public-key");
assert.equal(key.response.status, 200, `ticket key: ${JSON.stringify(key.error)}`);
assert.ok(key.data && booking.ticket);
const [prefix, payload, signature] = booking.ticket.split(".");
assert.equal(prefix, "SD1");
assert.ok(payload && signature);
const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.data.public_key }, format: "jwk" });
assert.ok(
  verify(null, Buffer.from(`SD1.${payload}`), publicKey, Buffer.from(signature, "base64url")),
  "the ticket's signature verifies",
);
const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
assert.equal(claims["code"], booking.code);
assert.equal(claims["trip"], trip.id);
assert.equal(claims["kid"], key.data.kid);
step(`verify the ticket offline with key ${key.data.kid}`);

// Staff see it in the trip's passenger list; boarding waits for the day.
const overview = await staff.client.GET("/transport/bookings", { params: { query: { trip_id: trip.id } } });
assert.equal(overview.response.status, 200, `bookings overview: ${JSON.stringify(overview.error)}`);
assert.deepEqual(
  (overview.data?.data ?? []).map((b) => [b.id, b.passenger_name]),
  [[booking.id, "Dimas Rider"]],
);
const early = await staff.client.POST("/transport/bookings/check-in", { body: { code: booking.code.toLowerCase() } });
assert.equal(early.response.status, 409);
assert.equal(early.error?.code, "wrong_trip_date");
step("staff find it in the trip's bookings; checking it in three days early is refused");

const cancelled = await client.POST("/me/bookings/{id}/cancel", { params: { path: { id: booking.id } } });
assert.equal(cancelled.response.status, 200, `cancel: ${JSON.stringify(cancelled.error)}`);
assert.equal(cancelled.data?.status, "cancelled");
assert.ok(cancelled.data?.cancelled_at, "cancelled_at is set");
step("cancel it");

const afterCancel = await client.GET("/transport/trips/{id}", { params: { path: { id: trip.id } } });
assert.equal(afterCancel.response.status, 200, `open trip: ${JSON.stringify(afterCancel.error)}`);
assert.equal(afterCancel.data?.seats_available, capacity, "the seats are free again");
step(`see seats_available back at ${afterCancel.data?.seats_available}`);

const notifications = await client.GET("/me/notifications", { params: { query: { lang: "en", limit: 20 } } });
assert.equal(notifications.response.status, 200, `notifications: ${JSON.stringify(notifications.error)}`);
const about = (notifications.data?.data ?? []).filter((n) => n.entity === "booking" && n.entity_id === booking.id);
const kinds = about.map((n) => n.kind).sort();
assert.deepEqual(kinds, ["booking_cancelled", "booking_confirmed"], "one notification per event");
assert.ok(about.every((n) => n.read_at === null && n.title !== ""), "unread, with a title");
step(`see the notifications (${about.map((n) => n.title).join("; ")})`);

console.log("transport scenario passed");
