import type { OncallPosition, ShiftsResponse } from "@burnrate/contracts";

export const POSITION_LABEL: Record<OncallPosition, string> = {
  main: "Main",
  backup: "Backup",
  backup2: "Backup 2",
};

/** One shift as a bar: where it sits across the range, in percent, and the colour of its holder. */
export interface TimelineBar {
  key: string;
  name: string;
  email: string;
  source: "rotation" | "override" | "swap";
  startMs: number;
  endMs: number;
  leftPct: number;
  widthPct: number;
  /** Index into the palette: the member's place in the rotation; people from outside it come after. */
  color: number;
}
export interface TimelineRow {
  position: OncallPosition;
  label: string;
  bars: TimelineBar[];
}
export interface TimelineMarker {
  key: string;
  label: string;
  startMs: number;
  leftPct: number;
}
export interface Timeline {
  fromMs: number;
  toMs: number;
  rows: TimelineRow[];
  markers: TimelineMarker[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The shifts of a schedule as rows of bars, one row per position, and a marker where each period of the first
 * layer starts. `members` orders the colours, so that a person keeps theirs from one period to the next.
 */
export function toTimeline(data: ShiftsResponse, positions: OncallPosition[], members: string[]): Timeline {
  const fromMs = Date.parse(data.from);
  const toMs = Date.parse(data.to);
  const span = toMs - fromMs;
  const raw = (ms: number) => ((Math.min(Math.max(ms, fromMs), toMs) - fromMs) / span) * 100;
  const pct = (ms: number) => round(raw(ms));
  const outsiders: string[] = [];
  const color = (email: string) => {
    const i = members.indexOf(email);
    if (i >= 0) return i;
    if (!outsiders.includes(email)) outsiders.push(email);
    return members.length + outsiders.indexOf(email);
  };
  const rows = positions.map((position) => ({
    position,
    label: POSITION_LABEL[position],
    bars: data.shifts
      .filter((s) => s.position === position)
      .map((s) => {
        const startMs = Date.parse(s.start);
        const endMs = Date.parse(s.end);
        return {
          key: `${position}-${s.start}`,
          name: s.name,
          email: s.email,
          source: s.source,
          startMs,
          endMs,
          leftPct: pct(startMs),
          widthPct: round(raw(endMs) - raw(startMs)),
          color: color(s.email),
        };
      }),
  }));
  const markers = data.periods
    .filter((p) => p.layer === 0)
    .map((p) => ({
      key: `${p.layer}-${p.index}`,
      label: `Period ${p.index + 1}`,
      startMs: Math.max(Date.parse(p.start), fromMs),
      leftPct: pct(Date.parse(p.start)),
    }));
  return { fromMs, toMs, rows, markers };
}
