import { api } from "../api-client";
import { readInput, type Io } from "../io";
import { EXIT, UsageError, type Opts } from "../options";

/** `burnrate import sloth|pyrra -f FILE --prometheus URL`: Sloth or Pyrra specs as Prometheus-sourced SLOs. */
export async function importSpecs(o: Opts, io: Io): Promise<number> {
  if (o.format !== "sloth" && o.format !== "pyrra")
    throw new UsageError(`import needs a format: 'sloth' or 'pyrra' (got ${o.format ?? "none"})`);
  if (!o.prometheus) throw new UsageError("import needs --prometheus URL (where the SLIs are read from)");
  const text = await readInput(o);
  const q = new URLSearchParams({ prometheusUrl: o.prometheus });
  if (o.team) q.set("team", o.team);
  if (o.dryRun) q.set("dryRun", "true");
  if (o.reason) q.set("reason", o.reason);
  const res = await api(o, "POST", `/api/v1/import/${o.format}?${q}`, text);
  const r = (await res.json()) as {
    summary: { created: number; updated: number; unchanged: number };
    changes: { service: string; name: string; action: string; fields: string[] }[];
    warnings: string[];
  };
  for (const c of r.changes)
    if (c.action !== "unchanged" || o.verbose)
      io.out(
        `${c.action.padEnd(9)} ${c.service}/${c.name}${c.fields.length ? ` (${c.fields.join(", ")})` : ""}`,
      );
  for (const w of r.warnings) io.err(`warning: ${w}`);
  const s = r.summary;
  io.out(
    `${o.dryRun ? "would create" : "created"} ${s.created}, ${o.dryRun ? "update" : "updated"} ${s.updated}, unchanged ${s.unchanged}`,
  );
  return EXIT.ok;
}
