import type { EscalationPolicyResponse, EscalationStepBody } from "@burnrate/contracts";

/** One step as the editor holds it: every picker's value, of which the kind says which one counts. */
export interface DraftStep {
  kind: "schedule" | "routed" | "user" | "team" | "group";
  schedule: string;
  position: "main" | "backup" | "backup2";
  user: string;
  team: string;
  group: string;
  timeoutMinutes: string;
}

export const newStep = (kind: DraftStep["kind"] = "routed"): DraftStep => ({
  kind,
  schedule: "",
  position: "main",
  user: "",
  team: "",
  group: "",
  timeoutMinutes: "30",
});

/** A saved step as the editor holds it: its target's kind and value, its timeout in minutes. */
export function fromStep(step: EscalationPolicyResponse["steps"][number]): DraftStep {
  const t = step.target;
  const base = {
    ...newStep(),
    timeoutMinutes: String(Math.round((step.ackTimeoutSeconds / 60) * 1000) / 1000),
  };
  if ("schedule" in t) return { ...base, kind: "schedule", schedule: t.schedule, position: t.position };
  if ("routed" in t) return { ...base, kind: "routed", position: t.routed };
  if ("user" in t) return { ...base, kind: "user", user: t.user };
  if ("team" in t) return { ...base, kind: "team", team: t.team };
  return { ...base, kind: "group", group: t.group };
}

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
          : s.kind === "team"
            ? { team: s.team }
            : { group: s.group };
  return { target, ackTimeoutSeconds: Math.round(Number(s.timeoutMinutes) * 60) };
}
