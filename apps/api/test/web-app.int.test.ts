import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "./harness";

/**
 * How the API serves the built web app: the prebuilt brotli or gzip copy of a file for a browser that accepts
 * one, hashed files cached for a year as immutable, index.html revalidated each load, no source map ever.
 */
describe("the web app's files", () => {
  let stack: Stack;
  let webDist: string;
  const js = `export const big = ${JSON.stringify("burn rate ".repeat(500))};\n`;
  beforeAll(async () => {
    webDist = mkdtempSync(path.join(os.tmpdir(), "burnrate-web-"));
    mkdirSync(path.join(webDist, "assets"));
    const html = '<!doctype html><title>Burnrate</title><script type="module" src="/assets/index-abc123.js">';
    writeFileSync(path.join(webDist, "index.html"), html);
    writeFileSync(path.join(webDist, "assets/index-abc123.js"), js);
    writeFileSync(path.join(webDist, "assets/index-abc123.js.br"), brotliCompressSync(js));
    writeFileSync(path.join(webDist, "assets/index-abc123.js.gz"), gzipSync(js));
    writeFileSync(path.join(webDist, "assets/index-abc123.js.map"), '{"version":3,"sources":["secret.ts"]}');
    stack = await startStack({ webDist });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(webDist, { recursive: true, force: true });
  });
  const get = (p: string, encoding = "br, gzip") =>
    fetch(`${stack.baseUrl}${p}`, { headers: { "accept-encoding": encoding } });

  it("sends a hashed file as brotli, cached for a year as immutable", async () => {
    const res = await get("/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
    // fetch decodes brotli itself: the text is the file's
    expect(await res.text()).toBe(js);
    const raw = brotliCompressSync(js);
    expect(Number(res.headers.get("content-length"))).toBe(raw.length);
    expect(brotliDecompressSync(raw).toString()).toBe(js);
  });

  it("sends gzip to a browser without brotli, and the plain file to one that accepts neither", async () => {
    const gz = await get("/assets/index-abc123.js", "gzip");
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(await gz.text()).toBe(js);
    const plain = await get("/assets/index-abc123.js", "identity");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(Number(plain.headers.get("content-length"))).toBe(Buffer.byteLength(js));
  });

  it("revalidates index.html, at / and at every page of the app", async () => {
    for (const p of ["/", "/index.html", "/slos/abc", "/teams/nope"]) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("cache-control"), p).toBe("no-cache");
      expect(await res.text(), p).toContain("<title>Burnrate</title>");
    }
  });

  it("never serves a source map, and a missing hashed file is a 404, not the page", async () => {
    for (const p of ["/assets/index-abc123.js.map", "/assets/gone-123.js", "/assets/gone-123.js.map"]) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain("secret.ts");
    }
  });
});
