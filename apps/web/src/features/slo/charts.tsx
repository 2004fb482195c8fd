import type { SloSeriesResponse } from "@burnrate/contracts";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fmtTime } from "../../components/format";
import {
  budgetTicks,
  burnRateDomain,
  deploymentMarkers,
  periodBoundaries,
  sliDomain,
  sliTicks,
  toChartRows,
  toThresholdLines,
} from "./to-series";

const H = 240;
const xAxis = (s: SloSeriesResponse) => (
  <XAxis
    dataKey="t"
    type="number"
    scale="time"
    domain={[s.from, s.to]}
    tickFormatter={(v: number) => fmtTime(v)}
    minTickGap={40}
    fontSize={11}
  />
);

export function SliChart({ series }: { series: SloSeriesResponse }) {
  const rows = toChartRows(series);
  return (
    <figure className="chart" aria-label="SLI versus objective">
      <figcaption>SLI vs objective ({series.objectivePercent}%)</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          {xAxis(series)}
          <YAxis
            domain={sliDomain(rows, series.objectivePercent)}
            ticks={sliTicks(sliDomain(rows, series.objectivePercent))}
            tickFormatter={(v: number) => `${Number(v.toFixed(3))}%`}
            fontSize={11}
            width={64}
            allowDataOverflow
          />
          <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => [`${v}%`, "SLI"]} />
          <ReferenceLine
            y={series.objectivePercent}
            stroke="#d9480f"
            strokeDasharray="6 3"
            label={{ value: "objective", position: "insideTopRight", fontSize: 11, fill: "#d9480f" }}
          />
          <Line
            type="monotone"
            dataKey="sliPercent"
            stroke="#1c7ed6"
            dot={false}
            strokeWidth={1.5}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function BudgetChart({ series }: { series: SloSeriesResponse }) {
  const rows = toChartRows(series);
  const ticks = budgetTicks(rows);
  return (
    <figure className="chart" aria-label="Error budget remaining">
      <figcaption>Error budget remaining (resets each period; below 0 is debt)</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          {xAxis(series)}
          <YAxis
            domain={[ticks[0]!, 100]}
            ticks={ticks}
            tickFormatter={(v: number) => `${v}%`}
            fontSize={11}
            width={64}
          />
          <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => [`${v}%`, "budget left"]} />
          <ReferenceLine y={0} stroke="#c92a2a" />
          {periodBoundaries(series).map((start) => (
            <ReferenceLine
              key={start}
              x={start}
              stroke="#868e96"
              strokeDasharray="2 4"
              label={{ value: "period", position: "insideTopLeft", fontSize: 10 }}
            />
          ))}
          {deploymentMarkers(series).map((d) => (
            <ReferenceLine
              key={`${d.at}-${d.version}`}
              x={d.at}
              stroke="#7048e8"
              strokeOpacity={0.7}
              label={
                d.showLabel
                  ? { value: d.version, position: "insideTopLeft", fontSize: 10, fill: "#7048e8" }
                  : undefined
              }
            />
          ))}
          <Area
            type="stepAfter"
            dataKey="remainingPercent"
            stroke="#2f9e44"
            fill="#b2f2bb"
            fillOpacity={0.5}
            isAnimationActive={false}
            connectNulls={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function BurnRateChart({ series }: { series: SloSeriesResponse }) {
  const rows = toChartRows(series);
  const lines = toThresholdLines(series);
  return (
    <figure className="chart" aria-label="Burn rate">
      <figcaption>Burn rate (1 h window) with alert thresholds</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          {xAxis(series)}
          <YAxis
            domain={burnRateDomain(rows, lines)}
            fontSize={11}
            width={64}
            tickFormatter={(v: number) => `${v}×`}
          />
          <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => [`${v}×`, "burn rate"]} />
          {lines.map((l) => (
            <ReferenceLine
              key={l.factor}
              y={l.factor}
              stroke={l.severity === "page" ? "#c92a2a" : "#f08c00"}
              strokeDasharray="5 4"
              label={{
                value: `${l.label} ${l.factor.toFixed(2)}×`,
                position: "insideTopRight",
                fontSize: 10,
              }}
            />
          ))}
          <Line
            type="monotone"
            dataKey="burnRate1h"
            stroke="#e8590c"
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
