import { weekTrendArrow, type NewsletterPreviewResponse, type NewsletterSloLine } from "@burnrate/contracts";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useNewsletter } from "../../api";
import { DataTable, type Column } from "../../components/data-table";
import { fmtDate, fmtObjective } from "../../components/format";
import { Kpi } from "../../components/kpi";
import { PageHeader } from "../../components/page-header";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { StatusBadge } from "../../components/status-badge";
import { Empty, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import "./newsletter-page.css";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const pct = (v: number | null, digits = 2) => (v === null ? "–" : `${(v * 100).toFixed(digits)}%`);
const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** "YYYY-MM-DD" shifted by whole days (calendar arithmetic, no time zone involved). */
function shiftDay(ymd: string, days: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The weekly availability newsletter of a team (`/teams/:slug/newsletter`) or of the organisation
 * (`/newsletter`) for one local week, exactly as it is sent: its numbers, the Slack message and the email.
 */
export function NewsletterPage() {
  const { slug } = useParams();
  const team = slug ?? null;
  const { get, set } = useUrlState();
  const asked = get("week");
  const week = asked && YMD.test(asked) ? asked : null;
  const q = useNewsletter(team, week);
  usePageTitle(team ? `Newsletter of team ${team}` : "Newsletter");
  return (
    <QueryState query={q} what="the newsletter" page>
      {(n) => (
        <div className="page newsletter">
          <PageHeader
            title={<>Newsletter · {n.content.scope.name}</>}
            description={`Week of ${fmtDate(n.content.week.firstDay)} – ${fmtDate(n.content.week.lastDay)} (${n.content.week.timeZone}), as it is posted to Slack and sent by email.`}
          >
            <div className="newsletter-weeks" role="group" aria-label="Week">
              <button type="button" onClick={() => set({ week: shiftDay(n.content.week.firstDay, -7) })}>
                ← Previous week
              </button>
              <button type="button" onClick={() => set({ week: shiftDay(n.content.week.firstDay, 7) })}>
                Next week →
              </button>
              {week && (
                <button type="button" onClick={() => set({ week: undefined })}>
                  Last complete week
                </button>
              )}
            </div>
          </PageHeader>
          <Updating query={q} />
          <Schedule n={n} team={team} />
          <div className="kpis">
            <Kpi label="SLOs" value={n.content.summary.slos} testId="nl-slos" />
            <Kpi label="Met" value={n.content.summary.met} testId="nl-met" />
            <Kpi
              label="Broken"
              value={n.content.summary.broken}
              tone={n.content.summary.broken > 0 ? "bad" : undefined}
              testId="nl-broken"
            />
            <Kpi label="No data" value={n.content.summary.noData} testId="nl-nodata" />
          </div>
          {n.content.slos.length === 0 ? (
            <Empty title="No SLOs to report">
              <p>
                The newsletter lists the explicit SLOs of {team ? "the team's services" : "every team"}.{" "}
                <Link to="/slos/new">Create an SLO</Link>.
              </p>
            </Empty>
          ) : (
            <>
              <h2>Worst burns</h2>
              {n.content.worstBurns.length === 0 ? (
                <p className="muted">No SLO used any of its budget this week.</p>
              ) : (
                <DataTable
                  label="Worst burns of the week"
                  columns={columns}
                  rows={n.content.worstBurns}
                  rowKey={(l) => l.sloId}
                />
              )}
              <h2>All SLOs</h2>
              <DataTable
                label="SLOs of the week"
                columns={columns}
                rows={n.content.slos}
                rowKey={(l) => l.sloId}
              />
            </>
          )}
          <h2>Incidents started this week</h2>
          {n.content.incidents.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="newsletter-incidents">
              {n.content.incidents.map((i) => (
                <li key={i.id}>
                  <Link to={`/incidents/${i.id}`}>{i.title}</Link>
                  {i.severity && <span className="muted"> · {i.severity}</span>}
                  {!i.resolvedAt && <span className="chip warn">open</span>}
                </li>
              ))}
            </ul>
          )}
          {n.content.overdue.postmortems.length + n.content.overdue.actionItems.length > 0 && (
            <section aria-labelledby="nl-overdue-h">
              <h2 id="nl-overdue-h">Overdue from postmortems</h2>
              <ul className="newsletter-incidents">
                {n.content.overdue.postmortems.map((p) => (
                  <li key={`pm-${p.incidentId}`}>
                    <Link to={`/incidents/${p.incidentId}/postmortem`}>Postmortem: {p.title}</Link>
                    <span className="muted"> · due {fmtDate(p.dueAt.slice(0, 10))}</span>
                  </li>
                ))}
                {n.content.overdue.actionItems.map((a, k) => (
                  <li key={`ai-${k}`}>
                    <Link to={`/incidents/${a.incidentId}/postmortem`}>
                      #{a.incidentNumber}: {a.title}
                    </Link>
                    <span className="muted">
                      {" "}
                      · due {fmtDate(a.dueDate)} · {a.state.replace("_", " ")}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <h2>SLO changes this week</h2>
          {n.content.changes.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="newsletter-changes">
              {n.content.changes.map((c) => (
                <li key={`${c.sloId}-${c.version}`}>
                  <Link to={`/slos/${c.sloId}`}>{c.name}</Link>{" "}
                  <span className="muted">
                    ({c.service}) · version {c.version}:
                  </span>{" "}
                  {c.reason}
                </li>
              ))}
            </ul>
          )}
          <h2>Policy reviews coming up</h2>
          {n.content.policyReviews.length === 0 ? (
            <p className="muted">None in the next four weeks.</p>
          ) : (
            <ul className="newsletter-reviews">
              {n.content.policyReviews.map((r) => (
                <li key={r.team}>
                  <Link to={`/teams/${r.team}/policy`}>{r.team}</Link>: error budget policy review{" "}
                  {r.overdue ? (
                    <span className="chip warn">overdue since {fmtDate(r.dueOn)}</span>
                  ) : (
                    <>due {fmtDate(r.dueOn)}</>
                  )}
                </li>
              ))}
            </ul>
          )}
          <h2>SLO reviews coming up</h2>
          {n.content.sloReviews.length === 0 ? (
            <p className="muted">None in the next four weeks.</p>
          ) : (
            <ul className="newsletter-reviews">
              {n.content.sloReviews.map((r) => (
                <li key={r.sloId}>
                  <Link to={`/slos/${r.sloId}`}>
                    {r.service} / {r.name}
                  </Link>
                  : SLO review{" "}
                  {r.overdue ? (
                    <span className="chip warn">overdue since {fmtDate(r.dueOn)}</span>
                  ) : (
                    <>due {fmtDate(r.dueOn)}</>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">Shared awareness of where availability is short, not a ranking of people.</p>
          <h2>As sent</h2>
          <div className="newsletter-sent">
            <section className="card" aria-label="Slack message">
              <h3>Slack</h3>
              <pre className="newsletter-text">{n.slack.text}</pre>
            </section>
            <section className="card" aria-label="Email">
              <h3>Email</h3>
              <p className="muted newsletter-subject">Subject: {n.email.subject}</p>
              <EmailFrame html={n.email.html} />
            </section>
          </div>
        </div>
      )}
    </QueryState>
  );
}

/**
 * The email as a mail client shows it: in a frame of its own (its styles do not leak into the page), with no
 * scripts (the sandbox allows none), as tall as its content so it reads like the Slack text beside it rather than
 * scrolling inside a box. Same-origin only so the page can measure its height.
 */
function EmailFrame({ html }: { html: string }) {
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | null>(null);
  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    const measure = () => {
      const doc = frame.contentDocument;
      if (doc?.documentElement) setHeight(doc.documentElement.scrollHeight);
    };
    frame.addEventListener("load", measure);
    // the width decides how the text wraps, so a narrower page makes a taller email
    const resized = new ResizeObserver(measure);
    resized.observe(frame);
    measure();
    return () => {
      frame.removeEventListener("load", measure);
      resized.disconnect();
    };
  }, [html]);
  return (
    <iframe
      ref={ref}
      className="newsletter-email"
      title="The newsletter email"
      sandbox="allow-same-origin"
      srcDoc={html}
      style={height === null ? undefined : { height: height + 2 }}
    />
  );
}

/** When and where it goes, and a way to change it (the API's settings route). */
function Schedule({ n, team }: { n: NewsletterPreviewResponse; team: string | null }) {
  const s = n.settings;
  const where = [
    s.slackChannel ? `#${s.slackChannel}` : team ? "the team's Slack channel" : null,
    s.emails.length ? `${s.emails.length} email address${s.emails.length === 1 ? "" : "es"}` : null,
  ].filter(Boolean);
  return (
    <p className="card newsletter-schedule" data-testid="nl-schedule">
      {s.enabled ? (
        <>
          Sent every {WEEKDAYS[s.weekday - 1]} at {s.time} ({s.timeZone}) to{" "}
          {where.join(" and ") || "nowhere yet"}
          {n.nextSendAt && (
            <>
              {" "}
              · next on{" "}
              {new Date(n.nextSendAt).toLocaleString(undefined, {
                timeZone: s.timeZone,
                dateStyle: "medium",
                timeStyle: "short",
              })}
            </>
          )}
          .
        </>
      ) : (
        <>Not sent: this newsletter is switched off. The team's editors switch it on with its settings.</>
      )}
    </p>
  );
}

const state = (l: NewsletterSloLine) =>
  l.met === null ? (
    <StatusBadge tone="no-data">no data</StatusBadge>
  ) : l.met ? (
    <StatusBadge tone="healthy">met</StatusBadge>
  ) : (
    <StatusBadge tone="exhausted">broken</StatusBadge>
  );

const columns: Column<NewsletterSloLine>[] = [
  { header: "Service", cell: (l) => <Link to={`/services/${l.service}`}>{l.service}</Link> },
  { header: "SLO", cell: (l) => <Link to={`/slos/${l.sloId}`}>{l.name}</Link> },
  { header: "Objective", num: true, cell: (l) => fmtObjective(l.objectivePercent) },
  { header: "Week SLI", num: true, cell: (l) => `${pct(l.weekSli, 3)}${weekTrendArrow(l)}` },
  { header: "State", cell: state },
  { header: "Week budget used", num: true, cell: (l) => pct(l.weekBudgetSpent, 1) },
  { header: "Period budget left", num: true, cell: (l) => pct(l.budgetRemaining, 1) },
];
