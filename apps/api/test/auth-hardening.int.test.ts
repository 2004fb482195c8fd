import { randomUUID } from "node:crypto";
import { createJobQueues } from "@burnrate/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadApiConfig } from "../src/config";
import { dummyPasswordHash } from "../src/auth/passwords";
import { authenticate } from "../src/services/sessions/authenticate";
import { LOCKOUT } from "../src/services/sessions/lockout";
import { slackForm, slackSign } from "./alerting-helpers";
import { call, startStack, type Stack } from "./harness";
import { OwnRedis } from "./own-redis";

const login = (stack: Stack, email: string, password: string, extra: Record<string, unknown> = {}) =>
  stack.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    headers: { "content-type": "application/json", ...((extra.headers as object) ?? {}) },
    payload: JSON.stringify({ email, password }),
    ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress as string } : {}),
  });

/** scrypt$N$r$p$salt$key -> "N$r$p" */
const hashParams = (h: string) => h.split("$").slice(0, 4).join("$");

describe("login: X-Forwarded-For is trusted only from configured proxies", () => {
  let plain: Stack;
  let proxied: Stack;
  beforeAll(async () => {
    [plain, proxied] = await Promise.all([
      startStack(),
      startStack({ apiEnv: { BURNRATE_TRUST_PROXY: "127.0.0.1/32" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), proxied?.stop()]);
  });

  it("200 attempts with a rotating X-Forwarded-For from one client are throttled (no proxy configured)", async () => {
    let throttled = 0;
    for (let i = 0; i < 200; i++) {
      const res = await login(plain, `nobody-${i}@example.com`, "guess", {
        headers: { "x-forwarded-for": `10.${(i >> 8) & 255}.${i & 255}.7` },
      });
      if (res.statusCode === 429) {
        expect(JSON.parse(res.body).error.message).toMatch(/rate limit/i);
        throttled++;
      } else expect(res.statusCode).toBe(401);
    }
    expect(throttled).toBe(190); // 10 a minute per client, whatever the header says
  });

  it("behind a configured proxy the header names the client, so distinct clients are counted apart", async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++)
      statuses.add(
        (
          await login(proxied, `nobody-${i}@example.com`, "guess", {
            headers: { "x-forwarded-for": `10.0.0.${i}` },
          })
        ).statusCode,
      );
    expect([...statuses]).toEqual([401]);
    // …and one client behind it is still throttled, whatever it puts in front of the proxy's entry.
    let throttled = 0;
    for (let i = 0; i < 20; i++) {
      const res = await login(proxied, `again-${i}@example.com`, "guess", {
        headers: { "x-forwarded-for": `1.2.3.${i}, 10.0.1.1` },
      });
      if (res.statusCode === 429) throttled++;
    }
    expect(throttled).toBe(10);
  });

  it("BURNRATE_TRUST_PROXY: off by default, a hop count or a list; 'true' and garbage are refused", () => {
    const base = { DATABASE_URL: "postgresql://x@127.0.0.1/x" };
    expect(loadApiConfig(base).BURNRATE_TRUST_PROXY).toBe(false);
    expect(loadApiConfig({ ...base, BURNRATE_TRUST_PROXY: "2" }).BURNRATE_TRUST_PROXY).toBe(2);
    expect(
      loadApiConfig({ ...base, BURNRATE_TRUST_PROXY: "10.0.0.0/8, 192.168.1.4,::1" }).BURNRATE_TRUST_PROXY,
    ).toEqual(["10.0.0.0/8", "192.168.1.4", "::1"]);
    expect(() => loadApiConfig({ ...base, BURNRATE_TRUST_PROXY: "true" })).toThrow(/hop|list/);
    expect(() => loadApiConfig({ ...base, BURNRATE_TRUST_PROXY: "proxy.local" })).toThrow(/not an IP/);
  });
});

