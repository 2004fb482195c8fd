/** The storm's processes (the API, the workers): started again whenever they exit, so a SIGKILL is a crash. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { sleep } from "../lib.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** A child process that is started again whenever it exits (until `stop`). */
export class Respawning {
  child: ChildProcess | null = null;
  startedAt = 0;
  starts = 0;
  private stopped = false;
  readonly stderr: string[] = [];
  constructor(
    private name: string,
    private script: string,
    private env: () => Record<string, string>,
  ) {}
  start(): void {
    if (this.stopped) return;
    this.starts++;
    const c = spawn(process.execPath, ["--import", "tsx", this.script], {
      cwd: ROOT,
      env: { ...process.env, ...this.env() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => {
      this.stderr.push(d.toString());
      if (this.stderr.length > 200) this.stderr.shift();
    });
    c.on("exit", () => {
      if (this.child === c) this.child = null;
      if (!this.stopped) setTimeout(() => this.start(), 300);
    });
    this.child = c;
    this.startedAt = Date.now();
  }
  /** SIGKILL (the process is started again by itself). */
  kill(): boolean {
    const c = this.child;
    if (!c || c.exitCode !== null) return false;
    c.kill("SIGKILL");
    return true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await Promise.race([exited, sleep(5 * SECOND_MS)]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }
  toString() {
    return this.name;
  }
}
