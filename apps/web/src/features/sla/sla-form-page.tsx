import type { ServiceResponse, SlaResponse } from "@burnrate/contracts";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useServices, useSla, useSlaWrites, useStakeholderGroups } from "../../api";
import { FormErrorSummary } from "../../components/form-error-summary";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { describedBy, FormField } from "../forms/form-field";
import { errorsFromApi, errorsWithout, type FieldErrors } from "../forms/plain-errors";
import "../forms/forms.css";
import {
  EMPTY_SLA_FORM,
  SLA_LABELS,
  emptyChild,
  emptyTier,
  formFromSla,
  validateSla,
  type SlaForm,
} from "./sla-form-model";
import "./sla-page.css";

/** Rows a form takes at most (the API's own limits). */
const MAX_TIERS = 10;
const MAX_CHILDREN = 50;

const TIME_ZONES: string[] =
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

/** `/slas/new`: a new SLA, written in a form. */
export function NewSlaPage() {
  const services = useServices();
  return (
    <div className="page">
      <PageHeader
        title="New SLA"
        description="A contractual objective over the requests of one or more services, per calendar period."
      />
      <QueryState query={services} what="services">
        {(list) => <SlaFormView services={list} current={null} />}
      </QueryState>
    </div>
  );
}

/** `/slas/:id/edit`: an SLA's terms, changed in the same form. */
export function EditSlaPage() {
  const { id = "" } = useParams();
  const sla = useSla(id);
  const services = useServices();
  return (
    <QueryState query={sla} what="SLA" page>
      {(s) => (
        <div className="page">
          <PageHeader title={`Edit ${s.name}`} description="Its periods are recomputed from the new terms." />
          <QueryState query={services} what="services">
            {(list) => <SlaFormView services={list} current={s} />}
          </QueryState>
        </div>
      )}
    </QueryState>
  );
}

