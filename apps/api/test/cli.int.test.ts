import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";
import { WORKBOOK_EXAMPLE } from "./openslo-fixtures";

const BIN = path.resolve(import.meta.dirname, "../../cli/bin/burnrate.mjs");

/** Runs the real `burnrate` bin in a child process. */
function burnrate(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("burnrate CLI against a running API", () => {
  let stack: Stack;
  let dir: string;
  let file: string;
  let conn: string[];
  beforeAll(async () => {
    stack = await startStack();
    dir = await mkdtemp(path.join(tmpdir(), "burnrate-cli-"));
    file = path.join(dir, "slos.yaml");
    await writeFile(file, WORKBOOK_EXAMPLE);
    conn = ["--url", stack.baseUrl, "--token", stack.token];
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("validate checks locally and with a server dry-run, and fails with the document and field", async () => {
    const ok = await burnrate(["validate", "-f", file, ...conn]);
    expect(ok.stderr).toMatch(/warning: .*labels.region/);
    expect(ok.stdout.trim()).toBe(`${file}: valid; the server would create 3, would update 0, 0 unchanged`);
    expect(ok.code).toBe(0);

    const badFilter = path.join(dir, "bad-filter.yaml");
    await writeFile(badFilter, WORKBOOK_EXAMPLE.replace("AND status < 500'", "AND status <= '"));
    const bf = await burnrate(["validate", "-f", badFilter, "--offline"]);
    expect(bf.code).toBe(2);
    expect(bf.stderr).toContain(
      "document 3 (SLI checkout-availability): field spec.ratioMetric.good.metricSource.spec.filter: expected a value",
    );
    expect(bf.stderr).toContain("at position 40");

    const badTarget = path.join(dir, "bad-target.yaml");
    await writeFile(badTarget, WORKBOOK_EXAMPLE.replace("target: 0.999", "target: 1"));
    const bt = await burnrate(["validate", "-f", badTarget, ...conn]);
    expect(bt.code).toBe(2);
    expect(bt.stderr).toContain(
      "document 7 (SLO checkout-availability-30d): field spec.objectives[0].target",
    );
    // Nothing was written by either run.
    expect((await call(stack, "GET", "/api/v1/services/checkout-api")).status).toBe(404);

    const noToken = await burnrate(["validate", "-f", file, "--url", stack.baseUrl]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/HTTP 401/);
    const usage = await burnrate(["apply"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/apply needs -f FILE/);
  });

  it("apply twice: the second run changes nothing; diff after an edit shows exactly that edit", async () => {
    const first = await burnrate(["apply", "-f", file, ...conn]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("+ team payments");
    expect(first.stdout).toContain("+ service checkout-api");
    expect(first.stdout).toContain("+ slo checkout-api/Checkout availability (30d rolling) (document 7)");
    expect(first.stdout.trim().split("\n").at(-1)).toBe("created 3, updated 0, 0 unchanged");

    // The environment works as well as the flags.
    const env = { BURNRATE_URL: stack.baseUrl, BURNRATE_TOKEN: stack.token };
    const second = await burnrate(["apply", "-f", file], env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe("nothing to change: all 3 objects already match the file");
    const versions = async () => {
      const slos = (await call(stack, "GET", "/api/v1/slos")).body as unknown as { id: string }[];
      return (await call(stack, "GET", `/api/v1/slos/${slos[0]!.id}/versions`)).body as unknown as unknown[];
    };
    expect(await versions()).toHaveLength(1);

    const same = await burnrate(["diff", "-f", file, "--exit-code"], env);
    expect(same.code).toBe(0);
    expect(same.stdout.trim()).toBe("no differences");

    await writeFile(file, WORKBOOK_EXAMPLE.replace("target: 0.999", "target: 0.995"));
    const d = await burnrate(["diff", "-f", file], env);
    expect(d.code).toBe(0);
    expect(d.stdout.trim().split("\n")).toEqual([
      "~ slo checkout-api/Checkout availability (30d rolling) (document 7)",
      "    objectivePercent: 99.9 → 99.5",
      "would create 0, would update 1, 2 unchanged",
    ]);
    expect((await burnrate(["diff", "-f", file, "--exit-code"], env)).code).toBe(1);

    const applied = await burnrate(["apply", "-f", file, "--reason", "loosen after the Q3 review"], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim().split("\n").at(-1)).toBe("created 0, updated 1, 2 unchanged");
    const v = await versions();
    expect(v).toHaveLength(2);
    expect(v[1]).toMatchObject({
      reason: "loosen after the Q3 review",
      changes: [{ field: "objectivePercent" }],
    });
    expect((await burnrate(["diff", "-f", file, "--exit-code"], env)).code).toBe(0);
  });

  it("export prints the server's OpenSLO YAML, which applies as a no-op", async () => {
    const out = path.join(dir, "exported.yaml");
    const e = await burnrate(["export", "--service", "checkout-api", "-o", out, ...conn]);
    expect(e.code, e.stderr).toBe(0);
    const yaml = await readFile(out, "utf8");
    expect(yaml).toContain("kind: SLO");
    expect(yaml).toContain("name: checkout-api");
    const toStdout = await burnrate(["export", ...conn]);
    expect(toStdout.stdout).toBe(yaml);
    const again = await burnrate(["apply", "-f", out, ...conn]);
    expect(again.stdout.trim()).toMatch(/^nothing to change/);
    const missing = await burnrate(["export", "--service", "nope", ...conn]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/HTTP 404: service 'nope' not found/);
  });
  it("import sloth -f: a dry run writes nothing, the import creates, a second import changes nothing; a refusal names the field", async () => {
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "clisloth", name: "CLI Sloth" })).status).toBe(
      201,
    );
    const fixture = path.join(import.meta.dirname, "fixtures/sloth/kubernetes-apiserver.yml");
    const args = [
      "import",
      "sloth",
      "-f",
      fixture,
      "--prometheus",
      "http://prometheus:9090",
      "--team",
      "clisloth",
    ];
    const count = () => stack.db.slo.count({ where: { service: { slug: "k8s-apiserver" } } });
    const dry = await burnrate([...args, "--dry-run", ...conn]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim().split("\n")).toEqual([
      "create    k8s-apiserver/requests-availability",
      "create    k8s-apiserver/requests-latency",
      "would create 2, update 0, unchanged 0",
    ]);
    expect(await count()).toBe(0);
    const first = await burnrate([...args, ...conn]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split("\n").at(-1)).toBe("created 2, updated 0, unchanged 0");
    expect(await count()).toBe(2);
    const second = await burnrate([...args, ...conn]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe("created 0, updated 0, unchanged 2");
    expect(await count()).toBe(2);

    const raw = path.join(import.meta.dirname, "fixtures/sloth/raw-home-wifi.yml");
    const refused = await burnrate([
      "import",
      "sloth",
      "-f",
      raw,
      "--prometheus",
      "http://prometheus:9090",
      ...conn,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("HTTP 400");
    expect(refused.stderr).toContain("slos[0].sli.raw");
  });
});
