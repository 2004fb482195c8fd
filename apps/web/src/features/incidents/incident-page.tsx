import { IncidentUpdateBody, type IncidentResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { useIncident, useIncidentUpdate } from "../../api";
import { fmtTime } from "../../components/format";
import { Kpi } from "../../components/kpi";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { StatusBadge } from "../../components/status-badge";
import { CheckField, FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";
import { StakeholderBracket } from "./stakeholder-bracket";
import { STATE_LABEL, STATE_TONE, describeEntry, fmtMinutes, nextStates } from "./incident-labels";

const LABELS = {
  message: "Update",
  state: "New state",
  priority: "Priority",
  public: "Public",
  at: "Happened at",
};
const at = (iso: string | null) => (iso ? fmtTime(Date.parse(iso)) : "–");

/** Post an update: a message, and optionally a new state or priority. */
function UpdateForm({ incident }: { incident: IncidentResponse }) {
  const update = useIncidentUpdate(incident.id);
  const form = useForm({ message: "", state: "", priority: "", public: false, at: "" }, LABELS);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    // the field holds the browser's local time; empty: now
    const atMs = v.at ? Date.parse(v.at) : Number.NaN;
    if (v.at && !Number.isFinite(atMs)) return form.setErrors({ at: "Happened at: pick a date and time" });
    const body = {
      message: v.message,
      ...(v.at ? { at: new Date(atMs).toISOString() } : {}),
      public: v.public,
      ...(v.state ? { state: v.state } : {}),
      ...(v.priority && v.priority !== incident.priority ? { priority: v.priority } : {}),
    };
    if (await form.submit(IncidentUpdateBody, body, update.mutateAsync)) {
      form.set("message", "");
      form.set("state", "");
      form.set("priority", "");
      form.set("public", false);
      form.set("at", "");
    }
  }
  return (
    <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Post an update">
      <h2>Post an update</h2>
      <TextField
        form={form}
        name="message"
        id="update-message"
        label="Update"
        placeholder="Root cause understood; fix in preparation"
      />
      <div className="form-row">
        <SelectField
          form={form}
          name="state"
          id="update-state"
          label="New state"
          choices={[
            ["", `keep ${STATE_LABEL[incident.state].toLowerCase()}`],
            ...nextStates(incident.state).map((s) => [s, STATE_LABEL[s]] as const),
          ]}
        />
        <SelectField
          form={form}
          name="priority"
          id="update-priority"
          label="Priority"
          choices={[
            ["", `keep ${incident.priority ?? "none"}`],
            ...["P1", "P2", "P3", "P4", "P5"].map((p) => [p, p] as const),
          ]}
        />
      </div>
      <div className="form-row with-time">
        <TextField
          form={form}
          name="at"
          id="update-at"
          label="Happened at"
          type="datetime-local"
          hint="Empty: now. An earlier time records what happened before."
        />
      </div>
      <CheckField form={form} name="public" id="update-public" label="Show on status pages" />
      <FormFooter form={form}>Post update</FormFooter>
    </form>
  );
}

function Timeline({ incident }: { incident: IncidentResponse }) {
  const entries = incident.timeline ?? [];
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      <ol className="incident-timeline" data-testid="incident-timeline">
        {entries.map((e, n) => (
          <li key={n} className={e.public ? "public" : undefined}>
            <time dateTime={e.at} className="muted">
              {fmtTime(Date.parse(e.at))}
            </time>
            <div>
              <strong>{describeEntry(e)}</strong>
              {e.author && <span className="muted"> · {e.author}</span>}
              {e.message && <p>{e.message}</p>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The incident's Slack channel: its name (a link once Slack made it), who was invited, the last error. */
function ChannelLine({ channel }: { channel: NonNullable<IncidentResponse["channel"]> }) {
  return (
    <div data-testid="incident-channel">
      <strong>Slack channel</strong>:{" "}
      {channel.url ? (
        <a href={channel.url} target="_blank" rel="noreferrer">
          #{channel.name}
        </a>
      ) : (
        <span>#{channel.name} (being created)</span>
      )}
      {channel.invited.length > 0 && <span className="muted"> · invited {channel.invited.join(", ")}</span>}
      {channel.error && <span className="error"> · Slack said: {channel.error}</span>}
    </div>
  );
}

/** One incident: its state, times to detect, acknowledge and recover, roles, timeline and the update form. */
export function IncidentPage() {
  const { id = "" } = useParams();
  const incident = useIncident(id);
  return (
    <div className="page">
      <QueryState query={incident} what="the incident">
        {(i) => (
          <>
            <p className="muted">
              <Link to="/incidents">Incidents</Link> / #{i.number}
            </p>
            <PageHeader
              title={i.title}
              description={[
                i.services.length ? `Services: ${i.services.join(", ")}` : "No service named",
                i.regions.length ? `regions: ${i.regions.join(", ")}` : null,
              ]
                .filter(Boolean)
                .join("; ")}
            >
              <StatusBadge tone={STATE_TONE[i.state]} testId="incident-state">
                {STATE_LABEL[i.state]}
              </StatusBadge>
              <Link className="button" to={`/incidents/${i.id}/postmortem`}>
                Postmortem
              </Link>
            </PageHeader>
            <section className="kpis" aria-label="Incident times">
              <Kpi
                label="Priority"
                value={i.priority ?? "–"}
                sub={i.severity ? `severity ${i.severity}` : "severity not set"}
              />
              <Kpi
                label="Detected"
                value={at(i.detectedAt)}
                sub={`${fmtMinutes(i.ttdMinutes)} after the start`}
              />
              <Kpi
                label="Acknowledged"
                value={at(i.acknowledgedAt)}
                sub={i.ttaMinutes === null ? "not yet" : `${fmtMinutes(i.ttaMinutes)} after detection`}
              />
              <Kpi
                label="Time to recover"
                value={fmtMinutes(i.ttrMinutes)}
                valueTestId="incident-ttr"
                sub={i.resolvedAt ? `resolved ${at(i.resolvedAt)}` : "still open"}
              />
            </section>
            <section aria-label="Roles" className="card">
              <div>
                <strong>Commander</strong>: {i.roles.commander ?? "–"} · <strong>Communications lead</strong>:{" "}
                {i.roles.communicationsLead ?? "–"} · <strong>Ops lead</strong>: {i.roles.opsLead ?? "–"}
              </div>
              {i.channel && <ChannelLine channel={i.channel} />}
            </section>
            <div className="incident-layout">
              <Timeline incident={i} />
              {i.state !== "resolved" && <UpdateForm incident={i} />}
            </div>
            <StakeholderBracket incident={i} />
          </>
        )}
      </QueryState>
    </div>
  );
}