describe("login: per-account lockout in Postgres, equal work for unknown and known emails", () => {
  let stack: Stack;
  const user = { email: "", password: "the right password" };
  let n = 0;
  // A fresh client address per attempt, so only the account lockout is measured, not the per-address throttle.
  const addr = () => `192.0.2.${++n % 250}`;
  beforeAll(async () => {
    stack = await startStack();
    user.email = `locked-${randomUUID()}@example.com`;
    expect(
      (await call(stack, "POST", "/api/v1/users", { email: user.email, name: "L", password: user.password }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => stack?.stop());

  it("locks after 10 failures; the right password is then refused with 429 and Retry-After", async () => {
    for (let i = 0; i < LOCKOUT.threshold; i++)
      expect((await login(stack, user.email, `wrong ${i}`, { remoteAddress: addr() })).statusCode).toBe(401);
    const res = await login(stack, user.email, user.password, { remoteAddress: addr() });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(JSON.parse(res.body).error.message).toMatch(/too many failed sign-ins for this account/);
    const row = await stack.db.loginFailure.findUnique({ where: { email: user.email } });
    expect(row?.failures).toBe(LOCKOUT.threshold);
    expect(row?.lockedUntil).not.toBeNull();

    // Another API replica (or a restarted one) on the same database refuses it too.
    const replica = await buildApp({
      config: loadApiConfig({
        DATABASE_URL: stack.databaseUrl,
        LOG_LEVEL: "silent",
        BURNRATE_QUEUE_PREFIX: stack.prefix,
      }),
      db: stack.db,
      redis: stack.redis,
      enqueue: createJobQueues({ connection: stack.redis, prefix: stack.prefix }).enqueue,
      logger: false,
    });
    const again = await replica.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify(user),
      remoteAddress: addr(),
    });
    expect(again.statusCode).toBe(429);
    await replica.close();

    // When the lock ends, one more failure locks again for longer (backoff); a success clears the count.
    await stack.db.loginFailure.update({
      where: { email: user.email },
      data: { lockedUntil: new Date(Date.now() - 1) },
    });
    expect((await login(stack, user.email, "wrong again", { remoteAddress: addr() })).statusCode).toBe(401);
    const longer = await login(stack, user.email, user.password, { remoteAddress: addr() });
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers["retry-after"])).toBeGreaterThan(60);
    await stack.db.loginFailure.update({
      where: { email: user.email },
      data: { lockedUntil: new Date(Date.now() - 1) },
    });
    expect((await login(stack, user.email, user.password, { remoteAddress: addr() })).statusCode).toBe(200);
    expect(await stack.db.loginFailure.findUnique({ where: { email: user.email } })).toBeNull();
  });

  it("an unknown email locks the same way (a lockout tells nothing about which emails exist)", async () => {
    const ghost = `ghost-${randomUUID()}@example.com`;
    for (let i = 0; i < LOCKOUT.threshold; i++)
      expect((await login(stack, ghost, "guess", { remoteAddress: addr() })).statusCode).toBe(401);
    expect((await login(stack, ghost, "guess", { remoteAddress: addr() })).statusCode).toBe(429);
  });

  it("unknown and known emails take the same path: one scrypt check with the same parameters, one failure count", async () => {
    const calls: string[] = [];
    const verify = async (_pw: string, hash: string) => {
      calls.push(hashParams(hash));
      return false;
    };
    const known = `known-${randomUUID()}@example.com`;
    await call(stack, "POST", "/api/v1/users", { email: known, name: "K", password: "some password here" });
    const unknown = `unknown-${randomUUID()}@example.com`;
    const a = await authenticate({ db: stack.db, nowMs: Date.now(), verify }, unknown, "guess");
    const b = await authenticate({ db: stack.db, nowMs: Date.now(), verify }, known, "guess");
    expect(a).toEqual({ kind: "wrong" });
    expect(b).toEqual({ kind: "wrong" });
    const stored = (await stack.db.user.findUnique({ where: { email: known } }))!.passwordHash!;
    expect(calls).toEqual([hashParams(stored), hashParams(stored)]);
    expect(hashParams(await dummyPasswordHash())).toBe(hashParams(stored));
    for (const email of [unknown, known])
      expect((await stack.db.loginFailure.findUnique({ where: { email } }))?.failures).toBe(1);
    // Over HTTP the two answers are byte for byte the same.
    const ra = await login(stack, `other-${randomUUID()}@example.com`, "guess", { remoteAddress: addr() });
    const rb = await login(stack, known, "guess", { remoteAddress: addr() });
    expect([ra.statusCode, ra.body]).toEqual([rb.statusCode, rb.body]);
  });
});

