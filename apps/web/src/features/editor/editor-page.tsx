import { PreviewResponse, SloResponse } from "@burnrate/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { api, ApiError } from "../../api/client";
import { useOverview, useService, useSlo } from "../../api/hooks";
import { fmtPercent } from "../../components/format";
import { ErrorBox, Loading } from "../../components/states";
import { BudgetChart, SliChart } from "../slo/charts";
import { EMPTY_FORM, formFromSlo, previewBody, validate, type FieldErrors, type SloForm } from "./form";
import { previewToSeries } from "./preview-series";

/** Create (/slos/new) or edit (/slos/:id/edit) an SLO, with a live preview of the last 28 days. */
export function EditorPage() {
  const { id } = useParams();
  const existing = useSlo(id ?? "");
  if (id && existing.isLoading)
    return (
      <div className="page">
        <Loading what="the SLO" />
      </div>
    );
  if (id && (existing.error || !existing.data))
    return (
      <div className="page">
        <ErrorBox what="the SLO" error={existing.error ?? new Error("not found")} />
      </div>
    );
  return <Editor key={id ?? "new"} existing={id ? existing.data! : null} />;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function Editor({ existing }: { existing: SloResponse | null }) {
  const mode = existing ? "edit" : "create";
  const [params] = useSearchParams();
  const [form, setForm] = useState<SloForm>(
    existing ? formFromSlo(existing) : { ...EMPTY_FORM, service: params.get("service") ?? "" },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const choices = useOverview({});
  const service = useService(form.service);
  const set = <K extends keyof SloForm>(k: K, v: SloForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => {
      const { [k]: _drop, ...rest } = e;
      return rest;
    });
  };
  const proposal = useDebounced(
    useMemo(() => previewBody(form), [form]),
    400,
  );
  const preview = useQuery({
    queryKey: ["preview", proposal],
    queryFn: () => api(PreviewResponse, "/api/v1/slos/preview", { method: "POST", json: proposal }),
    enabled: proposal !== null,
    placeholderData: (prev) => prev,
    retry: false,
  });

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const v = validate(form, mode);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const saved = existing
        ? await api(SloResponse, `/api/v1/slos/${existing.id}`, { method: "PATCH", json: v.body })
        : await api(SloResponse, "/api/v1/slos", { method: "POST", json: v.body });
      for (const key of [
        ["overview"],
        ["slos"],
        ["slo", saved.id],
        ["versions", saved.id],
        ["status", saved.id],
      ])
        await qc.invalidateQueries({ queryKey: key });
      void navigate(`/slos/${saved.id}`);
    } catch (err) {
      setSaveError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  const endpoints = service.data?.endpoints ?? [];
  const p = preview.data;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{existing ? `Edit ${existing.name}` : "New SLO"}</h1>
          <p className="muted">
            The preview recomputes the last 28 days of traffic with these settings while you type. Nothing is
            saved until you press {existing ? "Save changes" : "Create SLO"}.
          </p>
        </div>
      </div>
      <div className="editor">
        <form className="form" onSubmit={save} noValidate aria-label="SLO settings">
          <Field label="Service" error={errors.service} htmlFor="f-service">
            <select
              id="f-service"
              value={form.service}
              disabled={!!existing}
              onChange={(e) => set("service", e.target.value)}
            >
              <option value="">choose a service…</option>
              {(choices.data?.services ?? []).map((s) => (
                <option key={s.slug} value={s.slug}>
                  {s.slug} ({s.team})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" error={errors.name} htmlFor="f-name">
            <input id="f-name" value={form.name} onChange={(e) => set("name", e.target.value)} />
          </Field>
          <Field
            label="Endpoint"
            error={errors.endpoint}
            htmlFor="f-endpoint"
            hint="'METHOD /route', or empty for the whole service"
          >
            <input
              id="f-endpoint"
              list="f-endpoints"
              value={form.endpoint}
              placeholder="GET /cart"
              onChange={(e) => set("endpoint", e.target.value)}
            />
            <datalist id="f-endpoints">
              {endpoints.map((x) => (
                <option key={x.id} value={`${x.method} ${x.route}`} />
              ))}
            </datalist>
          </Field>
          <Field label="SLI" htmlFor="f-sli" error={errors.sli}>
            <select
              id="f-sli"
              value={form.sliType}
              onChange={(e) => set("sliType", e.target.value as SloForm["sliType"])}
            >
              <option value="availability">availability (status not a failure)</option>
              <option value="latency">latency (faster than a threshold)</option>
            </select>
          </Field>
          {form.sliType === "latency" && (
            <Field label="Threshold (ms)" error={errors["sli.thresholdMs"]} htmlFor="f-threshold">
              <input
                id="f-threshold"
                inputMode="numeric"
                value={form.thresholdMs}
                onChange={(e) => set("thresholdMs", e.target.value)}
              />
            </Field>
          )}
          <Field label="Objective (%)" error={errors.objectivePercent} htmlFor="f-objective">
            <input
              id="f-objective"
              inputMode="decimal"
              value={form.objectivePercent}
              onChange={(e) => set("objectivePercent", e.target.value)}
            />
          </Field>
          <Field label="Window" htmlFor="f-window" error={errors.window}>
            <select
              id="f-window"
              value={form.windowType}
              onChange={(e) => set("windowType", e.target.value as SloForm["windowType"])}
            >
              <option value="rolling">rolling</option>
              <option value="calendar">calendar</option>
            </select>
          </Field>
          {form.windowType === "rolling" ? (
            <Field label="Days" error={errors["window.days"]} htmlFor="f-days">
              <input
                id="f-days"
                inputMode="numeric"
                value={form.days}
                onChange={(e) => set("days", e.target.value)}
              />
            </Field>
          ) : (
            <>
              <Field label="Period" htmlFor="f-period">
                <select
                  id="f-period"
                  value={form.period}
                  onChange={(e) => set("period", e.target.value as SloForm["period"])}
                >
                  <option value="4w">4 weeks</option>
                  <option value="month">month</option>
                  <option value="quarter">quarter</option>
                </select>
              </Field>
              <Field label="Time zone" error={errors["window.timeZone"]} htmlFor="f-tz" hint="default UTC">
                <input
                  id="f-tz"
                  value={form.timeZone}
                  placeholder="Europe/Berlin"
                  onChange={(e) => set("timeZone", e.target.value)}
                />
              </Field>
            </>
          )}
          <Field label="Budgeting" htmlFor="f-method">
            <select
              id="f-method"
              value={form.budgetingMethod}
              onChange={(e) => set("budgetingMethod", e.target.value as SloForm["budgetingMethod"])}
            >
              <option value="occurrences">occurrences (bad requests)</option>
              <option value="timeslices">timeslices (bad minutes)</option>
            </select>
          </Field>
          <Field label="Priority" htmlFor="f-priority" hint="empty: derived from the burn">
            <select id="f-priority" value={form.priority} onChange={(e) => set("priority", e.target.value)}>
              <option value="">none</option>
              {["P1", "P2", "P3", "P4", "P5"].map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </Field>
          {existing && (
            <Field
              label="Reason for the change"
              error={errors.reason}
              htmlFor="f-reason"
              hint="required; kept in the version history"
            >
              <textarea
                id="f-reason"
                rows={2}
                value={form.reason}
                onChange={(e) => set("reason", e.target.value)}
              />
            </Field>
          )}
          {Object.keys(errors).length > 0 && (
            <div className="error-box" role="alert">
              Fix the {Object.keys(errors).length === 1 ? "field" : `${Object.keys(errors).length} fields`}{" "}
              marked above.
            </div>
          )}
          {saveError && (
            <div className="error-box" role="alert">
              The API refused the SLO: {saveError}
            </div>
          )}
          <div className="actions">
            <button type="submit" disabled={saving}>
              {saving ? "Saving…" : existing ? "Save changes" : "Create SLO"}
            </button>
            <Link to={existing ? `/slos/${existing.id}` : "/"}>Cancel</Link>
          </div>
        </form>
        <section className="preview" aria-label="Preview">
          <h2>Preview: last 28 days</h2>
          {proposal === null ? (
            <p className="muted">Choose a service and a valid objective to see the preview.</p>
          ) : preview.error ? (
            <ErrorBox what="the preview" error={preview.error} />
          ) : !p ? (
            <Loading what="the preview" />
          ) : (
            <>
              {p.guardrail.stricterThanHistory && (
                <div className="warning" role="alert" data-testid="guardrail">
                  This objective is stricter than every one of the last {p.guardrail.daysWithData} days with
                  traffic (best day {fmtPercent(p.guardrail.bestSli, 3)}): the SLO would be broken from the
                  start and page constantly. Start from what the service achieves and tighten it later (book
                  §6.6.2).
                </div>
              )}
              <div className="kpis" aria-busy={preview.isFetching}>
                <div className="kpi" data-testid="preview-sli">
                  <div className="kpi-label">SLI this period</div>
                  <div className="kpi-value">{fmtPercent(p.status.sli.ratio, 3)}</div>
                  <div className="kpi-sub muted">
                    {p.status.sli.good.toLocaleString()} good of {p.status.sli.total.toLocaleString()}
                  </div>
                </div>
                <div
                  className={`kpi ${p.status.errorBudget.remainingFraction <= 0 ? "bad" : ""}`}
                  data-testid="preview-budget"
                >
                  <div className="kpi-label">Budget left</div>
                  <div className="kpi-value">{fmtPercent(p.status.errorBudget.remainingFraction, 1)}</div>
                  <div className="kpi-sub muted">
                    {p.status.errorBudget.bad.toLocaleString()} bad of{" "}
                    {Math.round(p.status.errorBudget.allowed).toLocaleString()} allowed
                  </div>
                </div>
                <div className={`kpi ${p.replay.pages > 0 ? "bad" : ""}`} data-testid="preview-pages">
                  <div className="kpi-label">Would have paged</div>
                  <div className="kpi-value">{p.replay.pages}×</div>
                  <div className="kpi-sub muted">and {p.replay.tickets} tickets in 28 days</div>
                </div>
                <div className="kpi">
                  <div className="kpi-label">Days below objective</div>
                  <div className="kpi-value">
                    {p.guardrail.daysBelowObjective} / {p.guardrail.daysWithData}
                  </div>
                  <div className="kpi-sub muted">days with traffic</div>
                </div>
              </div>
              {p.points.some((x) => x.total > 0) ? (
                <div className="charts one">
                  <SliChart series={previewToSeries(p)} />
                  <BudgetChart series={previewToSeries(p)} />
                </div>
              ) : (
                <p className="empty">
                  No traffic matches this SLI in the last 28 days. Check the endpoint, or send request logs
                  first.
                </p>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function Field({
  label,
  error,
  hint,
  htmlFor,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className={`field ${error ? "invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <div className="muted small">{hint}</div>}
      {error && (
        <div className="field-error" id={`${htmlFor}-error`} role="status">
          {error}
        </div>
      )}
    </div>
  );
}
