/**
 * CPU per evaluation cycle, Burnrate beside Prometheus evaluating Sloth-style rules for the same SLOs on the same
 * traffic (`pnpm bench --peer=prometheus`, when the `prometheus` and `promtool` binaries are on the PATH).
 *
 *  - Burnrate: the SLOs, history and traffic of scripts/bench/evaluation.ts; a cycle is every shard job, run by
 *    an evaluation worker process of its own (scripts/bench/eval-worker.ts). CPU per cycle: that process + the
 *    API + the Postgres backends of the bench's database, from /proc, around each cycle; before each cycle a new
 *    minute of traffic is written (not counted: it is ingest's work).
 *  - Prometheus: the same SLO rows read from the database, written as the rules Sloth generates (per SLO an SLI
 *    recording group, a meta recording group and an alert group; the error ratio over 5m, 30m, 1h, 2h, 6h, 1d
 *    and 3d from the raw counters, the period's from the recorded 5m ratio, the same four multiwindow tiers and
 *    factors as Burnrate's), each SLO `by (region)`. The same traffic as counters: 3 days of history of the raw
 *    series (the longest window a rule reads from them) and 28 days of the recorded 5m ratio (what the period
 *    rule reads), at one sample a minute, backfilled with `promtool tsdb create-blocks-from openmetrics`; then a
 *    scrape target in this process serving the counters live, scrape and evaluation interval 1m. CPU of the
 *    prometheus process over several evaluation cycles after a warm-up, per minute (the minute's scrape
 *    included).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { DAY_MS, MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { workbookTiers } from "../../packages/slo-core/src/alert-tier.ts";
import { REGIONS, writeRecentRollups } from "./evaluation.ts";
import { procStatusBytes, type Env } from "./harness.ts";
import { backendsCpu } from "./history.ts";
import { procCpu } from "./ingest.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Whether both binaries answer `--version`. */
export function prometheusAvailable(): boolean {
  return ["prometheus", "promtool"].every(
    (b) => spawnSync(b, ["--version"], { stdio: "ignore" }).status === 0,
  );
}

export interface BurnrateCycles {
  /** CPU seconds per cycle (median of the steady cycles): the worker process, the API, Postgres, and in all. */
  cpu: { worker: number; api: number; postgres: number; total: number };
  /** Wall time of a steady cycle (median), ms. */
  ms: number;
  firstMs: number;
  /** Alerts the first cycle opened (firing SLO × region). */
  firstDispatches: number;
  /** The worker process's peak RSS (VmHWM) after every cycle, bytes. */
  workerHwm: number;
  cycles: number;
}

/**
 * `n` steady cycles (after a first one, which opens the burning SLOs' alerts) over the `slos` SLOs of the bench
 * services tagged `tag`, by an evaluation worker process; a new minute of traffic (`k` × the base) before each.
 */
