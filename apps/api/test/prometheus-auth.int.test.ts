import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import { createSecretBox, rotateSecrets, sqlRows } from "@burnrate/db";
import { minuteEnd, periodAt } from "@burnrate/slo-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvaluateShardJob } from "../../worker/src/jobs/evaluate";
import { TEST_SECRET_KEY, call, startStack, waitFor, type Stack } from "./harness";
import { freePort, startPrometheus, type PrometheusServer } from "./prometheus";

const MINUTE = 60_000;
const BAD = 'http_requests_total{app="checkout",code="500"}';
const TOTAL = 'http_requests_total{app="checkout"}';
const TOKEN = `prom-token-${randomBytes(12).toString("hex")}`;
const USER = "burnrate";
const PASSWORD = `prom-pass-${randomBytes(12).toString("hex")}`;
const WRONG = `wrong-pass-${randomBytes(12).toString("hex")}`;

/** Counters the test's Prometheus scrapes every second: more requests each scrape, some failing. */
async function startExporter(): Promise<{ target: string; close: () => Promise<void> }> {
  const t0 = Date.now();
  const server: Server = createServer((_req, res) => {
    const s = (Date.now() - t0) / 1000;
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(
      [
        "# TYPE http_requests_total counter",
        `http_requests_total{app="checkout",code="200"} ${Math.floor(40 * s)}`,
        `http_requests_total{app="checkout",code="500"} ${Math.floor(1.7 * s)}`,
        "",
      ].join("\n"),
    );
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { target: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Prometheus behind authentication, as a reverse proxy in front of it would put it: a request whose
 * Authorization header is the bearer token or the basic-auth pair goes through to the real Prometheus, any
 * other gets 401. Records every Authorization header it saw.
 */
async function startAuthProxy(
  upstream: string,
): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const accepted = new Set([
    `Bearer ${TOKEN}`,
    `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
  ]);
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    seen.push(auth);
    if (!accepted.has(auth)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Basic realm="prometheus"' });
      res.end("Unauthorized\n");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void fetch(`${upstream}${req.url}`, {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded" },
        ...(req.method === "GET" ? {} : { body: Buffer.concat(chunks) }),
      }).then(
        async (r) => {
          res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
          res.end(Buffer.from(await r.arrayBuffer()));
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("a Prometheus source behind authentication", () => {
  let stack: Stack;
  let prom: PrometheusServer;
  let exporter: Awaited<ReturnType<typeof startExporter>>;
  let proxy: Awaited<ReturnType<typeof startAuthProxy>>;
  let now = Date.now();
  /** The first cycle's instant (a whole second late in its minute). */
  let firstAt = 0;
  let apiLog = "";
  let workerLog = "";
  const ids: Record<"bearer" | "basic" | "wrong" | "none", string> = {
    bearer: "",
    basic: "",
    wrong: "",
    none: "",
  };
  let box = createSecretBox(TEST_SECRET_KEY);
  const job = () =>
    createEvaluateShardJob({
      db: stack.db,
      enqueue: async () => undefined,
      now: () => now,
      log: pino(
        { level: "debug" },
        new Writable({ write: (c: Buffer, _e, cb) => ((workerLog += c.toString()), cb()) }),
      ),
      prometheus: { timeoutMs: 2000, retries: 1, backoffMs: 50, secrets: box },
    });
  const evaluate = (at: number) => {
    now = at;
    return job()({ shard: 0, shards: 1, minuteMs: Math.floor(at / MINUTE) * MINUTE, dirty: {} });
  };
  const state = (id: string) => stack.db.sloSourceState.findUniqueOrThrow({ where: { sloId: id } });
  const create = async (name: string, auth?: unknown) => {
    const r = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name,
      sli: { type: "prometheus", url: proxy.url, bad: BAD, total: TOTAL, ...(auth ? { auth } : {}) },
      objectivePercent: 90,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; sli: Record<string, unknown>; sourceAuth: unknown };
  };

  beforeAll(async () => {
    stack = await startStack({
      now: () => now,
      apiLog: new Writable({ write: (c: Buffer, _e, cb) => ((apiLog += c.toString()), cb()) }),
    });
    exporter = await startExporter();
    prom = await startPrometheus(exporter.target, "/metrics");
    proxy = await startAuthProxy(prom.url);
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" })).status).toBe(
      201,
    );
    expect(
      (
        await call(stack, "POST", "/api/v1/services", {
          slug: "checkout",
          name: "Checkout",
          team: "payments",
        })
      ).status,
    ).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await proxy?.close();
    await prom?.stop();
    await exporter?.close();
    await stack?.stop();
  });

  it("refuses bad credentials naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ type: "bearer" }, "sli.auth.token"],
      [{ type: "bearer", token: "" }, "sli.auth.token"],
      [{ type: "basic", password: PASSWORD }, "sli.auth.username"],
      [{ type: "basic", username: "a:b", password: PASSWORD }, "sli.auth.username"],
      [{ type: "basic", username: USER }, "sli.auth.password"],
      [{ type: "digest", token: TOKEN }, "sli.auth.type"],
    ];
    for (const [auth, field] of cases) {
      const r = await call(stack, "POST", "/api/v1/slos", {
        service: "checkout",
        name: "bad auth",
        sli: { type: "prometheus", url: prom.url, bad: BAD, total: TOTAL, auth },
        objectivePercent: 90,
      });
      expect(r.status, JSON.stringify(auth)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(auth)).toContain(field);
      expect(JSON.stringify(r.body)).not.toContain(PASSWORD);
    }
  });

  it("keeps credentials write-only: shown masked, sealed at rest with enc:v2:, never in the SLO's JSON", async () => {
    const bearer = await create("bearer", { type: "bearer", token: TOKEN });
    expect(bearer.sourceAuth).toEqual({ type: "bearer", username: null, secretHint: `…${TOKEN.slice(-4)}` });
    expect(bearer.sli.auth).toBeUndefined();
    const basic = await create("basic", { type: "basic", username: USER, password: PASSWORD });
    expect(basic.sourceAuth).toEqual({ type: "basic", username: USER, secretHint: `…${PASSWORD.slice(-4)}` });
    const wrong = await create("wrong", { type: "basic", username: USER, password: WRONG });
    const none = await create("none");
    expect(none.sourceAuth).toBeNull();
    Object.assign(ids, { bearer: bearer.id, basic: basic.id, wrong: wrong.id, none: none.id });

    const rows = await sqlRows<{
      id: string;
      sli: string;
      source_secret: string | null;
      source_auth: string;
    }>(stack.db, `SELECT id::text, sli::text, source_secret, source_auth::text FROM slos ORDER BY name`);
    expect(rows).toHaveLength(4);
    for (const r of rows.filter((x) => x.id !== ids.none)) {
      expect(r.source_secret).toMatch(/^enc:v2:[0-9a-f]{8}:/);
      for (const secret of [TOKEN, PASSWORD, WRONG]) {
        expect(r.source_secret).not.toContain(secret);
        expect(r.sli).not.toContain(secret);
        expect(r.source_auth).not.toContain(secret);
      }
    }
    expect(box.open(rows.find((r) => r.id === ids.bearer)!.source_secret!)).toBe(TOKEN);
    expect(box.open(rows.find((r) => r.id === ids.basic)!.source_secret!)).toBe(PASSWORD);

    // Every way of reading it back: the SLO, the list, its versions, the audit log, the OpenSLO export.
    const reads = await Promise.all([
      call(stack, "GET", `/api/v1/slos/${ids.bearer}`),
      call(stack, "GET", "/api/v1/slos"),
      call(stack, "GET", `/api/v1/slos/${ids.basic}/versions`),
      call(stack, "GET", "/api/v1/audit"),
    ]);
    for (const r of reads) {
      expect(r.status).toBe(200);
      const text = JSON.stringify(r.body);
      for (const secret of [TOKEN, PASSWORD, WRONG]) expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(reads[0]!.body)).toContain(`…${TOKEN.slice(-4)}`);
  });

  it("the worker sends them: right credentials pull PromQL's counts, a wrong password is a recorded 401 and no data", async () => {
    const boundary = await waitFor(
      "a minute boundary with several scrapes before it",
      async () => {
        const b = Math.floor(Date.now() / MINUTE) * MINUTE;
        if (Date.now() < b + 3000) return null;
        const [n] = await prom.query(`count_over_time(${BAD}[1m])`, b);
        return (n?.value ?? 0) >= 5 ? b : null;
      },
      200_000,
      1000,
    );
    const at = boundary - 1000;
    firstAt = at;
    const toMs = minuteEnd(at);
    expect((await evaluate(at)).evaluated).toBe(4);
    const periodSeconds = (toMs - periodAt({ type: "rolling", days: 28 }, at).startMs) / 1000;
    const [bad] = await prom.query(`sum(increase(${BAD}[${periodSeconds}s]))`, toMs);
    const [total] = await prom.query(`sum(increase(${TOTAL}[${periodSeconds}s]))`, toMs);
    expect(total!.value).toBeGreaterThan(0);
    for (const id of [ids.bearer, ids.basic]) {
      const st = await state(id);
      expect(st, id).toMatchObject({ failures: 0, lastError: null });
      expect(st.lastOkAt?.getTime()).toBe(at);
      const snap = await stack.db.sloMetricSnapshot.findFirstOrThrow({ where: { sloId: id } });
      expect(Math.abs(snap.bad - bad!.value)).toBeLessThanOrEqual(1e-9 * total!.value);
      expect(Math.abs(snap.good + snap.bad - total!.value)).toBeLessThanOrEqual(1e-9 * total!.value);
    }
    // The proxy saw the token and the pair, as headers.
    expect(proxy.seen).toContain(`Bearer ${TOKEN}`);
    expect(proxy.seen).toContain(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`);
    for (const id of [ids.wrong, ids.none]) {
      const st = await state(id);
      expect(st.failures, id).toBe(1);
      expect(st.lastError).toMatch(/answered 401/);
      expect(st.lastOkAt).toBeNull();
      // No numbers: never a silent 100%.
      expect(await stack.db.sloMetricSnapshot.findMany({ where: { sloId: id } })).toEqual([]);
      const shown = await call(stack, "GET", `/api/v1/slos/${id}/status`);
      expect(shown.status).toBe(200);
      const body = shown.body as {
        sli: { ratio: number | null };
        source: { failures: number; lastError: string };
      };
      expect(body.sli.ratio).toBeNull();
      expect(body.source.failures).toBe(1);
      expect(body.source.lastError).toMatch(/401/);
    }
    // Still failing 5 cycles on: the no-data path gives a ticket, no page.
    for (let k = 1; k <= 5; k++) await evaluate(Math.floor(at / MINUTE) * MINUTE + k * MINUTE + 2000);
    const wrongAlerts = await stack.db.alert.findMany({ where: { sloId: ids.wrong } });
    expect(wrongAlerts.map((a) => [a.kind, a.severity])).toEqual([["no_data", "ticket"]]);
    expect(await stack.db.alert.findMany({ where: { sloId: ids.bearer, kind: "no_data" } })).toEqual([]);
    expect((await state(ids.wrong)).failures).toBe(6);
    now = at;
  }, 300_000);

  it("a change keeps the credentials unless it gives new ones or null; rotation re-seals them", async () => {
    // The right password: the next pull answers.
    const fixed = await call(stack, "PATCH", `/api/v1/slos/${ids.wrong}`, {
      reason: "the right password",
      sli: {
        type: "prometheus",
        url: proxy.url,
        bad: BAD,
        total: TOTAL,
        auth: { type: "basic", username: USER, password: PASSWORD },
      },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    // A change of the queries' text without auth keeps the token.
    const kept = await call(stack, "PATCH", `/api/v1/slos/${ids.bearer}`, {
      reason: "same queries, spaced",
      sli: { type: "prometheus", url: proxy.url, bad: ` ${BAD}`, total: TOTAL },
    });
    expect(kept.status).toBe(200);
    expect((kept.body as { sourceAuth: unknown }).sourceAuth).toMatchObject({ type: "bearer" });
    // null removes them.
    const removed = await call(stack, "PATCH", `/api/v1/slos/${ids.basic}`, {
      reason: "no credentials",
      sli: { type: "prometheus", url: proxy.url, bad: BAD, total: TOTAL, auth: null },
    });
    expect(removed.status).toBe(200);
    expect((removed.body as { sourceAuth: unknown }).sourceAuth).toBeNull();
    expect((await stack.db.slo.findUniqueOrThrow({ where: { id: ids.basic } })).sourceSecret).toBeNull();

    // `burnrate secrets rotate`: the sources' secrets are re-sealed under the new key, and still work.
    const newKey = randomBytes(32).toString("base64");
    box = createSecretBox(newKey, TEST_SECRET_KEY);
    const counts = await rotateSecrets(stack.db, box);
    expect(counts.resealed).toBe(2);
    expect(counts.unreadable).toEqual([]);
    for (const id of [ids.bearer, ids.wrong]) {
      const row = await stack.db.slo.findUniqueOrThrow({ where: { id } });
      expect(box.isCurrent(row.sourceSecret!)).toBe(true);
    }
    box = createSecretBox(newKey); // the old key is gone
    const at = Math.floor(firstAt / MINUTE) * MINUTE + 6 * MINUTE + 1000;
    await evaluate(at);
    for (const id of [ids.bearer, ids.wrong]) expect((await state(id)).lastOkAt?.getTime(), id).toBe(at);
    expect((await state(ids.basic)).lastError).toMatch(/answered 401/);

    // Neither log ever shows a secret (the API's at debug level, the worker's too).
    expect(apiLog.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, PASSWORD, WRONG, Buffer.from(`${USER}:${PASSWORD}`).toString("base64")]) {
      expect(apiLog).not.toContain(secret);
      expect(workerLog).not.toContain(secret);
    }
  }, 300_000);
});
