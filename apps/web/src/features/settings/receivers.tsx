import {
  CreateReceiverBody,
  ReceiverKind,
  type ReceiverResponse,
  type TeamResponse,
} from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useCreateReceiver, useDeleteReceiver, useReceiverDeliveries, useReceivers } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { ErrorBox } from "../../components/states";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const KIND_WORDS: Record<string, string> = {
  alertmanager: "Prometheus Alertmanager",
  pagerduty: "PagerDuty (Events API v2)",
  opsgenie: "Opsgenie",
  webhook: "Signed webhook",
};
const URL_HINT: Record<string, string> = {
  alertmanager: "its base URL; alerts go to /api/v2/alerts",
  pagerduty: "optional: the Events API URL (default PagerDuty's)",
  opsgenie: "optional: the API URL (default api.opsgenie.com)",
  webhook: "where each event is posted, signed",
};
/** The event choices of the form: all (an empty list), or a group of them. */
const EVENT_CHOICES = [
  ["", "all events"],
  ["alert.firing,alert.acknowledged,alert.resolved,alert.escalated", "alert events only"],
  ["policy.enacted,slo.changed", "policy and SLO changes only"],
] as const;
const STATUS_WORDS: Record<string, string> = {
  pending: "trying",
  sent: "delivered",
  failed: "failed",
  skipped: "nothing to send",
};
const SEVERITIES = [
  ["page,ticket", "pages and tickets"],
  ["page", "pages only"],
  ["ticket", "tickets only"],
] as const;

/**
 * Receivers: where a team's alerts also go (Alertmanager, PagerDuty, Opsgenie, a signed webhook), per
 * severity. A key is write-only (its last 4 characters are shown); a webhook's signing secret is shown once.
 */
export function Receivers({ teams }: { teams: TeamResponse[] }) {
  const receivers = useReceivers();
  const create = useCreateReceiver();
  const remove = useDeleteReceiver();
  const form = useForm(
    { team: "", name: "", kind: "webhook", url: "", severities: "page,ticket", secret: "", events: "" },
    {
      team: "Team",
      name: "Name",
      kind: "Kind",
      url: "URL",
      severities: "Severities",
      secret: "Key",
      events: "Events",
    },
  );
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [logOf, setLogOf] = useState<ReceiverResponse | null>(null);
  const team = form.values.team || teams[0]?.slug || "";
  const kind = form.values.kind;
  const needsKey = kind === "pagerduty" || kind === "opsgenie";
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      team,
      name: v.name.trim(),
      kind: v.kind,
      severities: v.severities.split(","),
      ...(v.url.trim() ? { url: v.url.trim() } : {}),
      ...(needsKey && v.secret.trim() ? { secret: v.secret.trim() } : {}),
      ...(v.events ? { events: v.events.split(",") } : {}),
    };
    await form.submit(CreateReceiverBody, body, async (b) => {
      const r = await create.mutateAsync(b);
      setSecret(r.signingSecret ? { name: r.name, value: r.signingSecret } : null);
      form.set("name", "");
      form.set("url", "");
      form.set("secret", "");
    });
  }
  return (
    <section aria-label="Receivers">
      <h2>Receivers</h2>
      <p className="hint">
        Besides the team&apos;s Slack channel, each alert that fires, is acknowledged or resolves is sent once
        to the team&apos;s receivers that take its severity. Webhooks also get the team&apos;s policy
        enactments and SLO changes. Each receiver takes all events unless it names some.
      </p>
      <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New receiver">
        <div className="form-row">
          <SelectField
            form={form}
            name="team"
            id="receiver-team"
            label="Team"
            choices={teams.map((t) => [t.slug, t.name] as const)}
          />
          <TextField form={form} name="name" id="receiver-name" label="Name" placeholder="payments pages" />
          <SelectField
            form={form}
            name="kind"
            id="receiver-kind"
            label="Kind"
            choices={ReceiverKind.options.map((k) => [k, KIND_WORDS[k] ?? k] as const)}
          />
          <SelectField
            form={form}
            name="severities"
            id="receiver-severities"
            label="Severities"
            choices={SEVERITIES}
          />
          <SelectField
            form={form}
            name="events"
            id="receiver-events"
            label="Events"
            choices={kind === "webhook" ? EVENT_CHOICES : EVENT_CHOICES.slice(0, 1)}
          />
        </div>
        <div className="form-row">
          <TextField
            form={form}
            name="url"
            id="receiver-url"
            label="URL"
            hint={URL_HINT[kind]}
            placeholder={kind === "alertmanager" ? "http://alertmanager:9093" : "https://"}
          />
          {needsKey && (
            <TextField
              form={form}
              name="secret"
              id="receiver-secret"
              label={kind === "pagerduty" ? "Routing key" : "API key"}
              hint="write-only: only its last 4 characters are shown"
            />
          )}
        </div>
        <FormFooter form={form}>Add receiver</FormFooter>
      </form>
      {secret && (
        <div className="banner secret" role="status">
          Copy the signing secret of &apos;{secret.name}&apos; now: it is shown once. Verify each
          request&apos;s Burnrate-Signature with it.
          <code data-testid="receiver-secret">{secret.value}</code>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorText error={remove.error} />
      {receivers.error ? (
        <ErrorBox what="receivers" error={receivers.error} />
      ) : (
        <DataTable
          label="Receivers"
          className="grid receivers-table"
          rows={receivers.data ?? []}
          rowKey={(r) => r.id}
          rowProps={() => ({ "data-testid": "receiver-row" })}
          columns={[
            {
              header: "Receiver",
              cell: (r) => (
                <>
                  <strong>{r.name}</strong>
                  <br />
                  <span className="muted">{r.team}</span>
                </>
              ),
            },
            { header: "Kind", cell: (r) => KIND_WORDS[r.kind] ?? r.kind },
            {
              header: "Takes",
              cell: (r) =>
                SEVERITIES.find(([v]) => v === [...r.severities].sort().join(","))?.[1] ??
                r.severities.join(", "),
            },
            {
              header: "Sends to",
              className: "receiver-target",
              cell: (r) => (
                <>
                  {r.url ? (
                    <code>{r.url}</code>
                  ) : (
                    <span className="muted">the service&apos;s default URL</span>
                  )}
                  {r.secretHint && (
                    <>
                      <br />
                      <span className="muted">key</span> <code>{r.secretHint}</code>
                    </>
                  )}
                </>
              ),
            },
            {
              header: "Events",
              cell: (r) =>
                r.events.length === 0
                  ? "all events"
                  : (EVENT_CHOICES.find(([v]) => v === r.events.join(","))?.[1] ?? r.events.join(", ")),
            },
            { header: "Created", className: "nowrap", cell: (r) => fmtTime(Date.parse(r.createdAt)) },
            {
              cell: (r) => (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Delivery log of ${r.name}`}
                  aria-expanded={logOf?.id === r.id}
                  onClick={() => setLogOf(logOf?.id === r.id ? null : r)}
                >
                  Deliveries
                </button>
              ),
            },
            {
              cell: (r) => (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Delete ${r.name}`}
                  onClick={() => {
                    if (window.confirm(`Delete the receiver '${r.name}'? Alerts stop going there.`))
                      remove.mutate(r.id);
                  }}
                >
                  Delete
                </button>
              ),
            },
          ]}
        />
      )}
      {logOf && <DeliveryLog receiver={logOf} onClose={() => setLogOf(null)} />}
    </section>
  );
}

