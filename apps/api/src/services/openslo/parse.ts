/**
 * OpenSLO YAML (v1 and v1alpha, several documents or lists) → the Burnrate objects it describes. Pure: no
 * database. Every problem is collected with the document (1-based index, kind, name) and the field path.
 * See model.ts for the mapping; parse/ holds one reader per OpenSLO kind.
 */
import { readDataSource } from "./parse/data-source";
import { readTier } from "./parse/alert-condition";
import { ref, type Doc } from "./parse/document";
import { Ctx } from "./parse/issues";
import { readNotificationTarget } from "./parse/notification-target";
import { readDocuments } from "./parse/read-documents";
import { readService } from "./parse/service";
import { readSli } from "./parse/sli";
import { readSlo } from "./parse/slo";
import type { DocRef, ParsedOpenSlo } from "./parse/types";

export { describeIssue } from "./parse/issues";
export type {
  DesiredService,
  DesiredSlo,
  DocRef,
  ImportIssue,
  ParsedOpenSlo,
  SlackBinding,
} from "./parse/types";

export function parseOpenSlo(text: string): ParsedOpenSlo {
  const out: ParsedOpenSlo = { services: [], slos: [], slack: [], warnings: [], errors: [], documents: 0 };
  const docs = readDocuments(text, out);

  const byKind = new Map<string, Map<string, Doc>>();
  for (const d of docs) {
    const m = byKind.get(d.kind) ?? new Map<string, Doc>();
    byKind.set(d.kind, m);
    if (m.has(d.name)) {
      new Ctx(ref(d), out).err(
        "metadata.name",
        `a ${d.kind} named '${d.name}' is already document ${m.get(d.name)!.index}`,
      );
      continue;
    }
    m.set(d.name, d);
  }
  const used = new Set<Doc>();
  const get = (kind: string, name: unknown) => {
    const d = typeof name === "string" ? byKind.get(kind)?.get(name) : undefined;
    if (d) used.add(d);
    return d;
  };
  const scope = { out, get };

  for (const d of docs) {
    const c = new Ctx(ref(d), out);
    if (d.kind === "Service") readService(d, c, out);
    else if (d.kind === "SLO") readSlo(d, c, scope);
    else if (d.kind === "AlertNotificationTarget") readNotificationTarget(d, c, out);
    else if (d.kind === "DataSource") readDataSource(d, c);
  }
  // Documents no SLO uses are checked all the same (their Slack targets bind nothing).
  const unbound = { out: { ...out, slack: [] }, get };
  for (const d of docs) {
    if (used.has(d)) continue;
    const c = new Ctx(ref(d), out);
    if (d.kind === "SLI")
      readSli({ metadata: d.metadata, spec: d.spec, c, prefix: "spec." }, c, null, "", unbound);
    else if (d.kind === "AlertPolicy")
      readTier({ metadata: d.metadata, spec: d.spec, c, prefix: "", name: d.name }, "", null, unbound);
    else if (d.kind === "AlertCondition")
      readTier(
        { metadata: {}, spec: { conditions: [{ conditionRef: d.name }] }, c, prefix: "", name: d.name },
        "",
        null,
        unbound,
      );
  }
  const seen = new Map<string, DocRef>();
  for (const s of out.slos) {
    const key = `${s.service}\u0000${s.input.name}`;
    const prev = seen.get(key);
    if (prev)
      out.errors.push({
        ...s.source,
        field: "metadata.displayName",
        message: `service '${s.service}' already has an SLO named '${s.input.name}' in document ${prev.document}; SLOs are matched by service and name`,
      });
    else seen.set(key, s.source);
  }
  const svcSeen = new Set<string>();
  return {
    ...out,
    services: out.services.filter((s) => !svcSeen.has(s.slug) && svcSeen.add(s.slug)),
    // a document used by several SLOs is read once for each: say each thing once
    warnings: [...new Set(out.warnings)],
  };
}
