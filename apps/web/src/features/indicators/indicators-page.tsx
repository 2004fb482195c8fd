import type { IndicatorsResponse } from "@burnrate/contracts";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { z } from "zod";
import { useIndicators, useOnCallIndicators, useOverview, useSupportTickets, useTtrTrend } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DownloadLink } from "../../components/download-link";
import { FilterBar } from "../../components/filter-bar";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { AdherenceTable } from "./adherence-table";
import { DecisionPanel } from "./decision-panel";
import { DepletionTable } from "./depletion-table";
import { EndpointTable } from "./endpoint-table";
import { OnCallIndicators, TtrTrendChart } from "./ops-charts";
import { TicketTrendChart } from "./ticket-chart";
import { sortDepletion, type DepletionSort } from "./indicators";
import { PrematureTable } from "./premature-table";
import { SlosByServiceTable } from "./slos-by-service-table";

const WINDOWS = { current: "current period", previous: "previous period", year: "last 12 months" } as const;
type WindowKey = keyof typeof WINDOWS;

/** One indicator: what it shows, why it matters (for the team's discussion), and its table. */
interface Indicator {
  id: string;
  title: string;
  why: string;
  /** The API's table that holds its rows, for the CSV download */
  table: "slosByService" | "depletion" | "leastAvailable" | "slowest";
  render: (d: z.infer<typeof IndicatorsResponse>) => ReactNode;
}

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
  const ops = { team: filters.team || undefined, service: filters.service || undefined };
  const ttr = useTtrTrend({ ...ops, region: filters.region || undefined, scale: "4w" });
  const oncall = useOnCallIndicators(ops);
  const tickets = useSupportTickets({ ...ops, months: 12 });
  /** Indicators from incidents and on-call schedules, each loaded on its own. */
  const opsSections = [
    {
      id: "ttr-trend",
      title: "Incident time to recovery",
      why: "How long recoveries take, per 4-week period over the last 12 months, with the trend: a rising trend leaves no room to tighten an SLA.",
      body: (
        <QueryState query={ttr} what="time to recovery">
          {(d) => <TtrTrendChart data={d} />}
        </QueryState>
      ),
    },
    {
      id: "support-tickets",
      title: "Customer support ticket trend",
      why: "Tickets per month over the last 12 months and their growth, per service: a hint of how reliable customers find a service. A growing trend is worth a look at what the tickets have in common.",
      body: (
        <QueryState query={tickets} what="support tickets">
          {(d) => <TicketTrendChart data={d} />}
        </QueryState>
      ),
    },
    {
      id: "oncall",
      title: "On-call rotations by team",
      why: "Whether each team has rotations, which hours and services they cover and how many people share them; pages per shift in the last 28 days. Uncovered hours of a service with a high target may need 24/7.",
      body: (
        <QueryState query={oncall} what="on-call rotations">
          {(d) => <OnCallIndicators data={d} />}
        </QueryState>
      ),
    },
  ];
  const indicators: Indicator[] = [
    {
      id: "slos-by-service",
      table: "slosByService",
      title: "SLOs by service",
      why: "Which reliability each service has committed to: decide whether to depend on an API and how much to protect yourself from it.",
      render: (d) => <SlosByServiceTable rows={d.slosByService} />,
    },
    {
      id: "adherence",
      table: "depletion",
      title: "SLO adherence",
      why: "Which SLOs are fulfilled or broken period after period: long-term budget breakers need reliability capacity.",
      render: (d) => <AdherenceTable rows={d.depletion} />,
    },
    {
      id: "depletion",
      table: "depletion",
      title: "Error budget depletion",
      why: "How fast budgets burn: a high speed means a large blast radius (stability patterns needed); the top rows are next period's reliability work.",
      render: (d) => (
        <DepletionTable
          rows={sortDepletion(d.depletion, sort)}
          sort={sort}
          onSort={(s) => set({ dsort: s })}
        />
      ),
    },
    {
      id: "premature",
      table: "depletion",
      title: "Premature budget exhaustion",
      why: "Budgets that ran out before their period ended: where reliability investment is needed now rather than features.",
      render: (d) => <PrematureTable rows={d.depletion.filter((r) => r.exhausted)} />,
    },
    {
      id: "least-available",
      table: "leastAvailable",
      title: "Least available endpoints",
      why: "The endpoints failing most often, with or without an SLO: where to add SLOs, retries or fallbacks.",
      render: (d) => <EndpointTable rows={d.leastAvailable} metric="availability" />,
    },
    {
      id: "slowest",
      table: "slowest",
      title: "Slowest endpoints",
      why: "The endpoints with the slowest tail (p95): where latency SLOs and performance work matter most.",
      render: (d) => <EndpointTable rows={d.slowest} metric="latency" />,
    },
  ];
  return (
    <div className="page">
      <PageHeader
        title="Reliability indicators"
        description="Process indicators for team discussions about where reliability work pays off. They describe services and endpoints, never people, and must not be used to appraise anyone."
      >
        <FilterBar choices={choices.data} />
        <ChoiceSelect
          label="Time window"
          value={windowKey}
          choices={Object.entries(WINDOWS)}
          onChange={(v) => set({ window: v })}
        />
      </PageHeader>
      <Updating query={ind} />
      <div className="with-toc">
        <nav className="toc" aria-label="On this page">
          <h2>On this page</h2>
          <ol>
            {[...indicators, ...opsSections].map((i) => (
              <li key={i.id}>
                <a href={`#${i.id}`}>{i.title}</a>
              </li>
            ))}
          </ol>
          <h2>Across teams</h2>
          <ul>
            <li>
              <Link to="/adoption">SRE adoption board</Link>
            </li>
          </ul>
        </nav>
        <div className="toc-body">
          <QueryState query={ind} what="indicators">
            {(d) =>
              indicators.map((i) => (
                <section key={i.id} className="indicator" aria-labelledby={`${i.id}-h`} id={i.id}>
                  <h2 id={`${i.id}-h`}>{i.title}</h2>
                  <p className="why">
                    {i.why}{" "}
                    <a
                      href={`#${i.id}-decide`}
                      onClick={() => {
                        const d = document.getElementById(`${i.id}-decide`);
                        if (d instanceof HTMLDetailsElement) d.open = true;
                      }}
                    >
                      What to decide
                    </a>{" "}
                    ·{" "}
                    <DownloadLink
                      className=""
                      path="/api/v1/reports/indicators"
                      params={{
                        team: filters.team,
                        service: filters.service,
                        region: filters.region,
                        sli: filters.sli,
                        includeDefaults: filters.includeDefaults ? "true" : null,
                        window: windowKey,
                        table: i.table,
                        format: "csv",
                      }}
                      file={`indicators-${i.id}.csv`}
                    />
                  </p>
                  <DecisionPanel id={`${i.id}-decide`} indicator={i.id} title={i.title} />
                  {i.render(d)}
                </section>
              ))
            }
          </QueryState>
          {opsSections.map((i) => (
            <section key={i.id} className="indicator" aria-labelledby={`${i.id}-h`} id={i.id}>
              <h2 id={`${i.id}-h`}>{i.title}</h2>
              <p className="why">{i.why}</p>
              {i.body}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
