import { PatchServiceBody, type ServiceResponse, type TeamResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { usePatchService } from "../../api";
import { FormError, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";
import { SERVICE_LABELS, statusList } from "./service-fields";

/** Changes a service: its name, owning team, runbook, tier and which statuses count as failures. */
export function EditServiceForm({ service, teams }: { service: ServiceResponse; teams: TeamResponse[] }) {
  const form = useForm(
    {
      name: service.name,
      team: service.team,
      runbookUrl: service.runbookUrl ?? "",
      tier: service.tier === null ? "" : String(service.tier),
      failureStatuses: service.failureStatuses.join(", "),
    },
    SERVICE_LABELS,
  );
  const patch = usePatchService();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      name: v.name.trim(),
      team: v.team,
      runbookUrl: v.runbookUrl.trim() || null,
      tier: v.tier === "" ? null : Number(v.tier),
      failureStatuses: statusList(v.failureStatuses),
    };
    await form.submit(PatchServiceBody, body, (b) => patch.mutateAsync({ slug: service.slug, body: b }));
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`Edit service ${service.slug}`}
    >
      <h3>Service {service.slug}</h3>
      <TextField form={form} name="name" id="edit-svc-name" label="Name" />
      <SelectField
        form={form}
        name="team"
        id="edit-svc-team"
        label="Team"
        choices={teams.map((t) => [t.slug, t.name] as const)}
      />
      <TextField
        form={form}
        name="runbookUrl"
        id="edit-svc-runbook"
        label="Runbook"
        type="url"
        hint="empty: none"
      />
      <SelectField
        form={form}
        name="tier"
        id="edit-svc-tier"
        label="Tier"
        choices={[["", "none"], ...["1", "2", "3", "4", "5"].map((t) => [t, `tier ${t}`] as const)]}
      />
      <TextField
        form={form}
        name="failureStatuses"
        id="edit-svc-failures"
        label="Failure statuses"
        hint="codes or ranges, comma-separated"
      />
      <FormError errors={form.errors} />
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          Save service
        </button>
        {patch.isSuccess && !form.busy && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}
