// The console's only way to the API: openapi-fetch typed by src/schema.d.ts,
// which npm run build generates from api/openapi.yaml. The session lives in
// memory only: a reload asks to log in again.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };
export type User = components["schemas"]["User"];
export type Problem = components["schemas"]["Problem"];
type TokenPair = components["schemas"]["TokenPair"];

export const api = createClient<paths>({ baseUrl: "/api/v1" });

let accessToken = "";
let refreshToken = "";
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let onSignedOut: (reason: "expired" | "logout") => void = () => {};
let onUser: (u: User) => void = () => {};

/** bind connects the session to the app: who is signed in, and what to do when the API says 401. */
export function bind(user: (u: User) => void, signedOut: (reason: "expired" | "logout") => void) {
  onUser = user;
  onSignedOut = signedOut;
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (accessToken !== "") request.headers.set("Authorization", `Bearer ${accessToken}`);
    return request;
  },
  async onResponse({ request, response }) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/v1/auth/") || accessToken === "") return response;
    // A token the API no longer takes (401), or an account disabled meanwhile: back to the login screen.
    const disabled = response.status === 403 && ((await response.clone().json().catch(() => null)) as Problem | null)?.code === "account_disabled";
    if (response.status === 401 || disabled) {
      clear();
      onSignedOut("expired");
    }
    return response;
  },
};
api.use(bearer);

function clear() {
  accessToken = "";
  refreshToken = "";
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

function adopt(pair: TokenPair) {
  accessToken = pair.access_token;
  refreshToken = pair.refresh_token;
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  // Refresh a minute before the access token expires (at most halfway through its life).
  const lead = Math.min(60, pair.expires_in / 2);
  refreshTimer = setTimeout(() => void refresh(), Math.max(1, pair.expires_in - lead) * 1000);
  onUser(pair.user);
}

export function isStaff(u: User): boolean {
  return u.role === "admin" || (u.role === "staff" && u.department !== null);
}

export type LoginResult = { ok: true; user: User } | { ok: false; problem: Problem; notStaff?: boolean };

export async function login(email: string, password: string): Promise<LoginResult> {
  const { data, error } = await api.POST("/auth/login", { body: { email, password } });
  if (error || !data) return { ok: false, problem: error as Problem };
  if (!isStaff(data.user)) {
    // A citizen's login is ended at once: the console is for staff only.
    await api.POST("/auth/logout", { body: { refresh_token: data.refresh_token } });
    return { ok: false, problem: error as unknown as Problem, notStaff: true };
  }
  adopt(data);
  return { ok: true, user: data.user };
}

export async function refresh(): Promise<boolean> {
  if (refreshToken === "") return false;
  const { data } = await api.POST("/auth/refresh", { body: { refresh_token: refreshToken } });
  if (!data) {
    clear();
    onSignedOut("expired");
    return false;
  }
  adopt(data);
  return true;
}

export async function logout() {
  const token = refreshToken;
  clear();
  if (token !== "") await api.POST("/auth/logout", { body: { refresh_token: token } });
  onSignedOut("logout");
}

/** fieldErrors turns a problem's errors[] into a map from field to message. */
export function fieldErrors(p: Problem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p?.errors ?? []) out[e.field] = e.message;
  return out;
}
