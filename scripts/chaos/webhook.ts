/**
 * Signed webhooks through worker kills (`pnpm chaos --only=webhook`): N SLOs fire at once, about half are
 * acknowledged and most resolve, while the two workers are SIGKILLed (half of the kills 0–30 ms after the
 * receiver got a call, so before or after the worker recorded it; the other half at random moments). A webhook
 * receiver of the team gets every alert.firing / acknowledged / resolved event.
 *
 * The receiver does what the README tells a receiver to do: it checks `Burnrate-Signature` with the README's own
 * recipe (the ```js block under "Verify a webhook", read from README.md and run as it is written) over the raw
 * body, and ignores an event `id` it has already handled. Counted at the end, against the database's deliveries:
 * every event handled exactly once, none missing, none unknown, every signature valid; and the repeats the
 * receiver ignored (a kill between a call and its record repeats that call), at most one per kill.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { MINUTE_MS, SECOND_MS } from "../../packages/slo-core/src/time-units.ts";
import { fmt, freePort, sleep, type ChaosContext, type ChaosRow, type ChaosScenario } from "./lib.ts";
import { stormApi } from "./storm/api-client.ts";
import { WorkerKills } from "./storm/faults.ts";
import { createServices } from "./storm/seed.ts";
import { startStormStack } from "./storm/stack.ts";
import { ingest } from "./storm/traffic.ts";

const SCENARIO = "webhook through worker kills";
type Verify = (rawBody: string, header: string, secret: string, toleranceSec?: number) => boolean;

/** The README's verification recipe, as documented (its import line becomes the function's arguments). */
export function documentedVerifier(): Verify {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const at = readme.indexOf("Verify a webhook");
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error("README.md: no ```js block under 'Verify a webhook'");
  const code = block[1]!.replace(/^import .*$/m, "");
  if (!/function verifyBurnrate\(/.test(code)) throw new Error("README.md: the recipe has no verifyBurnrate");
  return new Function("createHmac", "timingSafeEqual", `${code}\nreturn verifyBurnrate;`)(
    createHmac,
    timingSafeEqual,
  ) as Verify;
}

/** A webhook receiver on loopback that verifies, dedupes by event id, and counts. */
class Receiver {
  secret = "";
  calls = 0;
  badSignatures = 0;
  /** Event id → times it arrived. */
  readonly seen = new Map<string, number>();
  readonly types = new Map<string, string>();
  onCall: () => void = () => undefined;
  private server: Server | null = null;
  constructor(private verify: Verify) {}

  async start(): Promise<string> {
    const port = await freePort();
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.calls++;
        const raw = Buffer.concat(chunks).toString("utf8");
        const sig = String(req.headers["burnrate-signature"] ?? "");
        let valid = false;
        try {
          valid = this.verify(raw, sig, this.secret);
        } catch {
          /* a header the recipe cannot read: not valid */
        }
        if (!valid) {
          this.badSignatures++;
          res.statusCode = 401;
          res.end();
          return;
        }
        const ev = JSON.parse(raw) as { id: string; type: string };
        this.seen.set(ev.id, (this.seen.get(ev.id) ?? 0) + 1);
        this.types.set(ev.id, ev.type);
        res.statusCode = 204; // handled now, or already handled before: either way done
        res.end();
        this.onCall();
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, "127.0.0.1", r));
    return `http://127.0.0.1:${port}/hooks/burnrate`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export async function run(ctx: ChaosContext): Promise<ChaosRow[]> {
  const N = ctx.quick ? 12 : 40;
  const KILLS = ctx.quick ? 6 : 16;
  const KILL_GAP_MS = 3 * SECOND_MS;
  const DRAIN_LIMIT_MS = ctx.quick ? 3 * MINUTE_MS : 5 * MINUTE_MS;
  const cleanups: (() => Promise<unknown>)[] = [];
  const receiver = new Receiver(documentedVerifier());
  try {
    const { db, apiUrl, token, workers } = await startStormStack(ctx, cleanups);
    const url = await receiver.start();
    cleanups.push(() => receiver.stop());
    const { api, must } = stormApi(apiUrl, token);
    await api("GET", "/api/v1/teams");
    await createServices(must, N);
    const created = await must("POST", "/api/v1/receivers", {
      team: "storm",
      name: "storm webhook",
      kind: "webhook",
      url,
      severities: ["page", "ticket"],
    });
    const rec = created.body as { id: string; signingSecret?: string };
    if (!rec.signingSecret) throw new Error("the webhook's create did not return its signing secret");
    receiver.secret = rec.signingSecret;
    ctx.log(`${N} services with an SLO each; webhook receiver ${url}`);

    for (const w of workers) w.start();
    // Half of the kills at random moments (the storm's kills, minus its post hook)…
    const faults = new WorkerKills(workers, KILLS / 2, KILL_GAP_MS);
    faults.acksDone = true;
    // …and half 0–30 ms after the receiver answered a call: before or after the worker recorded it.
    let afterCall = 0;
    let pendingAfterCall = 0;
    receiver.onCall = () => {
      if (process.env.CHAOS_VERBOSE)
        ctx.log(
          `call ${receiver.calls}: over ${faults.faultsOver}, after-call kills ${afterCall}+${pendingAfterCall}, live ${workers.filter((w) => w.child).length}`,
        );
      if (faults.faultsOver || afterCall + pendingAfterCall >= KILLS / 2 || Math.random() > 0.5) return;
      pendingAfterCall++;
      setTimeout(
        () => {
          pendingAfterCall--;
          const live = workers.filter((w) => w.child && w.child.exitCode === null);
          const w = live[Math.floor(Math.random() * live.length)];
          if (w?.kill()) {
            afterCall++;
            faults.lastFaultAt = Date.now();
          }
        },
        Math.floor(Math.random() * 31),
      );
    };
    const t0 = Date.now();
    const all = Array.from({ length: N }, (_, i) => i);
    await ingest(api, all, t0 - 20 * MINUTE_MS, t0, 600, 10);
    const waitAlerts = async (min: number, limitMs: number) => {
      const until = Date.now() + limitMs;
      for (;;) {
        const n = await db.alert.count().catch(() => 0);
        if (n >= min || Date.now() > until) return n;
        await sleep(500);
      }
    };
    ctx.log(`alerts: ${await waitAlerts(1, 2 * MINUTE_MS)} of ${N}`);
    const killer = faults.atRandom();
    ctx.log(`alerts: ${await waitAlerts(N, 3 * MINUTE_MS)} of ${N}`);

    const alerts = await db.alert.findMany({ select: { id: true, sloId: true } });
    const shuffled = [...alerts].sort(() => Math.random() - 0.5);
    let acked = 0;
    for (const a of shuffled.slice(0, Math.floor(alerts.length / 2)))
      if ((await api("POST", `/api/v1/alerts/${a.id}/ack`, {})).status === 200) acked++;
    faults.acksDone = true;
    const sloIndex = new Map(
      (await db.slo.findMany({ select: { id: true, service: { select: { slug: true } } } })).map((s) => [
        s.id,
        Number(s.service.slug.replace("storm-", "")),
      ]),
    );
    const recovering = shuffled
      .slice(Math.floor(alerts.length * 0.25), Math.floor(alerts.length * 0.85))
      .map((a) => sloIndex.get(a.sloId)!);
    ctx.log(`${acked} acknowledged; ${recovering.length} services recover`);
    const t1 = Date.now();
    await ingest(api, recovering, t1 - 4 * MINUTE_MS, t1, 4000, 0);
    await killer;
    // Deliveries can trail the alerts by tens of seconds on a loaded machine: the faults go on until the call
    // hook has had its share of kills (or 2 minutes).
    const hookUntil = Date.now() + 2 * MINUTE_MS;
    while (afterCall < KILLS / 2 && Date.now() < hookUntil) await sleep(500);
    faults.faultsOver = true;
    const faultsEndedAt = Math.max(faults.lastFaultAt, Date.now());
    const kills = faults.kills + afterCall;
    ctx.log(`${kills} kills (${afterCall} right after a webhook call); draining`);

    // Drained: every resolved or acknowledged alert has its delivery row, and none is pending any more.
    const state = async () => {
      const [r] = await db.$queryRawUnsafe<{ pending: number; missing: number }[]>(
        `SELECT (SELECT count(*)::int FROM receiver_deliveries WHERE receiver_id = $1::uuid AND status = 'pending') AS pending,
                (SELECT count(*)::int FROM alert_events e
                  WHERE e.kind IN ('fired', 'acknowledged', 'resolved')
                    AND NOT EXISTS (SELECT 1 FROM receiver_deliveries d
                                     WHERE d.receiver_id = $1::uuid AND d.event_id = e.id)) AS missing`,
        rec.id,
      );
      return r!;
    };
    let drainedAt: number | null = null;
    const until = Date.now() + DRAIN_LIMIT_MS;
    while (Date.now() < until) {
      const s = await state().catch(() => null);
      if (s && s.pending === 0 && s.missing === 0) {
        drainedAt = Date.now();
        break;
      }
      await sleep(SECOND_MS);
    }
    await sleep(2 * SECOND_MS); // a call still on its way lands in the count
    await Promise.all(workers.map((w) => w.stop()));
    const left = await state();
    const rows = await db.receiverDelivery.findMany({
      where: { receiverId: rec.id },
      select: { eventId: true, type: true, status: true },
    });
    if (process.env.CHAOS_VERBOSE) {
      const detail = await db.receiverDelivery.findMany({
        where: { receiverId: rec.id },
        select: { type: true, attempts: true, error: true, createdAt: true, sentAt: true },
        orderBy: { createdAt: "asc" },
      });
      for (const d of detail.slice(0, 8))
        ctx.log(
          `${d.type} row +${d.createdAt.getTime() - t0} ms, sent +${(d.sentAt?.getTime() ?? 0) - t0} ms, ${d.attempts} calls, ${d.error ?? ""}`,
        );
      const fired = await db.alertEvent.findMany({ where: { kind: "fired" }, select: { at: true }, take: 3 });
      ctx.log(
        `fired at ${fired.map((f) => f.at.getTime() - t0).join(", ")} ms; receiver made at +${(await db.receiver.findUniqueOrThrow({ where: { id: rec.id } })).createdAt.getTime() - t0} ms`,
      );
      for (const w of workers) ctx.log(`${w} stderr: ${w.stderr.join("").slice(-1500)}`);
    }
    const byType = (t: string) => rows.filter((r) => r.type === t).length;
    const expected = new Set(rows.map((r) => r.eventId));
    const missing = [...expected].filter((id) => !receiver.seen.has(id)).length;
    const unknown = [...receiver.seen.keys()].filter((id) => !expected.has(id)).length;
    const repeats = [...receiver.seen.values()].reduce((a, n) => a + n - 1, 0);
    const notSent = rows.filter((r) => r.status !== "sent").length;
    const row = (check: string, value: string, target: string, ok: boolean): ChaosRow => ({
      scenario: SCENARIO,
      check,
      value,
      target,
      ok,
    });
    return [
      row(
        "worker kills (of them, 0–30 ms after a webhook call)",
        `${kills} (${afterCall})`,
        `${KILLS} (${KILLS / 2})`,
        kills >= KILLS / 2 && afterCall > 0,
      ),
      row(
        "events delivered: firing / acknowledged / resolved",
        `${byType("alert.firing")} / ${byType("alert.acknowledged")} / ${byType("alert.resolved")}`,
        `firing = alerts (${alerts.length}), acks > 0`,
        byType("alert.firing") === alerts.length && byType("alert.acknowledged") > 0,
      ),
      row(
        "drained after the last fault",
        drainedAt === null ? "no" : `${fmt((drainedAt - faultsEndedAt) / SECOND_MS, 1)} s`,
        `≤ ${DRAIN_LIMIT_MS / SECOND_MS} s`,
        drainedAt !== null && left.pending === 0 && left.missing === 0,
      ),
      row("deliveries not sent", String(notSent), "0", notSent === 0),
      row(
        "events handled by the receiver: exactly once each",
        `${receiver.seen.size} of ${expected.size}; ${missing} missing, ${unknown} unknown`,
        "all, 0 missing, 0 unknown",
        missing === 0 && unknown === 0 && expected.size > 0,
      ),
      row(
        "signatures failing the README's recipe",
        `${receiver.badSignatures} of ${receiver.calls} calls`,
        "0",
        receiver.badSignatures === 0 && receiver.calls > 0,
      ),
      row(
        "repeated calls the receiver ignored by event id",
        String(repeats),
        `≤ kills after a call (${afterCall})`,
        repeats <= afterCall,
      ),
    ];
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

export const scenarios: ChaosScenario[] = [{ name: SCENARIO, run }];
