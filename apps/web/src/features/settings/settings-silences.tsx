import { CreateSilenceBody, type TeamResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useCreateSilence, useEndSilence, useRegions, useServices, useSilences } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { QueryState } from "../../components/query-state";
import { scopeOf } from "../alerts/silences";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { localToIso, msToLocal } from "../forms/local-time";
import { useForm } from "../forms/use-form";

const HOUR_MS = 3_600_000;
const LABELS = { team: "Scope", startsAt: "From", endsAt: "Until", reason: "Reason", region: "Region" };

/** Silences stop notifications (not alerts) for a team, service or region for a time: create one, end one. */
export function SettingsSilences({ teams }: { teams: TeamResponse[] }) {
  const silences = useSilences();
  const services = useServices();
  const regions = useRegions();
  const create = useCreateSilence();
  const end = useEndSilence();
  const now = Date.now();
  const form = useForm(
    { team: "", service: "", region: "", startsAt: "", endsAt: msToLocal(now + 2 * HOUR_MS), reason: "" },
    LABELS,
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      ...(v.team ? { team: v.team } : {}),
      ...(v.service ? { service: v.service } : {}),
      ...(v.region ? { region: v.region } : {}),
      ...(v.startsAt ? { startsAt: localToIso(v.startsAt) } : {}),
      endsAt: v.endsAt ? localToIso(v.endsAt) : undefined,
      reason: v.reason,
    };
    if (await form.submit(CreateSilenceBody, body, create.mutateAsync)) form.set("reason", "");
  }
  const none = (what: string) => [["", `any ${what}`] as const];
  return (
    <section aria-label="Silences">
      <h2>Silences</h2>
      <p className="muted">
        A silence stops Slack and paging notifications for what it covers; alerts are still recorded and
        shown.
      </p>
      <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New silence">
        <div className="form-row">
          <SelectField
            form={form}
            name="team"
            id="silence-team"
            label="Team"
            errorKey="scope"
            choices={[...none("team"), ...teams.map((t) => [t.slug, t.name] as const)]}
          />
          <SelectField
            form={form}
            name="service"
            id="silence-service"
            label="Service"
            choices={[...none("service"), ...(services.data ?? []).map((s) => [s.slug, s.slug] as const)]}
          />
          <SelectField
            form={form}
            name="region"
            id="silence-region"
            label="Region"
            choices={[...none("region"), ...(regions.data ?? []).map((r) => [r.slug, r.slug] as const)]}
          />
        </div>
        {form.errors.team && (
          <p className="field-error" role="status" data-testid="silence-scope-error">
            Choose at least a team, a service or a region.
          </p>
        )}
        <div className="form-row">
          <TextField
            form={form}
            name="startsAt"
            id="silence-from"
            label="From"
            type="datetime-local"
            hint="empty: now"
          />
          <TextField form={form} name="endsAt" id="silence-until" label="Until" type="datetime-local" />
        </div>
        <TextField
          form={form}
          name="reason"
          id="silence-reason"
          label="Reason"
          placeholder="database upgrade"
        />
        <FormFooter form={form}>Create silence</FormFooter>
      </form>
      <ErrorText error={end.error} />
      <QueryState query={silences} what="the silences" loadingWhat="silences">
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">No silences.</p>
          ) : (
            <DataTable
              label="Silences"
              rows={rows}
              rowKey={(s) => s.id}
              columns={[
                {
                  header: "Covers",
                  cell: scopeOf,
                },
                { header: "From", cell: (s) => fmtTime(Date.parse(s.startsAt)) },
                { header: "Until", cell: (s) => fmtTime(Date.parse(s.endsAt)) },
                { header: "Reason", cell: (s) => s.reason },
                { header: "By", cell: (s) => s.author },
                {
                  header: "State",
                  cell: (s) => (s.active ? "active" : Date.parse(s.endsAt) < now ? "ended" : "upcoming"),
                },
                {
                  cell: (s) =>
                    Date.parse(s.endsAt) > now ? (
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`End now (silence: ${s.reason})`}
                        onClick={() => end.mutate(s.id)}
                      >
                        End now
                      </button>
                    ) : null,
                },
              ]}
            />
          )
        }
      </QueryState>
    </section>
  );
}
