import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(srcDir, "..", "package.json"), "utf8")) as Record<string, unknown>;
const sources = readdirSync(srcDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

/** Every module specifier a file imports or re-exports. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) if (m[1]) out.push(m[1]);
  return out;
}

describe("slo-core stays pure", () => {
  it("has no runtime dependencies", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });

  it("finds the source files", () => {
    expect(sources).toContain("index.ts");
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources)("%s imports only relative modules", (file) => {
    const text = readFileSync(join(srcDir, file), "utf8");
    for (const spec of specifiers(text))
      expect(spec.startsWith("./") || spec.startsWith("../"), spec).toBe(true);
    expect(text).not.toMatch(/["']node:/);
    expect(text).not.toMatch(/\brequire\s*\(/);
  });

  it.each(sources)("%s does not read the clock or the environment", (file) => {
    const text = readFileSync(join(srcDir, file), "utf8");
    expect(text).not.toMatch(/Date\.now\s*\(|new Date\(\s*\)|performance\.now|process\.|Math\.random/);
  });

  it("index.ts re-exports every module", () => {
    const index = readFileSync(join(srcDir, "index.ts"), "utf8");
    for (const f of sources.filter((x) => x !== "index.ts"))
      expect(index).toContain(`./${f.replace(/\.ts$/, ".js")}`);
  });
});
