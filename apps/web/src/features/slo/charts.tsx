import type { SloSeriesResponse } from "@burnrate/contracts";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fmtTime } from "../../components/format";
import { CHART_COLORS } from "./chart-colors";
import { useDragZoom } from "./drag-zoom";
import {
  budgetTicks,
  maintenanceRanges,
  markerGroups,
  periodBoundaries,
  sliDomain,
  sliTicks,
  toChartRows,
  toTierPanels,
  xDomain,
  type MarkerGroup,
  type TierPanel,
} from "./to-series";

const H = 250;
/** Room above the plot for the marker labels, and on the right for a label centred on a late marker. */
const MARGIN = { top: 20, right: 28, bottom: 0, left: 8 };
const PANEL_H = 170;
/** Game days are dashed and teal, deployments solid violet, notes dotted grey: told apart without colour too. */
const MARKER_DASH: Record<MarkerGroup["kind"], string | undefined> = {
  deployment: undefined,
  mixed: undefined,
  game_day: "8 3",
  comment: "2 3",
  maintenance: "4 2",
};

const xAxis = (domain: [number, number]) => (
  <XAxis
    dataKey="t"
    type="number"
    scale="time"
    domain={domain}
    allowDataOverflow
    tickFormatter={(v: number) => fmtTime(v)}
    minTickGap={40}
    fontSize={11}
  />
);

/**
 * What every time chart of the SLO page draws behind its data: maintenance windows as shaded ranges, period
 * starts, and the service's deployments, game days and notes (nearby ones collapsed into one labelled line).
 * Marker labels sit in the chart's top margin (MARGIN), where no other text is, so they cannot cover data or
 * another label. Returned as arrays, the form Recharts reads its children in.
 */
function annotations(series: SloSeriesResponse, domain: [number, number], compact = false) {
  return [
    ...maintenanceRanges(series, domain).map((m) => (
      <ReferenceArea
        key={`m-${m.from}`}
        className="maintenance-range"
        x1={m.from}
        x2={m.to}
        fill={CHART_COLORS.maintenance}
        fillOpacity={0.18}
        stroke={CHART_COLORS.maintenance}
        strokeOpacity={0.5}
        label={
          compact
            ? undefined
            : { value: "maintenance", position: "insideTop", fontSize: 10, fill: CHART_COLORS.text }
        }
      />
    )),
    ...periodBoundaries(series)
      .filter((start) => start >= domain[0])
      .map((start) => (
        <ReferenceLine
          key={`p-${start}`}
          x={start}
          stroke={CHART_COLORS.period}
          strokeDasharray="2 4"
          label={{ value: "period", position: "insideBottomLeft", fontSize: 10, fill: CHART_COLORS.text }}
        />
      )),
    ...markerGroups(series, domain, compact ? 0.2 : 0.12).flatMap((g) =>
      g.members.map((m, i) => (
        <ReferenceLine
          key={`d-${m.at}-${i}`}
          className={`marker marker-${m.kind}`}
          x={m.at}
          stroke={CHART_COLORS.marker[m.kind]}
          strokeDasharray={MARKER_DASH[m.kind]}
          strokeWidth={1.5}
          role={i === 0 ? "img" : undefined}
          aria-label={i === 0 ? g.title : undefined}
          label={
            i === 0
              ? { value: g.label, position: "top", fontSize: 10, fill: CHART_COLORS.marker[g.kind] }
              : undefined
          }
        />
      )),
    ),
  ];
}

/** A time chart's zoom: called with the range dragged across it (none: the chart does not zoom). */
type OnZoom = ((from: number, to: number) => void) | undefined;

