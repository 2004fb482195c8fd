/**
 * The OpenSLO SLO kind → the body of a Burnrate SLO: its service, name, one objective, indicator, time window,
 * budgeting method, alert policies and annotations, checked as `POST /api/v1/slos` would check it.
 */
import { CreateSloBody, Slug } from "@burnrate/contracts";
import { objectiveToPercent } from "@burnrate/slo-core";
import { readAlerting } from "./alert-policy";
import { ann, fullDescription, fullName, optional, serviceSlugOf } from "./annotations";
import { isObj, ref, type Doc, type ParseScope, type Part } from "./document";
import { Ctx } from "./issues";
import { readSli } from "./sli";
import { readTimeWindow } from "./time-window";

/** The OpenSLO field that a Burnrate field of the SLO body comes from, to name it in errors. */
const FIELD_OF: Record<string, string> = {
  name: "metadata.displayName",
  description: "spec.description",
  objectivePercent: "spec.objectives[0].target",
  priority: "metadata.annotations.burnrate.io/priority",
  journeyStep: "metadata.annotations.burnrate.io/journey-step",
  customerSegment: "metadata.annotations.burnrate.io/customer-segment",
  runbookUrl: "metadata.annotations.burnrate.io/runbook-url",
  alerting: "spec.alertPolicies",
  window: "spec.timeWindow",
  endpoint: "spec.indicator.metricSource.spec.endpoint",
  sli: "spec.indicator",
};