export async function burnrateCycles(
  env: Env,
  tag: string,
  slos: number,
  n = 5,
  k = 1,
): Promise<BurnrateCycles> {
  const dbName = new URL(env.databaseUrl).pathname.slice(1);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/bench/eval-worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: env.databaseUrl, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  type Reply = { ready?: true; ok?: boolean; ms?: number; dispatches?: number; hwm?: number; error?: string };
  const replies: Reply[] = [];
  let waiting: ((r: Reply) => void) | null = null;
  child.on("message", (m: Reply) => (waiting ? (waiting(m), (waiting = null)) : replies.push(m)));
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      const r = replies.shift();
      if (r) return resolve(r);
      waiting = resolve;
      child.once("exit", (code) => reject(new Error(`the evaluation worker exited with ${code}`)));
    });
  try {
    await next(); // ready
    const cycle = async () => {
      const before = { w: procCpu(child.pid!) ?? 0, a: procCpu(env.pid) ?? 0, p: backendsCpu(dbName) ?? 0 };
      child.send({ slos, shardSize: 500 });
      const r = await next();
      if (!r.ok) throw new Error(`evaluation cycle: ${r.error}`);
      const worker = (procCpu(child.pid!) ?? 0) - before.w;
      const api = (procCpu(env.pid) ?? 0) - before.a;
      const postgres = (backendsCpu(dbName) ?? 0) - before.p;
      return {
        worker,
        api,
        postgres,
        total: worker + api + postgres,
        ms: r.ms!,
        dispatches: r.dispatches!,
        hwm: r.hwm!,
      };
    };
    const first = await cycle();
    const runs: Awaited<ReturnType<typeof cycle>>[] = [];
    for (let i = 0; i < n; i++) {
      await writeRecentRollups(env, tag, Date.now(), k, 1);
      runs.push(await cycle());
    }
    const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
    return {
      cpu: {
        worker: m((r) => r.worker),
        api: m((r) => r.api),
        postgres: m((r) => r.postgres),
        total: m((r) => r.total),
      },
      ms: m((r) => r.ms),
      firstMs: first.ms,
      firstDispatches: first.dispatches,
      workerHwm: Math.max(first.hwm, ...runs.map((r) => r.hwm)),
      cycles: n,
    };
  } finally {
    if (child.exitCode === null) {
      child.send("exit");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    }
  }
}

/** One SLO as the rules see it: its service, endpoint, SLI and objective, as stored. */
export interface PeerSlo {
  service: string;
  serviceIndex: number;
  endpoint: string;
  kind: "availability" | "latency";
  thresholdMs: number | null;
  objective: number;
  periodDays: number;
}

/** The SLO rows of the bench services tagged `tag` (seeded by scripts/bench/evaluation.ts). */
export async function peerSlos(env: Env, tag: string): Promise<PeerSlo[]> {
  const rows = await env.db.$queryRawUnsafe<
    {
      service: string;
      route: string;
      sli: { type: string; thresholdMs?: number };
      objective: number;
      window: { days: number };
    }[]
  >(
    `SELECT s.slug AS service, e.route, o.sli, o.objective_percent::float8 AS objective, o."window"
       FROM slos o JOIN services s ON s.id = o.service_id JOIN endpoints e ON e.id = o.endpoint_id
      WHERE s.slug LIKE $1 || '-svc-%' ORDER BY s.slug, e.route, o.name`,
    tag,
  );
  return rows.map((r) => ({
    service: r.service,
    serviceIndex: Number(r.service.split("-svc-")[1]),
    endpoint: r.route,
    kind: r.sli.type === "latency" ? "latency" : "availability",
    thresholdMs: r.sli.thresholdMs ?? null,
    objective: r.objective / 100,
    periodDays: r.window.days,
  }));
}

const REQS = "bench_http_requests_total";
const BUCKET = "bench_http_request_duration_seconds_bucket";
/** Sloth's SLI windows: the tiers' short and long windows. */
const SLI_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];
const promDuration = (ms: number) =>
  ms % DAY_MS === 0
    ? `${ms / DAY_MS}d`
    : ms % (60 * MINUTE_MS) === 0
      ? `${ms / 60 / MINUTE_MS}h`
      : `${ms / MINUTE_MS}m`;
const sloId = (s: PeerSlo) => `${s.service}-${s.endpoint.replaceAll("/", "-").replace(/^-/, "")}-${s.kind}`;

/**
 * The rules Sloth generates for `slos` (its `prometheus/v1` spec with `sum by (region)` queries), as a
 * Prometheus rule file (JSON, which Prometheus reads as YAML). Tiers and factors: slo-core's workbook tiers for
 * the SLO's period (13.44/5.6/2.8/0.93 at 28 days, where Sloth's are 14.4/6/3/1 at 30).
 */
