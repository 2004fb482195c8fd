import { fmtPercent } from "../../components/format";
import type { Trend } from "./summary";

const W = 96;
const H = 30;
const PAD = 3;
const ARROW = { improving: "↑", worsening: "↓", steady: "→", unknown: "" } as const;

/**
 * A row's trend: a small line of the budget left at the end of each period (oldest first, a dashed zero line,
 * points below it in the danger colour) and an arrow with a word, so the direction never rests on the drawing.
 */
export function TrendSpark({ trend }: { trend: Trend }) {
  const known = trend.points.filter((p): p is number => p !== null);
  const described = trend.points.map((p) => (p === null ? "no data" : fmtPercent(p, 0))).join(", ");
  const label = `Budget left at each period's end, oldest first: ${described}${trend.direction === "unknown" ? "" : ` (${trend.direction})`}`;
  if (known.length === 0) return <span className="muted small">no data</span>;
  const lo = Math.min(0, ...known);
  const hi = Math.max(1, ...known);
  const n = trend.points.length;
  const x = (i: number) => PAD + (n === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (n - 1));
  const y = (v: number) => PAD + ((hi - v) * (H - 2 * PAD)) / (hi - lo);
  // a gap where a period has no data
  const segments: string[] = [];
  let d = "";
  trend.points.forEach((p, i) => {
    if (p === null) {
      if (d) segments.push(d);
      d = "";
      return;
    }
    d += `${d ? "L" : "M"}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
  });
  if (d) segments.push(d);
  return (
    <span className="trend" data-testid="trend" data-direction={trend.direction}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line className="trend-zero" x1={0} x2={W} y1={y(0)} y2={y(0)} />
        {segments.map((s, i) => (
          <path key={i} className="trend-line" d={s} />
        ))}
        {trend.points.map((p, i) =>
          p === null ? null : (
            <circle key={i} className={p < 0 ? "trend-dot below" : "trend-dot"} cx={x(i)} cy={y(p)} r={2.5} />
          ),
        )}
      </svg>
      {trend.direction !== "unknown" && (
        <span className={`trend-word ${trend.direction}`}>
          <span aria-hidden="true">{ARROW[trend.direction]} </span>
          {trend.direction}
        </span>
      )}
    </span>
  );
}
