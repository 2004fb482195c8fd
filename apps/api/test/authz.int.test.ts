import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePostmortem } from "../src/services/incidents/postmortems";
import { call, startStack, type Stack } from "./harness";

/**
 * Every API route × every role. Roles: anonymous; users (viewer of alpha, editor of beta, editor of alpha,
 * org admin) signed in with a session cookie; tokens (read, write, write bound to alpha, ingest, history:write,
 * admin).
 * Each case gets fresh resources of team alpha, so destructive routes can succeed for every allowed role.
 */
type Role =
  | "anonymous"
  | "viewer"
  | "otherEditor"
  | "ownEditor"
  | "admin"
  | "tokRead"
  | "tokWrite"
  | "tokWriteTeam"
  | "tokIngest"
  | "tokHistory"
  | "tokAdmin";
const ROLES: Role[] = [
  "anonymous",
  "viewer",
  "otherEditor",
  "ownEditor",
  "admin",
  "tokRead",
  "tokWrite",
  "tokWriteTeam",
  "tokIngest",
  "tokHistory",
  "tokAdmin",
];
type Kind =
  "read" | "teamWrite" | "admin" | "ingest" | "history" | "createTeam" | "memberWrite" | "person" | "public";
const ALLOWED: Record<Kind, Role[]> = {
  /** For a Prometheus on the operators' network, like /metrics: every caller, signed in or not. */
  public: ROLES,
  read: ["viewer", "otherEditor", "ownEditor", "admin", "tokRead", "tokWrite", "tokWriteTeam", "tokAdmin"],
  teamWrite: ["ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"],
  admin: ["admin", "tokAdmin"],
  ingest: ["admin", "tokIngest", "tokAdmin"],
  history: ["admin", "tokHistory", "tokAdmin"],
  createTeam: ["admin", "tokWrite", "tokAdmin"],
  // A person acting for themselves (the viewer is on alpha's rotation), or anyone who may change the schedule.
  memberWrite: ["viewer", "ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"],
  // Signed-in people only: a personal calendar feed.
  person: ["viewer", "otherEditor", "ownEditor", "admin"],
};

interface Fresh {
  n: number;
  service: string;
  sloId: string;
  endpointId: string;
  alertId: string;
  tokenId: string;
  region: string;
  enactmentId: string;
  silenceId: string;
  scheduleId: string;
  overrideId: string;
  swapId: string;
  escalationPolicyId: string;
  receiverId: string;
  incidentId: string;
  actionItemId: string;
  slaId: string;
  userGroupId: string;
  stakeholderGroupId: string;
}
interface Case {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  url: string; // the route pattern, as registered
  path: (f: Fresh) => string;
  body?: (f: Fresh) => unknown;
  raw?: string;
  /** A body that is not JSON (e.g. a CSV upload), sent with `contentType`. */
  text?: (f: Fresh) => string;
  contentType?: string;
  kind: Kind;
  /** Statuses that mean "allowed" for this route when not 2xx (e.g. 409 when Slack is not configured). */
  ok?: number[];
  /** A change that leaves the fixture usable (it adds or renames), so no new fixture is needed after it. */
  keepsFixture?: boolean;
}