export function SliChart({
  series,
  onZoom,
  slas = [],
}: {
  series: SloSeriesResponse;
  onZoom?: OnZoom;
  /** The objectives of the SLAs over the same SLI of this service, drawn beside the SLO's. */
  slas?: { name: string; objectivePercent: number }[];
}) {
  const zoom = useDragZoom(onZoom, series.stepMs * 2);
  const rows = toChartRows(series);
  const domain = xDomain(series);
  const y = sliDomain(rows, Math.min(series.objectivePercent, ...slas.map((s) => s.objectivePercent)));
  return (
    <figure className={zoom.zoomable ? "chart zoomable" : "chart"} aria-label="SLI versus objective">
      <figcaption>SLI vs objective ({series.objectivePercent}%)</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <LineChart data={rows} margin={MARGIN} {...zoom.handlers}>
          <CartesianGrid strokeDasharray="3 3" stroke={CHART_COLORS.grid} />
          {xAxis(domain)}
          <YAxis
            domain={y}
            ticks={sliTicks(y)}
            tickFormatter={(v: number) => `${Number(v.toFixed(3))}%`}
            fontSize={11}
            width={64}
            allowDataOverflow
          />
          <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => [`${v}%`, "SLI"]} />
          {annotations(series, domain)}
          <ReferenceLine
            y={series.objectivePercent}
            stroke={CHART_COLORS.objective}
            strokeDasharray="6 3"
            label={{
              value: "objective",
              position: "insideTopRight",
              fontSize: 11,
              fill: CHART_COLORS.objective,
            }}
          />
          {slas.map((s) => (
            <ReferenceLine
              key={s.name}
              className="sla-objective-line"
              y={s.objectivePercent}
              stroke={CHART_COLORS.danger}
              strokeDasharray="2 3"
              label={{
                value: `SLA ${s.objectivePercent}%`,
                position: "insideBottomLeft",
                fontSize: 11,
                fill: CHART_COLORS.danger,
              }}
            />
          ))}
          <Line
            type="monotone"
            dataKey="sliPercent"
            stroke={CHART_COLORS.sli}
            dot={false}
            strokeWidth={1.5}
            connectNulls={false}
            isAnimationActive={false}
          />
          {zoom.selection}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Budget left, green above a solid zero line; debt below it, filled in the danger colour. */
export function BudgetChart({ series, onZoom }: { series: SloSeriesResponse; onZoom?: OnZoom }) {
  const zoom = useDragZoom(onZoom, series.stepMs * 2);
  const rows = toChartRows(series);
  const ticks = budgetTicks(rows);
  const domain = xDomain(series);
  const inDebt = rows.some((r) => r.remainingPercent !== null && r.remainingPercent < 0);
  return (
    <figure className={zoom.zoomable ? "chart zoomable" : "chart"} aria-label="Error budget remaining">
      <figcaption>
        Error budget remaining (resets each period)
        {inDebt && <span className="debt-note"> · ▼ below 0 is debt</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <AreaChart data={rows} margin={MARGIN} {...zoom.handlers}>
          <CartesianGrid strokeDasharray="3 3" stroke={CHART_COLORS.grid} />
          {xAxis(domain)}
          <YAxis
            domain={[ticks[0]!, 100]}
            ticks={ticks}
            tickFormatter={(v: number) => `${v}%`}
            fontSize={11}
            width={64}
          />
          <Tooltip
            labelFormatter={(v) => fmtTime(Number(v))}
            formatter={(v, name) => (name === "debtPercent" ? [`${v}%`, "debt"] : [`${v}%`, "budget left"])}
          />
          {annotations(series, domain)}
          <Area
            className="budget-left"
            type="stepAfter"
            dataKey="budgetPercent"
            baseValue={0}
            stroke={CHART_COLORS.budget}
            fill={CHART_COLORS.budgetFill}
            fillOpacity={0.6}
            isAnimationActive={false}
            connectNulls={false}
          />
          <Area
            className="budget-debt"
            type="stepAfter"
            dataKey="debtPercent"
            baseValue={0}
            stroke={CHART_COLORS.danger}
            fill={CHART_COLORS.dangerFill}
            fillOpacity={0.6}
            isAnimationActive={false}
            connectNulls={false}
          />
          <ReferenceLine className="zero-line" y={0} stroke={CHART_COLORS.zero} strokeWidth={1.5} />
          {zoom.selection}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** One small burn-rate chart per tier, each with its threshold against its own long and short windows. */
export function BurnRateCharts({
  series,
  firing,
  onZoom,
}: {
  series: SloSeriesResponse;
  /** tiers firing now (from the status), named on their panel */
  firing: ReadonlySet<string>;
  onZoom?: OnZoom;
}) {
  const panels = toTierPanels(series);
  const domain = xDomain(series);
  return (
    <section className="burn-panels" aria-label="Burn rate by tier">
      <h2>Burn rate by tier</h2>
      {panels.length === 0 ? (
        <p className="muted">This SLO has no alert tiers.</p>
      ) : (
        <div className="burn-grid">
          {panels.map((p) => (
            <BurnPanel
              key={p.tier}
              panel={p}
              series={series}
              domain={domain}
              firing={firing.has(p.tier)}
              onZoom={onZoom}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function BurnPanel({
  panel: p,
  series,
  domain,
  firing,
  onZoom,
}: {
  panel: TierPanel;
  series: SloSeriesResponse;
  domain: [number, number];
  firing: boolean;
  onZoom?: OnZoom;
}) {
  const zoom = useDragZoom(onZoom, series.stepMs * 2);
  const color = p.severity === "page" ? CHART_COLORS.danger : CHART_COLORS.ticket;
  const longName = `${p.longWindow} burn`;
  const shortName = p.shortWindow ? `${p.shortWindow} burn` : null;
  return (
    <figure
      className={zoom.zoomable ? "chart burn-panel zoomable" : "chart burn-panel"}
      aria-label={`${p.tier} burn rate`}
      data-tier={p.tier}
      data-windows={[p.longWindow, p.shortWindow].filter(Boolean).join(",")}
    >
      <figcaption>
        <span>
          {p.tier} <span className="muted small">{p.severity}</span>
        </span>
        <span className={firing ? "chip bad" : "chip none"}>{firing ? "▲ firing" : "not firing"}</span>
        <span className="burn-rule muted small">
          fires when {p.shortWindow ? `${p.longWindow} and ${p.shortWindow}` : p.longWindow} burn{" "}
          {p.shortWindow ? "are" : "is"} above {p.factor}×
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={PANEL_H}>
        <LineChart data={p.rows} margin={{ ...MARGIN, left: 0 }} {...zoom.handlers}>
          <CartesianGrid strokeDasharray="3 3" stroke={CHART_COLORS.grid} />
          {xAxis(domain)}
          <YAxis domain={p.domain} fontSize={11} width={48} tickFormatter={(v: number) => `${v}×`} />
          <Tooltip
            labelFormatter={(v) => fmtTime(Number(v))}
            formatter={(v, name) => [`${v}×`, name === "short" ? shortName : longName]}
          />
          <Legend
            verticalAlign="bottom"
            height={20}
            iconSize={10}
            wrapperStyle={{ fontSize: 11 }}
            formatter={(key) => (key === "short" ? shortName : longName)}
          />
          {annotations(series, domain, true)}
          <ReferenceLine
            className="tier-threshold"
            y={p.factor}
            stroke={color}
            strokeDasharray="5 4"
            label={{
              value: `${p.factor}×`,
              position: "insideBottomLeft",
              fontSize: 10,
              fill: color,
            }}
          />
          <Line
            className="burn-long"
            name="long"
            type="monotone"
            dataKey="long"
            stroke={CHART_COLORS.burnLong}
            dot={false}
            strokeWidth={1.75}
            isAnimationActive={false}
          />
          {p.shortWindow && (
            <Line
              className="burn-short"
              name="short"
              type="monotone"
              dataKey="short"
              stroke={CHART_COLORS.burnShort}
              strokeDasharray="4 2"
              dot={false}
              strokeWidth={1.25}
              isAnimationActive={false}
            />
          )}
          {zoom.selection}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
