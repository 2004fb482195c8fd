import { CreateServiceBody, type TeamResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { useCreateService, useServices } from "../../api";
import { DataTable } from "../../components/data-table";
import { QueryState } from "../../components/query-state";
import { useUrlState } from "../../components/url-state";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";
import { Endpoints } from "./endpoints";
import { EditServiceForm } from "./service-form";
import { SERVICE_LABELS, statusList } from "./service-fields";

/** The services with their teams; the selected one (`?service=`) can be changed and its endpoints managed. */
export function Services({ teams }: { teams: TeamResponse[] }) {
  const services = useServices();
  const { get, set } = useUrlState();
  const selected = get("service");
  return (
    <section aria-label="Services">
      <h2>Services</h2>
      <QueryState query={services} what="services">
        {(list) => {
          const service = list.find((s) => s.slug === selected);
          return (
            <>
              {list.length === 0 ? (
                <p className="muted">No service yet: create one below, or send request logs.</p>
              ) : (
                <DataTable
                  label="Services"
                  rows={list}
                  rowKey={(s) => s.id}
                  rowProps={(s) => ({ className: s.slug === selected ? "selected" : undefined })}
                  columns={[
                    { header: "Service", cell: (s) => <Link to={`/services/${s.slug}`}>{s.slug}</Link> },
                    { header: "Name", cell: (s) => s.name },
                    { header: "Team", cell: (s) => s.team },
                    { header: "Endpoints", num: true, cell: (s) => s.endpoints.length },
                    { header: "Failure statuses", cell: (s) => s.failureStatuses.join(", ") },
                    {
                      cell: (s) => (
                        <button
                          type="button"
                          className="secondary"
                          aria-pressed={s.slug === selected}
                          aria-label={`Manage ${s.slug}`}
                          onClick={() => set({ service: s.slug })}
                        >
                          Manage
                        </button>
                      ),
                    },
                  ]}
                />
              )}
              {service && (
                <div className="two-col">
                  <EditServiceForm
                    key={`${service.slug}-${service.name}-${service.team}`}
                    service={service}
                    teams={teams}
                  />
                  <Endpoints service={service} />
                </div>
              )}
              <NewServiceForm teams={teams} onCreated={(slug) => set({ service: slug })} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function NewServiceForm({ teams, onCreated }: { teams: TeamResponse[]; onCreated: (slug: string) => void }) {
  const form = useForm(
    { slug: "", name: "", team: teams[0]?.slug ?? "", runbookUrl: "", failureStatuses: "" },
    SERVICE_LABELS,
  );
  const create = useCreateService();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      slug: v.slug.trim(),
      name: v.name.trim(),
      team: v.team,
      ...(v.runbookUrl.trim() ? { runbookUrl: v.runbookUrl.trim() } : {}),
      ...(v.failureStatuses.trim() ? { failureStatuses: statusList(v.failureStatuses) } : {}),
    };
    if (await form.submit(CreateServiceBody, body, create.mutateAsync)) {
      form.reset();
      onCreated(body.slug);
    }
  }
  return (
    <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New service">
      <h3>New service</h3>
      <div className="form-row">
        <TextField form={form} name="slug" id="svc-slug" label="Slug" placeholder="checkout-api" />
        <TextField form={form} name="name" id="svc-name" label="Name" placeholder="Checkout API" />
        <SelectField
          form={form}
          name="team"
          id="svc-team"
          label="Team"
          choices={[["", "choose a team…"], ...teams.map((t) => [t.slug, t.name] as const)]}
        />
      </div>
      <div className="form-row">
        <TextField
          form={form}
          name="runbookUrl"
          id="svc-runbook"
          label="Runbook"
          type="url"
          placeholder="https://wiki.example.com/checkout"
          hint="optional"
        />
        <TextField
          form={form}
          name="failureStatuses"
          id="svc-failures"
          label="Failure statuses"
          placeholder="500-599, 429"
          hint="optional, default 500-599: codes or ranges, comma-separated"
        />
      </div>
      <FormFooter form={form}>Create service</FormFooter>
    </form>
  );
}