const now = () => Date.now();
const CASES: Case[] = [
  { method: "GET", url: "/api/v1/auth/me", path: () => "/api/v1/auth/me", kind: "read" },
  { method: "GET", url: "/api/v1/auth/providers", path: () => "/api/v1/auth/providers", kind: "public" },
  // Single sign-on is not configured in this stack: anyone gets the same 404 page (oidc.int.test.ts signs in).
  {
    method: "GET",
    url: "/api/v1/auth/oidc/login",
    path: () => "/api/v1/auth/oidc/login",
    kind: "public",
    ok: [404],
  },
  {
    method: "GET",
    url: "/api/v1/auth/oidc/callback",
    path: () => "/api/v1/auth/oidc/callback?code=x&state=y",
    kind: "public",
    ok: [404],
  },
  { method: "GET", url: "/api/v1/teams", path: () => "/api/v1/teams", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/teams",
    path: () => "/api/v1/teams",
    body: (f) => ({ slug: `new-team-${f.n}`, name: "New" }),
    kind: "createTeam",
  },
  { method: "GET", url: "/api/v1/teams/:slug", path: () => "/api/v1/teams/alpha", kind: "read" },
  {
    method: "PATCH",
    url: "/api/v1/teams/:slug",
    path: () => "/api/v1/teams/alpha",
    body: () => ({ name: "Alpha team" }),
    kind: "teamWrite",
  },
  { method: "DELETE", url: "/api/v1/teams/:slug", path: (f) => `/api/v1/teams/empty-${f.n}`, kind: "admin" },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/members",
    path: () => "/api/v1/teams/alpha/members",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/members",
    path: () => "/api/v1/teams/alpha/members",
    body: () => ({ email: "spare@example.com", role: "viewer" }),
    kind: "teamWrite",
  },
  {
    method: "DELETE",
    url: "/api/v1/teams/:slug/members/:email",
    path: (f) => `/api/v1/teams/alpha/members/member-${f.n}@example.com`,
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/users",
    path: () => "/api/v1/users",
    body: (f) => ({
      email: `u${f.n}-${Math.random()}@example.com`,
      name: "U",
      password: "long enough password",
    }),
    kind: "admin",
  },
  { method: "GET", url: "/api/v1/users", path: () => "/api/v1/users", kind: "read" },
  { method: "GET", url: "/api/v1/services", path: () => "/api/v1/services?team=alpha", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/services",
    path: () => "/api/v1/services",
    body: (f) => ({ slug: `svc-new-${f.n}`, name: "S", team: "alpha" }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/services/:slug",
    path: (f) => `/api/v1/services/${f.service}`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/services/:slug",
    path: (f) => `/api/v1/services/${f.service}`,
    body: () => ({ runbookUrl: "https://runbooks.example.com/x" }),
    kind: "teamWrite",
  },
  {
    method: "DELETE",
    url: "/api/v1/services/:slug",
    path: (f) => `/api/v1/services/${f.service}-bare`,
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/services/:slug/endpoints",
    path: (f) => `/api/v1/services/${f.service}/endpoints`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/services/:slug/endpoints",
    path: (f) => `/api/v1/services/${f.service}/endpoints`,
    body: () => ({ endpoint: "GET /added/{id}" }),
    kind: "teamWrite",
  },
  {
    method: "DELETE",
    url: "/api/v1/endpoints/:id",
    path: (f) => `/api/v1/endpoints/${f.endpointId}`,
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/services/:slug/default-slos",
    path: (f) => `/api/v1/services/${f.service}/default-slos`,
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/services/:slug/default-slos",
    path: (f) => `/api/v1/services/${f.service}/default-slos`,
    body: () => ({ availability: { objectivePercent: 90 }, reason: "book defaults" }),
    kind: "teamWrite",
  },
  { method: "GET", url: "/api/v1/regions", path: () => "/api/v1/regions", kind: "read" },
  {
    method: "PATCH",
    url: "/api/v1/regions/:slug",
    path: (f) => `/api/v1/regions/${f.region}`,
    body: () => ({ production: false }),
    kind: "admin",
  },
  {
    method: "DELETE",
    url: "/api/v1/regions/:slug",
    path: (f) => `/api/v1/regions/${f.region}`,
    kind: "admin",
  },
  {
    method: "POST",
    url: "/api/v1/deployments",
    path: () => "/api/v1/deployments",
    body: (f) => ({ service: f.service, version: "v1" }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/deployments",
    path: (f) => `/api/v1/deployments?service=${f.service}`,
    kind: "read",
  },
  { method: "GET", url: "/api/v1/slos", path: () => "/api/v1/slos", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/slos",
    path: () => "/api/v1/slos",
    body: (f) => ({ service: f.service, name: "avail", sli: { type: "availability" }, objectivePercent: 99 }),
    kind: "teamWrite",
  },
  { method: "GET", url: "/api/v1/slos/:id", path: (f) => `/api/v1/slos/${f.sloId}`, kind: "read" },
  {
    method: "PATCH",
    url: "/api/v1/slos/:id",
    path: (f) => `/api/v1/slos/${f.sloId}`,
    body: () => ({ objectivePercent: 99.5, reason: "tighter" }),
    kind: "teamWrite",
  },
  { method: "DELETE", url: "/api/v1/slos/:id", path: (f) => `/api/v1/slos/${f.sloId}`, kind: "teamWrite" },
  {
    method: "GET",
    url: "/api/v1/slos/:id/versions",
    path: (f) => `/api/v1/slos/${f.sloId}/versions`,
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/slos/:id/reviews",
    path: (f) => `/api/v1/slos/${f.sloId}/reviews`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/slos/:id/reviews",
    path: (f) => `/api/v1/slos/${f.sloId}/reviews`,
    body: () => ({ outcome: "tighten", reason: "ran well above it", objectivePercent: 99.95 }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/culture",
    path: () => "/api/v1/teams/alpha/culture",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/culture/:quarter",
    path: () => "/api/v1/teams/alpha/culture/2026-Q1",
    body: () => ({ cooperation: 3, messengers: 3, responsibilities: 4, bridging: 2, failure: 4, novelty: 3 }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/slo-reviews",
    path: () => "/api/v1/teams/alpha/slo-reviews",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/slos/:id/status",
    path: (f) => `/api/v1/slos/${f.sloId}/status`,
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/slos/:id/series",
    path: (f) => `/api/v1/slos/${f.sloId}/series`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/slos/preview",
    path: () => "/api/v1/slos/preview",
    body: (f) => ({ service: f.service, sli: { type: "availability" }, objectivePercent: 99.9 }),
    kind: "read",
  },
  { method: "GET", url: "/api/v1/reports/overview", path: () => "/api/v1/reports/overview", kind: "read" },
  { method: "GET", url: "/api/v1/reports/periods", path: () => "/api/v1/reports/periods", kind: "read" },
  { method: "GET", url: "/api/v1/reports/ttr-trend", path: () => "/api/v1/reports/ttr-trend", kind: "read" },
  { method: "GET", url: "/api/v1/reports/oncall", path: () => "/api/v1/reports/oncall", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/reports/indicators",
    path: () => "/api/v1/reports/indicators",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/reports/adoption",
    path: () => "/api/v1/reports/adoption",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/reports/monthly.pdf",
    path: () => "/api/v1/reports/monthly.pdf?month=2025-01",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/newsletter",
    path: () => "/api/v1/teams/alpha/newsletter",
    kind: "read",
  },
  { method: "GET", url: "/api/v1/newsletter", path: () => "/api/v1/newsletter", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/newsletter/settings",
    path: () => "/api/v1/teams/alpha/newsletter/settings",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/adoption/:phase",
    path: () => "/api/v1/teams/alpha/adoption/http_codes_fixed",
    body: () => ({ reached: true, note: "checked in the review" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/newsletter/settings",
    path: () => "/api/v1/teams/alpha/newsletter/settings",
    body: () => ({ weekday: 1, time: "09:00", timeZone: "Europe/Berlin" }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/newsletter/settings",
    path: () => "/api/v1/newsletter/settings",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/newsletter/settings",
    path: () => "/api/v1/newsletter/settings",
    body: () => ({ enabled: false }),
    kind: "admin",
  },
  { method: "GET", url: "/api/v1/alerts", path: () => "/api/v1/alerts", kind: "read" },
  { method: "GET", url: "/api/v1/alerts/:id", path: (f) => `/api/v1/alerts/${f.alertId}`, kind: "read" },
  {
    method: "POST",
    url: "/api/v1/alerts/:id/ack",
    path: (f) => `/api/v1/alerts/${f.alertId}/ack`,
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/alerts/:id/snooze",
    path: (f) => `/api/v1/alerts/${f.alertId}/snooze`,
    body: () => ({ minutes: 30 }),
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/tokens",
    path: () => "/api/v1/tokens",
    body: () => ({ name: "ci", scopes: ["read"], team: "alpha" }),
    kind: "teamWrite",
  },
  { method: "GET", url: "/api/v1/tokens", path: () => "/api/v1/tokens", kind: "read" },
  { method: "DELETE", url: "/api/v1/tokens/:id", path: (f) => `/api/v1/tokens/${f.tokenId}`, kind: "admin" },
  { method: "GET", url: "/api/v1/audit", path: () => "/api/v1/audit?team=alpha", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/ingest/requests",
    path: () => "/api/v1/ingest/requests",
    raw: JSON.stringify({
      ts: now() - 1000,
      service: "shop-0",
      method: "GET",
      route: "/x",
      region: "prod-eu",
      status: 200,
      durationMs: 5,
    }),
    kind: "ingest",
  },
  {
    method: "POST",
    url: "/api/v1/history/imports/:importId/chunks/:seq",
    path: () => "/api/v1/history/imports/authz-import-1/chunks/0",
    raw: JSON.stringify({
      ts: now() - 30 * 86_400_000,
      service: "shop-0",
      method: "GET",
      route: "/x",
      region: "prod-eu",
      status: 200,
      durationMs: 5,
    }),
    kind: "history",
    keepsFixture: true,
  },
  {
    // Each allowed caller stored chunk 0 of this import just before (the case above).
    method: "POST",
    url: "/api/v1/history/imports/:importId/finish",
    path: () => "/api/v1/history/imports/authz-import-1/finish",
    kind: "history",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/policy",
    path: () => "/api/v1/teams/alpha/policy",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/policy",
    path: () => "/api/v1/teams/alpha/policy",
    body: () => POLICY,
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/teams/:slug/policy/dry-run",
    path: () => "/api/v1/teams/alpha/policy/dry-run",
    body: () => ({ conditions: [{ id: "ex", type: "exhausted" }] }),
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/policy/versions",
    path: () => "/api/v1/teams/alpha/policy/versions",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/policy/enactments",
    path: () => "/api/v1/teams/alpha/policy/enactments",
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/teams/:slug/policy/enactments",
    path: () => "/api/v1/teams/alpha/policy/enactments",
    body: () => ({ conditionId: "pm", reason: "outage review" }),
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/teams/:slug/policy/enactments/:id/close",
    path: (f) => `/api/v1/teams/alpha/policy/enactments/${f.enactmentId}/close`,
    body: () => ({ reason: "done" }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/release-gate",
    path: (f) => `/api/v1/release-gate?service=${f.service}&region=prod-eu`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/release-gate/overrides",
    path: () => "/api/v1/release-gate/overrides",
    body: (f) => ({ service: f.service, region: "prod-eu", reason: "hotfix" }),
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/settings/priorities",
    path: () => "/api/v1/settings/priorities",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/settings/priorities",
    path: () => "/api/v1/settings/priorities",
    body: () => ({ priorities: [{ level: "P1", criteria: "Revenue impact" }] }),
    kind: "admin",
  },
  {
    method: "GET",
    url: "/api/v1/openslo/export",
    path: (f) => `/api/v1/openslo/export?service=${f.service}`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/openslo/import",
    path: () => "/api/v1/openslo/import?dryRun=true",
    body: (f) => ({
      yaml: `apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: ${f.service}\n  labels:\n    team: alpha\nspec:\n  description: changed\n`,
    }),
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/import/sloth",
    path: () => "/api/v1/import/sloth?dryRun=true&prometheusUrl=http%3A%2F%2F127.0.0.1%3A9",
    body: (f) => ({
      yaml: `version: prometheus/v1\nservice: ${f.service}\nslos:\n  - name: avail\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(r_total{code="500"}[{{.window}}]))\n        total_query: sum(rate(r_total[{{.window}}]))\n`,
    }),
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/import/pyrra",
    path: () => "/api/v1/import/pyrra?dryRun=true&prometheusUrl=http%3A%2F%2F127.0.0.1%3A9",
    body: (f) => ({
      yaml: `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: errors\n  namespace: ${f.service}\nspec:\n  target: "99"\n  window: 2w\n  indicator:\n    ratio:\n      errors:\n        metric: r_total{code="500"}\n      total:\n        metric: r_total\n`,
    }),
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/silences",
    path: () => "/api/v1/silences",
    body: (f) => ({
      service: f.service,
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: "migration",
    }),
    kind: "teamWrite",
  },
  { method: "GET", url: "/api/v1/silences", path: () => "/api/v1/silences", kind: "read" },
  {
    method: "DELETE",
    url: "/api/v1/silences/:id",
    path: (f) => `/api/v1/silences/${f.silenceId}`,
    kind: "teamWrite",
  },
  { method: "GET", url: "/api/v1/settings/slack", path: () => "/api/v1/settings/slack", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/teams/:slug/slack-test",
    path: () => "/api/v1/teams/alpha/slack-test",
    kind: "teamWrite",
    ok: [409],
  },
  { method: "GET", url: "/metrics", path: () => "/metrics", kind: "public" },
  { method: "GET", url: "/metrics/slos", path: () => "/metrics/slos", kind: "public" },
  {
    method: "POST",
    url: "/v1/traces",
    path: () => "/v1/traces",
    raw: JSON.stringify({ resourceSpans: [] }),
    kind: "ingest",
  },
];
const ROTATION = { periodDays: 7, handoff: "09:00", start: "2026-01-05" };
const SCHEDULE_CASES: Case[] = [
  {
    method: "POST",
    url: "/api/v1/schedules",
    path: () => "/api/v1/schedules",
    body: () => ({
      name: "alpha",
      team: "alpha",
      timeZone: "UTC",
      rotation: ROTATION,
      members: ["viewer@example.com", "alpha-editor@example.com"],
    }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/schedules", path: () => "/api/v1/schedules", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/schedules/:id",
    path: (f) => `/api/v1/schedules/${f.scheduleId}`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/schedules/:id",
    path: (f) => `/api/v1/schedules/${f.scheduleId}`,
    body: () => ({ name: "renamed" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "DELETE",
    url: "/api/v1/schedules/:id",
    path: (f) => `/api/v1/schedules/${f.scheduleId}`,
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/schedules/:id/oncall",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/oncall`,
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/oncall",
    path: () => "/api/v1/oncall?team=alpha&region=prod-eu",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/schedules/:id/shifts",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/shifts`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/schedules/:id/overrides",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/overrides`,
    body: () => ({
      position: "main",
      email: "spare@example.com",
      from: new Date(now()).toISOString(),
      to: new Date(now() + 3600_000).toISOString(),
    }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/schedules/:id/overrides",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/overrides`,
    kind: "read",
  },
  {
    method: "DELETE",
    url: "/api/v1/schedules/:id/overrides/:overrideId",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/overrides/${f.overrideId}`,
    kind: "teamWrite",
  },
  {
    method: "POST",
    url: "/api/v1/schedules/:id/swaps",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/swaps`,
    body: () => ({
      requester: "viewer@example.com",
      from: new Date(now() + 86400_000).toISOString(),
      to: new Date(now() + 2 * 86400_000).toISOString(),
    }),
    kind: "memberWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/schedules/:id/swaps",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/swaps`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/schedules/:id/swaps/:swapId/accept",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/swaps/${f.swapId}/accept`,
    body: () => ({ acceptor: "viewer@example.com" }),
    kind: "memberWrite",
  },
  {
    method: "POST",
    url: "/api/v1/schedules/:id/swaps/:swapId/decline",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/swaps/${f.swapId}/decline`,
    body: () => ({ decliner: "viewer@example.com" }),
    kind: "memberWrite",
  },
  {
    method: "POST",
    url: "/api/v1/schedules/:id/ical-token",
    path: (f) => `/api/v1/schedules/${f.scheduleId}/ical-token`,
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/users/me/ical-token",
    path: () => "/api/v1/users/me/ical-token",
    kind: "person",
    keepsFixture: true,
  },
];
CASES.push(...SCHEDULE_CASES);
const ESCALATION_POLICY = {
  name: "alpha pages",
  team: "alpha",
  repeat: 1,
  steps: [{ target: { user: "viewer@example.com" }, ackTimeoutSeconds: 300 }],
};
let receiverSeq = 0;
CASES.push(
  {
    method: "POST",
    url: "/api/v1/receivers",
    path: () => "/api/v1/receivers",
    body: () => ({
      team: "alpha",
      name: `hook ${++receiverSeq}`,
      kind: "webhook",
      url: "http://127.0.0.1:9/hook",
    }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/receivers", path: () => "/api/v1/receivers", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/receivers/:id",
    path: (f) => `/api/v1/receivers/${f.receiverId}`,
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/receivers/:id/deliveries",
    path: (f) => `/api/v1/receivers/${f.receiverId}/deliveries`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/receivers/:id",
    path: (f) => `/api/v1/receivers/${f.receiverId}`,
    body: () => ({ name: `pagerduty renamed ${++receiverSeq}`, secret: "routing-key-new", enabled: false }),
    kind: "teamWrite",
  },
  {
    method: "DELETE",
    url: "/api/v1/receivers/:id",
    path: (f) => `/api/v1/receivers/${f.receiverId}`,
    kind: "teamWrite",
  },
);
CASES.push(
  {
    method: "POST",
    url: "/api/v1/slas",
    path: () => "/api/v1/slas",
    body: (f) => ({ name: `sla ${f.n}`, services: [f.service], objectivePercent: 99 }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/slas", path: () => "/api/v1/slas", kind: "read" },
  { method: "GET", url: "/api/v1/slas/:id", path: (f) => `/api/v1/slas/${f.slaId}`, kind: "read" },
  {
    method: "GET",
    url: "/api/v1/slas/:id/status",
    path: (f) => `/api/v1/slas/${f.slaId}/status`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/slas/:id",
    path: (f) => `/api/v1/slas/${f.slaId}`,
    body: () => ({ objectivePercent: 98 }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "DELETE", url: "/api/v1/slas/:id", path: (f) => `/api/v1/slas/${f.slaId}`, kind: "teamWrite" },
);
CASES.push(
  {
    method: "POST",
    url: "/api/v1/escalation-policies",
    path: () => "/api/v1/escalation-policies",
    body: () => ESCALATION_POLICY,
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/escalation-policies",
    path: () => "/api/v1/escalation-policies",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/escalation-policies/:id",
    path: (f) => `/api/v1/escalation-policies/${f.escalationPolicyId}`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/escalation-policies/:id",
    path: (f) => `/api/v1/escalation-policies/${f.escalationPolicyId}`,
    body: () => ({ repeat: 2 }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "DELETE",
    url: "/api/v1/escalation-policies/:id",
    path: (f) => `/api/v1/escalation-policies/${f.escalationPolicyId}`,
    kind: "teamWrite",
  },
  {
    method: "PUT",
    url: "/api/v1/slos/:id/escalation-policy",
    path: (f) => `/api/v1/slos/${f.sloId}/escalation-policy`,
    body: (f) => ({ policyId: f.escalationPolicyId }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/user-groups",
    path: () => "/api/v1/user-groups",
    body: () => ({ name: "alpha leads", team: "alpha", members: ["viewer@example.com"] }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/user-groups",
    path: () => "/api/v1/user-groups",
    body: () => ({ name: "org leads", members: ["viewer@example.com"] }),
    kind: "admin",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/user-groups", path: () => "/api/v1/user-groups", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/user-groups/:id",
    path: (f) => `/api/v1/user-groups/${f.userGroupId}`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/user-groups/:id",
    path: (f) => `/api/v1/user-groups/${f.userGroupId}`,
    body: () => ({ name: "renamed" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "DELETE",
    url: "/api/v1/user-groups/:id",
    path: (f) => `/api/v1/user-groups/${f.userGroupId}`,
    kind: "teamWrite",
  },
  {
    method: "GET",
    url: "/api/v1/users/me/notification-rules",
    path: () => "/api/v1/users/me/notification-rules",
    kind: "person",
  },
  {
    method: "PUT",
    url: "/api/v1/users/me/notification-rules",
    path: () => "/api/v1/users/me/notification-rules",
    body: () => ({ rules: [{ channel: "email", severities: ["page"] }] }),
    kind: "person",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/incidents",
    path: () => "/api/v1/incidents",
    body: (f) => ({ title: "Checkout down", services: [f.service] }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/incidents", path: () => "/api/v1/incidents?state=open", kind: "read" },
  {
    method: "GET",
    url: "/api/v1/incidents/:id",
    path: (f) => `/api/v1/incidents/${f.incidentId}`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/incidents/:id/updates",
    path: (f) => `/api/v1/incidents/${f.incidentId}/updates`,
    body: () => ({ message: "still looking" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/status-pages",
    path: () => "/api/v1/status-pages",
    body: (f) => ({
      slug: `status-${f.n}-${++pages}`,
      name: "Status",
      components: [{ name: "Checkout", service: f.service }],
    }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/status-pages", path: () => "/api/v1/status-pages", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/stakeholder-rings",
    path: () => "/api/v1/stakeholder-rings",
    body: () => ({ number: 2 + ++rings, name: "Leadership", escalateAfterMinutes: 60 }),
    kind: "admin",
    keepsFixture: true,
  },
  { method: "GET", url: "/api/v1/stakeholder-rings", path: () => "/api/v1/stakeholder-rings", kind: "read" },
  {
    method: "POST",
    url: "/api/v1/incidents/:id/notifications",
    path: (f) => `/api/v1/incidents/${f.incidentId}/notifications`,
    body: () => ({ ring: 1, kind: "first", message: "Checkout is down", nextUpdateInMinutes: 60 }),
    kind: "teamWrite",
    // After the first allowed caller, the ring has had its first message: 409, past the permission check.
    ok: [409],
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/settings/incident-channels",
    path: () => "/api/v1/settings/incident-channels",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/settings/incident-channels",
    path: () => "/api/v1/settings/incident-channels",
    body: () => ({ severities: ["critical", "error"] }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/settings/sso-groups",
    path: () => "/api/v1/settings/sso-groups",
    kind: "admin",
  },
  {
    method: "PUT",
    url: "/api/v1/settings/sso-groups",
    path: () => "/api/v1/settings/sso-groups",
    body: () => ({ groupRoles: [{ group: "alpha-editors", role: "editor", team: "alpha" }] }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "PUT",
    url: "/api/v1/support-tickets",
    path: () => "/api/v1/support-tickets",
    body: (f) => ({ entries: [{ service: f.service, month: "2026-01", count: 12 }] }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/support-tickets/csv",
    path: () => "/api/v1/support-tickets/csv",
    text: (f) => `service,month,count\n${f.service},2026-02,9\n`,
    contentType: "text/csv",
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/reports/support-tickets",
    path: () => "/api/v1/reports/support-tickets",
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/settings/postmortems",
    path: () => "/api/v1/settings/postmortems",
    kind: "read",
  },
  {
    method: "PUT",
    url: "/api/v1/settings/postmortems",
    path: () => "/api/v1/settings/postmortems",
    body: () => ({ requiredPriorities: ["P1"] }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "PUT",
    url: "/api/v1/teams/:slug/incident-channels",
    path: () => "/api/v1/teams/alpha/incident-channels",
    body: () => ({ severities: ["critical"] }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/incidents/:id/notifications",
    path: (f) => `/api/v1/incidents/${f.incidentId}/notifications`,
    kind: "read",
  },
  {
    method: "POST",
    url: "/api/v1/stakeholder-groups",
    path: () => "/api/v1/stakeholder-groups",
    body: (f) => ({ ring: 1, name: `Leadership ${f.n}-${++rings}`, products: ["Web shop"] }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/stakeholder-groups",
    path: () => "/api/v1/stakeholder-groups",
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/stakeholder-groups/:id",
    path: (f) => `/api/v1/stakeholder-groups/${f.stakeholderGroupId}`,
    body: () => ({ geographies: ["worldwide"] }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "DELETE",
    url: "/api/v1/stakeholder-groups/:id",
    path: (f) => `/api/v1/stakeholder-groups/${f.stakeholderGroupId}`,
    kind: "admin",
  },
  {
    method: "PATCH",
    url: "/api/v1/stakeholder-rings/:id",
    path: () => `/api/v1/stakeholder-rings/${ringId}`,
    body: () => ({ name: "Product", escalateAfterMinutes: null }),
    kind: "admin",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/incidents/:id/postmortem",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem`,
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/incidents/:id/postmortem",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem`,
    kind: "read",
  },
  {
    method: "GET",
    url: "/api/v1/incidents/:id/postmortem.md",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem.md`,
    kind: "read",
  },
  {
    method: "PATCH",
    url: "/api/v1/incidents/:id/postmortem",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem`,
    body: () => ({ summary: "Checkout was down." }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "POST",
    url: "/api/v1/incidents/:id/postmortem/action-items",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem/action-items`,
    body: () => ({ title: "Add a canary", owner: "alpha-editor@example.com", dueDate: "2030-01-31" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "PATCH",
    url: "/api/v1/incidents/:id/postmortem/action-items/:itemId",
    path: (f) => `/api/v1/incidents/${f.incidentId}/postmortem/action-items/${f.actionItemId}`,
    body: () => ({ state: "in_work" }),
    kind: "teamWrite",
    keepsFixture: true,
  },
  {
    method: "GET",
    url: "/api/v1/teams/:slug/overdue",
    path: () => "/api/v1/teams/alpha/overdue",
    kind: "read",
  },
);
let rings = 0;
let ringId = "";
let pages = 0;
const POLICY = {
  scope: "alpha",
  purpose: "budget",
  conditions: [
    { id: "pm", type: "manual", text: "postmortem" },
    { id: "pm2", type: "manual", text: "second" },
  ],
  escalation: "head of engineering",
  agreedBy: [],
  silverBulletsPerYear: 100,
  reason: "matrix fixture",
};
/** Routes that need no permission at all. */
const PUBLIC = new Set([
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/logout",
  // Not a session or a token: every request must carry Slack's signature (alerting tests cover it).
  "POST /api/v1/slack/interactions",
  "POST /api/v1/slack/commands",
  "POST /api/v1/slack/events",
  // Calendar feeds: calendar apps send no session; the feed's token is checked (schedules tests cover it).
  "GET /api/v1/schedules/:id/ical",
  "GET /api/v1/users/:id/ical",
]);

describe("authorization: every route × role", () => {
  let stack: Stack;
  const cookies: Partial<Record<Role, string>> = {};
  const tokens: Partial<Record<Role, string>> = {};
  let n = 0;
  beforeAll(async () => {
    stack = await startStack();
    const admin = (m: string, p: string, b?: unknown) => call(stack, m, p, b);
    for (const slug of ["alpha", "beta"])
      expect((await admin("POST", "/api/v1/teams", { slug, name: slug })).status).toBe(201);
    const users: [Role, string, "editor" | "viewer" | null, string | null][] = [
      ["viewer", "viewer@example.com", "viewer", "alpha"],
      ["otherEditor", "beta-editor@example.com", "editor", "beta"],
      ["ownEditor", "alpha-editor@example.com", "editor", "alpha"],
    ];
    for (const [, email, role, team] of users) {
      expect(
        (await admin("POST", "/api/v1/users", { email, name: email, password: "a long password" })).status,
      ).toBe(201);
      if (team)
        expect((await admin("PUT", `/api/v1/teams/${team}/members`, { email, role })).status).toBe(200);
    }
    expect(
      (
        await admin("POST", "/api/v1/users", {
          email: "spare@example.com",
          name: "spare",
          password: "a long password",
        })
      ).status,
    ).toBe(201);
    const login = async (email: string, password: string) => {
      const r = await stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email, password },
      });
      expect(r.statusCode).toBe(200);
      const set = String(r.headers["set-cookie"]);
      expect(set).toMatch(/HttpOnly/i);
      expect(set).toMatch(/SameSite=Strict/i);
      return set.split(";")[0]!;
    };
    for (const [role, email] of users) cookies[role] = await login(email, "a long password");
    cookies.admin = await login(stack.admin.email, stack.admin.password);
    const mk = async (scopes: string[], team?: string) => {
      const r = await admin("POST", "/api/v1/tokens", {
        name: scopes.join("+"),
        scopes,
        ...(team ? { team } : {}),
      });
      expect(r.status).toBe(201);
      return r.body!.token as string;
    };
    tokens.tokRead = await mk(["read"]);
    tokens.tokWrite = await mk(["write"]);
    tokens.tokWriteTeam = await mk(["write"], "alpha");
    tokens.tokIngest = await mk(["ingest"]);
    tokens.tokHistory = await mk(["history:write"]);
    tokens.tokAdmin = await mk(["admin"]);
    await admin("POST", "/api/v1/services", { slug: "shop-0", name: "shop", team: "alpha" });
    expect((await admin("PUT", "/api/v1/teams/alpha/policy", POLICY)).status).toBe(200);
    const ring = await admin("POST", "/api/v1/stakeholder-rings", { number: 1, name: "Product" });
    expect(ring.status).toBe(201);
    ringId = ring.body!.id as string;
  });
  afterAll(async () => stack?.stop());

  async function fresh(): Promise<Fresh> {
    const i = ++n;
    const admin = (m: string, p: string, b?: unknown) => call(stack, m, p, b);
    const service = `svc-${i}`;
    await admin("POST", "/api/v1/services", { slug: service, name: service, team: "alpha" });
    await admin("POST", "/api/v1/services", { slug: `${service}-bare`, name: service, team: "alpha" });
    await admin("POST", "/api/v1/teams", { slug: `empty-${i}`, name: "empty" });
    const slo = await admin("POST", "/api/v1/slos", {
      service,
      name: "avail",
      endpoint: "GET /a",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    const ep = await admin("POST", `/api/v1/services/${service}/endpoints`, { endpoint: "GET /spare" });
    await admin("POST", "/api/v1/users", {
      email: `member-${i}@example.com`,
      name: "m",
      password: "a long password",
    });
    await admin("PUT", "/api/v1/teams/alpha/members", { email: `member-${i}@example.com`, role: "viewer" });
    const region = `zone-${i}`;
    await stack.db.region.create({ data: { slug: region, name: region } });
    const alert = await stack.db.alert.create({
      data: {
        sloId: slo.body!.id,
        regionKey: "prod-eu",
        state: "firing",
        severity: "page",
        tiers: [],
        firedAt: new Date(),
      },
    });
    const tok = await admin("POST", "/api/v1/tokens", { name: `t${i}`, scopes: ["read"] });
    await stack.db.policyEnactment.updateMany({ where: { closedAt: null }, data: { closedAt: new Date() } });
    const policy = await stack.db.errorBudgetPolicy.findFirstOrThrow();
    const enactment = await stack.db.policyEnactment.create({
      data: {
        policyId: policy.id,
        teamId: policy.teamId,
        conditionId: "pm2",
        manual: true,
        openedAt: new Date(),
        reason: "fixture",
      },
    });
    const silence = await admin("POST", "/api/v1/silences", {
      service,
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: "fixture",
    });
    // One position, a daily hand-off: the swap's day holds shifts of both members, and accepting it never makes
    // one person hold two positions at once (which is refused).
    const schedule = await admin("POST", "/api/v1/schedules", {
      name: `alpha ${i}`,
      team: "alpha",
      timeZone: "UTC",
      rotation: { ...ROTATION, periodDays: 1 },
      positions: ["main"],
      members: ["viewer@example.com", "alpha-editor@example.com"],
    });
    const override = await admin("POST", `/api/v1/schedules/${schedule.body!.id}/overrides`, {
      position: "main",
      email: "spare@example.com",
      from: new Date(Date.now()).toISOString(),
      to: new Date(Date.now() + 3600_000).toISOString(),
    });
    const swap = await admin("POST", `/api/v1/schedules/${schedule.body!.id}/swaps`, {
      requester: "alpha-editor@example.com",
      colleague: "viewer@example.com",
      from: new Date(Date.now() + 86400_000).toISOString(),
      to: new Date(Date.now() + 2 * 86400_000).toISOString(),
    });
    const escalation = await admin("POST", "/api/v1/escalation-policies", {
      ...ESCALATION_POLICY,
      name: `alpha pages ${i}`,
    });
    const receiver = await admin("POST", "/api/v1/receivers", {
      team: "alpha",
      name: `alpha pagerduty ${i}`,
      kind: "pagerduty",
      secret: "routing-key-alpha",
    });
    const incident = await admin("POST", "/api/v1/incidents", { title: `fixture ${i}`, services: [service] });
    // The postmortem and its action item straight in the store (no impact read): the routes are what is checked.
    const pm = await ensurePostmortem(stack.db, {
      incidentId: incident.body!.id,
      by: "fixture",
      nowMs: Date.now(),
      required: false,
    });
    const item = await stack.db.postmortemActionItem.create({
      data: {
        postmortemId: pm.id,
        title: "Add a canary",
        owner: "alpha-editor@example.com",
        dueDate: new Date("2020-01-31T00:00:00Z"),
        priority: "P2",
      },
    });
    const sla = await admin("POST", "/api/v1/slas", {
      name: `alpha contract ${i}`,
      services: [service],
      objectivePercent: 99,
    });
    const group = await admin("POST", "/api/v1/user-groups", {
      name: `alpha leads ${i}`,
      team: "alpha",
      members: ["alpha-editor@example.com"],
    });
    const stakeholders = await admin("POST", "/api/v1/stakeholder-groups", {
      ring: 1,
      name: `Europe ${i}`,
      geographies: ["Europe"],
      users: ["alpha-editor@example.com"],
    });
    expect(stakeholders.status).toBe(201);
    return {
      stakeholderGroupId: stakeholders.body!.id,
      receiverId: receiver.body!.id,
      incidentId: incident.body!.id,
      actionItemId: item.id,
      slaId: sla.body!.id,
      userGroupId: group.body!.id,
      escalationPolicyId: escalation.body!.id,
      scheduleId: schedule.body!.id,
      overrideId: override.body!.id,
      swapId: swap.body!.id,
      enactmentId: enactment.id,
      silenceId: silence.body!.id,
      n: i,
      service,
      sloId: slo.body!.id,
      endpointId: ep.body!.id,
      alertId: alert.id,
      tokenId: tok.body!.id,
      region,
    };
  }

  it("covers every registered API route", () => {
    const covered = new Set(CASES.map((c) => `${c.method} ${c.url}`));
    const missing = stack.app.apiRoutes
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !covered.has(k) && !PUBLIC.has(k));
    expect(missing).toEqual([]);
  });

  const table = CASES.flatMap((c) =>
    ROLES.map((role) => ({ c, role, name: `${c.method} ${c.url} as ${role}` })),
  );
  it(`answers ${table.length} route × role cases as expected`, async () => {
    const wrong: string[] = [];
    let f = await fresh();
    for (const { c, role, name } of table) {
      const headers: Record<string, string> = {};
      if (role.startsWith("tok")) headers.authorization = `Bearer ${tokens[role]}`;
      else if (role !== "anonymous") {
        headers.cookie = cookies[role]!;
        headers["x-burnrate-csrf"] = "1";
      }
      const body = c.raw ?? (c.text ? c.text(f) : c.body ? JSON.stringify(c.body(f)) : undefined);
      if (body !== undefined)
        headers["content-type"] =
          c.contentType ?? (c.raw && c.url.startsWith("/api") ? "application/x-ndjson" : "application/json");
      const res = await stack.app.inject({
        method: c.method,
        url: c.path(f),
        headers,
        ...(body !== undefined ? { payload: body } : {}),
      });
      const expected =
        role === "anonymous" && c.kind !== "public"
          ? [401]
          : ALLOWED[c.kind].includes(role)
            ? [200, 201, 204, ...(c.ok ?? [])]
            : [403];
      // A change that went through used up the fixture (deleted, acknowledged, …): make a new one.
      if (c.method !== "GET" && res.statusCode < 300 && !c.keepsFixture) f = await fresh();
      if (!expected.includes(res.statusCode))
        wrong.push(
          `${name}: got ${res.statusCode} (${res.body.slice(0, 120)}), expected ${expected.join("/")}`,
        );
    }
    expect(wrong).toEqual([]);
    // 800 cases of one or two requests, and a new fixture after each change: minutes on a loaded machine.
  }, 600_000);

  it("refuses cookie-authenticated writes without the CSRF header", async () => {
    const r = await stack.app.inject({
      method: "PATCH",
      url: "/api/v1/teams/alpha",
      headers: { cookie: cookies.admin!, "content-type": "application/json" },
      payload: { name: "x" },
    });
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body).error.message).toContain("x-burnrate-csrf");
  });

  it("stores tokens hashed, shows them once, and revoked tokens stop working", async () => {
    const created = await call(stack, "POST", "/api/v1/tokens", { name: "once", scopes: ["read"] });
    const secret = created.body!.token as string;
    const row = await stack.db.apiToken.findUniqueOrThrow({ where: { id: created.body!.id } });
    expect(row.tokenHash).not.toContain(secret);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await call(stack, "GET", "/api/v1/tokens");
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(
      (
        await stack.app.inject({
          method: "GET",
          url: "/api/v1/teams",
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await call(stack, "DELETE", `/api/v1/tokens/${created.body!.id}`)).status).toBe(200);
    expect(
      (
        await stack.app.inject({
          method: "GET",
          url: "/api/v1/teams",
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it("stores passwords as scrypt hashes and rate-limits login attempts", async () => {
    const u = await stack.db.user.findUniqueOrThrow({ where: { email: "viewer@example.com" } });
    expect(u.passwordHash).toMatch(/^scrypt\$/);
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await stack.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        remoteAddress: "10.9.8.7",
        payload: { email: "viewer@example.com", password: "wrong" },
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toContain(429);
  });
});
