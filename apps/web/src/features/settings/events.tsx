import { CreateDeploymentBody } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { errorMessage, useCreateEvent, useDeployments, useRegions, useServices } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { QueryState } from "../../components/query-state";
import { CheckField, FormError, SelectField, TextField } from "../forms/fields";
import { localToIso } from "../forms/local-time";
import { useForm } from "../forms/use-form";

const KINDS = [
  ["deployment", "Deployment"],
  ["maintenance", "Maintenance window"],
  ["game_day", "Game day"],
  ["comment", "Annotation"],
] as const;
const KIND_WORDS: Record<string, string> = Object.fromEntries(KINDS);

const LABELS = {
  service: "Service",
  region: "Region",
  version: "Version",
  note: "Note",
  at: "When",
  endsAt: "Ends",
  excludeFromBudget: "Budget exclusion",
};

/**
 * Deployments, maintenance windows, game days and annotations: what the charts mark (CI/CD records
 * deployments through the same API). The service's recent ones are listed below the form.
 */
export function Events() {
  const services = useServices();
  const regions = useRegions();
  const create = useCreateEvent();
  const form = useForm(
    {
      kind: "deployment",
      service: "",
      region: "",
      version: "",
      note: "",
      at: "",
      endsAt: "",
      excludeFromBudget: false,
    },
    LABELS,
  );
  const v = form.values;
  const maintenance = v.kind === "maintenance";
  const recent = useDeployments(v.service);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (maintenance && !v.endsAt) {
      form.setErrors({ endsAt: "Ends is required: a maintenance window needs an end" });
      return;
    }
    const body = {
      service: v.service,
      kind: v.kind,
      version: v.version.trim(),
      ...(v.region ? { region: v.region } : {}),
      ...(v.note.trim() ? { note: v.note.trim() } : {}),
      ...(v.at ? { at: localToIso(v.at) } : {}),
      ...(maintenance ? { endsAt: localToIso(v.endsAt), excludeFromBudget: v.excludeFromBudget } : {}),
    };
    if (await form.submit(CreateDeploymentBody, body, create.mutateAsync)) {
      form.set("version", "");
      form.set("note", "");
    }
  }
  const titleLabel = v.kind === "deployment" ? "Version" : "Title";
  return (
    <section aria-label="Deployments and maintenance">
      <h2>Deployments, maintenance windows and annotations</h2>
      <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New event">
        <div className="form-row">
          <SelectField form={form} name="kind" id="event-kind" label="Kind" choices={KINDS} />
          <SelectField
            form={form}
            name="service"
            id="event-service"
            label="Service"
            choices={[
              ["", "choose a service…"],
              ...(services.data ?? []).map((s) => [s.slug, s.slug] as const),
            ]}
          />
          <SelectField
            form={form}
            name="region"
            id="event-region"
            label="Region"
            choices={[["", "every region"], ...(regions.data ?? []).map((r) => [r.slug, r.slug] as const)]}
          />
        </div>
        <div className="form-row">
          <TextField
            form={form}
            name="version"
            id="event-version"
            label={titleLabel}
            placeholder={v.kind === "deployment" ? "v2.14.0" : "database upgrade"}
          />
          <TextField
            form={form}
            name="at"
            id="event-at"
            label={maintenance ? "Starts" : "When"}
            type="datetime-local"
            hint="empty: now"
          />
          {maintenance && (
            <TextField form={form} name="endsAt" id="event-ends" label="Ends" type="datetime-local" />
          )}
        </div>
        <TextField form={form} name="note" id="event-note" label="Note" hint="optional" />
        {maintenance && (
          <CheckField
            form={form}
            name="excludeFromBudget"
            id="event-exclude"
            label="Leave the window's minutes out of the error budget"
          />
        )}
        <FormError errors={form.errors} />
        <div className="actions">
          <button type="submit" disabled={form.busy}>
            Record {KIND_WORDS[v.kind]?.toLowerCase()}
          </button>
          {create.isSuccess && !form.busy && <span role="status">Recorded: the charts show it now.</span>}
        </div>
      </form>
      {v.service && (
        <>
          <h3>Recent on {v.service}</h3>
          {recent.data && recent.error && (
            <ErrorText error={`Could not refresh this list: ${errorMessage(recent.error)}`} />
          )}
          {/* a list already shown (or just written) stays when a refresh fails */}
          <QueryState
            query={{ ...recent, error: recent.data ? null : recent.error }}
            what={`the recent events of ${v.service}`}
          >
            {(list) =>
              list.length === 0 ? (
                <p className="muted">Nothing recorded yet.</p>
              ) : (
                <DataTable
                  label="Recent events"
                  rows={list}
                  rowKey={(d) => d.id}
                  columns={[
                    { header: "Kind", cell: (d) => KIND_WORDS[d.kind] ?? d.kind },
                    { header: "Title", cell: (d) => d.version },
                    { header: "Region", cell: (d) => d.region ?? "every region" },
                    { header: "When", cell: (d) => fmtTime(Date.parse(d.at)) },
                    { header: "Ends", cell: (d) => (d.endsAt ? fmtTime(Date.parse(d.endsAt)) : "") },
                    { header: "Note", cell: (d) => d.note ?? "" },
                  ]}
                />
              )
            }
          </QueryState>
        </>
      )}
    </section>
  );
}
