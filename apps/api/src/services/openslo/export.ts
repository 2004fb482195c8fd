import { NotFoundError, compressStatuses, type SloResponse } from "@burnrate/contracts";
import { canonicalFilter } from "@burnrate/ingest/filter";
import { SLO_INCLUDE, toSloResponse, type Db } from "@burnrate/db";
import { DAY_MS, MINUTE_MS, percentToObjective, tierFactor } from "@burnrate/slo-core";
import { Document } from "yaml";
import {
  ANN,
  API_VERSION,
  METRIC_SOURCE_TYPE,
  NameAllocator,
  availabilityGoodFilter,
  effectiveTiers,
  formatMinutes,
  nominalPeriodDays,
  normalizeAlerting,
  normalizeWindow,
  type TierSpec,
} from "./model";

/** The calendar start written for calendar windows: a Monday that starts ISO week 1, a month and a quarter. */
export const CALENDAR_START = "2024-01-01 00:00:00";

type Obj = Record<string, unknown>;

/** OpenSLO v1 YAML of every service (or one), its SLOs, alert tiers and the teams' Slack targets. */
export async function exportOpenSlo(deps: { db: Db; service?: string }): Promise<string> {
  const { db } = deps;
  const services = await db.service.findMany({
    where: deps.service ? { slug: deps.service } : {},
    include: { team: true },
    orderBy: { slug: "asc" },
  });
  if (deps.service && services.length === 0) throw new NotFoundError("service", deps.service);
  const slos = await db.slo.findMany({
    where: { serviceId: { in: services.map((s) => s.id) }, kind: "explicit" },
    include: SLO_INCLUDE,
    orderBy: [{ name: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  const docs: Obj[] = [];
  const names = { slo: new NameAllocator(), policy: new NameAllocator(), target: new NameAllocator() };
  const teamTargets = new Map<string, string>();
  const teams = [...new Map(services.map((s) => [s.team.slug, s.team])).values()].sort((a, b) =>
    a.slug.localeCompare(b.slug),
  );
  for (const team of teams) {
    if (!team.slackChannel) continue;
    const name = names.target.take(`${team.slug}-slack`);
    teamTargets.set(team.slug, name);
    docs.push({
      apiVersion: API_VERSION,
      kind: "AlertNotificationTarget",
      metadata: {
        name,
        annotations: { [`${ANN}team`]: team.slug, [`${ANN}slack-channel`]: team.slackChannel },
      },
      spec: { description: `Slack channel ${team.slackChannel} of team ${team.slug}`, target: "slack" },
    });
  }
  for (const svc of services) {
    const annotations: Obj = { [`${ANN}failure-statuses`]: compressStatuses(svc.failureStatuses).join(",") };
    if (svc.runbookUrl) annotations[`${ANN}runbook-url`] = svc.runbookUrl;
    if (svc.tier != null) annotations[`${ANN}service-tier`] = String(svc.tier);
    docs.push({
      apiVersion: API_VERSION,
      kind: "Service",
      metadata: { name: svc.slug, displayName: svc.name, labels: { team: svc.team.slug }, annotations },
      spec: svc.description ? { description: svc.description } : {},
    });
    for (const row of slos.filter((s) => s.serviceId === svc.id)) {
      const slo = toSloResponse(row);
      const name = names.slo.take(`${svc.slug}-${slo.name}`);
      docs.push(sliDoc(slo, name, svc.failureStatuses));
      const policies = effectiveTiers(normalizeAlerting(slo.alerting)).map((t) =>
        policyDoc(
          t,
          names.policy.take(`${name.slice(0, 50)}-${t.name}`),
          slo,
          teamTargets.get(svc.team.slug),
        ),
      );
      docs.push(...policies);
      docs.push(
        sloDoc(
          slo,
          name,
          policies.map((p) => (p.metadata as Obj).name as string),
        ),
      );
    }
  }
  return docs.map((d) => new Document(d).toString({ lineWidth: 0 })).join("---\n");
}

function source(slo: SloResponse, spec: Obj): Obj {
  return {
    metricSource: {
      type: METRIC_SOURCE_TYPE,
      spec: { ...(slo.endpoint ? { endpoint: slo.endpoint } : {}), ...spec },
    },
  };
}

function sliDoc(slo: SloResponse, name: string, failureStatuses: number[]): Obj {
  const sli = slo.sli;
  const metadata: Obj = { name, displayName: slo.name };
  let spec: Obj;
  if (sli.type === "latency") {
    spec = {
      description: `Duration of ${slo.endpoint ?? `${slo.service} requests`}`,
      thresholdMetric: source(slo, { field: "durationMs" }),
    };
  } else {
    const good =
      sli.type === "ratio"
        ? canonicalFilter(sli.good)
        : canonicalFilter(availabilityGoodFilter(failureStatuses));
    const total = sli.type === "ratio" ? canonicalFilter(sli.total) : "true";
    if (sli.type === "availability") metadata.annotations = { [`${ANN}sli`]: "availability" };
    spec = {
      description:
        sli.type === "availability"
          ? "Share of requests whose status is not in the service's failure set"
          : "Share of requests matching the good filter among those matching the total filter",
      ratioMetric: {
        counter: false,
        good: source(slo, { filter: good }),
        total: source(slo, { filter: total }),
      },
    };
  }
  return { apiVersion: API_VERSION, kind: "SLI", metadata, spec };
}

function policyDoc(t: TierSpec, name: string, slo: SloResponse, target: string | undefined): Obj {
  const annotations: Obj = {
    [`${ANN}tier`]: t.name,
    [`${ANN}short-window`]: t.shortWindowMinutes == null ? "none" : formatMinutes(t.shortWindowMinutes),
  };
  let threshold: number;
  if (t.factor !== undefined) threshold = t.factor;
  else {
    const bp = t.budgetPercent ?? 100;
    annotations[`${ANN}budget-percent`] = String(bp);
    threshold = tierFactor(bp / 100, nominalPeriodDays(slo.window) * DAY_MS, t.longWindowMinutes * MINUTE_MS);
  }
  return {
    apiVersion: API_VERSION,
    kind: "AlertPolicy",
    metadata: { name, annotations },
    spec: {
      description: `${t.severity === "page" ? "Page" : "Ticket"} when the burn rate over ${formatMinutes(t.longWindowMinutes)}${
        t.shortWindowMinutes == null ? "" : ` and ${formatMinutes(t.shortWindowMinutes)}`
      } is above ${threshold}`,
      alertWhenBreaching: true,
      alertWhenResolved: true,
      alertWhenNoData: false,
      conditions: [
        {
          kind: "AlertCondition",
          metadata: { name },
          spec: {
            severity: t.severity,
            condition: {
              kind: "burnrate",
              op: "gt",
              threshold,
              lookbackWindow: formatMinutes(t.longWindowMinutes),
              alertAfter: "0m",
            },
          },
        },
      ],
      notificationTargets: target ? [{ targetRef: target }] : [],
    },
  };
}

function sloDoc(slo: SloResponse, name: string, policies: string[]): Obj {
  const annotations: Obj = {};
  if (slo.priority) annotations[`${ANN}priority`] = slo.priority;
  if (slo.journeyStep) annotations[`${ANN}journey-step`] = slo.journeyStep;
  if (slo.customerSegment) annotations[`${ANN}customer-segment`] = slo.customerSegment;
  if (slo.runbookUrl) annotations[`${ANN}runbook-url`] = slo.runbookUrl;
  const n = normalizeAlerting(slo.alerting);
  if (n.lowTraffic) {
    annotations[`${ANN}min-short-window-events`] = String(n.lowTraffic.minShortWindowEvents);
    annotations[`${ANN}min-long-window-bad`] = String(n.lowTraffic.minLongWindowBad);
  }
  if (n.noDataMinutes != null) annotations[`${ANN}no-data-minutes`] = String(n.noDataMinutes);
  const w = normalizeWindow(slo.window);
  const target = percentToObjective(slo.objectivePercent);
  const objective: Obj = { displayName: slo.name, target };
  if (slo.sli.type === "latency") Object.assign(objective, { op: "lte", value: slo.sli.thresholdMs });
  if (slo.budgetingMethod === "timeslices")
    Object.assign(objective, { timeSliceTarget: target, timeSliceWindow: "1m" });
  return {
    apiVersion: API_VERSION,
    kind: "SLO",
    metadata: {
      name,
      displayName: slo.name,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...(slo.description ? { description: slo.description } : {}),
      service: slo.service,
      indicatorRef: name,
      timeWindow: [
        w.type === "rolling"
          ? { duration: `${w.days}d`, isRolling: true }
          : {
              duration: w.period === "month" ? "1M" : w.period === "quarter" ? "1Q" : "4w",
              isRolling: false,
              calendar: { startTime: CALENDAR_START, timeZone: w.timeZone ?? "UTC" },
            },
      ],
      budgetingMethod: slo.budgetingMethod === "timeslices" ? "Timeslices" : "Occurrences",
      objectives: [objective],
      alertPolicies: policies.map((p) => ({ alertPolicyRef: p })),
    },
  };
}