export function slothRules(slos: PeerSlo[]): { file: string; rules: number; groups: number } {
  const groups: unknown[] = [];
  let rules = 0;
  for (const s of slos) {
    const id = sloId(s);
    const labels = { sloth_id: id, sloth_service: s.service, sloth_slo: `${s.endpoint}-${s.kind}` };
    const sel = `sloth_id="${id}", sloth_service="${s.service}", sloth_slo="${labels.sloth_slo}"`;
    const m = `service="${s.service}", endpoint="${s.endpoint}"`;
    const le = ((s.thresholdMs ?? 0) / 1000).toString();
    const errorQuery = (w: string) =>
      s.kind === "availability"
        ? `sum by (region) (rate(${REQS}{${m}, code=~"5.."}[${w}]))`
        : `(sum by (region) (rate(${BUCKET}{${m}, le="+Inf"}[${w}])) - sum by (region) (rate(${BUCKET}{${m}, le="${le}"}[${w}])))`;
    const totalQuery = (w: string) =>
      s.kind === "availability"
        ? `sum by (region) (rate(${REQS}{${m}}[${w}]))`
        : `sum by (region) (rate(${BUCKET}{${m}, le="+Inf"}[${w}]))`;
    const period = `${s.periodDays}d`;
    const sli = SLI_WINDOWS.map((w) => ({
      record: `slo:sli_error:ratio_rate${w}`,
      expr: `(${errorQuery(w)})\n/\n(${totalQuery(w)})\n`,
      labels: { ...labels, sloth_window: w },
    }));
    sli.push({
      record: `slo:sli_error:ratio_rate${period}`,
      expr: `sum_over_time(slo:sli_error:ratio_rate5m{${sel}}[${period}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{${sel}}[${period}])\n`,
      labels: { ...labels, sloth_window: period },
    });
    const on = `on(sloth_id, sloth_slo, sloth_service) group_left`;
    const meta = [
      { record: "slo:objective:ratio", expr: `vector(${s.objective})`, labels },
      { record: "slo:error_budget:ratio", expr: `vector(1-${s.objective})`, labels },
      { record: "slo:time_period:days", expr: `vector(${s.periodDays})`, labels },
      {
        record: "slo:current_burn_rate:ratio",
        expr: `slo:sli_error:ratio_rate5m{${sel}}\n/ ${on}\nslo:error_budget:ratio{${sel}}\n`,
        labels,
      },
      {
        record: "slo:period_burn_rate:ratio",
        expr: `slo:sli_error:ratio_rate${period}{${sel}}\n/ ${on}\nslo:error_budget:ratio{${sel}}\n`,
        labels,
      },
      {
        record: "slo:period_error_budget_remaining:ratio",
        expr: `1 - slo:period_burn_rate:ratio{${sel}}`,
        labels,
      },
      {
        record: "sloth_slo_info",
        expr: `vector(1)`,
        labels: { ...labels, sloth_mode: "cli-gen-prom", sloth_objective: String(s.objective * 100) },
      },
    ];
    const tiers = workbookTiers(s.periodDays * DAY_MS);
    const budget = Number((1 - s.objective).toPrecision(12));
    const cond = (t: { shortWindowMs: number | null; longWindowMs: number; factor: number }) =>
      `(\n  max(slo:sli_error:ratio_rate${promDuration(t.shortWindowMs ?? t.longWindowMs)}{${sel}} > (${t.factor} * ${budget})) without (sloth_window)\n  and\n  max(slo:sli_error:ratio_rate${promDuration(t.longWindowMs)}{${sel}} > (${t.factor} * ${budget})) without (sloth_window)\n)`;
    const alerts = (["page", "ticket"] as const).map((sev) => ({
      alert: `${id.replace(/[^a-zA-Z0-9]/g, "_")}_${sev}`,
      expr: tiers
        .filter((t) => t.severity === sev)
        .map(cond)
        .join("\nor\n"),
      labels: { ...labels, severity: sev },
      annotations: { summary: `${s.service} ${labels.sloth_slo} is burning its error budget` },
    }));
    groups.push(
      { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
      { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
      { name: `sloth-slo-alerts-${id}`, rules: alerts },
    );
    rules += sli.length + meta.length + alerts.length;
  }
  return { file: JSON.stringify({ groups }, null, 1), rules, groups: groups.length };
}

/**
 * The bench traffic as counters of endpoint × region, the same rates as scripts/bench/evaluation.ts: 1,000
 * requests a minute; in the history 1 in 2,000 failing (503, over 300 ms), from `recentMs` on (the bench's
 * recent rollups and each cycle's new minute) 1 in 1,000, and 20% in the first region of every 50th service.
 * Values at `tMs`, from `t0Ms`.
 */
function counters(t0Ms: number, recentMs: number, serviceIndex: number, region: number, tMs: number) {
  const minutes = (tMs - t0Ms) / MINUTE_MS;
  const recent = Math.max(0, (tMs - recentMs) / MINUTE_MS);
  const total = 1000 * minutes;
  const bad = 0.5 * (minutes - recent) + recentRatio(serviceIndex, region) * 1000 * recent;
  return { total, bad, good: total - bad };
}
const recentRatio = (serviceIndex: number, region: number) =>
  serviceIndex % 50 === 0 && region === 0 ? 0.2 : 0.001;

interface Series {
  serviceIndex: number;
  service: string;
  endpoint: string;
  region: number;
}

/** One line per series and metric for `t`, in the exposition format (timestamp in seconds when given). */
function counterLines(series: Series[], t0: number, burnFrom: number, t: number, ts?: number): string {
  const at = ts === undefined ? "" : ` ${ts}`;
  let out = "";
  for (const metric of ["200", "503", "0.3", "+Inf"] as const)
    for (const s of series) {
      const c = counters(t0, burnFrom, s.serviceIndex, s.region, t);
      const l = `service="${s.service}",endpoint="${s.endpoint}",region="${REGIONS[s.region]}"`;
      if (metric === "200" || metric === "503")
        out += `${REQS}{${l},code="${metric}"} ${metric === "200" ? c.good : c.bad}${at}\n`;
      else out += `${BUCKET}{${l},le="${metric}"} ${metric === "+Inf" ? c.total : c.good}${at}\n`;
    }
  return out;
}

export interface PrometheusCycles {
  /** CPU seconds of the prometheus process per minute (one evaluation of every group, one scrape). */
  cpu: number;
  minutes: number;
  /** Sum over groups of prometheus_rule_group_last_duration_seconds at the end: wall time, groups run concurrently. */
  groupSeconds: number;
  rules: number;
  groups: number;
  samplesBackfilled: number;
  backfillSeconds: number;
  /** Firing alerts at the end, and SLO × region with a period ratio (a check that every rule has its data). */
  firing: number;
  periodSeries: number;
  failures: number;
  /** The prometheus process's peak RSS (VmHWM), bytes. */
  hwm: number;
  /** Group evaluations Prometheus skipped over the measured minutes because the one before had not ended. */
  missed: number;
  /** Minutes between the backfilled samples of the recorded 5m ratio (1: as the rule records it). */
  ratioStepMinutes: number;
}

async function promQuery(url: string, q: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
  const v = body.data?.result?.[0]?.value[1];
  return v === undefined ? 0 : Number(v);
}

/** Alerts firing now, from the alerts API. */
async function firingAlerts(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
    data: { alerts: { state: string }[] };
  };
  return body.data.alerts.filter((a) => a.state === "firing").length;
}

/** The sum of every sample of `name` on Prometheus's own /metrics (it does not scrape itself here). */
async function ownMetricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  return sum;
}

