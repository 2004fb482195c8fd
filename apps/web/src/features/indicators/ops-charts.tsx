import type { OnCallIndicatorsResponse, TtrTrendResponse } from "@burnrate/contracts";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fmtDay } from "../../components/format";
import { CHART_COLORS } from "../slo/chart-colors";
import { coverageSegments, coverageText, fmtDuration, fmtTtr, niceTicks, ttrTrendLine, ttrUnit } from "./ops";

/**
 * Incident time to recovery (book Fig 11.15): one point per resolved incident at its start, the median per
 * period, and the least-squares trendline over the incidents (never below 0). Every value is in one unit, minutes,
 * hours or days, whichever suits the longest recovery: the axis, the tooltip and the summary alike.
 */
export function TtrTrendChart({ data }: { data: TtrTrendResponse }) {
  const t = data.overall;
  const unit = ttrUnit(Math.max(0, ...data.incidents.map((i) => i.ttrMinutes)));
  const inUnit = (m: number) => m / unit.minutes;
  const fmt = (m: number | null) => fmtDuration(m, unit);
  const points = data.incidents.map((i) => ({
    t: i.startedAt,
    ttr: inUnit(i.ttrMinutes),
    title: `#${i.number} ${i.title}`,
  }));
  const medians = t.periods
    .filter((p) => p.medianMinutes !== null)
    .map((p) => ({ t: (p.start + p.end) / 2, median: inUnit(p.medianMinutes!) }));
  const trend = ttrTrendLine(data)?.map((p) => ({ t: p.t, ttr: inUnit(p.ttr) }));
  const domain: [number, number] = [data.from, data.to];
  const slope = t.slopePerPeriod === null ? "" : fmt(Math.abs(t.slopePerPeriod));
  const yTicks = niceTicks(
    Math.max(
      0,
      ...points.map((p) => p.ttr),
      ...medians.map((p) => p.median),
      ...(trend ?? []).map((p) => p.ttr),
    ),
  );
  return (
    <div>
      <p className="muted" data-testid="ttr-summary">
        {t.count === 0
          ? "No resolved incidents in this window."
          : `${t.count} incident${t.count === 1 ? "" : "s"}, mean ${fmt(t.meanMinutes)}, median ${fmt(t.medianMinutes)}; trend ${
              t.direction === "up"
                ? "upward ↑ (recoveries get longer)"
                : t.direction === "down"
                  ? "downward ↓"
                  : t.direction === "flat"
                    ? "flat"
                    : "– (too few incidents)"
            }${t.slopePerPeriod === null ? "" : `, ${t.slopePerPeriod >= 0 ? "+" : "−"}${slope} per period`}.${
              data.open ? ` ${data.open} still open.` : ""
            }`}
      </p>
      {t.count > 0 && (
        <figure className="ops-chart" aria-label="Incident time to recovery trend" data-testid="ttr-chart">
          <ResponsiveContainer width="100%" height={280}>
            <ComposedChart margin={{ top: 12, right: 24, bottom: 0, left: 8 }}>
              <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={domain}
                ticks={t.periods.map((p) => p.start)}
                tickFormatter={(v: number) => fmtDay(v)}
                fontSize={11}
                stroke={CHART_COLORS.axis}
                allowDuplicatedCategory={false}
              />
              <YAxis
                dataKey="ttr"
                domain={[0, yTicks[yTicks.length - 1]!]}
                ticks={yTicks}
                allowDataOverflow
                tickFormatter={(v: number) => `${Number(v.toFixed(2))} ${unit.label}`}
                width={64}
                fontSize={11}
                stroke={CHART_COLORS.axis}
                label={{
                  value: `Time to recovery (${unit.label === "min" ? "minutes" : unit.label === "h" ? "hours" : "days"})`,
                  angle: -90,
                  position: "insideLeft",
                  offset: 4,
                  style: { textAnchor: "middle", fontSize: 11, fill: CHART_COLORS.axis },
                }}
              />
              {t.periods.map((p) => (
                <ReferenceLine key={p.start} x={p.start} stroke={CHART_COLORS.period} strokeDasharray="2 4" />
              ))}
              <Tooltip
                labelFormatter={(v) => fmtDay(Number(v))}
                formatter={(v, name) => [fmt(Number(v) * unit.minutes), String(name)]}
              />
              <Legend formatter={(name: string) => `${name} (${unit.label})`} />
              <Scatter
                name="Incident TTR"
                data={points}
                dataKey="ttr"
                fill={CHART_COLORS.danger}
                isAnimationActive={false}
              />
              <Line
                name="Median per period"
                data={medians}
                dataKey="median"
                stroke={CHART_COLORS.sli}
                strokeDasharray="4 4"
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
              {trend && (
                <Line
                  name="Trend"
                  className="ttr-trend"
                  data={trend}
                  dataKey="ttr"
                  stroke={CHART_COLORS.ticket}
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                />
              )}
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      )}
      {data.teams.length > 1 && (
        <table className="table" aria-label="TTR per team">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Incidents</th>
              <th scope="col">Mean TTR</th>
              <th scope="col">Median TTR</th>
              <th scope="col">Trend per period</th>
            </tr>
          </thead>
          <tbody>
            {data.teams.map((x) => (
              <tr key={x.team}>
                <td>{x.team}</td>
                <td>{x.count}</td>
                <td>{fmt(x.meanMinutes)}</td>
                <td>{fmt(x.medianMinutes)}</td>
                <td>
                  {x.slopePerPeriod === null
                    ? "–"
                    : `${x.slopePerPeriod >= 0 ? "↑ +" : "↓ −"}${fmt(Math.abs(x.slopePerPeriod))}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * On-call rotations by team (book Fig 11.14): the table of rotations, and per service a 24-hour bar of the UTC
 * hours someone is on call (covered) and those no rotation covers.
 */
export function OnCallIndicators({ data }: { data: OnCallIndicatorsResponse }) {
  if (data.teams.length === 0) return <p className="muted">No teams match these filters.</p>;
  return (
    <div className="ops-oncall">
      {data.teams.map((team) => {
        const rows = team.services.map((s) => ({ service: s.service, segs: coverageSegments(s.coverage) }));
        const width = Math.max(0, ...rows.map((r) => r.segs.length));
        const chartRows = rows.map((r) => ({
          service: r.service,
          ...Object.fromEntries(r.segs.map((s, k) => [`s${k}`, (s.to - s.from) / 60])),
        }));
        return (
          <section key={team.team} className="ops-team" aria-label={`On-call rotations of ${team.team}`}>
            <h3>
              {team.team}: {team.rotations.length} rotation{team.rotations.length === 1 ? "" : "s"},{" "}
              {team.peopleOnRotations} people on them
            </h3>
            {team.rotations.length === 0 ? (
              <p className="muted">No on-call rotation: this team's services are not covered at all.</p>
            ) : (
              <div className="table-scroll">
                <table className="table" aria-label={`Rotations of ${team.team}`}>
                  <thead>
                    <tr>
                      <th scope="col">Rotation</th>
                      <th scope="col">Covered time (UTC)</th>
                      <th scope="col">Services</th>
                      <th scope="col">People</th>
                      <th scope="col">Shifts</th>
                      <th scope="col">Pages</th>
                      <th scope="col">Pages / shift</th>
                      <th scope="col">Pages off duty</th>
                      <th scope="col">Median ack</th>
                    </tr>
                  </thead>
                  <tbody>
                    {team.rotations.map((r) => (
                      <tr key={r.id}>
                        <td>{r.name}</td>
                        <td>{coverageText(r.coverage)}</td>
                        <td>{r.services.join(", ") || "–"}</td>
                        <td>{r.people}</td>
                        <td>{r.shifts}</td>
                        <td>{r.pages}</td>
                        <td>{r.pagesPerShift === null ? "–" : r.pagesPerShift.toFixed(2)}</td>
                        <td>{r.outsideCoverage}</td>
                        <td>{fmtTtr(r.medianAckMinutes)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {rows.length > 0 && (
              <figure
                className="ops-chart"
                aria-label={`On-call coverage per service of ${team.team}`}
                data-testid="coverage-chart"
              >
                <ResponsiveContainer width="100%" height={48 + rows.length * 34}>
                  <BarChart
                    data={chartRows}
                    layout="vertical"
                    margin={{ top: 4, right: 24, bottom: 0, left: 8 }}
                  >
                    <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" horizontal={false} />
                    <XAxis
                      type="number"
                      domain={[0, 24]}
                      ticks={[0, 3, 6, 9, 12, 15, 18, 21, 24]}
                      tickFormatter={(v: number) => `${String(v).padStart(2, "0")}:00`}
                      fontSize={11}
                      stroke={CHART_COLORS.axis}
                    />
                    <YAxis
                      type="category"
                      dataKey="service"
                      width={110}
                      fontSize={11}
                      stroke={CHART_COLORS.axis}
                    />
                    {Array.from({ length: width }, (_, k) => (
                      <Bar key={k} dataKey={`s${k}`} stackId="day" isAnimationActive={false}>
                        {rows.map((r) => (
                          <Cell
                            key={r.service}
                            fill={r.segs[k]?.covered ? CHART_COLORS.budget : CHART_COLORS.dangerFill}
                            stroke={r.segs[k]?.covered ? undefined : CHART_COLORS.danger}
                          />
                        ))}
                      </Bar>
                    ))}
                  </BarChart>
                </ResponsiveContainer>
                <figcaption className="muted">
                  Blue: someone on call; red with an outline: no rotation covers the hour (UTC, Monday of the
                  week shown).{" "}
                  {team.services
                    .map(
                      (s) =>
                        `${s.service} ${Number(s.hoursPerDay.toFixed(1))} h/day${s.aroundTheClock ? " (24/7)" : ""}`,
                    )
                    .join(" · ")}
                </figcaption>
              </figure>
            )}
          </section>
        );
      })}
    </div>
  );
}
