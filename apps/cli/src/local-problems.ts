import { FilterError, parseFilter } from "@burnrate/ingest/filter";
import { parseAllDocuments } from "yaml";

/** Checks that need no server: YAML syntax, document shape, filter syntax (with positions). */
export function localProblems(text: string): string[] {
  const problems: string[] = [];
  let index = 0;
  for (const doc of parseAllDocuments(text)) {
    if (!("errors" in doc)) continue;
    if (doc.errors.length > 0) {
      index++;
      const e = doc.errors[0]!;
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      problems.push(`document ${index}: YAML: ${e.message.split("\n")[0]}${at}`);
      continue;
    }
    const js: unknown = doc.toJS();
    if (js === null || js === undefined) continue;
    for (const item of Array.isArray(js) ? js : [js]) {
      index++;
      const rec = (typeof item === "object" && item !== null ? item : {}) as Record<string, any>;
      const where = `document ${index} (${String(rec.kind ?? "?")} ${String(rec.metadata?.name ?? "?")})`;
      if (rec.apiVersion !== "openslo/v1" && rec.apiVersion !== "openslo/v1alpha")
        problems.push(`${where}: field apiVersion: must be openslo/v1 or openslo/v1alpha`);
      if (typeof rec.kind !== "string") problems.push(`${where}: field kind: is required`);
      if (typeof rec.metadata?.name !== "string") problems.push(`${where}: field metadata.name: is required`);
      for (const [path, filter] of filters(rec.spec, "spec")) {
        try {
          parseFilter(filter, { extraFields: ["service"] });
        } catch (e) {
          if (e instanceof FilterError) problems.push(`${where}: field ${path}: ${e.message}`);
          else throw e;
        }
      }
    }
  }
  if (index === 0) problems.push("the file holds no OpenSLO documents");
  return problems;
}
function filters(v: unknown, path: string): [string, string][] {
  if (typeof v !== "object" || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x, i) => filters(x, `${path}[${i}]`));
  const out: [string, string][] = [];
  for (const [k, x] of Object.entries(v)) {
    if ((k === "filter" || k === "query") && typeof x === "string") out.push([`${path}.${k}`, x]);
    else out.push(...filters(x, `${path}.${k}`));
  }
  return out;
}
