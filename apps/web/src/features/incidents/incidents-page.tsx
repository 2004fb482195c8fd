import { CreateIncidentBody } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useCreateIncident, useIncidentList, useServices } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { DownloadLink } from "../../components/download-link";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { StatusBadge } from "../../components/status-badge";
import { useUrlState } from "../../components/url-state";
import { CheckField, FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";
import { STATE_LABEL, STATE_TONE, fmtMinutes } from "./incident-labels";

const SHOW = { open: "open", resolved: "resolved", all: "all" } as const;
const PRIORITIES = [
  ["", "from the alerts"] as const,
  ...["P1", "P2", "P3", "P4", "P5"].map((p) => [p, p] as const),
];
const SEVERITIES = [
  ["", "not set"],
  ["critical", "critical"],
  ["error", "error"],
  ["warning", "warning"],
] as const;
const LABELS = {
  title: "Title",
  services: "Service",
  priority: "Priority",
  severity: "Severity",
  message: "First update",
};

/** Opens an incident by hand for one service, with a first update (public or not). */
function OpenIncident() {
  const services = useServices();
  const create = useCreateIncident();
  const navigate = useNavigate();
  const form = useForm(
    { title: "", services: "", priority: "", severity: "", message: "", public: false },
    LABELS,
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = {
      title: v.title,
      ...(v.services ? { services: [v.services] } : {}),
      ...(v.priority ? { priority: v.priority } : {}),
      ...(v.severity ? { severity: v.severity } : {}),
      ...(v.message ? { message: v.message, public: v.public } : {}),
    };
    let id = "";
    const sent = await form.submit(CreateIncidentBody, body, async (b) => {
      id = (await create.mutateAsync(b)).id;
    });
    if (sent) navigate(`/incidents/${id}`);
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="Open an incident"
    >
      <h2>Open an incident</h2>
      <TextField
        form={form}
        name="title"
        id="incident-title"
        label="Title"
        placeholder="Checkout fails in prod-eu"
      />
      <div className="form-row">
        <SelectField
          form={form}
          name="services"
          id="incident-service"
          label="Service"
          choices={[["", "none"], ...(services.data ?? []).map((s) => [s.slug, s.slug] as const)]}
        />
        <SelectField
          form={form}
          name="priority"
          id="incident-priority"
          label="Priority"
          choices={PRIORITIES}
        />
        <SelectField
          form={form}
          name="severity"
          id="incident-severity"
          label="Severity"
          choices={SEVERITIES}
        />
      </div>
      <TextField
        form={form}
        name="message"
        id="incident-message"
        label="First update"
        placeholder="Investigating failed payments"
        hint="optional"
      />
      <CheckField
        form={form}
        name="public"
        id="incident-public"
        label="Show the first update on status pages"
      />
      <FormFooter form={form}>Open incident</FormFooter>
    </form>
  );
}

/** Incidents, open first: state, priority, services and time to recover; open one by hand. */
export function IncidentsPage() {
  const { get, set } = useUrlState();
  // no ?state= (or an unknown one) shows the open incidents, and says so when there are none
  const asked = get("state") ?? "";
  const show: keyof typeof SHOW = asked in SHOW ? (asked as keyof typeof SHOW) : "open";
  const list = useIncidentList(show);
  return (
    <div className="page">
      <PageHeader
        title="Incidents"
        description="From the page to the recovered service: who coordinates, what changed, and when."
      >
        <ChoiceSelect
          label="Show"
          ariaLabel="Incident state"
          value={show}
          choices={Object.entries(SHOW)}
          onChange={(v) => set({ state: v === "open" ? null : v })}
        />
        <DownloadLink
          path="/api/v1/incidents"
          params={{ state: show === "all" ? null : show, limit: 500, format: "csv" }}
          file="incidents.csv"
        />
      </PageHeader>
      <QueryState query={list} what="incidents">
        {(rows) =>
          rows.length === 0 ? (
            <div className="empty">{show === "open" ? "No open incidents." : "No incidents yet."}</div>
          ) : (
            <DataTable
              label="Incidents"
              rows={rows}
              rowKey={(i) => i.id}
              columns={[
                { header: "#", cell: (i) => i.number, num: true },
                {
                  header: "Title",
                  cell: (i) => <Link to={`/incidents/${i.id}`}>{i.title}</Link>,
                  testId: "incident-title",
                },
                {
                  header: "State",
                  cell: (i) => <StatusBadge tone={STATE_TONE[i.state]}>{STATE_LABEL[i.state]}</StatusBadge>,
                },
                { header: "Priority", cell: (i) => i.priority ?? "–" },
                { header: "Services", cell: (i) => i.services.join(", ") || "–" },
                { header: "Started", cell: (i) => fmtTime(Date.parse(i.startedAt)) },
                { header: "Time to recover", cell: (i) => fmtMinutes(i.ttrMinutes), num: true },
              ]}
            />
          )
        }
      </QueryState>
      <OpenIncident />
    </div>
  );
}
