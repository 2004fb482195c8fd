import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "./harness";

/** promtool from Prometheus (Debian's `prometheus` package; .ci/run and `npm test` install it when missing). */
function promtool(text: string): { status: number | null; output: string } {
  const which = spawnSync("sh", ["-c", "command -v promtool"]);
  if (which.status !== 0)
    throw new Error(
      "promtool is not installed: apt-get install -y prometheus (then stop its service), or run .ci/run, which installs it",
    );
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** The series of one metric in a text exposition: its sample lines. */
const seriesOf = (text: string, metric: string) =>
  text.split("\n").filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));

/**
 * /metrics of the API and of the worker in the Prometheus text format: `promtool check metrics` finds nothing,
 * and the API's `route` label stays bounded however many differently named static assets are asked for.
 */
describe("/metrics text", () => {
  let stack: Stack;
  let webDist: string;
  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), "burnrate-web-"));
    mkdirSync(path.join(webDist, "assets"));
    writeFileSync(path.join(webDist, "index.html"), "<!doctype html><title>Burnrate</title>");
    // Hashed asset names, as every build of the web app makes new ones.
    for (let i = 0; i < 50; i++)
      writeFileSync(path.join(webDist, "assets", `index-${i.toString(36).padStart(8, "x")}.js`), `// ${i}`);
    stack = await startStack({ worker: true, workerHttp: true, webDist });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(webDist, { recursive: true, force: true });
  });

  const metricsText = async (base: string) => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it("asking for 50 differently named assets adds no route series", async () => {
    const get = (p: string) => fetch(`${stack.baseUrl}${p}`);
    expect((await get("/assets/index-xxxxxxx0.js")).status).toBe(200);
    expect((await get("/")).status).toBe(200);
    expect((await get("/slos/abc")).status).toBe(200); // the web app's own routes: index.html
    expect((await get("/assets/missing-x.js")).status).toBe(404); // a file no build has: a 404, not the page
    await metricsText(stack.baseUrl); // /metrics itself is a route too
    const before = seriesOf(await metricsText(stack.baseUrl), "burnrate_http_request_duration_seconds_count");
    for (let i = 0; i < 50; i++) {
      const res = await get(`/assets/index-${i.toString(36).padStart(8, "x")}.js`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    for (let i = 0; i < 20; i++) await (await get(`/assets/missing-${i}.js`)).arrayBuffer();
    const text = await metricsText(stack.baseUrl);
    const after = seriesOf(text, "burnrate_http_request_duration_seconds_count");
    expect(after.map((l) => l.replace(/ \d+$/, ""))).toEqual(before.map((l) => l.replace(/ \d+$/, "")));
    // The first asset, "/" (index.html) and the 50: one series; the web app's routes and unknown files: "/*".
    expect(text).toMatch(
      /^burnrate_http_request_duration_seconds_count\{method="GET",route="static",status="200"\} 52$/m,
    );
    expect(text).toMatch(
      /^burnrate_http_request_duration_seconds_count\{method="GET",route="\/\*",status="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^burnrate_http_request_duration_seconds_count\{method="GET",route="\/\*",status="404"\} 21$/m,
    );
    expect(text).not.toMatch(/route="\/assets\//);
    // The API's own routes keep their templates.
    expect((await get("/api/v1/slos/00000000-0000-0000-0000-000000000000")).status).toBe(401);
    expect(await metricsText(stack.baseUrl)).toMatch(/route="\/api\/v1\/slos\/:id"/);
  });

  it("promtool check metrics finds no problem in the API's /metrics", async () => {
    const r = promtool(await metricsText(stack.baseUrl));
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("promtool check metrics finds no problem in the worker's /metrics", async () => {
    expect(stack.workerPort).not.toBeNull();
    const r = promtool(await metricsText(`http://127.0.0.1:${stack.workerPort}`));
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });
});
