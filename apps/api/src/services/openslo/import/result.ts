import type { ImportResult, PlannedChange } from "./types";

/** The answer to an import: counts of the planned changes and one sentence saying what was (or would be) done. */
export function importResult(changes: PlannedChange[], dryRun: boolean, warnings: string[]): ImportResult {
  const summary = {
    created: changes.filter((c) => c.action === "create").length,
    updated: changes.filter((c) => c.action === "update").length,
    unchanged: changes.filter((c) => c.action === "unchanged").length,
  };
  const changed = summary.created + summary.updated > 0;
  return {
    dryRun,
    changed,
    message: changed
      ? `${dryRun ? "would create" : "created"} ${summary.created}, ${dryRun ? "would update" : "updated"} ${summary.updated}, ${summary.unchanged} unchanged`
      : `nothing to change: all ${summary.unchanged} objects already match the file`,
    summary,
    changes,
    warnings,
  };
}
