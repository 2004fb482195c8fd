import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, requireBinary } from "./prometheus";

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

export interface AlertmanagerServer {
  url: string;
  /** `GET /api/v2/alerts` (active, silenced, inhibited and, with `all`, unprocessed ones too). */
  alerts(): Promise<AlertmanagerAlert[]>;
  stop(): Promise<void>;
}

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) of the test's own: a temporary config and storage
 * directory, a free port, no cluster. The route sends everything to a receiver that goes nowhere.
 */
export async function startAlertmanager(): Promise<AlertmanagerServer> {
  const bin = requireBinary("prometheus-alertmanager");
  const dir = mkdtempSync(path.join(os.tmpdir(), "burnrate-am-"));
  const port = await freePort();
  writeFileSync(
    path.join(dir, "alertmanager.yml"),
    [
      "global:",
      "  resolve_timeout: 5m",
      "route:",
      "  receiver: nowhere",
      "  group_by: [alertname, slo, region]",
      "receivers:",
      "  - name: nowhere",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited (${child.exitCode}): ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`alertmanager not ready after 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async alerts() {
      const res = await fetch(
        `${url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`,
      );
      if (!res.ok) throw new Error(`alertmanager /api/v2/alerts: ${res.status}`);
      return (await res.json()) as AlertmanagerAlert[];
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
