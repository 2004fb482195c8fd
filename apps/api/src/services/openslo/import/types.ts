/** What an OpenSLO import answers: the plan, field by field, and whether it was applied. */

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface PlannedChange {
  kind: "team" | "service" | "slo";
  /** team slug, service slug, or "service/SLO name" */
  name: string;
  action: "create" | "update" | "unchanged";
  document: number | null;
  fields: FieldChange[];
}
export interface ImportResult {
  dryRun: boolean;
  changed: boolean;
  message: string;
  summary: { created: number; updated: number; unchanged: number };
  changes: PlannedChange[];
  warnings: string[];
}
