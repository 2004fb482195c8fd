import { MINUTE_MS } from "./time-units.js";

export type BracketKind = "first" | "update" | "last";

/**
 * Whether a message may join an incident's bracket to one ring (book §8.6): the first opens it, updates
 * follow, the last closes it once the incident is resolved. Every message before the last says when the
 * next comes.
 */
export function bracketCheck(input: {
  sent: readonly BracketKind[];
  kind: BracketKind;
  incidentResolved: boolean;
  nextUpdateGiven: boolean;
}): { ok: true } | { ok: false; status: 400 | 409; field: string; reason: string } {
  const { sent, kind } = input;
  if (sent.includes("last"))
    return { ok: false, status: 409, field: "kind", reason: "the last message to this ring was sent" };
  if (kind === "first" && sent.length > 0)
    return {
      ok: false,
      status: 409,
      field: "kind",
      reason: "this ring already had its first message; send an update",
    };
  if (kind !== "first" && sent.length === 0)
    return {
      ok: false,
      status: 409,
      field: "kind",
      reason: "send this ring its first message before any other",
    };
  if (kind === "last" && !input.incidentResolved)
    return {
      ok: false,
      status: 409,
      field: "kind",
      reason: "resolve the incident first: the last message gives the time to recovery",
    };
  if (kind !== "last" && !input.nextUpdateGiven)
    return {
      ok: false,
      status: 400,
      field: "nextUpdateInMinutes",
      reason: "say when the next update comes (every message before the last does)",
    };
  return { ok: true };
}

/**
 * The rings an open incident must now be told of by rule: those with an escalation rule ("not resolved
 * within N minutes") whose N minutes since the start have passed, and that have not been told yet. A
 * resolved incident tells nobody new.
 */
export function ringsDue(input: {
  nowMs: number;
  startedAtMs: number;
  resolved: boolean;
  rings: readonly { id: string; escalateAfterMinutes: number | null; notified: boolean }[];
}): string[] {
  if (input.resolved) return [];
  const elapsed = input.nowMs - input.startedAtMs;
  return input.rings
    .filter(
      (r) => r.escalateAfterMinutes !== null && !r.notified && elapsed > r.escalateAfterMinutes * MINUTE_MS,
    )
    .map((r) => r.id);
}

/** The targeting matrix's row that covers every geography or environment. */
export const ALL_GEOGRAPHIES = "worldwide";
/** The targeting matrix's column that covers every product. */
export const ALL_PRODUCTS = "all";

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Whether a stakeholder group's cells of the targeting matrix (book Tbl 8.4: geographies/environments ×
 * products) cover a message about `geography` and `products`. "worldwide" and "all" match everything, on
 * either side: a group of worldwide subscribers hears of every region, and a worldwide message reaches every
 * region's groups. Labels compare without case.
 */
export function matrixCovers(
  group: { geographies: readonly string[]; products: readonly string[] },
  message: { geography: string; products: readonly string[] },
): boolean {
  const geos = group.geographies.map(norm);
  const geo = norm(message.geography);
  const geoOk = geo === ALL_GEOGRAPHIES || geos.includes(ALL_GEOGRAPHIES) || geos.includes(geo);
  const prods = group.products.map(norm);
  const wanted = message.products.map(norm);
  const prodOk =
    wanted.includes(ALL_PRODUCTS) || prods.includes(ALL_PRODUCTS) || wanted.some((p) => prods.includes(p));
  return geoOk && prodOk;
}
