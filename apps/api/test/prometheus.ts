import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/** The path of a binary on PATH, or an error that says how to get it (the tests never skip without it). */
export function requireBinary(name: "prometheus" | "promtool" | "prometheus-alertmanager"): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const bin = found.stdout.trim();
  const pkg = name === "prometheus-alertmanager" ? name : "prometheus";
  if (found.status !== 0 || !bin)
    throw new Error(
      `'${name}' is not on PATH: install Debian's ${pkg} package (apt-get install -y ${pkg}; .ci/run does it)`,
    );
  return bin;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs promtool with `args` (and `stdin`): its exit status and what it wrote. */
export function promtool(args: string[], stdin?: string): { status: number | null; output: string } {
  const r = spawnSync(requireBinary("promtool"), args, { input: stdin, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

export interface PrometheusServer {
  url: string;
  /** An instant query's vector (now, or at `atMs`): each series' labels and value. */
  query(expr: string, atMs?: number): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus of the test's own (temporary config and data directory, a free port) scraping `target`
 * (host:port) at `metricsPath` every second. `openMetrics`: history written into its data directory first with
 * `promtool tsdb create-blocks-from openmetrics` (Prometheus's own backfill).
 */
export async function startPrometheus(
  target: string,
  metricsPath: string,
  opts: { openMetrics?: string } = {},
): Promise<PrometheusServer> {
  const bin = requireBinary("prometheus");
  const dir = mkdtempSync(path.join(os.tmpdir(), "burnrate-prom-"));
  if (opts.openMetrics !== undefined) {
    writeFileSync(path.join(dir, "history.om"), opts.openMetrics);
    const r = promtool([
      "tsdb",
      "create-blocks-from",
      "openmetrics",
      path.join(dir, "history.om"),
      path.join(dir, "data"),
    ]);
    if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.output.slice(-2000)}`);
  }
  const port = await freePort();
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: burnrate-slos",
      `    metrics_path: ${metricsPath}`,
      "    static_configs:",
      `      - targets: ["${target}"]`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`prometheus not ready after 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async query(expr, atMs) {
      const params = new URLSearchParams({ query: expr });
      if (atMs !== undefined) params.set("time", (atMs / 1000).toFixed(3));
      const res = await fetch(`${url}/api/v1/query?${params}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== "success") throw new Error(`query ${expr}: ${body.error}`);
      if (body.data!.resultType !== "vector") throw new Error(`query ${expr}: a ${body.data!.resultType}`);
      return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