function SlaFormView({ services, current }: { services: ServiceResponse[]; current: SlaResponse | null }) {
  const navigate = useNavigate();
  const writes = useSlaWrites();
  const [form, setForm] = useState<SlaForm>(() => (current ? formFromSla(current) : EMPTY_SLA_FORM));
  const [errors, setErrors] = useState<FieldErrors>({});
  const change = (patch: Partial<SlaForm>, field: string) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => errorsWithout(e, field));
  };
  const busy = writes.create.isPending || writes.patch.isPending || writes.remove.isPending;

  async function save(e: FormEvent) {
    e.preventDefault();
    const v = validateSla(form, current !== null);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    try {
      const saved = current
        ? await writes.patch.mutateAsync({ id: current.id, body: v.body })
        : await writes.create.mutateAsync(v.body);
      void navigate(`/slas/${saved.id}`);
    } catch (err) {
      setErrors(errorsFromApi(err, SLA_LABELS));
    }
  }
  async function remove() {
    if (!current || !window.confirm(`Delete the SLA '${current.name}'? Its history of periods goes with it.`))
      return;
    try {
      await writes.remove.mutateAsync(current.id);
      void navigate("/slas");
    } catch (err) {
      setErrors(errorsFromApi(err, SLA_LABELS));
    }
  }

  /** One text input (or textarea) bound to a top-level field, its label and its error. */
  const text = (
    k:
      | "name"
      | "description"
      | "thresholdMs"
      | "objectivePercent"
      | "timeZone"
      | "customers"
      | "credits"
      | "thresholds",
    label: string,
    o: {
      hint?: ReactNode;
      rows?: number;
      errorKey?: string;
      list?: string;
      inputMode?: "decimal" | "numeric";
    } = {},
  ) => {
    const id = `sla-${k}`;
    const errorKey = o.errorKey ?? k;
    const error = errors[errorKey];
    return (
      <FormField label={label} error={error} hint={o.hint} htmlFor={id}>
        {o.rows ? (
          <textarea
            id={id}
            rows={o.rows}
            value={form[k]}
            onChange={(e) => change({ [k]: e.target.value }, errorKey)}
            {...describedBy(id, error)}
          />
        ) : (
          <input
            id={id}
            value={form[k]}
            list={o.list}
            inputMode={o.inputMode}
            onChange={(e) => change({ [k]: e.target.value }, errorKey)}
            {...describedBy(id, error)}
          />
        )}
      </FormField>
    );
  };

  const byTeam = new Map<string, ServiceResponse[]>();
  for (const s of services) byTeam.set(s.team, [...(byTeam.get(s.team) ?? []), s]);
  const chosen = services.filter((s) => form.services.includes(s.slug));
  const toggleService = (slug: string, on: boolean) =>
    change({ services: on ? [...form.services, slug] : form.services.filter((x) => x !== slug) }, "services");
  /** A list of rows of the form (tiers, endpoint SLAs): change one, remove one, add one. */
  const rowsOf = <K extends "tiers" | "children">(k: K) => ({
    set: (i: number, patch: Partial<SlaForm[K][number]>) => {
      setForm((f) => ({ ...f, [k]: f[k].map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
      setErrors((e) => errorsWithout(errorsWithout(e, `${k}.${i}`), k));
    },
    // the rows after it move up: their errors no longer point at them
    remove: (i: number) => {
      setForm((f) => ({ ...f, [k]: f[k].filter((_, j) => j !== i) }));
      setErrors((e) => errorsWithout(e, k));
    },
    add: (row: SlaForm[K][number]) => setForm((f) => ({ ...f, [k]: [...f[k], row] })),
  });
  const tiers = rowsOf("tiers");
  const children = rowsOf("children");
  const errorCount = Object.keys(errors).filter((k) => k !== "form").length;

  return (
    <form className="form sla-form" onSubmit={(e) => void save(e)} noValidate aria-label="SLA form">
      {text("name", "Name", { hint: "as the contract names it, e.g. 'Checkout API – Enterprise'" })}
      {text("description", "Description", { rows: 2 })}

      <fieldset className={`field ${errors.services ? "invalid" : ""}`} aria-describedby="sla-services-hint">
        <legend>Services</legend>
        <div className="muted small" id="sla-services-hint">
          the services whose requests count towards the SLA
        </div>
        <div className="sla-service-picks">
          {[...byTeam.entries()].map(([team, list]) => (
            <div key={team} className="sla-service-team">
              <div className="muted small">{team}</div>
              {list.map((s) => (
                <label key={s.slug} className="check">
                  <input
                    type="checkbox"
                    checked={form.services.includes(s.slug)}
                    onChange={(e) => toggleService(s.slug, e.target.checked)}
                  />{" "}
                  {s.name}
                </label>
              ))}
            </div>
          ))}
        </div>
        {errors.services && (
          <div className="field-error" role="status" data-testid="sla-services-error">
            {errors.services}
          </div>
        )}
      </fieldset>

      <div className="form-row">
        <FormField label="SLI" htmlFor="sla-sli">
          <select
            id="sla-sli"
            value={form.sliType}
            onChange={(e) => change({ sliType: e.target.value as SlaForm["sliType"] }, "sli")}
          >
            <option value="availability">availability (the services' failure statuses)</option>
            <option value="latency">latency (requests faster than a threshold)</option>
          </select>
        </FormField>
        {form.sliType === "latency" &&
          text("thresholdMs", "Latency threshold (ms)", {
            errorKey: "sli.thresholdMs",
            inputMode: "numeric",
          })}
        {text("objectivePercent", "Objective (%)", { hint: "e.g. 99.9", inputMode: "decimal" })}
      </div>
      <div className="form-row">
        <FormField label="Period" htmlFor="sla-period" error={errors["window.period"]}>
          <select
            id="sla-period"
            value={form.period}
            onChange={(e) => change({ period: e.target.value as SlaForm["period"] }, "window")}
          >
            <option value="month">calendar month</option>
            <option value="quarter">calendar quarter</option>
            <option value="4w">four ISO weeks</option>
          </select>
        </FormField>
        {text("timeZone", "Time zone", {
          errorKey: "window.timeZone",
          hint: "where the contract's periods start; empty: UTC",
          list: "sla-time-zones",
        })}
        <datalist id="sla-time-zones">
          {TIME_ZONES.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
      </div>
      {text("customers", "Customers", { rows: 2, hint: "the customers or segments it covers" })}
      {text("credits", "Credits or penalties", { rows: 2, hint: "as written in the contract" })}
      {text("thresholds", "Notify at (% of the period budget)", {
        hint: "who is told (below) hears when this much of the period's budget is consumed; e.g. 50, 80, 100",
      })}
      <StakeholderGroupPicks
        selected={form.stakeholderGroups}
        error={errors["notify.stakeholderGroups"]}
        onChange={(ids) => change({ stakeholderGroups: ids }, "notify.stakeholderGroups")}
      />

      <h3>Tiers</h3>
      <p className="muted small">
        Stricter objectives for some customers, reported next to the contractual one.
      </p>
      <div className="rows">
        {form.tiers.map((t, i) => (
          <fieldset key={i} className="row-card" aria-label={`Tier ${i + 1}`}>
            <div className="form-row">
              <RowInput
                id={`sla-tier-${i}-name`}
                label="Tier name"
                value={t.name}
                error={errors[`tiers.${i}.name`]}
                onChange={(v) => tiers.set(i, { name: v })}
              />
              <RowInput
                id={`sla-tier-${i}-objective`}
                label="Tier objective (%)"
                value={t.objectivePercent}
                error={errors[`tiers.${i}.objectivePercent`]}
                onChange={(v) => tiers.set(i, { objectivePercent: v })}
              />
            </div>
            <div>
              <button type="button" className="text-button" onClick={() => tiers.remove(i)}>
                Remove tier {i + 1}
              </button>
            </div>
          </fieldset>
        ))}
      </div>
      <div>
        <button
          type="button"
          className="secondary"
          disabled={form.tiers.length >= MAX_TIERS}
          onClick={() => tiers.add(emptyTier())}
        >
          Add a tier
        </button>
      </div>

      <h3>Endpoint SLAs</h3>
      <p className="muted small">
        Endpoints that must meet their own objective for the contractual SLA to hold (book §11.2.7).
      </p>
      {errors.children && (
        <p className="field-error" role="status">
          {errors.children}
        </p>
      )}
      <div className="rows">
        {form.children.map((c, i) => {
          const svc = services.find((s) => s.slug === c.service);
          const endpoints = svc?.endpoints.map((ep) => `${ep.method} ${ep.route}`) ?? [];
          return (
            <fieldset key={i} className="row-card" aria-label={`Endpoint SLA ${i + 1}`}>
              <div className="form-row">
                <FormField
                  label="Service"
                  htmlFor={`sla-child-${i}-service`}
                  error={errors[`children.${i}.service`]}
                >
                  <select
                    id={`sla-child-${i}-service`}
                    value={c.service}
                    onChange={(e) => children.set(i, { service: e.target.value })}
                    {...describedBy(`sla-child-${i}-service`, errors[`children.${i}.service`])}
                  >
                    <option value="">choose one of the SLA's services</option>
                    {chosen.map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </FormField>
                <RowInput
                  id={`sla-child-${i}-endpoint`}
                  label="Endpoint"
                  hint="METHOD /route, e.g. GET /cart"
                  value={c.endpoint}
                  list={`sla-child-${i}-endpoints`}
                  error={errors[`children.${i}.endpoint`]}
                  onChange={(v) => children.set(i, { endpoint: v })}
                />
                <datalist id={`sla-child-${i}-endpoints`}>
                  {endpoints.map((ep) => (
                    <option key={ep} value={ep} />
                  ))}
                </datalist>
                <RowInput
                  id={`sla-child-${i}-objective`}
                  label="Endpoint objective (%)"
                  value={c.objectivePercent}
                  error={errors[`children.${i}.objectivePercent`]}
                  onChange={(v) => children.set(i, { objectivePercent: v })}
                />
              </div>
              <div className="form-row">
                <RowInput
                  id={`sla-child-${i}-name`}
                  label="Name"
                  hint="optional"
                  value={c.name}
                  error={errors[`children.${i}.name`]}
                  onChange={(v) => children.set(i, { name: v })}
                />
                <FormField label="SLI" htmlFor={`sla-child-${i}-sli`}>
                  <select
                    id={`sla-child-${i}-sli`}
                    value={c.sliType}
                    onChange={(e) =>
                      children.set(i, { sliType: e.target.value as SlaForm["children"][number]["sliType"] })
                    }
                  >
                    <option value="">the SLA's own</option>
                    <option value="availability">availability</option>
                    <option value="latency">latency</option>
                  </select>
                </FormField>
                {c.sliType === "latency" && (
                  <RowInput
                    id={`sla-child-${i}-threshold`}
                    label="Latency threshold (ms)"
                    value={c.thresholdMs}
                    error={errors[`children.${i}.sli.thresholdMs`]}
                    onChange={(v) => children.set(i, { thresholdMs: v })}
                  />
                )}
              </div>
              <div>
                <button type="button" className="text-button" onClick={() => children.remove(i)}>
                  Remove endpoint SLA {i + 1}
                </button>
              </div>
            </fieldset>
          );
        })}
      </div>
      <div>
        <button
          type="button"
          className="secondary"
          disabled={form.children.length >= MAX_CHILDREN || chosen.length === 0}
          onClick={() => children.add(emptyChild(chosen.length === 1 ? chosen[0]!.slug : ""))}
        >
          Add an endpoint SLA
        </button>
        {chosen.length === 0 && <span className="muted small"> (choose the SLA's services first)</span>}
      </div>

      <FormErrorSummary errorCount={errorCount} formError={errors.form} what="SLA" />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : current ? "Save SLA" : "Create SLA"}
        </button>
        <Link to={current ? `/slas/${current.id}` : "/slas"}>Cancel</Link>
        {current && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void remove()}>
            Delete SLA
          </button>
        )}
      </div>
    </form>
  );
}

function RowInput(p: {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  hint?: string;
  list?: string;
  onChange: (v: string) => void;
}) {
  return (
    <FormField label={p.label} error={p.error} hint={p.hint} htmlFor={p.id}>
      <input
        id={p.id}
        value={p.value}
        list={p.list}
        onChange={(e) => p.onChange(e.target.value)}
        {...describedBy(p.id, p.error)}
      />
    </FormField>
  );
}

/**
 * The stakeholder groups an SLA's threshold notices go to, instead of the owning teams; with none picked, the
 * teams' error budget policy notify channel (or their channel) is told.
 */
function StakeholderGroupPicks({
  selected,
  error,
  onChange,
}: {
  selected: string[];
  error: string | undefined;
  onChange: (ids: string[]) => void;
}) {
  const groups = useStakeholderGroups();
  return (
    <fieldset className={`field ${error ? "invalid" : ""}`} aria-describedby="sla-groups-hint">
      <legend>Notify stakeholder groups</legend>
      <div className="muted small" id="sla-groups-hint">
        their Slack channels, emails and users are told instead of the owning teams; none picked: the
        teams&apos; error budget policy notify channel, or their channel
      </div>
      <QueryState query={groups} what="stakeholder groups">
        {(list) =>
          list.length === 0 ? (
            <p className="muted small">No stakeholder groups yet (Settings → Stakeholders).</p>
          ) : (
            <div className="sla-service-picks">
              {list.map((g) => (
                <label key={g.id} className="check">
                  <input
                    type="checkbox"
                    checked={selected.includes(g.id)}
                    onChange={(e) =>
                      onChange(e.target.checked ? [...selected, g.id] : selected.filter((x) => x !== g.id))
                    }
                  />{" "}
                  {g.name} <span className="muted small">(ring {g.ring.number})</span>
                </label>
              ))}
            </div>
          )
        }
      </QueryState>
      {error && (
        <div className="field-error" role="status">
          {error}
        </div>
      )}
    </fieldset>
  );
}