/** A receiver's recent deliveries: each event, how many calls it took, the last answer, when it was delivered. */
function DeliveryLog({ receiver, onClose }: { receiver: ReceiverResponse; onClose: () => void }) {
  const deliveries = useReceiverDeliveries(receiver.id);
  const title = `Delivery log of ${receiver.name}`;
  return (
    <section aria-label={title} className="receiver-log">
      <h3>{title}</h3>
      <p className="hint">
        The most recent deliveries, newest first. A failing call is retried with a growing pause; a refusal (a
        4xx other than 408 and 429) is not.
      </p>
      {deliveries.error ? (
        <ErrorBox what="deliveries" error={deliveries.error} />
      ) : deliveries.data && deliveries.data.length === 0 ? (
        <p className="muted">Nothing delivered to {receiver.name} yet.</p>
      ) : (
        <DataTable
          label={`Deliveries to ${receiver.name}`}
          className="grid receivers-table"
          rows={deliveries.data ?? []}
          rowKey={(d) => d.id}
          rowProps={(d) => ({ "data-testid": "delivery-row", "data-status": d.status })}
          columns={[
            { header: "Event", cell: (d) => <code>{d.type}</code> },
            { header: "Event id", className: "receiver-target", cell: (d) => <code>{d.eventId}</code> },
            { header: "Status", cell: (d) => STATUS_WORDS[d.status] ?? d.status },
            { header: "Attempts", num: true, cell: (d) => d.attempts },
            {
              header: "Last answer",
              className: "receiver-target",
              cell: (d) => (
                <>
                  {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : <span className="muted">no answer</span>}
                  {d.error && (
                    <>
                      <br />
                      <span className="muted">{d.error}</span>
                    </>
                  )}
                </>
              ),
            },
            {
              header: "Delivered",
              className: "nowrap",
              cell: (d) => (d.deliveredAt ? fmtTime(Date.parse(d.deliveredAt)) : "—"),
            },
          ]}
        />
      )}
      <button type="button" className="secondary" onClick={onClose}>
        Close the log
      </button>
    </section>
  );
}