export function readSlo(d: Doc, c: Ctx, scope: ParseScope): void {
  const { out } = scope;
  const s = d.spec;
  const errorsBefore = out.errors.length;
  // The Service of the file of that name gives the slug (its burnrate.io/slug when longer than a DNS label).
  const svcDoc = scope.get("Service", s.service);
  const service = svcDoc ? serviceSlugOf(svcDoc) : s.service;
  if (typeof service !== "string" || !Slug.safeParse(service).success)
    return void c.err("spec.service", "is required: the name of the Service (a Burnrate service slug)");
  const name = fullName(d);
  const description = fullDescription(d);
  const labels = isObj(d.metadata.labels) ? d.metadata.labels : {};
  if (labels.region !== undefined)
    c.warn(
      "metadata.labels.region",
      "ignored: Burnrate evaluates every SLO in each region with traffic and across all regions",
    );

  // Objective
  if (!Array.isArray(s.objectives) || s.objectives.length === 0)
    return void c.err("spec.objectives", "is required: one objective with target or targetPercent");
  if (s.objectives.length > 1)
    return void c.err(
      "spec.objectives",
      "Burnrate SLOs have exactly one objective; write one SLO per objective",
    );
  const obj = s.objectives[0];
  if (!isObj(obj)) return void c.err("spec.objectives[0]", "must be a mapping");
  let objectivePercent: number | null = null;
  if (obj.target !== undefined && obj.targetPercent !== undefined)
    c.err("spec.objectives[0].target", "give target or targetPercent, not both");
  else if (typeof obj.target === "number") {
    if (!(obj.target > 0 && obj.target < 1))
      c.err("spec.objectives[0].target", `must be above 0 and below 1 (got ${obj.target})`);
    else objectivePercent = objectiveToPercent(obj.target);
  } else if (typeof obj.targetPercent === "number") {
    if (!(obj.targetPercent > 0 && obj.targetPercent < 100))
      c.err("spec.objectives[0].targetPercent", `must be above 0 and below 100 (got ${obj.targetPercent})`);
    else objectivePercent = obj.targetPercent;
  } else c.err("spec.objectives[0].target", "is required: a number above 0 and below 1 (or targetPercent)");

  // Indicator
  let sliDoc: Part | null = null;
  if (s.indicator !== undefined && s.indicatorRef !== undefined)
    c.err("spec.indicatorRef", "give indicator or indicatorRef, not both");
  else if (isObj(s.indicator))
    sliDoc = {
      metadata: isObj(s.indicator.metadata) ? s.indicator.metadata : {},
      spec: isObj(s.indicator.spec) ? s.indicator.spec : {},
      c,
      prefix: "spec.indicator.spec.",
    };
  else if (s.indicatorRef !== undefined) {
    const sd = scope.get("SLI", s.indicatorRef);
    if (!sd) c.err("spec.indicatorRef", `no SLI named ${JSON.stringify(s.indicatorRef)} in this file`);
    else sliDoc = { metadata: sd.metadata, spec: sd.spec, c: new Ctx(ref(sd), out), prefix: "spec." };
  } else c.err("spec.indicator", "is required: an inline indicator or an indicatorRef to an SLI");
  const sli = sliDoc ? readSli(sliDoc, c, obj, service, scope) : null;

  const window = readTimeWindow(s.timeWindow, c);
  let budgetingMethod: "occurrences" | "timeslices" | null = null;
  if (s.budgetingMethod === "Occurrences") budgetingMethod = "occurrences";
  else if (s.budgetingMethod === "Timeslices") {
    budgetingMethod = "timeslices";
    if (obj.timeSliceWindow !== undefined && obj.timeSliceWindow !== "1m")
      c.warn("spec.objectives[0].timeSliceWindow", "Burnrate evaluates one-minute time slices");
    const tst = obj.timeSliceTarget;
    const target = typeof obj.target === "number" ? obj.target : Number(obj.targetPercent) / 100;
    if (tst !== undefined && (typeof tst !== "number" || Math.abs(tst - target) > 1e-12))
      c.err(
        "spec.objectives[0].timeSliceTarget",
        `must equal the objective's target (${target}): a Burnrate time slice is good when its SLI meets the objective itself (got ${JSON.stringify(tst)})`,
      );
  } else
    c.err(
      "spec.budgetingMethod",
      `must be Occurrences or Timeslices (got ${JSON.stringify(s.budgetingMethod ?? null)}); RatioTimeslices is not supported`,
    );

  if (budgetingMethod === "occurrences")
    for (const k of ["timeSliceTarget", "timeSliceWindow"])
      if (obj[k] !== undefined)
        c.warn(
          `spec.objectives[0].${k}`,
          "ignored: it applies to Timeslices budgeting, and this SLO counts Occurrences",
        );
  if (
    typeof obj.displayName === "string" &&
    obj.displayName !== (typeof d.metadata.displayName === "string" ? d.metadata.displayName : d.name)
  )
    c.warn(
      "spec.objectives[0].displayName",
      `ignored: a Burnrate SLO has one objective, named by the SLO ('${name}')`,
    );
  const composite = ["indicator", "indicatorRef", "compositeWeight"].find((k) => obj[k] !== undefined);
  if (composite)
    c.err(
      `spec.objectives[0].${composite}`,
      "composite SLOs (an indicator per objective) are not supported: give the SLO's indicator in spec",
    );
  const alerting = readAlerting(d, c, service, window, scope);
  if (
    out.errors.length > errorsBefore ||
    !sli ||
    !window ||
    !budgetingMethod ||
    objectivePercent === null ||
    !alerting
  )
    return;

  const priority = ann(d.metadata, "priority");
  const input = {
    service,
    name,
    ...(description !== null ? { description } : {}),
    ...(sli.endpoint ? { endpoint: sli.endpoint } : {}),
    sli: sli.sli,
    objectivePercent,
    window,
    budgetingMethod,
    priority: priority ?? null,
    ...optional("journeyStep", ann(d.metadata, "journey-step")),
    ...optional("customerSegment", ann(d.metadata, "customer-segment")),
    ...optional("runbookUrl", ann(d.metadata, "runbook-url")),
    alerting,
  };
  const parsed = CreateSloBody.safeParse(input);
  if (!parsed.success) {
    for (const i of parsed.error.issues) c.err(FIELD_OF[String(i.path[0])] ?? i.path.join("."), i.message);
    return;
  }
  out.slos.push({ service, input: parsed.data, source: ref(d) });
}
