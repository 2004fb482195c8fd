import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * scripts/lib/run-ts.mjs, as the API and the worker run: on a cold tsx cache, esbuild's service (a child process
 * that pings its parent every second) is started for start-up and stopped once no module has been loaded for
 * 30 s; a module loaded later is still transpiled. With plain `--import tsx` the child stays for the process's life.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const RUN_TS = pathToFileURL(path.join(ROOT, "scripts/lib/run-ts.mjs")).href;

const PROGRAM = `
import { readdirSync, readFileSync } from "node:fs";
/** This process's child processes: state (S, R, Z…) and command line. */
const children = (): { state: string; cmd: string }[] =>
  readdirSync("/proc").filter((d) => /^\\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(\`/proc/\${d}/stat\`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[1]) !== process.pid) return [];
      return [{ state: f[0]!, cmd: readFileSync(\`/proc/\${d}/cmdline\`, "utf8").split("\\0").join(" ") }];
    } catch {
      return [];
    }
  });
const say = (o: object) => console.log(JSON.stringify(o));
const typed: number = 1;
say({ at: "start", typed, children: children() });
setTimeout(async () => {
  say({ at: "idle", children: children() });
  const later = await import("./later.ts");
  say({ at: "later", value: later.value });
  process.exit(0);
}, Number(process.env.WAIT_MS));
`;

describe("run-ts.mjs: TypeScript through tsx without its transpiler lingering", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "run-ts-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops esbuild's service after start-up, and still transpiles a module loaded later", async () => {
    writeFileSync(path.join(dir, "main.ts"), PROGRAM);
    writeFileSync(path.join(dir, "later.ts"), `export const value: string = "later " + (2 as number);\n`);
    // A tsx cache of its own, empty: the cold start of an install or a container.
    const cache = mkdtempSync(path.join(dir, "tmp-"));
    const child = spawn(process.execPath, ["--import", RUN_TS, path.join(dir, "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: cache, WAIT_MS: "36000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code, err).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, any>);
    const live = (l: Record<string, any>) =>
      (l.children as { state: string; cmd: string }[]).filter(
        (c) => c.state !== "Z" && /esbuild/.test(c.cmd),
      );
    const [start, idle, later] = lines;
    expect(start).toMatchObject({ at: "start", typed: 1 });
    // the cold start did transpile through esbuild's service…
    expect(live(start!).length).toBeGreaterThan(0);
    // …which is gone 36 s later
    expect(idle!.at).toBe("idle");
    expect(live(idle!)).toEqual([]);
    expect(later).toEqual({ at: "later", value: "later 2" });
  }, 90_000);
});
