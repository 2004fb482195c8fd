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
import { BURNRATE_TARGET } from "./parse/notification-target";

/** The calendar start written for calendar windows: a Monday that starts ISO week 1, a month and a quarter. */
export const CALENDAR_START = "2024-01-01 00:00:00";

type Obj = Record<string, unknown>;

/** OpenSLO's limits (its Go SDK's validation): displayName and description lengths, in characters. */
export const DISPLAY_NAME_MAX = 63;
export const DESCRIPTION_MAX = 1050;

/** Text cut to `max` characters (code points) with an ellipsis; the whole text goes in annotation `key`. */
function limitText(text: string, max: number, annotations: Obj, key: string): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  annotations[`${ANN}${key}`] = text;
  return `${chars.slice(0, max - 1).join("")}…`;
}
const limitDisplayName = (name: string, annotations: Obj) =>
  limitText(name, DISPLAY_NAME_MAX, annotations, "name");
const limitDescription = (text: string, annotations: Obj) =>
  limitText(text, DESCRIPTION_MAX, annotations, "description");

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
  const names = {
    service: new NameAllocator(),
    slo: new NameAllocator(),
    policy: new NameAllocator(),
    target: new NameAllocator(),
  };
  const teamTargets = new Map<string, string>();
  const teams = [...new Map(services.map((s) => [s.team.slug, s.team])).values()].sort((a, b) =>
    a.slug.localeCompare(b.slug),
  );
  // Every team gets a target, so that every policy names one (OpenSLO asks for at least one): its Slack
  // channel, or Burnrate's own alert list when it has none.
  for (const team of teams) {
    const channel = team.slackChannel;
    const name = names.target.take(`${team.slug}-${channel ? "slack" : BURNRATE_TARGET}`);
    teamTargets.set(team.slug, name);
    docs.push({
      apiVersion: API_VERSION,
      kind: "AlertNotificationTarget",
      metadata: {
        name,
        annotations: { [`${ANN}team`]: team.slug, ...(channel ? { [`${ANN}slack-channel`]: channel } : {}) },
      },
      spec: channel
        ? { description: `Slack channel ${channel} of team ${team.slug}`, target: "slack" }
        : {
            description: `Burnrate's alert list of team ${team.slug}, which has no Slack channel`,
            target: BURNRATE_TARGET,
          },
    });
  }
  for (const svc of services) {
    // metadata.name is a DNS label (63 characters at most); a 64-character slug rides in burnrate.io/slug.
    const svcName = names.service.take(svc.slug);
    const annotations: Obj = svcName === svc.slug ? {} : { [`${ANN}slug`]: svc.slug };
    annotations[`${ANN}failure-statuses`] = compressStatuses(svc.failureStatuses).join(",");
    if (svc.runbookUrl) annotations[`${ANN}runbook-url`] = svc.runbookUrl;
    if (svc.tier != null) annotations[`${ANN}service-tier`] = String(svc.tier);
    const description = svc.description ? limitDescription(svc.description, annotations) : undefined;
    docs.push({
      apiVersion: API_VERSION,
      kind: "Service",
      metadata: {
        name: svcName,
        displayName: limitDisplayName(svc.name, annotations),
        labels: { team: svc.team.slug },
        annotations,
      },
      spec: description ? { description } : {},
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
          teamTargets.get(svc.team.slug)!,
        ),
      );
      docs.push(...policies);
      docs.push(
        sloDoc(
          slo,
          name,
          svcName,
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
  const annotations: Obj = {};
  const metadata: Obj = { name, displayName: limitDisplayName(slo.name, annotations) };
  let spec: Obj;
  if (sli.type === "prometheus") {
    const prom = (query: string) => ({ metricSource: { type: "Prometheus", spec: { query, url: sli.url } } });
    spec = {
      description: `Events counted by Prometheus: ${sli.good !== undefined ? "good" : "bad"} of total`,
      ratioMetric: {
        counter: true,
        ...(sli.good !== undefined ? { good: prom(sli.good) } : { bad: prom(sli.bad!) }),
        total: prom(sli.total),
      },
    };
  } else if (sli.type === "latency") {
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
    if (sli.type === "availability") annotations[`${ANN}sli`] = "availability";
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
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: API_VERSION, kind: "SLI", metadata, spec };
}

function policyDoc(t: TierSpec, name: string, slo: SloResponse, target: string): Obj {
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
      notificationTargets: [{ targetRef: target }],
    },
  };
}

function sloDoc(slo: SloResponse, name: string, service: string, policies: string[]): Obj {
  const annotations: Obj = {};
  const displayName = limitDisplayName(slo.name, annotations);
  const description = slo.description ? limitDescription(slo.description, annotations) : undefined;
  // no policy would read as "the default tiers" on import
  if (policies.length === 0) annotations[`${ANN}alerting`] = "none";
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
  const objective: Obj = { displayName, target };
  if (slo.sli.type === "latency") Object.assign(objective, { op: "lte", value: slo.sli.thresholdMs });
  if (slo.budgetingMethod === "timeslices")
    Object.assign(objective, { timeSliceTarget: target, timeSliceWindow: "1m" });
  return {
    apiVersion: API_VERSION,
    kind: "SLO",
    metadata: {
      name,
      displayName,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...(description ? { description } : {}),
      service,
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
