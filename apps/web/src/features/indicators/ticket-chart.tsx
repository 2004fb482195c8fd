import type { SupportTicketsResponse } from "@burnrate/contracts";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { DataTable, type Column } from "../../components/data-table";
import { CHART_COLORS } from "../slo/chart-colors";
import "./ticket-chart.css";

/** The book's threshold for a look at a service (Fig 11.13 filters on an average growth under 30%). */
export const GROWTH_WATCH = 0.3;

const fmtGrowth = (g: number | null) => (g === null ? "–" : `${g >= 0 ? "+" : ""}${(g * 100).toFixed(1)}%`);
const fmtMonth = (m: string) =>
  new Date(`${m}-01T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    year: "2-digit",
    timeZone: "UTC",
  });

/**
 * Customer support ticket trend (book §11.2.9, Figs 11.12–11.13): tickets per month over the chosen services
 * (bars) with each month's growth over the one before (line), then one row per service with its average growth;
 * a service growing by 30% or more a month on average is marked for a look. Counts per service, never per person.
 */
export function TicketTrendChart({ data }: { data: SupportTicketsResponse }) {
  const o = data.overall;
  const points = o.points.map((p) => ({
    month: p.month,
    tickets: p.count,
    growth: p.growthRate === null ? null : Math.round(p.growthRate * 1000) / 10,
  }));
  if (data.services.length === 0)
    return (
      <p className="muted" data-testid="tickets-summary">
        No support tickets reported for {fmtMonth(data.from)} – {fmtMonth(data.to)}. Send monthly counts per
        service to <code>PUT /api/v1/support-tickets</code> or upload a CSV (<code>service,month,count</code>
        ).
      </p>
    );
  return (
    <div>
      <p className="muted" data-testid="tickets-summary">
        {o.total} ticket{o.total === 1 ? "" : "s"} over {o.points.length} months; average growth{" "}
        {fmtGrowth(o.averageGrowthRate)} a month
        {o.direction === "up" ? " (growing: worth a look)" : o.direction === "down" ? " (falling)" : ""}.
      </p>
      <figure className="tickets-chart" aria-label="Support ticket trend" data-testid="tickets-chart">
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={points} margin={{ top: 12, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
            <XAxis dataKey="month" tickFormatter={fmtMonth} fontSize={11} stroke={CHART_COLORS.axis} />
            <YAxis yAxisId="n" width={36} allowDecimals={false} fontSize={11} stroke={CHART_COLORS.axis} />
            <YAxis
              yAxisId="g"
              width={44}
              orientation="right"
              unit="%"
              fontSize={11}
              stroke={CHART_COLORS.axis}
            />
            <Tooltip
              labelFormatter={(m) => fmtMonth(String(m))}
              formatter={(v, name) => [name === "Growth" ? `${Number(v)}%` : String(v), String(name)]}
            />
            <Legend />
            <Bar
              yAxisId="n"
              name="Tickets"
              dataKey="tickets"
              fill={CHART_COLORS.ticket}
              isAnimationActive={false}
            />
            <Line
              yAxisId="g"
              name="Growth"
              dataKey="growth"
              stroke={CHART_COLORS.danger}
              dot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </figure>
      <DataTable
        label="Support tickets per service"
        columns={columns}
        rows={data.services}
        rowKey={(s) => s.service}
      />
    </div>
  );
}

type ServiceRow = SupportTicketsResponse["services"][number];
const columns: Column<ServiceRow>[] = [
  { header: "Service", cell: (s) => s.name },
  { header: "Team", cell: (s) => s.team },
  { header: "Tickets", num: true, cell: (s) => s.total },
  {
    header: "Last month",
    num: true,
    cell: (s) => (
      <>
        {s.points.at(-1)?.count ?? 0}{" "}
        <span className="muted">({fmtGrowth(s.points.at(-1)?.growthRate ?? null)})</span>
      </>
    ),
  },
  {
    header: "Average growth",
    num: true,
    cell: (s) => (
      <>
        {fmtGrowth(s.averageGrowthRate)}
        {s.averageGrowthRate !== null && s.averageGrowthRate >= GROWTH_WATCH && (
          <span className="chip warn"> ≥ 30%</span>
        )}
      </>
    ),
  },
];
