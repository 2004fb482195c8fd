import { LATENCY_BUCKETS, latencyBucket } from "@burnrate/contracts";
import { evaluateFilter, parseFilter, type FilterRecord } from "@burnrate/ingest/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./client";
import { upsertRollups, type RollupRow } from "./request-rollups";
import { recomputeSli } from "./sli-store";
import { createTestDatabase } from "./test-db";

const PG =
  process.env.BURNRATE_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Ratio SLIs computed in SQL from rollups equal the filter evaluated on every raw request: random requests,
 * rolled up the way ingest does, and filters that mix durationMs with other fields through and/or/not.
 */
describe("ratio SLI SQL over request_rollups", () => {
  let db: Db;
  let drop: () => Promise<void>;
  const ids = { service: "", endpoints: new Map<string, string>(), regions: new Map<string, string>() };
  const records: (FilterRecord & { minute: number })[] = [];
  const t0 = Date.UTC(2025, 0, 6, 10, 0);

  beforeAll(async () => {
    const t = await createTestDatabase(PG);
    drop = t.drop;
    db = createDb({ databaseUrl: t.databaseUrl, poolSize: 2 });
    const team = await db.team.create({ data: { slug: "t", name: "T" } });
    const svc = await db.service.create({
      data: { slug: "s", name: "S", teamId: team.id, failureStatuses: [500] },
    });
    ids.service = svc.id;
    for (const [m, r] of [
      ["GET", "/cart"],
      ["POST", "/cart"],
      ["GET", "/healthz"],
    ] as const) {
      const e = await db.endpoint.create({ data: { serviceId: svc.id, method: m, route: r } });
      ids.endpoints.set(`${m} ${r}`, e.id);
    }
    for (const slug of ["prod-eu", "prod-us"]) {
      const g = await db.region.create({ data: { slug, name: slug } });
      ids.regions.set(slug, g.id);
    }
    // Deterministic pseudo-random requests.
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const statuses = [200, 201, 404, 429, 499, 500, 503];
    const durations = [3, 10, 11, 99.5, 100, 101, 250, 799, 800, 800.25, 801, 1000, 59_999, 60_000, 61_000];
    const eps = [...ids.endpoints.keys()];
    for (let i = 0; i < 3000; i++) {
      const [method, route] = eps[Math.floor(rnd() * eps.length)]!.split(" ") as [string, string];
      records.push({
        minute: t0 + Math.floor(rnd() * 5) * 60_000,
        status: statuses[Math.floor(rnd() * statuses.length)]!,
        method,
        route,
        region: rnd() < 0.6 ? "prod-eu" : "prod-us",
        durationMs: durations[Math.floor(rnd() * durations.length)]!,
      });
    }
    const rows = new Map<string, RollupRow>();
    for (const r of records) {
      const endpointId = ids.endpoints.get(`${r.method} ${r.route}`)!;
      const regionId = ids.regions.get(r.region)!;
      const key = `${endpointId}|${regionId}|${r.minute}|${r.status}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          serviceId: ids.service,
          endpointId,
          regionId,
          minuteMs: r.minute,
          status: r.status,
          count: 0,
          latency: new Array<number>(LATENCY_BUCKETS).fill(0),
        };
        rows.set(key, row);
      }
      row.count++;
      (row.latency as number[])[latencyBucket(r.durationMs)]!++;
    }
    await upsertRollups(db, [...rows.values()]);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  const cases: [string, string][] = [
    ["status < 500 and durationMs <= 800", 'route != "/healthz"'],
    ["durationMs <= 100 or status = 404", "true"],
    ['not (durationMs > 800 and region = "prod-us") and status not in (500, 503)', 'method = "get"'],
    ['(status >= 500 or durationMs <= 10) and not route in ("/healthz")', 'region in ("prod-eu", "prod-us")'],
    ["durationMs > 60000 or durationMs <= 10", "status != 429"],
    ['status < 500 and region = "prod-eu"', 'region = "prod-eu"'],
    ["true", 'route = "/nowhere"'],
    ['route = "x\' OR 1=1 --"', "true"],
  ];
  it.each(cases)("good %s / total %s matches the evaluator per region and minute", async (good, total) => {
    const sloId = crypto.randomUUID();
    await db.$executeRawUnsafe(
      `INSERT INTO slos (id, service_id, name, sli, objective_percent, "window", updated_at)
       VALUES ($1::uuid, $2::uuid, 'r', $3::jsonb, 99, '{"type":"rolling","days":28}'::jsonb, now())`,
      sloId,
      ids.service,
      JSON.stringify({ type: "ratio", good, total }),
    );
    const target = {
      sloId,
      serviceId: ids.service,
      endpointId: null,
      failureStatuses: [500],
      sli: { type: "ratio" as const, good, total },
    };
    await recomputeSli(db, [{ target, fromMs: t0 }], t0 + 10 * 60_000);
    // The minutes as stored: each hour's per-minute arrays, minutes with requests only.
    const got = await db.$queryRawUnsafe<{ region: string; t: number; good: number; total: number }[]>(
      `SELECT r.slug AS region, (extract(epoch FROM m.hour) * 1000 + (i - 1) * 60000)::float8 AS t,
              m.minute_good[i] AS good, m.minute_total[i] AS total
         FROM sli_hours m JOIN regions r ON r.id = m.region_id, generate_subscripts(m.minute_total, 1) AS i
        WHERE m.slo_id = $1::uuid AND m.minute_total[i] > 0`,
      sloId,
    );
    const g = parseFilter(good);
    const n = parseFilter(total);
    const want = new Map<string, { good: number; total: number }>();
    for (const r of records) {
      const k = `${r.region}|${r.minute}`;
      const cur = want.get(k) ?? { good: 0, total: 0 };
      const inTotal = evaluateFilter(n, r);
      if (inTotal) cur.total++;
      if (inTotal && evaluateFilter(g, r)) cur.good++;
      want.set(k, cur);
    }
    const gotMap = new Map(got.map((r) => [`${r.region}|${Number(r.t)}`, { good: r.good, total: r.total }]));
    for (const [k, w] of want) expect(gotMap.get(k) ?? { good: 0, total: 0 }, k).toEqual(w);
    const sumTotal = [...want.values()].reduce((a, b) => a + b.total, 0);
    expect(got.reduce((a, b) => a + b.total, 0)).toBe(sumTotal);
  });
});
