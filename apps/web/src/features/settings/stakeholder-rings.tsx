import {
  CreateStakeholderRingBody,
  PatchStakeholderRingBody,
  type StakeholderRingResponse,
} from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useCreateRing, usePatchRing, useStakeholderRings } from "../../api";
import { QueryState } from "../../components/query-state";
import { FormFooter, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const LABELS = {
  number: "Ring number",
  name: "Name",
  groups: "Stakeholder groups",
  slackChannels: "Slack channels",
  emails: "Emails",
  escalateAfterMinutes: "Tell if not resolved within (min)",
  agreedBy: "Agreed by (departments)",
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CHANNEL = /^#?[a-z0-9._-]{1,80}$/;
type RingValues = {
  number: string;
  name: string;
  groups: string;
  slackChannels: string;
  emails: string;
  escalateAfterMinutes: string;
  agreedBy: string;
};
const list = (v: string) =>
  v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const valuesOf = (r: StakeholderRingResponse | null): RingValues => ({
  number: r ? String(r.number) : "",
  name: r?.name ?? "",
  groups: r?.groups.join(", ") ?? "",
  slackChannels: r?.slackChannels.map((c) => `#${c}`).join(", ") ?? "",
  emails: r?.emails.join(", ") ?? "",
  escalateAfterMinutes: r?.escalateAfterMinutes === null || !r ? "" : String(r.escalateAfterMinutes),
  agreedBy: r?.agreedBy.join(", ") ?? "",
});
const bodyOf = (v: RingValues) => ({
  number: v.number.trim() === "" ? Number.NaN : Number(v.number),
  name: v.name,
  groups: list(v.groups),
  slackChannels: list(v.slackChannels),
  emails: list(v.emails),
  escalateAfterMinutes: v.escalateAfterMinutes.trim() === "" ? null : Number(v.escalateAfterMinutes),
  agreedBy: list(v.agreedBy),
});

/**
 * Stakeholder rings (book §8.5): who outside the team is told, in which order, and the rule that tells a ring
 * when an incident is not resolved in time. Org admins set them up.
 */
export function StakeholderRings() {
  const rings = useStakeholderRings();
  return (
    <section aria-label="Stakeholder rings">
      <h2>Stakeholder rings</h2>
      <p className="muted">
        Rings are told in order: for example 1 product management, 2 leadership, 3 marketing and sales, 4
        partners and customers. A ring with a time is told automatically when an incident is still open after
        it.
      </p>
      <QueryState query={rings} what="stakeholder rings">
        {(rows) => (
          <div className="ring-forms">
            {rows.map((r) => (
              <RingForm key={`${r.id}-${JSON.stringify(r)}`} ring={r} />
            ))}
            <RingForm
              key={`new-${rows.length}`}
              ring={null}
              next={Math.max(0, ...rows.map((r) => r.number)) + 1}
            />
          </div>
        )}
      </QueryState>
    </section>
  );
}

function RingForm({ ring, next }: { ring: StakeholderRingResponse | null; next?: number }) {
  const create = useCreateRing();
  const patch = usePatchRing();
  const form = useForm(ring ? valuesOf(ring) : { ...valuesOf(null), number: String(next ?? 1) }, LABELS);
  const id = ring ? `ring-${ring.id}` : "ring-new";
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = bodyOf(form.values);
    // a list's bad entry is named under the list's own field
    const badEmail = body.emails.find((x) => !EMAIL.test(x));
    if (badEmail) return form.setErrors({ emails: `Emails: '${badEmail}' is not an email address` });
    const badChannel = body.slackChannels.find((x) => !CHANNEL.test(x));
    if (badChannel)
      return form.setErrors({ slackChannels: `Slack channels: '${badChannel}' is not a channel name` });
    if (ring)
      await form.submit(PatchStakeholderRingBody, body, (b) => patch.mutateAsync({ id: ring.id, body: b }));
    else if (await form.submit(CreateStakeholderRingBody, body, create.mutateAsync)) form.reset();
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={ring ? `Ring ${ring.number}: ${ring.name}` : "New stakeholder ring"}
    >
      <h3>{ring ? `Ring ${ring.number}: ${ring.name}` : "New ring"}</h3>
      <div className="form-row">
        <TextField form={form} name="number" id={`${id}-number`} label="Ring number" inputMode="numeric" />
        <TextField form={form} name="name" id={`${id}-name`} label="Name" placeholder="Leadership" />
      </div>
      <TextField
        form={form}
        name="groups"
        id={`${id}-groups`}
        label="Stakeholder groups"
        hint="Comma-separated, e.g. Europe · all products"
      />
      <TextField
        form={form}
        name="slackChannels"
        id={`${id}-slack`}
        label="Slack channels"
        placeholder="#leadership"
      />
      <TextField form={form} name="emails" id={`${id}-emails`} label="Emails" placeholder="cto@example.com" />
      <div className="form-row">
        <TextField
          form={form}
          name="escalateAfterMinutes"
          id={`${id}-escalate`}
          label="Tell if not resolved within (min)"
          inputMode="numeric"
          hint="Empty: told by hand only"
        />
        <TextField form={form} name="agreedBy" id={`${id}-agreed`} label="Agreed by (departments)" />
      </div>
      <FormFooter form={form}>{ring ? "Save ring" : "Add ring"}</FormFooter>
      {ring && patch.isSuccess && !form.busy && <span role="status">Saved.</span>}
    </form>
  );
}
