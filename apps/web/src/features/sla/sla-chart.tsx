import type { SlaStatusResponse } from "@burnrate/contracts";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fmtDay } from "../../components/format";
import { CHART_COLORS } from "../slo/chart-colors";
import { budgetAxis, curvePoints } from "./to-series";

/** The endpoint-level lines after the contractual one, told apart by colour and dash. */
const CHILD_STYLES = [
  { stroke: CHART_COLORS.burnLong, dash: "6 3" },
  { stroke: CHART_COLORS.burnShort, dash: "2 3" },
  { stroke: CHART_COLORS.ticket, dash: "8 3 2 3" },
  { stroke: CHART_COLORS.sli, dash: "4 4" },
];

/**
 * SLA error budget depletion (book Fig 11.9): the remaining budget (%) of the contractual SLA and of each
 * endpoint-level SLA over the periods shown, refilled to 100% at each period start; period starts as lines.
 */
export function SlaDepletionChart({ status }: { status: SlaStatusResponse }) {
  const rows = [status.contractual, ...status.children];
  const periods = status.contractual.periods;
  const domain: [number, number] = [periods[0]!.start, periods[periods.length - 1]!.end];
  const y = budgetAxis(status);
  return (
    <figure className="sla-chart" aria-label="SLA error budget depletion" data-testid="sla-chart">
      <ResponsiveContainer width="100%" height={300}>
        <LineChart margin={{ top: 12, right: 24, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={domain}
            ticks={periods.map((p) => p.start)}
            tickFormatter={(v: number) => fmtDay(v)}
            fontSize={11}
            stroke={CHART_COLORS.axis}
          />
          <YAxis unit="%" fontSize={11} stroke={CHART_COLORS.axis} domain={y.domain} ticks={y.ticks} />
          <ReferenceLine y={0} stroke={CHART_COLORS.zero} strokeWidth={1} />
          {periods.map((p) => (
            <ReferenceLine key={p.start} x={p.start} stroke={CHART_COLORS.period} strokeDasharray="2 4" />
          ))}
          <Tooltip
            labelFormatter={(v) => new Date(Number(v)).toLocaleString()}
            formatter={(v) => `${Number(v).toFixed(1)}%`}
          />
          <Legend />
          {rows.map((r, i) => {
            const style =
              i === 0
                ? { stroke: CHART_COLORS.budget, dash: undefined }
                : CHILD_STYLES[(i - 1) % CHILD_STYLES.length]!;
            return (
              <Line
                key={r.id}
                name={
                  r.kind === "contractual"
                    ? `${r.name} (contractual)`
                    : `${r.service} ${r.endpoint}: ${r.name}`
                }
                data={curvePoints(r)}
                dataKey="v"
                type="linear"
                dot={false}
                isAnimationActive={false}
                stroke={style.stroke}
                strokeWidth={i === 0 ? 3 : 1.5}
                strokeDasharray={style.dash}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
