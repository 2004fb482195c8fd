import { storeSliMinutes, writeSloSnapshot, type SnapshotAnalysis } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { snapshotSloPeriods } from "@burnrate/worker/period-snapshots";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indicatorsReport } from "../src/services/reports/indicators";
import { call, startStack, type Stack } from "./harness";

/**
 * The worker's period snapshots (slo.snapshot) against the indicators computed from the minutes, on crafted SLI
 * data at a fixed "now" (2025-03-20 12:00 UTC): a calendar-month timeslice SLO with a bad February and a
 * rolling 28-day occurrences SLO in two regions with a burst of errors.
 */
const NOW = Date.UTC(2025, 2, 20, 12, 0, 0);
const FEB = Date.UTC(2025, 1, 1);
const KINDS = ["current", "previous", "year"] as const;

describe("period snapshots", () => {
  let stack: Stack;
  let monthSlo: string;
  let cartSlo: string;
  const regions: Record<string, string> = {};

  const insertMinutes = (sloId: string, region: string, mins: { t: number; good: number; total: number }[]) =>
    storeSliMinutes(
      stack.db,
      mins.map((m) => ({ sloId, regionId: regions[region]!, minuteMs: m.t, good: m.good, total: m.total })),
    );
  const report = (kind: (typeof KINDS)[number], snapshots: boolean, nowMs = NOW) =>
    indicatorsReport({ db: stack.db, filter: { window: kind }, nowMs, snapshots });
  const snapshotRows = () =>
    stack.db.$queryRawUnsafe<{ slo_id: string; region_id: string; period_start: Date; analysis: unknown }[]>(
      `SELECT slo_id::text, region_id::text, period_start, computed_at, analysis FROM slo_period_snapshots
        ORDER BY slo_id, region_id, period_start`,
    );

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "snap", name: "Snap" });
    await call(stack, "POST", "/api/v1/services", { slug: "snap-api", name: "Snap API", team: "snap" });
    for (const slug of ["prod-eu", "prod-us"])
      regions[slug] = (await stack.db.region.create({ data: { slug, name: slug } })).id;
    const m = await call(stack, "POST", "/api/v1/slos", {
      service: "snap-api",
      name: "Month availability",
      endpoint: "GET /m",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "calendar", period: "month" },
      budgetingMethod: "timeslices",
    });
    expect(m.status).toBe(201);
    monthSlo = m.body!.id as string;
    const mins: { t: number; good: number; total: number }[] = [];
    // January and February hourly, with a bad day in February; March so far, with two bad hours
    for (let t = Date.UTC(2025, 0, 10); t < NOW - HOUR_MS; t += 15 * MINUTE_MS) {
      const bad =
        (t >= FEB + 5 * DAY_MS && t < FEB + 6 * DAY_MS) || (t >= NOW - 5 * HOUR_MS && t < NOW - 3 * HOUR_MS);
      mins.push({ t, good: bad ? 0 : 10, total: 10 });
    }
    await insertMinutes(monthSlo, "prod-us", mins);
    const c = await call(stack, "POST", "/api/v1/slos", {
      service: "snap-api",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    cartSlo = c.body!.id as string;
    for (const region of ["prod-eu", "prod-us"]) {
      const cart: { t: number; good: number; total: number }[] = [];
      for (let t = NOW - 40 * DAY_MS; t < NOW; t += 5 * MINUTE_MS) {
        const burst = region === "prod-eu" && t >= NOW - 2 * DAY_MS && t < NOW - 2 * DAY_MS + 3 * HOUR_MS;
        cart.push({ t, good: burst ? 90 : 100, total: 100 });
      }
      await insertMinutes(cartSlo, region, cart);
    }
  });
  afterAll(async () => stack?.stop());

  it("serves the indicators the minutes give, for every window, from the snapshot", async () => {
    expect(await snapshotRows()).toEqual([]);
    const r = await snapshotSloPeriods({ db: stack.db, now: () => NOW });
    expect(r.slos).toBe(2);
    expect(r.regions).toBe(3);
    expect(r.periodsWritten).toBeGreaterThan(3);
    for (const kind of KINDS) {
      const computed = await report(kind, false);
      expect(computed.depletion.length).toBeGreaterThan(0);
      expect(await report(kind, true)).toEqual(computed);
    }
    // the answer is the snapshot's: minutes that arrive after it are not in it (until the next snapshot)
    await insertMinutes(cartSlo, "prod-us", [{ t: NOW - 3 * HOUR_MS, good: 0, total: 50_000 }]);
    const computed = await report("current", false);
    const stored = await report("current", true);
    const left = (b: typeof computed) =>
      b.depletion.find((x) => x.sloId === cartSlo && x.region === "prod-us")!;
    expect(left(computed).remainingAtEnd).toBeLessThan(left(stored).remainingAtEnd!);
    await snapshotSloPeriods({ db: stack.db, now: () => NOW });
    expect(await report("current", true)).toEqual(await report("current", false));
  });

  it("analyses settled complete periods once, and the current one at every run", async () => {
    const later = NOW + 5 * MINUTE_MS;
    const before = await snapshotRows();
    const r = await snapshotSloPeriods({ db: stack.db, now: () => later });
    // the calendar SLO's complete months were settled when analysed: kept as they are (the rolling SLO's
    // periods end now, and move with it)
    expect(r.periodsKept).toBeGreaterThanOrEqual(2);
    const after = await snapshotRows();
    const of = (rows: typeof before, sloId: string, start: number) =>
      rows.find((x) => x.slo_id === sloId && x.period_start.getTime() === start);
    expect(of(after, monthSlo, FEB)).toEqual(of(before, monthSlo, FEB));
    expect(of(after, monthSlo, Date.UTC(2025, 2, 1))).not.toEqual(of(before, monthSlo, Date.UTC(2025, 2, 1)));
    for (const kind of KINDS)
      expect(await report(kind, true, later)).toEqual(await report(kind, false, later));
    // too old a snapshot is not served: computed from the minutes instead
    await insertMinutes(monthSlo, "prod-us", [{ t: NOW - 2 * HOUR_MS, good: 0, total: 10 }]);
    const stale = later + 16 * MINUTE_MS;
    expect(await report("current", true, stale)).toEqual(await report("current", false, stale));
  });

  it("serves no stale numbers after an SLO edit (a new version)", async () => {
    await snapshotSloPeriods({ db: stack.db, now: () => NOW });
    const v1 = await report("year", true);
    const edit = await call(stack, "PATCH", `/api/v1/slos/${monthSlo}`, {
      objectivePercent: 99.5,
      reason: "looser objective",
    });
    expect(edit.status).toBe(200);
    expect(edit.body!.version).toBe(2);
    const computed = await report("year", false);
    const rows = (b: typeof v1) =>
      b.depletion.filter((x) => x.sloId === monthSlo).map((x) => x.remainingAtEnd);
    expect(rows(computed)).not.toEqual(rows(v1));
    // the stored snapshot is of version 1: not served
    expect(await report("year", true)).toEqual(computed);
    // and the next one is of version 2, and replaces version 1's periods
    await snapshotSloPeriods({ db: stack.db, now: () => NOW });
    expect(await report("year", true)).toEqual(computed);
    const versions = await stack.db.$queryRawUnsafe<{ v: number }[]>(
      `SELECT DISTINCT version AS v FROM slo_period_snapshots WHERE slo_id = $1::uuid`,
      monthSlo,
    );
    expect(versions.map((x) => x.v)).toEqual([2]);
  });

  it("a write that fails half way leaves the previous snapshot whole", async () => {
    await snapshotSloPeriods({ db: stack.db, now: () => NOW });
    const before = await snapshotRows();
    const served = await report("current", true);
    const analysis = before.find((x) => x.slo_id === cartSlo)!.analysis as SnapshotAnalysis;
    // the first region is written (its periods replaced by none), the second fails (a period with no instant):
    // nothing may be left of either
    await expect(
      writeSloSnapshot(stack.db, {
        sloId: cartSlo,
        version: 1,
        computedAtMs: NOW + MINUTE_MS,
        regions: [
          { regionId: regions["prod-eu"]!, firstMs: null, written: [], kept: [] },
          {
            regionId: regions["prod-us"]!,
            firstMs: null,
            written: [{ ...analysis, period: { startMs: Number.NaN, endMs: Number.NaN } }],
            kept: [],
          },
        ],
      }),
    ).rejects.toThrow();
    expect(await snapshotRows()).toEqual(before);
    expect(await report("current", true)).toEqual(served);
  });
});
