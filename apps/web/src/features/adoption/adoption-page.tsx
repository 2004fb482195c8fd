import type { AdoptionResponse } from "@burnrate/contracts";
import { WESTRUM_ASPECT_INFO } from "@burnrate/slo-core";
import { Link } from "react-router";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAdoption } from "../../api";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { CHART_COLORS } from "../slo/chart-colors";
import "./adoption.css";

type Board = AdoptionResponse;
type Cell = Board["teams"][number]["phases"][number];

/** Teams per phase (book §6.12), as horizontal bars in phase order. */
function PhaseChart({ board }: { board: Board }) {
  const data = board.phases.map((p) => ({ label: p.label, teams: p.reached }));
  return (
    <figure className="adoption-chart" aria-label="Teams per adoption phase" data-testid="adoption-chart">
      <ResponsiveContainer width="100%" height={Math.max(260, data.length * 28 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" horizontal={false} />
          <XAxis
            type="number"
            allowDecimals={false}
            domain={[0, Math.max(1, board.teams.length)]}
            fontSize={11}
            stroke={CHART_COLORS.axis}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={190}
            fontSize={12}
            stroke={CHART_COLORS.axis}
            interval={0}
          />
          <Tooltip formatter={(v) => [`${String(v)} of ${board.teams.length} teams`, "Reached"]} />
          <Bar
            dataKey="teams"
            fill={CHART_COLORS.budget}
            isAnimationActive={false}
            label={{ position: "right", fontSize: 11, fill: "var(--fg-2)" }}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function CellView({ c }: { c: Cell }) {
  if (c.state === "reached")
    return (
      <span
        className="adopt-cell reached"
        title={c.source === "derived" ? "shown by Burnrate's data" : `entered by ${c.updatedBy ?? "hand"}`}
      >
        <span aria-hidden="true">✓</span> {c.reachedOn ?? "yes"}
        {c.source === "manual" && <span className="sr-only"> (entered by hand)</span>}
      </span>
    );
  if (c.state === "overdue") return <span className="adopt-cell overdue">overdue: {c.targetDate}</span>;
  if (c.targetDate) return <span className="adopt-cell planned">by {c.targetDate}</span>;
  return (
    <span className="adopt-cell open" aria-label="not yet">
      –
    </span>
  );
}

function TeamGrid({ board }: { board: Board }) {
  return (
    <div className="table-box scroll-x">
      <table className="grid adoption-grid">
        <caption className="sr-only">Adoption phases reached per team</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" className="num">
              Reached
            </th>
            {board.phases.map((p) => (
              <th
                scope="col"
                key={p.phase}
                title={p.derivedFrom ? `derived from ${p.derivedFrom}` : "entered by hand"}
              >
                {p.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.teams.map((t) => (
            <tr key={t.team}>
              <th scope="row">
                <Link to={`/teams/${t.team}`} className="truncate" title={t.name}>
                  {t.name}
                </Link>
              </th>
              <td className="num">
                {t.reachedCount}/{board.phases.length}
              </td>
              {t.phases.map((c) => (
                <td key={c.phase}>
                  <CellView c={c} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TrendTable({ board }: { board: Board }) {
  return (
    <div className="table-box scroll-x">
      <table className="grid adoption-trend">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            {board.trend.map((q) => (
              <th scope="col" className="num" key={q.quarter}>
                {q.quarter}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.phases.map((p) => (
            <tr key={p.phase}>
              <th scope="row">{p.label}</th>
              {board.trend.map((q) => (
                <td className="num" key={q.quarter}>
                  {q.counts[p.phase] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const mean1 = (v: number | null) => (v === null ? "–" : v.toFixed(1));

/** The teams' culture self-assessments per quarter: teams that answered and the mean of each aspect (1-5). */
function CultureTrendTable({ board }: { board: Board }) {
  return (
    <div className="table-box scroll-x">
      <table className="grid culture-trend" aria-label="Culture self-assessment by quarter">
        <thead>
          <tr>
            <th scope="col">Aspect</th>
            {board.culture.map((q) => (
              <th scope="col" className="num" key={q.quarter}>
                {q.quarter}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Teams that answered</th>
            {board.culture.map((q) => (
              <td className="num" key={q.quarter}>
                {q.teams}
              </td>
            ))}
          </tr>
          {WESTRUM_ASPECT_INFO.map((a) => (
            <tr key={a.aspect}>
              <th scope="row">{a.label}</th>
              {board.culture.map((q) => (
                <td className="num" key={q.quarter}>
                  {mean1(q.means[a.aspect] ?? null)}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">All six aspects</th>
            {board.culture.map((q) => (
              <td className="num" key={q.quarter}>
                {mean1(q.mean)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The org-wide SRE adoption board for managers (book §6.12): how far each team has come. */
export function AdoptionPage() {
  const board = useAdoption();
  return (
    <div className="page">
      <PageHeader
        title="SRE adoption"
        description="How far each team has come in adopting SRE, phase by phase. It tracks the practice of teams, never individuals, and must not be used to appraise anyone."
      >
        <a className="button" href="/api/v1/reports/adoption?format=csv" download="adoption.csv">
          Download CSV
        </a>
        <Link to="/indicators">Indicators</Link>
      </PageHeader>
      <QueryState query={board} what="adoption board">
        {(b) => (
          <>
            <section aria-labelledby="adopt-phases-h" className="indicator">
              <h2 id="adopt-phases-h">Teams per phase</h2>
              <p className="why">
                {b.teams.length} teams. A phase is reached when Burnrate's own data shows it (first service,
                first SLO, first alert in Slack, an on-call schedule, a signed error budget policy, a status
                page) or when the team records it by hand.
              </p>
              <PhaseChart board={b} />
            </section>
            <section aria-labelledby="adopt-grid-h" className="indicator">
              <h2 id="adopt-grid-h">Teams × phases</h2>
              <p className="why">
                The day each phase was reached, the target date of a phase still open, and the overdue ones.
              </p>
              <TeamGrid board={b} />
            </section>
            <section aria-labelledby="adopt-trend-h" className="indicator">
              <h2 id="adopt-trend-h">Trend over quarters</h2>
              <p className="why">Teams that had reached each phase by the end of each quarter.</p>
              <TrendTable board={b} />
            </section>
            <section aria-labelledby="adopt-culture-h" className="indicator">
              <h2 id="adopt-culture-h">Culture self-assessment over quarters</h2>
              <p className="why">
                Each team scores its own practice on Westrum&apos;s six aspects once a quarter (1: not at all,
                5: fully), on its team page. The mean over the teams that answered; it assesses teams&apos;
                practice, never individuals.
              </p>
              <CultureTrendTable board={b} />
            </section>
          </>
        )}
      </QueryState>
    </div>
  );
}
