import { activeHoursEdges } from "./oncall-active-hours.js";
import {
  periodIndexAt,
  periodStartMs,
  rotationActiveAt,
  rotationHolder,
  type Rotation,
} from "./oncall-rotation.js";

/** The book's positions, in order of who is paged first. */
export const ONCALL_POSITIONS = ["main", "backup", "backup2"] as const;
export type OncallPosition = (typeof ONCALL_POSITIONS)[number];

/** Someone else holds a position for a while, replacing whoever the rotation names. */
export interface OncallOverride {
  position: OncallPosition;
  member: string;
  fromMs: number;
  toMs: number;
}

/** An accepted swap: from `fromMs` to `toMs`, whatever the requester holds, the acceptor holds instead. */
export interface AcceptedSwap {
  requester: string;
  acceptor: string;
  fromMs: number;
  toMs: number;
}

/**
 * A schedule: its positions, and rotations as layers. At any instant the first layer that is on duty (started
 * and inside its active hours) names the holders; a business-hours layer and an out-of-hours layer thus
 * cover the week between them. Overrides then replace a position's holder (the last one listed wins), and
 * accepted swaps hand the requester's positions to the acceptor, in the order listed.
 * Overrides and swaps apply only while some layer is on duty: they change who, not when.
 */
export interface OncallSchedule {
  positions: OncallPosition[];
  layers: Rotation[];
  overrides: OncallOverride[];
  swaps: AcceptedSwap[];
}

export type HolderSource = "rotation" | "override" | "swap";
export interface Holder {
  member: string;
  source: HolderSource;
  /** Which layer is on duty (index into `layers`). */
  layer: number;
  /** The rotation period of that layer (0 = its first). */
  period: number;
}
/** Holder per position; null = nobody is on call (outside every layer's active hours, or not yet started). */
export type Holders = Partial<Record<OncallPosition, Holder | null>>;

const within = (atMs: number, x: { fromMs: number; toMs: number }): boolean =>
  atMs >= x.fromMs && atMs < x.toMs;

/** Who holds each of the schedule's positions at `atMs`. */
export function holdersAt(s: OncallSchedule, atMs: number): Record<OncallPosition, Holder | null> {
  const out: Record<OncallPosition, Holder | null> = { main: null, backup: null, backup2: null };
  const layer = s.layers.findIndex((r) => r.members.length > 0 && rotationActiveAt(r, atMs));
  if (layer < 0) return out;
  const rotation = s.layers[layer]!;
  const period = periodIndexAt(rotation, atMs);
  s.positions.forEach((position, i) => {
    let holder: Holder = {
      member: rotationHolder(rotation.members, period, i),
      source: "rotation",
      layer,
      period,
    };
    for (const o of s.overrides)
      if (o.position === position && within(atMs, o))
        holder = { ...holder, member: o.member, source: "override" };
    for (const w of s.swaps)
      if (w.requester === holder.member && within(atMs, w))
        holder = { ...holder, member: w.acceptor, source: "swap" };
    out[position] = holder;
  });
  return out;
}

/** A stretch of time one member holds one position without a break. */
export interface Shift {
  position: OncallPosition;
  member: string;
  source: HolderSource;
  layer: number;
  period: number;
  startMs: number;
  endMs: number;
}

/** Every instant in [fromMs, toMs) where a holder may change, with fromMs first. */
function changePoints(s: OncallSchedule, fromMs: number, toMs: number): number[] {
  const points = new Set<number>([fromMs]);
  const add = (t: number) => {
    if (t > fromMs && t < toMs) points.add(t);
  };
  for (const r of s.layers) {
    for (let k = Math.max(0, periodIndexAt(r, fromMs)); ; k++) {
      const t = periodStartMs(r, k);
      if (t >= toMs) break;
      add(t);
    }
    for (const t of activeHoursEdges(r.activeHours, r.timeZone, fromMs, toMs)) add(t);
  }
  for (const x of [...s.overrides, ...s.swaps]) {
    add(x.fromMs);
    add(x.toMs);
  }
  return [...points].sort((a, b) => a - b);
}

/**
 * The shifts in [fromMs, toMs), clipped to the range, ordered by position then start. Consecutive stretches
 * with the same member, source, layer and period are one shift; a new period starts a new shift even when
 * the same member holds on (one person never rotating gets one shift per period).
 */
export function listShifts(s: OncallSchedule, fromMs: number, toMs: number): Shift[] {
  if (toMs <= fromMs) return [];
  const points = changePoints(s, fromMs, toMs);
  const open = new Map<OncallPosition, Shift>();
  const out: Shift[] = [];
  points.forEach((t, i) => {
    const end = points[i + 1] ?? toMs;
    const holders = holdersAt(s, t);
    for (const position of s.positions) {
      const h = holders[position];
      const cur = open.get(position);
      const same =
        cur &&
        h &&
        cur.endMs === t &&
        cur.member === h.member &&
        cur.source === h.source &&
        cur.layer === h.layer &&
        cur.period === h.period;
      if (same) {
        cur.endMs = end;
        continue;
      }
      if (cur) {
        out.push(cur);
        open.delete(position);
      }
      if (h)
        open.set(position, {
          position,
          member: h.member,
          source: h.source,
          layer: h.layer,
          period: h.period,
          startMs: t,
          endMs: end,
        });
    }
  });
  out.push(...open.values());
  const order = (p: OncallPosition) => ONCALL_POSITIONS.indexOf(p);
  return out.sort((a, b) => order(a.position) - order(b.position) || a.startMs - b.startMs);
}

/**
 * Hand-offs in (fromMs, toMs]: the instants a shift of `position` starts (a new period, the start of active
 * hours, an override or a swap beginning). The hand-off notice of each is sent once.
 */
export function handoffsBetween(
  s: OncallSchedule,
  fromMs: number,
  toMs: number,
  position: OncallPosition = "main",
): number[] {
  return listShifts(s, fromMs, toMs + 1)
    .filter((x) => x.position === position && x.startMs > fromMs)
    .map((x) => x.startMs);
}

/** One member holding two positions of a schedule at the same time, from `fromMs` to `toMs`. */
export interface DoubleHolding {
  member: string;
  positions: [OncallPosition, OncallPosition];
  fromMs: number;
  toMs: number;
}

/**
 * Where in [fromMs, toMs) an override or a swap makes one member hold two positions at once (main and backup,
 * say): paging them twice reaches nobody new. A rotation with fewer members than positions already doubles up
 * on its own; only stretches where at least one of the two shifts comes from an override or a swap count.
 * Ordered by start.
 */
export function doubleHoldings(s: OncallSchedule, fromMs: number, toMs: number): DoubleHolding[] {
  const shifts = listShifts(s, fromMs, toMs);
  const out: DoubleHolding[] = [];
  shifts.forEach((a, i) => {
    for (const b of shifts.slice(i + 1)) {
      if (a.member !== b.member || a.position === b.position) continue;
      if (a.source === "rotation" && b.source === "rotation") continue;
      const start = Math.max(a.startMs, b.startMs);
      const end = Math.min(a.endMs, b.endMs);
      if (start < end)
        out.push({ member: a.member, positions: [a.position, b.position], fromMs: start, toMs: end });
    }
  });
  return out.sort((x, y) => x.fromMs - y.fromMs);
}