/**
 * Prometheus evaluating the Sloth-style rules of `slos` over `minutes` evaluation cycles (after `warmupMinutes`),
 * on backfilled history and a live scrape target.
 */
export async function prometheusCycles(
  slos: PeerSlo[],
  opts: {
    minutes?: number;
    warmupMinutes?: number;
    ratioStepMinutes?: number;
    log?: (s: string) => void;
  } = {},
): Promise<PrometheusCycles> {
  const { minutes = 4, warmupMinutes = 2, ratioStepMinutes = 1, log = () => undefined } = opts;
  const dir = mkdtempSync(path.join(tmpdir(), "burnrate-bench-prom-"));
  let prom: ChildProcess | null = null;
  let target: http.Server | null = null;
  try {
    const rules = slothRules(slos);
    writeFileSync(path.join(dir, "rules.yml"), rules.file);
    const check = spawnSync("promtool", ["check", "rules", path.join(dir, "rules.yml")], {
      encoding: "utf8",
    });
    if (check.status !== 0) throw new Error(`promtool check rules: ${check.stdout}${check.stderr}`);

    // Series: every endpoint × region of the SLOs' services.
    const seen = new Set<string>();
    const series: Series[] = [];
    for (const s of slos)
      for (let r = 0; r < REGIONS.length; r++) {
        const key = `${s.service} ${s.endpoint} ${r}`;
        if (seen.has(key)) continue;
        seen.add(key);
        series.push({ serviceIndex: s.serviceIndex, service: s.service, endpoint: s.endpoint, region: r });
      }
    const now = Date.now();
    const end = Math.floor(now / MINUTE_MS) * MINUTE_MS - MINUTE_MS; // the last backfilled minute
    const periodDays = Math.max(...slos.map((s) => s.periodDays));
    const t0 = end - 3 * DAY_MS; // raw counters from here
    const p0 = end - periodDays * DAY_MS; // the recorded 5m ratio from here
    const burnFrom = end - 10 * MINUTE_MS; // the bench's 11 recent minutes

    log(
      `prometheus: writing ${series.length * 4} raw series × 3 d and ${slos.length * REGIONS.length} ratio series × ${periodDays} d (a sample every ${ratioStepMinutes} min)…`,
    );
    const file = path.join(dir, "history.om");
    const fd = openSync(file, "w");
    let samples = 0;
    let buf = "";
    const flush = (force = false) => {
      if (buf.length > 1 << 20 || force) {
        writeSync(fd, buf);
        buf = "";
      }
    };
    // The recorded 5m error ratio, one sample a minute (as the rule records it) or every `ratioStepMinutes`, with
    // the labels the rule writes. A sparser history is cheaper for Prometheus: the period rule reads fewer samples.
    for (const s of slos)
      for (let r = 0; r < REGIONS.length; r++) {
        const id = sloId(s);
        const l = `slo:sli_error:ratio_rate5m{region="${REGIONS[r]}",sloth_id="${id}",sloth_service="${s.service}",sloth_slo="${s.endpoint}-${s.kind}",sloth_window="5m"}`;
        // The 5m ratio of counters(): 0.0005 in the history, then moving to the recent ratio over 5 minutes.
        const recent = recentRatio(s.serviceIndex, r);
        for (
          let t =
            end - Math.floor((end - p0) / (ratioStepMinutes * MINUTE_MS)) * ratioStepMinutes * MINUTE_MS;
          t <= end;
          t += ratioStepMinutes * MINUTE_MS
        ) {
          const f = Math.min(1, Math.max(0, (t - burnFrom) / (5 * MINUTE_MS)));
          buf += `${l} ${0.0005 + f * (recent - 0.0005)} ${t / 1000}\n`;
          samples++;
          flush();
        }
      }
    // The raw counters, family by family, each series in time order.
    for (const metric of ["200", "503", "0.3", "+Inf"] as const)
      for (const s of series) {
        const l = `service="${s.service}",endpoint="${s.endpoint}",region="${REGIONS[s.region]}"`;
        const name =
          metric === "200" || metric === "503"
            ? `${REQS}{${l},code="${metric}"}`
            : `${BUCKET}{${l},le="${metric}"}`;
        for (let t = t0; t <= end; t += MINUTE_MS) {
          const c = counters(t0, burnFrom, s.serviceIndex, s.region, t);
          const v = metric === "200" || metric === "0.3" ? c.good : metric === "503" ? c.bad : c.total;
          buf += `${name} ${v} ${t / 1000}\n`;
          samples++;
          flush();
        }
      }
    buf += "# EOF\n";
    flush(true);
    closeSync(fd);

    log(`prometheus: backfilling ${samples.toLocaleString("en-US")} samples with promtool…`);
    const b0 = performance.now();
    const data = path.join(dir, "data");
    const bf = spawnSync(
      "promtool",
      ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=700h", file, data],
      { encoding: "utf8", maxBuffer: 64 << 20 },
    );
    if (bf.status !== 0) throw new Error(`promtool backfill: ${bf.stderr.slice(-2000)}`);
    const backfillSeconds = (performance.now() - b0) / 1000;
    rmSync(file);

    // The scrape target: the counters now.
    target = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(counterLines(series, t0, burnFrom, Date.now()));
    });
    await new Promise<void>((r) => target!.listen(0, "127.0.0.1", r));
    const targetPort = (target.address() as { port: number }).port;
    const promPort = await new Promise<number>((resolve) => {
      const s = http.createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      JSON.stringify({
        global: { scrape_interval: "1m", evaluation_interval: "1m" },
        rule_files: [path.join(dir, "rules.yml")],
        scrape_configs: [
          {
            job_name: "bench",
            honor_labels: true,
            static_configs: [{ targets: [`127.0.0.1:${targetPort}`] }],
          },
        ],
      }),
    );
    prom = spawn(
      "prometheus",
      [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${data}`,
        "--storage.tsdb.retention.time=60d",
        `--web.listen-address=127.0.0.1:${promPort}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const url = `http://127.0.0.1:${promPort}`;
    const s0 = Date.now();
    for (;;) {
      if (prom.exitCode !== null) throw new Error(`prometheus exited with ${prom.exitCode}`);
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - s0 > 5 * MINUTE_MS) throw new Error("prometheus was not ready in 5 minutes");
      await sleep(500);
    }
    log(`prometheus: ready; ${warmupMinutes} min of warm-up, then ${minutes} evaluation cycles…`);
    await sleep(warmupMinutes * MINUTE_MS);
    const c0 = procCpu(prom.pid!) ?? 0;
    const missed0 = await ownMetricSum(url, "prometheus_rule_group_iterations_missed_total");
    const w0 = performance.now();
    await sleep(minutes * MINUTE_MS);
    const cpu = (procCpu(prom.pid!) ?? 0) - c0;
    const measured = (performance.now() - w0) / MINUTE_MS;
    return {
      cpu: cpu / measured,
      minutes: measured,
      groupSeconds: await ownMetricSum(url, "prometheus_rule_group_last_duration_seconds"),
      rules: rules.rules,
      groups: rules.groups,
      samplesBackfilled: samples,
      backfillSeconds,
      firing: await firingAlerts(url),
      periodSeries: await promQuery(url, `count({__name__="slo:sli_error:ratio_rate${periodDays}d"})`),
      failures: await ownMetricSum(url, "prometheus_rule_evaluation_failures_total"),
      hwm: procStatusBytes(prom.pid!, "VmHWM"),
      missed: (await ownMetricSum(url, "prometheus_rule_group_iterations_missed_total")) - missed0,
      ratioStepMinutes,
    };
  } finally {
    if (prom && prom.exitCode === null) {
      // SIGTERM waits for every group's evaluation in flight; at 15,000 groups a busy Prometheus has been seen
      // still evaluating minutes later, so after 30 s it is killed (its data is thrown away with the directory).
      const exited = new Promise((r) => prom!.once("exit", r));
      prom.kill("SIGTERM");
      const late = setTimeout(() => prom!.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(late);
    }
    if (target) await new Promise((r) => target!.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}
