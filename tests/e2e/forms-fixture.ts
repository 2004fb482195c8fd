import type { APIRequestContext } from "@playwright/test";
import { expect, type StackRef } from "./helpers";

/** The forms' own team and service on the live stack (the other specs count payments' and discovery's). */
export const FORMS_TEAM = "storefront";
export const FORMS_SERVICE = "storefront-web";

let ready: Promise<void> | null = null;

/**
 * The storefront team and its service with two hours of traffic ending now (GET /shop: 1 in 50 fails in the
 * last half hour, durations 20–200 ms), created once per run.
 */
export function storefront(request: APIRequestContext, s: StackRef): Promise<void> {
  ready ??= (async () => {
    const headers = { authorization: `Bearer ${s.token}` };
    const team = await request.post(`${s.baseUrl}/api/v1/teams`, {
      headers,
      data: { slug: FORMS_TEAM, name: "Storefront" },
    });
    expect([201, 409]).toContain(team.status());
    const svc = await request.post(`${s.baseUrl}/api/v1/services`, {
      headers,
      data: { slug: FORMS_SERVICE, name: "Storefront web", team: FORMS_TEAM },
    });
    expect([201, 409]).toContain(svc.status());
    if (svc.status() !== 201) return;
    const now = Date.now();
    const lines: string[] = [];
    for (let m = 120; m > 0; m--)
      for (let i = 0; i < 20; i++)
        lines.push(
          JSON.stringify({
            ts: now - m * 60_000 + i * 2900,
            service: FORMS_SERVICE,
            method: "GET",
            route: "/shop",
            region: "prod-eu",
            status: m <= 30 && i === 0 && m % 2 === 0 ? 503 : 200,
            durationMs: 20 + ((i * 37) % 180),
          }),
        );
    const r = await request.post(`${s.baseUrl}/api/v1/ingest/requests`, {
      headers: { ...headers, "content-type": "application/x-ndjson" },
      data: lines.join("\n") + "\n",
    });
    expect(r.status()).toBe(200);
  })();
  return ready;
}
