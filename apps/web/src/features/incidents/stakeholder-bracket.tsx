import { SendStakeholderNotificationBody, type IncidentResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useIncidentNotifications, useSendNotification, useStakeholderRings } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";
import { fmtMinutes } from "./incident-labels";

const LABELS = {
  ring: "Ring",
  kind: "Message",
  message: "Text",
  nextUpdateInMinutes: "Next update within (min)",
  geography: "Geography",
};
const KINDS = [
  ["first", "first message"],
  ["update", "update"],
  ["last", "last message"],
] as const;

/**
 * The incident's messages to stakeholders (book §8.6): who was told, when, with what words and when the next
 * update is due; and the form that sends the next one to a ring.
 */
export function StakeholderBracket({ incident }: { incident: IncidentResponse }) {
  const rings = useStakeholderRings();
  const sent = useIncidentNotifications(incident.id);
  const send = useSendNotification(incident.id);
  const form = useForm(
    { ring: "1", kind: "first", message: "", nextUpdateInMinutes: "240", geography: "worldwide" },
    LABELS,
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      ring: Number(v.ring),
      kind: v.kind,
      message: v.message,
      geography: v.geography,
      ...(v.kind !== "last" && v.nextUpdateInMinutes
        ? { nextUpdateInMinutes: Number(v.nextUpdateInMinutes) }
        : {}),
    };
    if (await form.submit(SendStakeholderNotificationBody, body, send.mutateAsync)) form.set("message", "");
  }
  const rows = sent.data ?? [];
  return (
    <section aria-labelledby="stakeholders-h">
      <h2 id="stakeholders-h">Stakeholders</h2>
      {rows.length === 0 ? (
        <p className="muted">No stakeholder has been told yet.</p>
      ) : (
        <DataTable
          label="Stakeholder messages"
          rows={rows}
          rowKey={(n) => n.id}
          columns={[
            { header: "Sent", cell: (n) => fmtTime(Date.parse(n.sentAt)) },
            { header: "Ring", cell: (n) => `${n.ring.number}: ${n.ring.name}` },
            { header: "Message", cell: (n) => n.kind + (n.trigger === "rule" ? " (by rule)" : "") },
            { header: "Where", cell: (n) => `${n.geography} · ${n.products.join(", ")}` },
            {
              header: "Reached",
              cell: (n) =>
                [
                  ...n.recipients.groups,
                  ...n.recipients.users.map((u) => u.name),
                  ...n.recipients.slackChannels.map((c) => `#${c}`),
                  ...n.recipients.emails,
                ].join(", ") || "–",
            },
            { header: "Text", cell: (n) => n.message },
            {
              header: "Next update",
              cell: (n) =>
                n.kind === "last"
                  ? `recovered in ${fmtMinutes(n.ttrMinutes)}`
                  : n.nextUpdateDueAt
                    ? `by ${fmtTime(Date.parse(n.nextUpdateDueAt))}`
                    : "–",
            },
          ]}
        />
      )}
      {(rings.data ?? []).length === 0 ? (
        <p className="muted">No stakeholder rings are set up.</p>
      ) : (
        <form
          className="form card-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-label="Tell stakeholders"
        >
          <div className="form-row">
            <SelectField
              form={form}
              name="ring"
              id="notify-ring"
              label="Ring"
              choices={(rings.data ?? []).map((r) => [String(r.number), `${r.number}: ${r.name}`] as const)}
            />
            <SelectField form={form} name="kind" id="notify-kind" label="Message" choices={KINDS} />
            <TextField form={form} name="geography" id="notify-geography" label="Geography" />
            <TextField
              form={form}
              name="nextUpdateInMinutes"
              id="notify-next"
              label="Next update within (min)"
              inputMode="numeric"
            />
          </div>
          <TextField form={form} name="message" id="notify-message" label="Text" />
          <FormFooter form={form}>Send to the ring</FormFooter>
        </form>
      )}
    </section>
  );
}
