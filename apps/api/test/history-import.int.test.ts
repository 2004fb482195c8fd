import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { minuteDetailFromMs } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importHistory } from "../../cli/src/commands/import-history";
import { parseArgs } from "../../cli/src/options";
import { call, startStack, waitFor, type Stack } from "./harness";

/**
 * `burnrate import-history` against a running API: a few thousand records over 90 days, some lines bad, one
 * chunk's answer lost (the chunk is sent again) and the client killed between two chunks (after the API
 * stored a chunk, before the checkpoint said so); a second run resumes. Every record is counted exactly once:
 * the rollups (minutes of the last 8 days, hours before) sum to a direct count of the file, and the SLO's
 * backfilled series too.
 */
describe("history import", () => {
  let stack: Stack;
  let dir: string;
  let historyToken: string;
  const now = Date.now();
  const SERVICES = ["cart", "search"];
  const ENDPOINTS = ["GET /cart", "POST /cart/items", "GET /search"];
  const REGIONS = ["prod-eu", "prod-us"];
  const STATUSES = [200, 200, 200, 201, 404, 500, 503];

  /** A small deterministic generator (the file is the same at every run). */
  function lcg(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const N = 3000;
  const rand = lcg(20);
  const records = Array.from({ length: N }, () => ({
    ts: Math.floor(now - HOUR_MS - rand() * 89 * DAY_MS),
    service: SERVICES[Math.floor(rand() * SERVICES.length)]!,
    endpoint: ENDPOINTS[Math.floor(rand() * ENDPOINTS.length)]!,
    region: REGIONS[Math.floor(rand() * REGIONS.length)]!,
    status: STATUSES[Math.floor(rand() * STATUSES.length)]!,
    durationMs: Math.floor(rand() * 900),
  }));
  // Bad lines at known line numbers (1-based): each costs only itself.
  const BAD: Record<number, string> = {
    17: "{not json",
    480: JSON.stringify({ ...records[0], status: 700 }),
    1001: JSON.stringify({ ...records[0], ts: now - 460 * DAY_MS }),
    2222: JSON.stringify({ ...records[0], service: "nope" }),
  };
  const lines: string[] = [];
  for (const r of records) {
    while (BAD[lines.length + 1]) lines.push(BAD[lines.length + 1]!);
    lines.push(JSON.stringify(r));
  }
  // ISO timestamps for half the lines: both forms of `ts` go through the same path.
  for (let i = 0; i < lines.length; i += 2)
    if (!BAD[i + 1]) {
      const o = JSON.parse(lines[i]!) as { ts: number | string };
      o.ts = new Date(o.ts).toISOString();
      lines[i] = JSON.stringify(o);
    }
  const text = lines.join("\n") + "\n";

  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    dir = await mkdtemp(path.join(tmpdir(), "burnrate-history-"));
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/teams", { slug: "other", name: "Other" });
    for (const s of SERVICES)
      await call(stack, "POST", "/api/v1/services", { slug: s, name: s, team: "shop" });
    const tok = await call(stack, "POST", "/api/v1/tokens", { name: "history", scopes: ["history:write"] });
    expect(tok.status).toBe(201);
    historyToken = tok.body!.token as string;
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const opts = (file: string, extra: string[] = []) =>
    parseArgs(["import-history", "-f", file, "--chunk-lines", "250", "--parallel", "2", ...extra], {
      BURNRATE_URL: stack.baseUrl,
      BURNRATE_TOKEN: historyToken,
    });
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
  };

  it("survives a lost answer and a kill between chunks, and counts every record once", async () => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
    });
    expect(slo.status).toBe(201);
    const file = path.join(dir, "logs.ndjson.gz");
    await writeFile(file, gzipSync(text));

    // Run 1: chunk 3's answer is lost once (the API stored it; the client sends it again), and the client dies
    // after chunk 6 was acknowledged but before its checkpoint (chunk 7 is in flight by then).
    let lost = false;
    const sent: number[] = [];
    const lossy: typeof fetch = async (input, init) => {
      const url = String(input);
      const m = /\/chunks\/(\d+)$/.exec(url);
      if (m) sent.push(Number(m[1]));
      const res = await fetch(input, init);
      if (m?.[1] === "3" && !lost) {
        lost = true;
        await res.text();
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      }
      return res;
    };
    const run1 = capture();
    await expect(
      importHistory(opts(file), run1.io, {
        fetch: lossy,
        onChunkAcked: (seq) => {
          if (seq === 6) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(sent.filter((s) => s === 3)).toHaveLength(2);
    const cp = JSON.parse(await readFile(`${file}.import-checkpoint.json`, "utf8")) as {
      nextSeq: number;
      nextLine: number;
    };
    expect(cp.nextSeq).toBe(6);
    expect(cp.nextLine).toBe(6 * 250 + 1);

    // Run 2 resumes at chunk 6: chunks 6 and 7 were stored already and are answered from their stored answers.
    const run2 = capture();
    expect(await importHistory(opts(file), run2.io)).toBe(0);
    expect(run2.err[0]).toMatch(/^resuming import imp-\S+ of .* at line 1501 \(chunk 6\)$/);
    expect(run2.out[0]).toMatch(/^imported 3000 records \(4 rejected\) from .* in 13 chunks/);
    expect(run2.out[1]).toMatch(/^backfilling 1 SLOs: cart\/Cart availability$/);

    // The bad lines, by their line numbers in the file (those of chunks 0-5 were reported by run 1).
    const reported = [...run1.err, ...run2.err].filter((l) => /^line \d+:/.test(l));
    expect(reported[0]).toMatch(/^line 17: invalid JSON: /); // JSON.parse's own words
    expect(reported.slice(1)).toEqual([
      "line 480: status: required: an HTTP status code 100-599",
      "line 1001: ts: is older than the 450-day history horizon",
      "line 2222: service: unknown service 'nope'; register it first",
    ]);

    // One stored answer per chunk: nothing was stored twice.
    const [keys] = await stack.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ingest_idempotency WHERE scope LIKE 'history:%'`,
    );
    expect(keys!.n).toBe(13);

    // The rollups sum to a direct count of the file, per service, endpoint, region and status; records older
    // than the minute retention's cutoff are in the hour rollups, newer ones in the minute rollups. (The cutoff
    // moves on the hour: the one at the start of the test and the one now bound it, at any time of day.)
    const direct = new Map<string, number>();
    for (const r of records) {
      const k = `${r.service} ${r.endpoint} ${r.region} ${r.status}`;
      direct.set(k, (direct.get(k) ?? 0) + 1);
    }
    const stored = await stack.db.$queryRawUnsafe<{ k: string; n: number; lat: number }[]>(
      `SELECT s.slug || ' ' || e.method || ' ' || e.route || ' ' || g.slug || ' ' || x.status AS k,
              sum(x.count)::int AS n, sum((SELECT sum(v) FROM unnest(x.latency) v))::int AS lat
         FROM (SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups
               UNION ALL
               SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups_hourly) x
         JOIN services s ON s.id = x.service_id JOIN endpoints e ON e.id = x.endpoint_id
         JOIN regions g ON g.id = x.region_id
        GROUP BY 1`,
    );
    expect(new Map(stored.map((r) => [r.k, r.n]))).toEqual(direct);
    expect(stored.every((r) => r.lat === r.n)).toBe(true);
    const [bounds] = await stack.db.$queryRawUnsafe<{ maxHour: Date; minMinute: Date; hours: number }[]>(
      `SELECT (SELECT max(hour) FROM request_rollups_hourly) AS "maxHour",
              (SELECT min(minute) FROM request_rollups) AS "minMinute",
              (SELECT sum(count)::int FROM request_rollups_hourly) AS hours`,
    );
    expect(bounds!.maxHour.getTime()).toBeLessThan(minuteDetailFromMs(Date.now()));
    expect(bounds!.minMinute.getTime()).toBeGreaterThanOrEqual(minuteDetailFromMs(now));
    const older = records.filter((r) => r.ts < minuteDetailFromMs(now)).length;
    expect(bounds!.hours).toBeGreaterThanOrEqual(older);
    expect(bounds!.hours).toBeLessThan(N);

    // The SLO was backfilled from the imported history: its series sums to the same count.
    const id = slo.body!.id as string;
    // The import's own backfill of the SLO (its job names the import) has run to the end.
    const { importId } = JSON.parse(await readFile(`${file}.import-checkpoint.json`, "utf8")) as {
      importId: string;
    };
    const jobKey = `${stack.prefix}:burnrate-backfill:backfill-${id}-v1-history-${importId}`;
    await waitFor(
      "the history backfill",
      async () => ((await stack.redis.hget(jobKey, "finishedOn")) ? true : null),
      2 * MINUTE_MS,
    );
    expect((await call(stack, "GET", `/api/v1/slos/${id}`)).body!.backfillPercent).toBe(100);
    const mine = records.filter((r) => r.service === "cart" && r.endpoint === "GET /cart");
    for (const region of REGIONS) {
      const series = await call(
        stack,
        "GET",
        `/api/v1/slos/${id}/series?region=${region}&from=${now - 100 * DAY_MS}&to=${now}&step=${HOUR_MS}`,
      );
      expect(series.status).toBe(200);
      const pts = series.body!.points as { good: number; total: number }[];
      const inRegion = mine.filter((r) => r.region === region);
      expect(pts.reduce((a, p) => a + p.total, 0)).toBe(inRegion.length);
      expect(pts.reduce((a, p) => a + p.good, 0)).toBe(inRegion.filter((r) => r.status < 500).length);
    }

    // A third run has nothing left to do.
    const run3 = capture();
    expect(await importHistory(opts(file), run3.io)).toBe(0);
    expect(run3.err.join("\n")).toMatch(/was imported already .* --restart imports it again/);
  }, 180_000);

  const chunk = (importId: string, seq: number | string, body: string | Buffer, token = historyToken) =>
    stack.app.inject({
      method: "POST",
      url: `/api/v1/history/imports/${importId}/chunks/${seq}`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      payload: body,
    });
  const line = (o: Partial<(typeof records)[number]> = {}) =>
    JSON.stringify({ ...records[0], ts: now - 30 * DAY_MS, ...o }) + "\n";

  it("refuses bad chunk addresses and a chunk number reused for another body, naming the field", async () => {
    const a = await chunk("x", 0, line());
    expect(a.statusCode).toBe(400);
    expect(a.body).toContain("importId");
    const b = await chunk("imp-params-1", "one", line());
    expect(b.statusCode).toBe(400);
    expect(b.body).toContain("seq");
    const c = await chunk("imp-params-1", -1, line());
    expect(c.statusCode).toBe(400);
    expect(c.body).toContain("seq");

    const first = await chunk("imp-params-1", 0, line());
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ accepted: 1, rejected: 0, hourRows: 1, minuteRows: 0 });
    const again = await chunk("imp-params-1", 0, line());
    expect(again.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toBe(first.body);
    const other = await chunk("imp-params-1", 0, line({ status: 500 }));
    expect(other.statusCode).toBe(409);
    expect(other.body).toContain("Idempotency-Key");

    // A body over the limit (4 MiB here) is refused unread; a gzipped chunk is taken like a plain one.
    const big = await chunk("imp-params-1", 1, line().repeat(Math.ceil((4 * 2 ** 20 + 1) / line().length)));
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain("payload_too_large");
    const gz = await stack.app.inject({
      method: "POST",
      url: `/api/v1/history/imports/imp-params-1/chunks/2`,
      headers: {
        authorization: `Bearer ${historyToken}`,
        "content-type": "application/x-ndjson",
        "content-encoding": "gzip",
      },
      payload: gzipSync(line() + line({ status: 503 })),
    });
    expect(gz.statusCode).toBe(200);
    expect(JSON.parse(gz.body)).toMatchObject({ accepted: 2, rejected: 0, hourRows: 2 });

    const missing = await call(stack, "POST", "/api/v1/history/imports/imp-never-sent/finish", undefined, {
      authorization: `Bearer ${historyToken}`,
    });
    expect(missing.status).toBe(404);
  });

  it("stores and replays a chunk whose bad line quotes a NUL (jsonb refuses \\u0000)", async () => {
    const body = Buffer.concat([
      Buffer.from(line()),
      Buffer.from([0xff, 0xfe, 0x00, 0x0a]),
      Buffer.from(line()),
    ]);
    const first = await chunk("imp-nul-1", 0, body);
    expect(first.statusCode).toBe(200);
    const answer = JSON.parse(first.body);
    expect(answer).toMatchObject({ accepted: 2, rejected: 1, errors: [{ line: 2 }] });
    expect(answer.errors[0].message).toContain("\\u0000");
    const again = await chunk("imp-nul-1", 0, body);
    expect(again.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toBe(first.body);
  });

  it("takes a chunk sent a byte at a time (chunked encoding) over HTTP, every line counted", async () => {
    const lines = Array.from({ length: 300 }, (_, i) => line({ durationMs: i, status: i % 3 ? 200 : 503 }));
    const body = Buffer.from(lines.join(""));
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        `${stack.baseUrl}/api/v1/history/imports/imp-bytes-1/chunks/0`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${historyToken}`,
            "content-type": "application/x-ndjson",
            "transfer-encoding": "chunked",
          },
        },
        (r) => {
          let text = "";
          r.setEncoding("utf8");
          r.on("data", (d: string) => (text += d));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      // Each write is a chunk of its own on the wire: the API gets tens of thousands of 1-byte pieces.
      for (let i = 0; i < body.length; i++) req.write(body.subarray(i, i + 1));
      req.end();
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ accepted: 300, rejected: 0, errors: [], hourRows: 2 });
  });

  it("inserts a time-ordered file's inner rows and adds to rows already there, at once too, each record once", async () => {
    await call(stack, "POST", "/api/v1/services", { slug: "ledger", name: "ledger", team: "shop" });
    // Records over the last 20 days in time order (hour rows before the minute cutoff, minute rows after; none
    // within 2 hours of the cutoff, which moves on the hour), in 8 chunks: each chunk shares only its first and
    // last minute (hour) with its neighbours.
    const r = lcg(77);
    const cutoff = minuteDetailFromMs(now);
    const ordered = Array.from({ length: 2400 }, (_, i) => ({
      ts: Math.floor(now - 20 * DAY_MS + (i + r()) * ((20 * DAY_MS - HOUR_MS) / 2400)),
      service: "ledger",
      endpoint: ENDPOINTS[Math.floor(r() * ENDPOINTS.length)]!,
      region: REGIONS[Math.floor(r() * REGIONS.length)]!,
      status: STATUSES[Math.floor(r() * STATUSES.length)]!,
      durationMs: Math.floor(r() * 900),
    })).filter((o) => Math.abs(o.ts - cutoff) > 2 * HOUR_MS);
    const size = Math.ceil(ordered.length / 8);
    const parts = Array.from({ length: 8 }, (_, c) => ordered.slice(c * size, c * size + size));
    const bodies = parts.map((p) => p.map((o) => JSON.stringify(o) + "\n").join(""));
    // Per endpoint, region, status and minute (hour, before the cutoff), as the file has them.
    const direct = new Map<string, number>();
    for (const o of ordered) {
      const t = o.ts < cutoff ? o.ts - (o.ts % HOUR_MS) : o.ts - (o.ts % 60_000);
      const k = `${o.endpoint} ${o.region} ${o.status} ${t}`;
      direct.set(k, (direct.get(k) ?? 0) + 1);
    }
    const stored = async () =>
      new Map(
        (
          await stack.db.$queryRawUnsafe<{ k: string; n: number }[]>(
            `SELECT e.method || ' ' || e.route || ' ' || g.slug || ' ' || x.status || ' ' ||
                    (extract(epoch FROM x.t) * 1000)::bigint AS k,
                    sum(x.count)::int AS n
               FROM (SELECT service_id, endpoint_id, region_id, status, minute AS t, count FROM request_rollups
                     UNION ALL
                     SELECT service_id, endpoint_id, region_id, status, hour, count FROM request_rollups_hourly) x
               JOIN services s ON s.id = x.service_id AND s.slug = 'ledger'
               JOIN endpoints e ON e.id = x.endpoint_id JOIN regions g ON g.id = x.region_id
              GROUP BY 1`,
          )
        ).map((x) => [x.k, x.n]),
      );
    const send = async (importId: string, order: number[]) => {
      const res = await Promise.all(order.map((c) => chunk(importId, c, bodies[c]!)));
      res.forEach((x, i) => {
        expect(x.statusCode).toBe(200);
        expect(JSON.parse(x.body)).toMatchObject({ accepted: parts[order[i]!]!.length, rejected: 0 });
      });
    };
    // Two chunks at a time, neighbours together: their shared minute (hour) is written by both at once.
    for (let c = 0; c < 8; c += 2) await send("ordered-1", [c, c + 1]);
    expect(await stored()).toEqual(direct);
    // The same file under another import id, all 8 chunks at once: every row exists, each is added to.
    await send("ordered-2", [7, 3, 0, 5, 1, 6, 2, 4]);
    expect(await stored()).toEqual(new Map([...direct].map(([k, n]) => [k, 2 * n])));
    // Two imports at the same time into rows that do not exist yet (a region of their own): inserts of the same
    // inner rows meet, one waits on the other's and gives way.
    const ap = (c: number) => bodies[c]!.replaceAll(/"region":"[^"]*"/g, '"region":"prod-ap"');
    const sendAp = (importId: string) =>
      Promise.all(
        [0, 1, 2, 3, 4, 5, 6, 7].map(async (c) => {
          const x = await chunk(importId, c, ap(c));
          expect(x.statusCode).toBe(200);
          expect(JSON.parse(x.body)).toMatchObject({ accepted: parts[c]!.length, rejected: 0 });
        }),
      );
    await Promise.all([sendAp("ordered-ap-1"), sendAp("ordered-ap-2")]);
    const apDirect = new Map<string, number>();
    for (const [k, n] of direct) {
      const [method, route, , status, t] = k.split(" ");
      const key = `${method} ${route} prod-ap ${status} ${t}`;
      apDirect.set(key, (apDirect.get(key) ?? 0) + 2 * n);
    }
    const all = await stored();
    expect(new Map([...all].filter(([k]) => k.includes(" prod-ap ")))).toEqual(apDirect);

    // An inner row that another transaction is inserting and holds: the chunk's insert gives way (lock timeout),
    // its rows are added once that transaction commits, and the held row counts both.
    const mid = parts[3]![Math.floor(parts[3]!.length / 2)]!;
    const hourly = mid.ts < cutoff;
    const t = hourly ? mid.ts - (mid.ts % HOUR_MS) : mid.ts - (mid.ts % MINUTE_MS);
    const [method, route] = mid.endpoint.split(" ");
    const [ids] = await stack.db.$queryRawUnsafe<{ s: string; e: string; g: string }[]>(
      `SELECT s.id::text AS s, e.id::text AS e, g.id::text AS g FROM services s
         JOIN endpoints e ON e.service_id = s.id AND e.method = $1 AND e.route = $2
         JOIN regions g ON g.slug = $3 WHERE s.slug = 'ledger'`,
      method,
      route,
      mid.region,
    );
    const holder = new pg.Client({ connectionString: stack.databaseUrl });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(
        `INSERT INTO ${hourly ? "request_rollups_hourly" : "request_rollups"}
           (service_id, endpoint_id, region_id, ${hourly ? "hour" : "minute"}, status, count, latency)
         VALUES ($1, $2, $3, $4, 299, 1, $5)`,
        [ids!.s, ids!.e, ids!.g, new Date(t), Array(33).fill(0)],
      );
      const as299 = bodies[3]!.replaceAll(/"status":\d+/g, '"status":299');
      const pending = chunk("ordered-held", 0, as299);
      await new Promise((r) => setTimeout(r, 600));
      await holder.query("COMMIT");
      const x = await pending;
      expect(x.statusCode).toBe(200);
      expect(JSON.parse(x.body)).toMatchObject({ accepted: parts[3]!.length, rejected: 0 });
    } finally {
      await holder.end();
    }
    const held = await stored();
    const of299 = [...held].filter(([k]) => k.split(" ")[3] === "299");
    expect(of299.reduce((a, [, n]) => a + n, 0)).toBe(parts[3]!.length + 1);
    const heldKey = `${mid.endpoint} ${mid.region} 299 ${t}`;
    const inChunk = parts[3]!.filter(
      (o) =>
        o.endpoint === mid.endpoint &&
        o.region === mid.region &&
        (hourly ? o.ts - (o.ts % HOUR_MS) : o.ts - (o.ts % MINUTE_MS)) === t,
    ).length;
    expect(held.get(heldKey)).toBe(inChunk + 1);
  }, 120_000);

  it("is its own scope: ingest and read tokens are refused, a token bound to another team imports nothing", async () => {
    const mk = async (scopes: string[], team?: string) =>
      (
        await call(stack, "POST", "/api/v1/tokens", {
          name: scopes.join("+"),
          scopes,
          ...(team ? { team } : {}),
        })
      ).body!.token as string;
    expect((await chunk("imp-scope-1", 0, line(), await mk(["ingest"]))).statusCode).toBe(403);
    expect((await chunk("imp-scope-1", 0, line(), await mk(["write"]))).statusCode).toBe(403);
    const bound = await chunk("imp-scope-1", 0, line(), await mk(["history:write"], "other"));
    expect(bound.statusCode).toBe(200);
    expect(JSON.parse(bound.body)).toMatchObject({
      accepted: 0,
      rejected: 1,
      errors: [{ line: 1, field: "service", message: "service: this token may not ingest for 'cart'" }],
    });
    // Live ingest still refuses what is older than its 7-day horizon, and says where such records go.
    const live = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: line(),
    });
    expect(JSON.parse(live.body).errors[0].message).toBe(
      "ts: is older than the 7-day late-data horizon (older records: burnrate import-history)",
    );
  });
});
