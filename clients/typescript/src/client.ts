// A typed client of the Solo Destination API, generated from api/openapi.yaml
// (npm run generate writes src/schema.d.ts) and driven by openapi-fetch.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Problem = components["schemas"]["Problem"];
export type Listing = components["schemas"]["Listing"];

/** Session holds the tokens of a logged-in user and sends the access token with every request. */
export class Session {
  accessToken = "";
  refreshToken = "";
}

/**
 * createApi returns a client whose base URL is the API's server, `<origin>/api/v1`,
 * as the description's `servers` says; every operation is reached relative to it.
 */
export function createApi(origin: string, session: Session = new Session()) {
  const client = createClient<paths>({ baseUrl: new URL("/api/v1", origin).toString() });
  const bearer: Middleware = {
    onRequest({ request }) {
      if (session.accessToken !== "") {
        request.headers.set("Authorization", `Bearer ${session.accessToken}`);
      }
      return request;
    },
  };
  client.use(bearer);
  return { client, session };
}

/** text returns a localised field in the response language, whichever shape it came in. */
export function text(v: string | components["schemas"]["LocalizedText"]): string {
  return typeof v === "string" ? v : (v.id ?? "");
}
