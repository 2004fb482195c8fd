import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "./harness";

/**
 * Upstream OpenSLO documents (tests/fixtures/openslo, SOURCES.md names each file's repository, path and
 * commit), imported as a new user would, with a dry run into an empty Burnrate. Every document is accepted,
 * accepted with warnings, or refused, and every refusal and warning names its document and field. The
 * outcome of each is recorded in RESULTS.md beside the fixtures, and checked against it.
 */
const ROOT = join(import.meta.dirname, "../../../tests/fixtures/openslo");
const FIELD_ROOTS = ["apiVersion", "kind", "metadata", "spec", "(yaml)", "(document)", "body"];

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? fixtureFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
}

/** The documents of a file as the importer numbers them: each YAML document, or each item of a list. */
function documentsOf(text: string): { kind: string; name: string }[] {
  const out: { kind: string; name: string }[] = [];
  for (const yd of parseAllDocuments(text)) {
    if (!("errors" in yd) || yd.errors.length > 0) {
      out.push({ kind: "?", name: "?" });
      continue;
    }
    const js: unknown = yd.toJS();
    if (js === null || js === undefined) continue;
    for (const item of Array.isArray(js) ? js : [js]) {
      const o = item as { kind?: unknown; metadata?: { name?: unknown } } | null;
      out.push({ kind: String(o?.kind ?? "?"), name: String(o?.metadata?.name ?? "?") });
    }
  }
  return out;
}

interface Issue {
  document: number;
  field: string;
  message: string;
}

describe("upstream OpenSLO examples", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it("accepts each document, or refuses or warns with a reason naming the document and field", async () => {
    const rows: string[] = [];
    const counts = { files: 0, documents: 0, accepted: 0, warned: 0, refused: 0 };
    for (const file of fixtureFiles(ROOT)) {
      const text = readFileSync(file, "utf8");
      const res = await stack.app.inject({
        method: "POST",
        url: "/api/v1/openslo/import?dryRun=true",
        headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/yaml" },
        payload: text,
      });
      const body = JSON.parse(res.body) as Record<string, any>;
      const where = relative(ROOT, file);
      expect([200, 400], `${where}: ${res.body}`).toContain(res.statusCode);
      const errors: Issue[] = res.statusCode === 200 ? [] : body.error.details.errors;
      const warnings: string[] = res.statusCode === 200 ? body.warnings : body.error.details.warnings;
      if (res.statusCode === 200) expect(body.dryRun).toBe(true);
      for (const e of errors) {
        expect(e.field, `${where}: ${JSON.stringify(e)}`).toMatch(/\S/);
        expect(FIELD_ROOTS, `${where}: ${JSON.stringify(e)}`).toContain(e.field.split(/[.[]/)[0]);
        expect(e.message, `${where}: ${JSON.stringify(e)}`).toMatch(/\S/);
      }
      for (const w of warnings) expect(w, where).toMatch(/^document \d+ \(\S+ \S+\): field \S+: \S/);
      const docs = documentsOf(text);
      // a file whose only problem is its YAML, or that holds nothing, is refused as a whole (document 0 or "?")
      const fileErrors = errors.filter((e) => e.document === 0 || e.document > docs.length);
      counts.files++;
      if (fileErrors.length > 0)
        rows.push(`| ${where} | - | (file) | refused | ${fileErrors[0]!.field}: ${fileErrors[0]!.message} |`);
      docs.forEach((d, i) => {
        const n = i + 1;
        const own = errors.filter((e) => e.document === n);
        const warned = warnings.filter((w) => w.startsWith(`document ${n} (`));
        const outcome = own.length ? "refused" : warned.length ? "warned" : "accepted";
        counts.documents++;
        counts[outcome]++;
        const reason = own.length
          ? own.map((e) => `${e.field}: ${e.message}`).join("; ")
          : warned.map((w) => w.replace(/^document \d+ \([^)]*\): field /, "")).join("; ");
        rows.push(
          `| ${where} | ${n} | ${d.kind} ${d.name} | ${outcome} | ${reason.replaceAll("|", "\\|")} |`,
        );
      });
    }
    const report = [
      "# What Burnrate's import makes of the upstream OpenSLO examples",
      "",
      "Written by apps/api/test/openslo-upstream.int.test.ts (a dry-run import of each file into an empty",
      "Burnrate); the test fails when an outcome changes. Sources: SOURCES.md.",
      "",
      `${counts.files} files, ${counts.documents} documents: ${counts.accepted} accepted, ${counts.warned} accepted with warnings, ${counts.refused} refused.`,
      "",
      "| file | document | kind and name | outcome | fields and reasons |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
      "",
    ].join("\n");
    expect(counts.documents).toBe(counts.accepted + counts.warned + counts.refused);
    await expect(report).toMatchFileSnapshot(join(ROOT, "RESULTS.md"));
  });
});
