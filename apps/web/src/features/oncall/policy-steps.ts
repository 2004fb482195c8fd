import type { EscalationStepBody } from "@burnrate/contracts";

/** One step as the editor holds it: every picker's value, of which the kind says which one counts. */
export interface DraftStep {
  kind: "schedule" | "routed" | "user" | "team";
  schedule: string;
  position: "main" | "backup" | "backup2";
  user: string;
  team: string;
  timeoutMinutes: string;
}

export const newStep = (kind: DraftStep["kind"] = "routed"): DraftStep => ({
  kind,
  schedule: "",
  position: "main",
  user: "",
  team: "",
  timeoutMinutes: "30",
});

/** The step moved one place up (-1) or down (+1); the list unchanged at its ends. */
export function moveStep<T>(steps: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= steps.length) return [...steps];
  const out = [...steps];
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

/** The API's step: the target the kind names, the timeout in seconds (minutes may have decimals). */
export function toStepBody(s: DraftStep): EscalationStepBody {
  const target =
    s.kind === "schedule"
      ? { schedule: s.schedule, position: s.position }
      : s.kind === "routed"
        ? { routed: s.position }
        : s.kind === "user"
          ? { user: s.user.trim() }
          : { team: s.team };
  return { target, ackTimeoutSeconds: Math.round(Number(s.timeoutMinutes) * 60) };
}
