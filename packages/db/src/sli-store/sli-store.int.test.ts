import { HOUR_MS as H, MINUTE_MS as MIN } from "@burnrate/slo-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import {
  cumulativeCounts,
  foldOldSliMinutes,
  loadSliSeries,
  recomputeSli,
  regionsOfSlos,
  storeSliHours,
  storeSliMinutes,
} from "./index";
import { MINUTE_RETENTION_MS } from "../retention";
import { createTestDatabase } from "../test-db";

const PG =
  process.env.BURNRATE_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * The running totals the evaluator reads (two index probes per instant) give the same window sums as adding up
 * every stored minute, whatever the instant: before the first data, on an hour boundary, inside an hour with
 * minutes, inside an hour folded to hour resolution, across gaps, and after retention dropped the first hours.
 */
describe("SLI store running totals", () => {
  let db: Db;
  let drop: () => Promise<void>;
  const ids = { slo: "", region: "" };
  // Deterministic pseudo-random minutes over 30 hours, with gaps (no traffic), starting at a :37 minute.
  const start = Date.UTC(2026, 10, 20, 5, 37);
  const minutes: { minuteMs: number; good: number; total: number }[] = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let m = 0; m < 30 * 60; m++) {
    if (rnd() < 0.2) continue; // a minute without requests
    const total = 1 + Math.floor(rnd() * 50);
    minutes.push({ minuteMs: start + m * MIN, good: total - Math.floor(rnd() * rnd() * total), total });
  }
  // Hours at hour resolution a day before the minutes (what retention leaves).
  const hours = [0, 1, 2, 5].map((h) => ({
    hourMs: Date.UTC(2026, 10, 19, 3 + h),
    good: 900 + h,
    total: 1000,
  }));

  beforeAll(async () => {
    const t = await createTestDatabase(PG);
    drop = t.drop;
    db = createDb({ databaseUrl: t.databaseUrl, poolSize: 2 });
    const team = await db.team.create({ data: { slug: "t", name: "T" } });
    const svc = await db.service.create({ data: { slug: "s", name: "S", teamId: team.id } });
    const region = await db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    const slo = await db.slo.create({
      data: {
        serviceId: svc.id,
        name: "s",
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "rolling", days: 28 },
      },
    });
    Object.assign(ids, { slo: slo.id, region: region.id });
    await storeSliHours(
      db,
      hours.map((h) => ({ sloId: slo.id, regionId: region.id, ...h })),
    );
    await storeSliMinutes(
      db,
      minutes.map((m) => ({ sloId: slo.id, regionId: region.id, ...m })),
    );
  });
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  /** Window sums [a, b) from running totals, and from every minute of loadSliSeries. */
  async function check(instants: number[]) {
    const from = Date.UTC(2026, 10, 18);
    const to = Date.UTC(2026, 10, 23);
    const dense = await loadSliSeries(db, ids.slo, ids.region, from, to);
    const cum = await cumulativeCounts(
      db,
      instants.map((atMs) => ({ sloId: ids.slo, regionId: ids.region, atMs })),
    );
    const denseBefore = (t: number) => {
      let good = 0;
      let total = 0;
      for (let i = 0; i < dense.total.length && from + i * MIN < t; i++) {
        good += dense.good[i]!;
        total += dense.total[i]!;
      }
      return { good, total };
    };
    for (let i = 0; i < instants.length; i++)
      for (let j = i + 1; j < instants.length; j++) {
        const a = denseBefore(instants[i]!);
        const b = denseBefore(instants[j]!);
        expect(
          { good: cum[j]!.good - cum[i]!.good, total: cum[j]!.total - cum[i]!.total },
          `[${new Date(instants[i]!).toISOString()}, ${new Date(instants[j]!).toISOString()})`,
        ).toEqual({ good: b.good - a.good, total: b.total - a.total });
      }
  }

  const instants = () => [
    Date.UTC(2026, 10, 18, 12), // before every row
    Date.UTC(2026, 10, 19, 3), // on the first folded hour's start
    Date.UTC(2026, 10, 19, 3, 30), // inside a folded hour (its counts stand at its first minute)
    Date.UTC(2026, 10, 19, 6, 1), // in a gap between folded hours
    start, // the first minute
    start + 23 * MIN, // inside the first hour with minutes, on an hour boundary (6:00)
    start + 7 * H + 11 * MIN,
    // not minute-aligned: the minutes that start before it count
    ...[2, 7, 13, 21].map((h) => start + h * H + 11 * MIN + 30_000),
    start + 20 * H,
    start + 29 * H + 59 * MIN,
    Date.UTC(2026, 10, 22), // after every row
  ];

  it("equal the sums of every minute at any pair of instants", async () => {
    await check(instants());
    const regions = await regionsOfSlos(db, [ids.slo]);
    expect(regions.get(ids.slo)).toEqual([
      {
        id: ids.region,
        slug: "prod-eu",
        firstMs: hours[0]!.hourMs,
        lastMs: minutes.at(-1)!.minuteMs,
      },
    ]);
  });

  it("stay equal after minutes are rewritten (later running totals follow)", async () => {
    // Rewrite a few minutes in the middle: every later hour's running total must move with them.
    await storeSliMinutes(db, [
      { sloId: ids.slo, regionId: ids.region, minuteMs: start + 3 * H, good: 0, total: 500 },
      { sloId: ids.slo, regionId: ids.region, minuteMs: start + 3 * H + MIN, good: 7, total: 9 },
    ]);
    await check(instants());
  });

  it("stay equal after retention folds old minutes and drops the first hours", async () => {
    // Fold everything before start + 10 h to hour resolution, and drop hours older than the first minutes.
    const now = Math.floor((start + 10 * H) / H) * H + MINUTE_RETENTION_MS;
    const r = await foldOldSliMinutes(db, now);
    expect(r.sliHoursFolded).toBeGreaterThan(0);
    await db.$executeRawUnsafe(
      `DELETE FROM sli_hours WHERE hour < $1::timestamptz`,
      new Date(start - H).toISOString(),
    );
    const rows = await db.$queryRawUnsafe<{ c: bigint }[]>(
      `SELECT cum_total AS c FROM sli_hours ORDER BY hour LIMIT 1`,
    );
    expect(Number(rows[0]!.c)).toBeGreaterThan(0); // the first remaining hour does not start at 0
    await check(instants().filter((t) => t >= start - H));
  });
});

