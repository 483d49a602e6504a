// A tourist's visit, through the generated client only: register, log in,
// find attractions near a point by distance, open one by slug, favourite it,
// see it among the favourites, log out, and find the refresh token refused.
// Later domains add their own scenarios beside this one (transport.ts books a
// trip; tax.ts bills a resident's plot; paying it and applying for a permit
// come next).
//
//   API_ORIGIN=http://127.0.0.1:8080 node dist/scenario/tourist.js
import assert from "node:assert/strict";
import { createApi, text, type Listing, type Problem } from "../src/client.js";

const origin = process.env["API_ORIGIN"] ?? "http://127.0.0.1:8080";
const { client, session } = createApi(origin);

function step(name: string): void {
  console.log(`ok  ${name}`);
}

function problemCode(error: unknown): string {
  return (error as Problem | undefined)?.code ?? "";
}

// The centre of Surakarta, near the Keraton.
const near = "-7.5755,110.8243";
const email = `tourist-${Date.now()}@example.org`;
const password = "batik-and-gamelan-2026";

const registered = await client.POST("/auth/register", {
  body: { email, password, name: "Rina Tourist" },
});
assert.equal(registered.response.status, 201, `register: ${JSON.stringify(registered.error)}`);
assert.equal(registered.data?.email, email);
step("register");

const login = await client.POST("/auth/login", { body: { email, password } });
assert.equal(login.response.status, 200, `login: ${JSON.stringify(login.error)}`);
assert.ok(login.data);
assert.equal(login.data.token_type, "Bearer");
session.accessToken = login.data.access_token;
session.refreshToken = login.data.refresh_token;
step("log in");

const nearby = await client.GET("/{kind}", {
  params: { path: { kind: "attractions" }, query: { near, sort: "distance", limit: 5 } },
});
assert.equal(nearby.response.status, 200, `list attractions: ${JSON.stringify(nearby.error)}`);
const attractions: Listing[] = nearby.data?.data ?? [];
assert.ok(attractions.length > 0, "the demo content has attractions near the Keraton");
const distances = attractions.map((a) => a.distance_m ?? Number.NaN);
assert.ok(distances.every((d) => Number.isFinite(d)), "every item has distance_m when near is given");
assert.deepEqual(distances, [...distances].sort((a, b) => a - b), "nearest first");
const first = attractions[0];
assert.ok(first);
step(`list attractions near ${near} by distance (${attractions.length}, nearest ${text(first.name)} at ${Math.round(distances[0] ?? 0)} m)`);

const opened = await client.GET("/{kind}/{idOrSlug}", {
  params: { path: { kind: "attractions", idOrSlug: first.slug }, query: { lang: "en" } },
});
assert.equal(opened.response.status, 200, `open by slug: ${JSON.stringify(opened.error)}`);
assert.equal(opened.data?.id, first.id);
assert.equal(opened.response.headers.get("Content-Language"), "en");
step(`open ${first.slug} by slug`);

const favourite = await client.PUT("/me/favorites/{kind}/{id}", {
  params: { path: { kind: "attractions", id: first.slug } },
});
assert.equal(favourite.response.status, 204, `favourite: ${JSON.stringify(favourite.error)}`);
step("favourite it");

const favourites = await client.GET("/me/favorites", { params: { query: { limit: 20 } } });
assert.equal(favourites.response.status, 200, `favourites: ${JSON.stringify(favourites.error)}`);
assert.ok(favourites.data?.data.some((f) => f.id === first.id && f.kind === "attractions"), "the favourite is listed");
step("see it among the favourites");

const logout = await client.POST("/auth/logout", { body: { refresh_token: session.refreshToken } });
assert.equal(logout.response.status, 204, `logout: ${JSON.stringify(logout.error)}`);
step("log out");

const refresh = await client.POST("/auth/refresh", { body: { refresh_token: session.refreshToken } });
assert.equal(refresh.response.status, 401, "a logged-out refresh token is refused");
assert.equal(refresh.response.headers.get("Content-Type")?.split(";")[0], "application/problem+json");
assert.equal(problemCode(refresh.error), "unauthorized");
step("refresh refused after logout");

console.log("tourist scenario passed");
