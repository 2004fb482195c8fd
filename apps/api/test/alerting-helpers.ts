import { createHmac } from "node:crypto";
import { expect } from "vitest";
import { call, ndjson, type Stack } from "./harness";

export interface Req {
  ts: number;
  status: number;
  service?: string;
  endpoint?: string;
  region?: string;
  durationMs?: number;
}

/** Sends request records through the real ingest endpoint. */
export async function ingest(stack: Stack, service: string, recs: Req[]): Promise<void> {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/ingest/requests",
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
    payload: ndjson(
      recs.map((r) => ({
        ts: r.ts,
        service: r.service ?? service,
        endpoint: r.endpoint ?? "GET /cart",
        region: r.region ?? "prod-eu",
        status: r.status,
        durationMs: r.durationMs ?? 40,
      })),
    ),
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(JSON.parse(res.body).rejected, res.body).toBe(0);
}

/** `n` requests spread evenly over [fromMs, toMs), every `badEvery`-th one failing (0 = none fail). */
export function traffic(fromMs: number, toMs: number, n: number, badEvery: number): Req[] {
  const out: Req[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      ts: Math.floor(fromMs + ((toMs - fromMs) * i) / n),
      status: badEvery > 0 && i % badEvery === 0 ? 503 : 200,
    });
  return out;
}

/** A team (with a channel), a service and an SLO; returns the SLO id. */
export async function setupSlo(
  stack: Stack,
  o: {
    team: string;
    channel?: string | null;
    service: string;
    objectivePercent?: number;
    alerting?: object;
    priority?: string;
    runbookUrl?: string;
  },
): Promise<string> {
  const teams = await call(stack, "GET", "/api/v1/teams");
  if (!(teams.body as unknown as { slug: string }[]).some((t) => t.slug === o.team)) {
    const t = await call(stack, "POST", "/api/v1/teams", {
      slug: o.team,
      name: o.team,
      ...(o.channel === null ? {} : { slackChannel: o.channel ?? `#${o.team}-slo-breaches` }),
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
  }
  const s = await call(stack, "POST", "/api/v1/services", {
    slug: o.service,
    name: o.service,
    team: o.team,
    ...(o.runbookUrl ? { runbookUrl: o.runbookUrl } : {}),
  });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const slo = await call(stack, "POST", "/api/v1/slos", {
    service: o.service,
    name: `${o.service} availability`,
    endpoint: "GET /cart",
    sli: { type: "availability" },
    objectivePercent: o.objectivePercent ?? 99,
    window: { type: "rolling", days: 28 },
    ...(o.alerting ? { alerting: o.alerting } : {}),
    ...(o.priority ? { priority: o.priority } : {}),
  });
  expect(slo.status, JSON.stringify(slo.body)).toBe(201);
  return slo.body!.id as string;
}

/** A ticket tier at 2× and a page tier at 50× over 1 h / 5 min: easy to steer from a test. */
export const TWO_TIERS = {
  tiers: [
    { name: "ticket", severity: "ticket", longWindowMinutes: 60, shortWindowMinutes: 5, factor: 2 },
    { name: "page", severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, factor: 50 },
  ],
};

export function slackForm(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
export function slackSign(secret: string, tsSec: number, body: string): string {
  return "v0=" + createHmac("sha256", secret).update(`v0:${tsSec}:${body}`).digest("hex");
}
export async function postInteraction(
  stack: Stack,
  body: string,
  headers: { ts: number; signature: string },
): Promise<{ status: number; body: string }> {
  const res = await stack.app.inject({
    method: "POST",
    url: "/api/v1/slack/interactions",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(headers.ts),
      "x-slack-signature": headers.signature,
    },
    payload: body,
  });
  return { status: res.statusCode, body: res.body };
}

/** Every readable string in Block Kit blocks, joined. */
export function visibleText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(blocks);
  return out.join("\n");
}

export async function alertsOf(stack: Stack, sloId: string) {
  const r = await call(stack, "GET", `/api/v1/alerts?sloId=${sloId}`);
  expect(r.status).toBe(200);
  return r.body as unknown as {
    id: string;
    state: string;
    severity: string;
    kind: string;
    priority: string | null;
    slack: { channel: string | null; ts: string | null; error: string | null };
  }[];
}