/**
 * A cycle's recompute (recomputeSli) leaves out the minutes of a maintenance window excluded from the budget, in
 * its region or in all of them; windows that do not overlap the recomputed minutes, are not excluded, have no
 * end or are another service's change nothing (the recompute then skips the per-row check altogether).
 */
describe("SLI store recompute and maintenance windows", () => {
  let db: Db;
  let drop: () => Promise<void>;
  const T0 = Date.UTC(2026, 10, 20, 10, 0);
  const ids = { svc: "", other: "", endpoint: "", slo: "", eu: "", us: "" };

  beforeAll(async () => {
    const t = await createTestDatabase(PG);
    drop = t.drop;
    db = createDb({ databaseUrl: t.databaseUrl, poolSize: 2 });
    const team = await db.team.create({ data: { slug: "t", name: "T" } });
    const svc = await db.service.create({
      data: { slug: "s", name: "S", teamId: team.id, failureStatuses: [500, 502, 503] },
    });
    const other = await db.service.create({ data: { slug: "o", name: "O", teamId: team.id } });
    const endpoint = await db.endpoint.create({ data: { serviceId: svc.id, method: "GET", route: "/x" } });
    const eu = await db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    const us = await db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    const slo = await db.slo.create({
      data: {
        serviceId: svc.id,
        endpointId: endpoint.id,
        name: "x",
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "rolling", days: 28 },
      },
    });
    Object.assign(ids, {
      svc: svc.id,
      other: other.id,
      endpoint: endpoint.id,
      slo: slo.id,
      eu: eu.id,
      us: us.id,
    });
    // Minutes 0–9 of T0, both regions: 10 requests a minute, 1 of them a 500.
    for (const region of [eu.id, us.id])
      for (let m = 0; m < 10; m++)
        for (const [status, count] of [
          [200, 9],
          [500, 1],
        ] as const)
          await db.$executeRawUnsafe(
            `INSERT INTO request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency)
             VALUES ($1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5, $6, NULL)`,
            svc.id,
            endpoint.id,
            region,
            new Date(T0 + m * MIN).toISOString(),
            status,
            count,
          );
  });
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  const window = async (d: {
    service?: string;
    region?: string | null;
    from: number;
    to: number | null;
    exclude?: boolean;
  }) =>
    db.deployment.create({
      data: {
        serviceId: d.service ?? ids.svc,
        regionId: d.region ?? null,
        version: "maintenance",
        kind: "maintenance",
        at: new Date(T0 + d.from * MIN),
        endsAt: d.to === null ? null : new Date(T0 + d.to * MIN),
        excludeFromBudget: d.exclude ?? true,
      },
    });
  /** Recomputes minutes 0–9 and reads each region's total over them. */
  const totals = async () => {
    await recomputeSli(
      db,
      [
        {
          target: {
            sloId: ids.slo,
            serviceId: ids.svc,
            endpointId: ids.endpoint,
            failureStatuses: [500, 502, 503],
            sli: { type: "availability" },
          },
          fromMs: T0,
        },
      ],
      T0 + 10 * MIN,
    );
    const out: Record<string, { good: number; total: number }> = {};
    for (const [slug, region] of [
      ["eu", ids.eu],
      ["us", ids.us],
    ] as const) {
      const s = await loadSliSeries(db, ids.slo, region, T0, T0 + 10 * MIN);
      out[slug] = { good: s.good.reduce((a, b) => a + b, 0), total: s.total.reduce((a, b) => a + b, 0) };
    }
    return out;
  };

  it("leaves out exactly the excluded minutes, and nothing for windows that do not apply", async () => {
    // Not applying: another service's, not excluded, without an end, after the recomputed minutes.
    await window({ service: ids.other, from: 0, to: 10 });
    await window({ from: 0, to: 10, exclude: false });
    await window({ from: 0, to: null });
    await window({ from: 10, to: 20 });
    expect(await totals()).toEqual({ eu: { good: 90, total: 100 }, us: { good: 90, total: 100 } });
    // Minutes 2–4 in prod-eu only, then 7–8 in every region.
    await window({ region: ids.eu, from: 2, to: 5 });
    expect(await totals()).toEqual({ eu: { good: 63, total: 70 }, us: { good: 90, total: 100 } });
    await window({ from: 7, to: 9 });
    expect(await totals()).toEqual({ eu: { good: 45, total: 50 }, us: { good: 72, total: 80 } });
    // Every recomputed minute of prod-us: its hour has no fresh minute left, so it is cleared and dropped,
    // and prod-us no longer has data; prod-eu keeps its hour.
    await window({ region: ids.us, from: 0, to: 10 });
    expect(await totals()).toEqual({ eu: { good: 45, total: 50 }, us: { good: 0, total: 0 } });
    const hours = await db.$queryRawUnsafe<{ region_id: string }[]>(
      `SELECT region_id::text FROM sli_hours WHERE slo_id = $1::uuid`,
      ids.slo,
    );
    expect(hours.map((h) => h.region_id)).toEqual([ids.eu]);
    expect((await regionsOfSlos(db, [ids.slo])).get(ids.slo)?.map((r) => r.id)).toEqual([ids.eu]);
  });
});
