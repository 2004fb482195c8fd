import { CreateTeamBody, PatchTeamBody, type TeamResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useCreateTeam, usePatchTeam } from "../../api";
import { FormError, FormFooter, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const LABELS = { slug: "Slug", name: "Name", slackChannel: "Slack channel" };

/** Creates a team: its slug (fixed), name and the Slack channel its SLO breaches go to. */
export function NewTeamForm({ onCreated }: { onCreated: (slug: string) => void }) {
  const form = useForm({ slug: "", name: "", slackChannel: "" }, LABELS);
  const create = useCreateTeam();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      slug: v.slug.trim(),
      name: v.name.trim(),
      ...(v.slackChannel.trim() ? { slackChannel: v.slackChannel.trim() } : {}),
    };
    if (await form.submit(CreateTeamBody, body, create.mutateAsync)) {
      form.reset();
      onCreated(body.slug);
    }
  }
  return (
    <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New team">
      <h3>New team</h3>
      <div className="form-row">
        <TextField
          form={form}
          name="slug"
          id="team-slug"
          label="Slug"
          placeholder="payments"
          hint="lowercase, used in links"
        />
        <TextField form={form} name="name" id="team-name" label="Name" placeholder="Payments" />
        <TextField
          form={form}
          name="slackChannel"
          id="team-channel"
          label="Slack channel"
          placeholder="#payments-slo-breaches"
          hint="optional: where breaches are posted"
        />
      </div>
      <FormFooter form={form}>Create team</FormFooter>
    </form>
  );
}

/** Renames a team and changes its Slack channel (empty: none). */
export function EditTeamForm({ team }: { team: TeamResponse }) {
  const form = useForm({ name: team.name, slackChannel: team.slackChannel ?? "" }, LABELS);
  const patch = usePatchTeam();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = { name: form.values.name.trim(), slackChannel: form.values.slackChannel.trim() || null };
    await form.submit(PatchTeamBody, body, (b) => patch.mutateAsync({ slug: team.slug, body: b }));
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`Edit team ${team.slug}`}
    >
      <h3>Team {team.slug}</h3>
      <div className="form-row">
        <TextField form={form} name="name" id="edit-team-name" label="Name" />
        <TextField
          form={form}
          name="slackChannel"
          id="edit-team-channel"
          label="Slack channel"
          hint="empty: none"
        />
      </div>
      <FormError errors={form.errors} />
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          Save team
        </button>
        {patch.isSuccess && !form.busy && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}
