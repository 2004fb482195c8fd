import type { ScheduleResponse } from "@burnrate/contracts";
import { useState } from "react";
import { useEscalationPolicies, useMyFeed, useSchedules } from "../../api";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { MyFeedButton, MyFeedLink } from "./my-feed";
import { MyRules } from "./my-rules";
import { OncallNow } from "./oncall-now";
import { OverrideForm } from "./override-form";
import { OverridesList } from "./overrides-list";
import { PoliciesList } from "./policies-list";
import { PolicyEditor } from "./policy-editor";
import { ScheduleForm } from "./schedule-form";
import { SwapsPanel } from "./swaps";
import { ScheduleTimeline } from "./timeline";

const scopeText = (s: ScheduleResponse) =>
  s.scope === "region"
    ? `region ${s.region}`
    : s.scope === "team"
      ? `team ${s.team}`
      : `teams ${s.teams.join(", ")}`;

const hoursText = (s: ScheduleResponse) =>
  s.layers
    .map((l) =>
      l.activeHours === null
        ? "24x7"
        : l.activeHours.map((w) => `${w.days.join(",")} ${w.from}–${w.to}`).join("; "),
    )
    .join(" / ");

/** Who is on call now for every schedule, the next four periods of each, and forms to add schedules and overrides. */
export function OncallPage() {
  const schedules = useSchedules();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  const policies = useEscalationPolicies();
  const feed = useMyFeed();
  return (
    <div className="page">
      <PageHeader
        title="On call"
        description="Who holds main and backup now, and the next four rotation periods with overrides."
      >
        <MyFeedButton feed={feed} />
        <button onClick={() => setCreating((c) => !c)}>{creating ? "Close" : "New schedule"}</button>
        <button onClick={() => setEditing((c) => !c)}>{editing ? "Close" : "New escalation policy"}</button>
      </PageHeader>
      <MyFeedLink feed={feed} />
      <QueryState query={schedules} what="schedules">
        {(list) => (
          <div className="oncall-layout">
            <div className="oncall-schedules">
              {list.length === 0 && (
                <div className="empty">
                  No schedules yet. Create one: a team's business-hours rotation is a good start.
                </div>
              )}
              {list.map((s) => (
                <section key={s.id} className="card oncall-card" aria-label={`Schedule ${s.name}`}>
                  <div className="oncall-card-head">
                    <h2>{s.name}</h2>
                    <span className="muted">
                      {scopeText(s)} · every {s.rotation.periodDays} d at {s.rotation.handoff} {s.timeZone} ·{" "}
                      {hoursText(s)}
                    </span>
                  </div>
                  <OncallNow schedule={s} />
                  <ScheduleTimeline schedule={s} />
                  <OverridesList schedule={s} />
                  <SwapsPanel schedule={s} />
                </section>
              ))}
              <div className="oncall-policies">
                <h2>Escalation policies</h2>
                <QueryState query={policies} what="escalation policies">
                  {(ps) => <PoliciesList policies={ps} schedules={list} />}
                </QueryState>
              </div>
            </div>
            <aside className="oncall-forms">
              {(creating || list.length === 0) && <ScheduleForm onCreated={() => setCreating(false)} />}
              {editing && <PolicyEditor schedules={list} onCreated={() => setEditing(false)} />}
              {list.length > 0 && <OverrideForm schedules={list} />}
              <MyRules />
            </aside>
          </div>
        )}
      </QueryState>
    </div>
  );
}