describe("Redis down: /readyz, login and Slack replay protection", () => {
  let redis: OwnRedis;
  let stack: Stack;
  const secret = "slack-signing-secret-for-tests";
  beforeAll(async () => {
    redis = await OwnRedis.start();
    stack = await startStack({ redisUrl: redis.url, apiEnv: { SLACK_SIGNING_SECRET: secret } });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.kill();
  });

  it("a replayed Slack interaction is refused, also after Redis restarts empty", async () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = slackForm({
      type: "block_actions",
      user: { username: "sre" },
      actions: [{ action_id: "ack", value: randomUUID() }],
    });
    const send = () =>
      stack.app.inject({
        method: "POST",
        url: "/api/v1/slack/interactions",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": slackSign(secret, ts, body),
        },
        payload: body,
      });
    expect((await send()).statusCode).toBe(200);
    const replay = await send();
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toMatch(/already received/);
    await redis.restart();
    const afterRestart = await send();
    expect(afterRestart.statusCode).toBe(401);
    expect(afterRestart.body).toMatch(/already received/);
  });

  async function readyAgain() {
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await stack.app.inject({ method: "GET", url: "/readyz" })).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  }

  it("while Redis is down /readyz answers 503 at once in plain words, and login still answers (throttled in memory)", async () => {
    await readyAgain(); // the previous test restarted Redis: the client reconnects with a short backoff
    await redis.kill();
    try {
      const t0 = Date.now();
      const res = await stack.app.inject({ method: "GET", url: "/readyz" });
      const ms = Date.now() - t0;
      expect(res.statusCode).toBe(503);
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ postgres: "ok" });
      expect(["down", "timeout"]).toContain(body.redis);
      expect(body.message).toBe("Redis is not answering; Burnrate cannot serve requests until it is back");
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Error/);
      expect(ms).toBeLessThan(3000); // the check has an 800 ms budget; without it this waited for Redis
      // Login answers instead of waiting for Redis, and the throttle still holds (in this process's memory).
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          (await login(stack, `nobody-${i}@example.com`, "guess", { remoteAddress: "198.51.100.9" }))
            .statusCode,
        );
      expect(statuses.filter((s) => s === 401).length).toBe(10);
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(
        (await login(stack, stack.admin.email, stack.admin.password, { remoteAddress: "198.51.100.10" }))
          .statusCode,
      ).toBe(200);
    } finally {
      await redis.restart();
    }
    // Back to ready once Redis is back.
    await readyAgain();
    // The only 5xx answers were /readyz's deliberate 503s.
    expect(stack.statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  });
});

describe("/readyz while Postgres is down", () => {
  it("answers 503 naming Postgres, without the driver's error text", async () => {
    const { createDb } = await import("@burnrate/db");
    const { Redis } = await import("ioredis");
    const { REDIS_URL } = await import("./harness");
    const { freePort } = await import("./own-redis");
    const deadUrl = `postgresql://postgres@127.0.0.1:${await freePort()}/nothing`;
    const db = createDb({ databaseUrl: deadUrl });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const app = await buildApp({
      config: loadApiConfig({ DATABASE_URL: deadUrl, REDIS_URL, LOG_LEVEL: "silent" }),
      db,
      redis,
      enqueue: createJobQueues({ connection: redis, prefix: `t${randomUUID().slice(0, 8)}` }).enqueue,
      logger: false,
    });
    try {
      const res = await app.inject({ method: "GET", url: "/readyz" });
      expect(res.statusCode).toBe(503);
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ redis: "ok" });
      expect(["down", "timeout"]).toContain(body.postgres);
      expect(body.message).toMatch(/^Postgres is not answering/);
      expect(res.body).not.toMatch(/ECONNREFUSED|prisma|Error/i);
    } finally {
      await app.close();
      redis.disconnect();
      await db.$disconnect();
    }
  });
});
