import type { ReportFilters } from "./client";
import { setOnly } from "./query-string";

/**
 * Every cache key of the web app in one place. Keys are arrays and invalidation matches prefixes, so
 * `keys.slos` refreshes every SLO list and `keys.alerts` every alert list.
 */
export const keys = {
  me: ["me"] as const,
  slos: ["slos"] as const,
  serviceSlos: (service: string) => ["slos", "service", service] as const,
  slo: (id: string) => ["slo", id] as const,
  statusOf: (id: string) => ["status", id] as const,
  status: (id: string, region: string | null) => ["status", id, region] as const,
  seriesOf: (id: string) => ["series", id] as const,
  series: (id: string, region: string | null, range: string) => ["series", id, region, range] as const,
  versions: (id: string) => ["versions", id] as const,
  preview: (body: unknown) => ["preview", body] as const,
  alerts: ["alerts"] as const,
  alertList: (state: string) => ["alerts", "list", state] as const,
  sloAlerts: (sloId: string) => ["alerts", "slo", sloId] as const,
  alert: (id: string) => ["alerts", "one", id] as const,
  silences: ["silences"] as const,
  schedules: ["schedules"] as const,
  escalationPolicies: ["escalation-policies"] as const,
  receivers: ["receivers"] as const,
  myRules: ["notification-rules", "me"] as const,
  oncall: (id: string) => ["schedules", "oncall", id] as const,
  shifts: (id: string) => ["schedules", "shifts", id] as const,
  overrides: (id: string) => ["schedules", "overrides", id] as const,
  overviews: ["overview"] as const,
  overview: (f: ReportFilters) => ["overview", setOnly(f)] as const,
  periods: (f: ReportFilters & { periods: number }) => ["periods", setOnly(f)] as const,
  indicators: (f: ReportFilters & { window: string }) => ["indicators", setOnly(f)] as const,
  service: (slug: string) => ["service", slug] as const,
  deployments: (service: string) => ["deployments", service] as const,
  teams: ["teams"] as const,
  services: ["services"] as const,
  regions: ["regions"] as const,
  policyDryRun: (team: string, body: unknown) => ["policy-dry-run", team, body] as const,
  members: (team: string) => ["members", team] as const,
  tokens: ["tokens"] as const,
  slackSettings: ["slack-settings"] as const,
  priorities: ["priorities"] as const,
  policy: (team: string) => ["policy", team] as const,
  enactments: (team: string) => ["enactments", team] as const,
  releaseGate: (service: string, region: string) => ["gate", service, region] as const,
};
