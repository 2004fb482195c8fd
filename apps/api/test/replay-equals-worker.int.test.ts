import type { Enqueue } from "@burnrate/jobs";
import { createBackfillJob } from "@burnrate/worker/backfill";
import { evaluateSlos } from "@burnrate/worker/evaluate";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, type Stack } from "./harness";

const MINUTE = 60_000;
/** The API's clock, fixed at half past a minute that has passed. */
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE - 30_000;
const HISTORY_MINUTES = 6 * 60;
const FIRST_MINUTE = Math.floor(NOW / MINUTE) * MINUTE - HISTORY_MINUTES * MINUTE;

/** Requests per minute, and the share failing, `ago` minutes before NOW's minute: bursts of every kind. */
function minuteOf(ago: number): { n: number; failing: number } {
  if (ago <= 300 && ago > 270) return { n: 40, failing: 0.05 }; // a ticket (burn 5)
  if (ago <= 200 && ago > 190) return { n: 40, failing: 0.5 }; // a page (burn 50)
  if (ago <= 125 && ago > 118) return { n: 40, failing: 0.5 }; // …escalates to a page, then de-escalates
  if (ago <= 150 && ago > 118) return { n: 40, failing: 0.04 }; // a ticket that…
  if (ago <= 60 && ago > 50) return { n: 2, failing: 0.5 }; // too few requests: the guard holds
  if (ago <= 8 && ago > 0) return { n: 40, failing: 0.25 }; // still burning now
  return { n: 40, failing: 0 };
}

const TIERS = {
  tiers: [
    { name: "ticket", severity: "ticket", longWindowMinutes: 60, shortWindowMinutes: 5, factor: 2 },
    { name: "page", severity: "page", longWindowMinutes: 30, shortWindowMinutes: 5, factor: 10 },
  ],
};

const minuteFloor = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * The editor's replay decides what the worker decides, minute by minute, on the same data: a seeded history is
 * replayed by the preview (POST /api/v1/slos/preview), and the worker's own evaluation (evaluateSlos, the
 * function its shard job runs) is run at every minute of it; every notification and every firing minute agree.
 */
describe("the preview's replay and the worker's decisions", () => {
  let stack: Stack;
  const body = {
    service: "replay-api",
    endpoint: "GET /r",
    sli: { type: "availability" },
    objectivePercent: 99,
    window: { type: "rolling", days: 28 },
    alerting: TIERS,
  };
  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "replay", name: "Replay" });
    await call(stack, "POST", "/api/v1/services", { slug: "replay-api", name: "Replay API", team: "replay" });
    const recs: object[] = [];
    for (let ago = HISTORY_MINUTES; ago >= 0; ago--) {
      const { n, failing } = minuteOf(ago);
      const start = minuteFloor(NOW) - ago * MINUTE;
      for (let i = 0; i < n; i++)
        recs.push({
          ts: start + Math.floor((i * (ago === 0 ? 29_000 : MINUTE)) / n),
          service: "replay-api",
          endpoint: "GET /r",
          region: "prod-eu",
          status: i < Math.round(n * failing) ? 503 : 200,
          durationMs: 12,
        });
    }
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: ndjson(recs),
    });
    expect(JSON.parse(res.body)).toMatchObject({ accepted: recs.length, rejected: 0 });
  });
  afterAll(async () => stack?.stop());

  it("every notification and every firing minute are the same", async () => {
    const preview = await call(stack, "POST", "/api/v1/slos/preview", body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const replay = preview.body!.replay as {
      pages: number;
      tickets: number;
      firedAt: number[];
      episodes: { firedAt: number; resolvedAt: number | null; severity: string }[];
      events: { at: number; kind: string }[];
    };

    // The same SLO saved, its SLI history computed by the worker's backfill, then evaluated at every minute.
    const slo = await call(stack, "POST", "/api/v1/slos", { ...body, name: "Replay availability" });
    expect(slo.status, JSON.stringify(slo.body)).toBe(201);
    const sloId = slo.body!.id as string;
    const log = pino({ level: "silent" });
    await createBackfillJob({ db: stack.db, now: () => NOW, log })({ sloId });
    const enqueue = (async () => undefined) as unknown as Enqueue;
    for (let m = FIRST_MINUTE; m <= minuteFloor(NOW); m += MINUTE) {
      const r = await evaluateSlos({ db: stack.db, enqueue, now: () => m + 30_000, log }, [sloId], {});
      expect(r.failed).toEqual([]);
    }
    const alerts = await stack.db.alert.findMany({
      where: { sloId, kind: "burn_rate" },
      include: { events: { orderBy: { at: "asc" } } },
      orderBy: { firedAt: "asc" },
    });
    const workerEvents = alerts.flatMap((a) =>
      a.events.map((e) => ({ atMs: minuteFloor(e.at.getTime()), kind: e.kind })),
    );
    // After a resolution the replay's alert "refires"; the worker opens a new alert, which "fired".
    const replayEvents = replay.events.map((e) => ({
      atMs: e.at,
      kind: e.kind === "refired" ? "fired" : e.kind,
    }));
    expect(workerEvents).toEqual(replayEvents);
    const workerEpisodes = alerts.map((a) => ({
      firedAt: minuteFloor(a.firedAt.getTime()),
      resolvedAt: a.resolvedAt ? minuteFloor(a.resolvedAt.getTime()) : null,
      severity:
        a.events.some((e) => e.kind === "escalated") ||
        (a.events[0]!.detail as { severity?: string } | null)?.severity === "page"
          ? "page"
          : "ticket",
    }));
    expect(workerEpisodes).toEqual(replay.episodes);
    expect(replay.firedAt).toEqual(workerEpisodes.map((e) => e.firedAt));
    const firing = (eps: { firedAt: number; resolvedAt: number | null }[]) =>
      eps.flatMap((e) =>
        Array.from(
          { length: ((e.resolvedAt ?? minuteFloor(NOW) + MINUTE) - e.firedAt) / MINUTE },
          (_, i) => e.firedAt + i * MINUTE,
        ),
      );
    expect(firing(workerEpisodes)).toEqual(firing(replay.episodes));
    console.log(
      `replay = worker: ${replay.pages} pages, ${replay.tickets} tickets, ${workerEvents.length} events, ` +
        `${firing(replay.episodes).length} firing minutes of ${HISTORY_MINUTES + 1}`,
    );
    // The seeded history has every kind: pages, a ticket, an escalation, and an episode still firing now.
    expect(replay.pages).toBeGreaterThanOrEqual(2);
    expect(replay.tickets).toBeGreaterThanOrEqual(1);
    expect(workerEvents.some((e) => e.kind === "escalated")).toBe(true);
    expect(replay.episodes.at(-1)!.resolvedAt).toBeNull();
  });
});
