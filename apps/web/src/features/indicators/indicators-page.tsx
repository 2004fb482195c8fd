import type { DepletionRow, EndpointStatsRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { useIndicators, useOverview } from "../../api/hooks";
import { FilterBar } from "../../components/filter-bar";
import { fmtDay, fmtObjective, fmtPercent } from "../../components/format";
import { ErrorBox, Loading, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { adherenceMatrix, sortDepletion, type DepletionSort } from "./indicators";

const WINDOWS = { current: "current period", previous: "previous period", year: "last 12 months" } as const;
type WindowKey = keyof typeof WINDOWS;

/** Manager indicators (book ch. 11). They describe services and endpoints; none ranks people. */
export function IndicatorsPage() {
  const { get, set } = useUrlState();
  const windowKey = (get("window") in WINDOWS ? get("window") : "current") as WindowKey;
  const filters = {
    team: get("team"),
    service: get("service"),
    region: get("region"),
    sli: get("sli"),
    includeDefaults: get("defaults") === "1",
  };
  const choices = useOverview({});
  const ind = useIndicators({ ...filters, window: windowKey });
  const sort = (get("dsort") || "maxSpeed") as DepletionSort;
  const d = ind.data;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Reliability indicators</h1>
          <p className="muted">
            Process indicators for team discussions about where reliability work pays off. They describe
            services and endpoints, never people, and must not be used to appraise anyone.
          </p>
        </div>
        <span className="spacer" />
        <FilterBar choices={choices.data} />
        <label>
          Time window
          <select
            aria-label="Time window"
            value={windowKey}
            onChange={(e) => set({ window: e.target.value })}
          >
            {Object.entries(WINDOWS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Updating query={ind} />
      {ind.isLoading ? (
        <Loading what="indicators" />
      ) : ind.error ? (
        <ErrorBox what="indicators" error={ind.error} />
      ) : (
        <>
          <Indicator
            id="slos-by-service"
            title="SLOs by service"
            why="Which reliability each service has committed to: decide whether to depend on an API and how much to protect yourself from it."
          >
            {d!.slosByService.length === 0 ? (
              <p className="muted">No SLO matches the filters.</p>
            ) : (
              <table className="grid" aria-label="SLOs by service">
                <thead>
                  <tr>
                    <th>Service</th>
                    <th>Team</th>
                    <th>SLI</th>
                    <th>SLO</th>
                    <th>Error budget period</th>
                    <th className="num">Days left</th>
                    <th>Adherence</th>
                  </tr>
                </thead>
                <tbody>
                  {d!.slosByService.map((s) => (
                    <tr key={s.sloId}>
                      <td>{s.service}</td>
                      <td>{s.team}</td>
                      <td>{s.sli}</td>
                      <td>
                        <Link to={`/slos/${s.sloId}`}>
                          {s.endpoint ?? s.name} {fmtObjective(s.objectivePercent)}
                        </Link>
                        {s.kind === "default" && <span className="muted small"> (default)</span>}
                      </td>
                      <td>
                        {s.windowLabel} ({s.periodDays.toFixed(0)} days)
                      </td>
                      <td className="num">{s.daysLeft === null ? "rolling" : s.daysLeft.toFixed(1)}</td>
                      <td>
                        <Link to={`/indicators?window=year&service=${s.service}#adherence`}>adherence</Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Indicator>
          <Indicator
            id="adherence"
            title="SLO adherence"
            why="Which SLOs are fulfilled or broken period after period: long-term budget breakers need reliability capacity."
          >
            <AdherenceTable rows={d!.depletion} />
          </Indicator>
          <Indicator
            id="depletion"
            title="Error budget depletion"
            why="How fast budgets burn: a high speed means a large blast radius (stability patterns needed); the top rows are next period's reliability work."
          >
            <DepletionTable
              rows={sortDepletion(d!.depletion, sort)}
              sort={sort}
              onSort={(s) => set({ dsort: s })}
            />
          </Indicator>
          <Indicator
            id="premature"
            title="Premature budget exhaustion"
            why="Budgets that ran out before their period ended: where reliability investment is needed now rather than features."
          >
            <PrematureTable rows={d!.depletion.filter((r) => r.exhausted)} />
          </Indicator>
          <Indicator
            id="least-available"
            title="Least available endpoints"
            why="The endpoints failing most often, with or without an SLO: where to add SLOs, retries or fallbacks."
          >
            <EndpointTable rows={d!.leastAvailable} metric="availability" />
          </Indicator>
          <Indicator
            id="slowest"
            title="Slowest endpoints"
            why="The endpoints with the slowest tail (p95): where latency SLOs and performance work matter most."
          >
            <EndpointTable rows={d!.slowest} metric="latency" />
          </Indicator>
        </>
      )}
    </div>
  );
}

function Indicator({
  id,
  title,
  why,
  children,
}: {
  id: string;
  title: string;
  why: string;
  children: React.ReactNode;
}) {
  return (
    <section className="indicator" aria-labelledby={`${id}-h`} id={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p className="why">{why}</p>
      {children}
    </section>
  );
}

const periodLabel = (p: { start: number; end: number }) => `${fmtDay(p.start)} – ${fmtDay(p.end - 1)}`;
const sloLabel = (r: DepletionRow) => `${r.endpoint ?? r.name} ${fmtObjective(r.objectivePercent)}`;
const speed = (x: number | null) => (x === null ? "–" : x.toFixed(1));

function AdherenceTable({ rows }: { rows: DepletionRow[] }) {
  const m = adherenceMatrix(rows);
  if (m.rows.length === 0) return <p className="muted">No period with data in this window.</p>;
  const header = (i: number) => (i === m.columns - 1 ? "latest period" : `period −${m.columns - 1 - i}`);
  return (
    <div className="scroll-x">
      <table className="grid" aria-label="SLO adherence">
        <thead>
          <tr>
            <th>SLI</th>
            <th>SLO</th>
            <th>Region</th>
            {Array.from({ length: m.columns }, (_, i) => (
              <th key={i}>{header(i)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.rows.map((r) => (
            <tr key={r.key} data-testid="adherence-row">
              <td>{r.sli}</td>
              <td className="nowrap">
                <Link to={`/slos/${r.sloId}?region=${r.region}&range=3p`}>{r.label}</Link>
              </td>
              <td>{r.region}</td>
              {r.cells.map((c, i) => (
                <td key={i}>
                  {c ? (
                    <>
                      <span
                        className={`chip ${c.adherence === "broken" ? "state-exhausted" : "state-healthy"}`}
                      >
                        {c.adherence === "broken" ? "Broken" : "Fulfilled"}
                        {c.complete ? "" : " so far"}
                      </span>
                      <div className="muted small">{periodLabel(c.period)}</div>
                    </>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const DEPLETION_COLUMNS: { key: DepletionSort; label: string }[] = [
  { key: "service", label: "Service" },
  { key: "sli", label: "SLI" },
  { key: "slo", label: "SLO" },
  { key: "region", label: "Region" },
  { key: "period", label: "Period" },
  { key: "endRemaining", label: "Budget at end of period" },
  { key: "avgSpeed", label: "Average depletion speed (%/h)" },
  { key: "maxSpeed", label: "Highest depletion speed (%/h)" },
];

function DepletionTable({
  rows,
  sort,
  onSort,
}: {
  rows: DepletionRow[];
  sort: DepletionSort;
  onSort: (s: DepletionSort) => void;
}) {
  if (rows.length === 0) return <p className="muted">No budget was spent in this window.</p>;
  return (
    <table className="grid sortable" aria-label="Error budget depletion">
      <thead>
        <tr>
          {DEPLETION_COLUMNS.map((c) => (
            <th
              key={c.key}
              aria-sort={sort === c.key ? "descending" : "none"}
              className={c.key.endsWith("Speed") || c.key === "endRemaining" ? "num" : undefined}
            >
              <button type="button" className="sort" onClick={() => onSort(c.key)}>
                {c.label}
                <span aria-hidden="true">{sort === c.key ? " ▼" : ""}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.sloId}|${r.region}|${r.period.start}`} data-testid="depletion-row">
            <td>{r.service}</td>
            <td>{r.sli}</td>
            <td>
              <Link to={`/slos/${r.sloId}?region=${r.region}`}>{sloLabel(r)}</Link>
            </td>
            <td>{r.region}</td>
            <td>
              {periodLabel(r.period)}
              {r.complete ? "" : " (running)"}
            </td>
            <td className="num">{fmtPercent(r.remainingAtEnd, 0)}</td>
            <td className="num" data-testid="avg-speed">
              {speed(r.averageSpeedPercentPerHour)}
            </td>
            <td className="num" data-testid="max-speed">
              {speed(r.maxSpeedPercentPerHour)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PrematureTable({ rows }: { rows: DepletionRow[] }) {
  if (rows.length === 0)
    return <p className="muted">No budget ran out before its period ended in this window.</p>;
  return (
    <table className="grid" aria-label="Premature budget exhaustion">
      <thead>
        <tr>
          <th>Service</th>
          <th>SLO</th>
          <th>Region</th>
          <th>Period</th>
          <th>Ran out</th>
          <th className="num">After</th>
          <th className="num">Budget at end</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.sloId}|${r.region}|${r.period.start}`}>
            <td>{r.service}</td>
            <td>
              <Link to={`/slos/${r.sloId}?region=${r.region}&range=3p`}>{sloLabel(r)}</Link>
            </td>
            <td>{r.region}</td>
            <td>{periodLabel(r.period)}</td>
            <td>{r.exhaustedAt ? fmtDay(r.exhaustedAt) : "–"}</td>
            <td className="num">
              {r.timeToExhaustionHours === null ? "–" : `${(r.timeToExhaustionHours / 24).toFixed(1)} days`}
            </td>
            <td className="num">{fmtPercent(r.remainingAtEnd, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EndpointTable({ rows, metric }: { rows: EndpointStatsRow[]; metric: "availability" | "latency" }) {
  if (rows.length === 0)
    return (
      <p className="muted">
        No requests in this window: these tables read the ingested request rollups (not the SLI history).
      </p>
    );
  const ms = (x: number | null) => (x === null ? "> 60 s" : `≤ ${x} ms`);
  return (
    <table
      className="grid"
      aria-label={metric === "availability" ? "Least available endpoints" : "Slowest endpoints"}
    >
      <thead>
        <tr>
          <th>Service</th>
          <th>Endpoint</th>
          <th>Region</th>
          <th className="num">Requests</th>
          {metric === "availability" ? (
            <th className="num">Availability</th>
          ) : (
            <>
              <th className="num">p50</th>
              <th className="num">p95</th>
              <th className="num">p99</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.service}|${r.endpoint}|${r.region}`}>
            <td>
              <Link to={`/services/${r.service}`}>{r.service}</Link>
            </td>
            <td>
              <code>{r.endpoint}</code>
            </td>
            <td>{r.region}</td>
            <td className="num">{r.total.toLocaleString()}</td>
            {metric === "availability" ? (
              <td className="num">{fmtPercent(r.availability, 3)}</td>
            ) : (
              <>
                <td className="num">{ms(r.p50Ms)}</td>
                <td className="num">{ms(r.p95Ms)}</td>
                <td className="num">{ms(r.p99Ms)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
