import type { AlertSnapshot } from "@burnrate/slo-core";

/** An alert row as the slo-core state machine sees it. */
export function alertSnapshotOf(a: {
  state: string;
  severity: string;
  snoozedUntil: Date | null;
  firedAt: Date;
  acknowledgedBy: string | null;
}): AlertSnapshot {
  return {
    state: a.state as AlertSnapshot["state"],
    severity: a.severity as AlertSnapshot["severity"],
    snoozedUntilMs: a.snoozedUntil?.getTime() ?? null,
    firedAtMs: a.firedAt.getTime(),
    ackedBy: a.acknowledgedBy,
  };
}
