import {
  SupportTicketsResponse,
  NewsletterPreviewResponse,
  PostmortemSettings,
  PostmortemSettingsResponse,
  AdoptionResponse,
  AlertResponse,
  AuthProvidersResponse,
  SsoGroupRolesBody,
  SsoGroupRolesResponse,
  CreatedReceiverResponse,
  ReceiverResponse,
  ReceiverDeliveryResponse,
  CreatedTokenResponse,
  DeploymentResponse,
  EnactmentResponse,
  EscalationPolicyResponse,
  NotificationRulesResponse,
  FeedUrlResponse,
  IncidentChannelSettingsResponse,
  IndicatorsResponse,
  OnCallIndicatorsResponse,
  TtrTrendResponse,
  MemberResponse,
  OncallOverrideResponse,
  OncallResponse,
  OverviewResponse,
  PeriodsResponse,
  PolicyResponse,
  PreviewResponse,
  PrioritiesResponse,
  ReleaseGateResponse,
  ScheduleResponse,
  ServiceResponse,
  SilenceResponse,
  SlackSettingsResponse,
  SlackTestResponse,
  SloResponse,
  SloSeriesResponse,
  SloStatusResponse,
  SloVersionResponse,
  ShiftsResponse,
  TeamResponse,
  TokenResponse,
  type CreateEscalationPolicyBody,
  type CreateReceiverBody,
  type CreateOncallOverrideBody,
  type CreateScheduleBody,
  type CreateSloBody,
  type CreateTokenBody,
  type ChannelSeverity,
  type ManualEnactBody,
  type PatchSloBody,
  type PreviewBody,
  type PutPolicyBody,
  type PutNotificationRulesBody,
  type PutPrioritiesBody,
} from "@burnrate/contracts";
import { z } from "zod";
import { ApiError } from "./api-error";
import { qs, type QueryValue } from "./query-string";
import { request } from "./request";

/** Who is signed in (a user, or a token's owner when the API is called with a token). */
export const Me = z.object({
  kind: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  isAdmin: z.boolean().optional(),
});
export type Me = z.infer<typeof Me>;

/** Filters of the incident and on-call indicators; unset ones are left out of the URL. */
export type OpsFilters = { team?: string; service?: string };

/** Filters of the report endpoints (overview, periods, indicators); unset ones are left out of the URL. */
export type ReportFilters = {
  team?: string;
  service?: string;
  region?: string;
  sli?: string;
  includeDefaults?: boolean;
};
export type CreateSloInput = z.input<typeof CreateSloBody>;
export type PatchSloInput = z.input<typeof PatchSloBody>;
export type PutPolicyInput = z.input<typeof PutPolicyBody>;
export type CreateScheduleInput = z.input<typeof CreateScheduleBody>;
export type CreateOverrideInput = z.input<typeof CreateOncallOverrideBody>;
export type CreateEscalationPolicyInput = z.input<typeof CreateEscalationPolicyBody>;
export type CreateReceiverInput = z.input<typeof CreateReceiverBody>;
export type NotificationRulesInput = z.input<typeof PutNotificationRulesBody>;
export type PrioritiesInput = z.input<typeof PutPrioritiesBody>["priorities"];

const seg = encodeURIComponent;
const post = (json?: unknown) => ({ method: "POST", ...(json !== undefined ? { json } : {}) });
const list = <T extends z.ZodType>(item: T) => z.array(item);

/** Every endpoint the web app calls, each answer parsed with its contract. */
export const client = {
  auth: {
    me: () => request(Me, "/api/v1/auth/me"),
    providers: () => request(AuthProvidersResponse, "/api/v1/auth/providers"),
    login: (body: { email: string; password: string }) =>
      request(z.unknown(), "/api/v1/auth/login", post(body)),
    logout: () => request(z.unknown(), "/api/v1/auth/logout", post()),
  },
  slos: {
    list: (filters: Record<string, QueryValue>) => request(list(SloResponse), `/api/v1/slos${qs(filters)}`),
    get: (id: string) => request(SloResponse, `/api/v1/slos/${seg(id)}`),
    status: (id: string, region: string | null) =>
      request(SloStatusResponse, `/api/v1/slos/${seg(id)}/status${qs({ region })}`),
    series: (id: string, q: { region: string | null; from?: number; to?: number }) =>
      request(SloSeriesResponse, `/api/v1/slos/${seg(id)}/series${qs(q)}`),
    versions: (id: string) => request(list(SloVersionResponse), `/api/v1/slos/${seg(id)}/versions`),
    preview: (body: z.input<typeof PreviewBody>) =>
      request(PreviewResponse, "/api/v1/slos/preview", post(body)),
    create: (body: CreateSloInput) => request(SloResponse, "/api/v1/slos", post(body)),
    patch: (id: string, body: PatchSloInput) =>
      request(SloResponse, `/api/v1/slos/${seg(id)}`, { method: "PATCH", json: body }),
  },
  alerts: {
    list: (filters: { state?: string; sloId?: string; limit?: number }) =>
      request(list(AlertResponse), `/api/v1/alerts${qs(filters)}`),
    /** One alert with its timeline (events). */
    get: (id: string) => request(AlertResponse, `/api/v1/alerts/${seg(id)}`),
    ack: (id: string) => request(AlertResponse, `/api/v1/alerts/${seg(id)}/ack`, post()),
    snooze: (id: string, minutes: number) =>
      request(AlertResponse, `/api/v1/alerts/${seg(id)}/snooze`, post({ minutes })),
  },
  silences: {
    list: () => request(list(SilenceResponse), "/api/v1/silences?state=all"),
  },
  schedules: {
    list: () => request(list(ScheduleResponse), "/api/v1/schedules"),
    create: (body: CreateScheduleInput) => request(ScheduleResponse, "/api/v1/schedules", post(body)),
    oncall: (id: string) => request(OncallResponse, `/api/v1/schedules/${seg(id)}/oncall`),
    shifts: (id: string) => request(ShiftsResponse, `/api/v1/schedules/${seg(id)}/shifts`),
    overrides: (id: string) =>
      request(list(OncallOverrideResponse), `/api/v1/schedules/${seg(id)}/overrides`),
    myFeed: () => request(FeedUrlResponse, "/api/v1/users/me/ical-token", post()),
    addOverride: (id: string, body: CreateOverrideInput) =>
      request(OncallOverrideResponse, `/api/v1/schedules/${seg(id)}/overrides`, post(body)),
  },
  receivers: {
    list: () => request(list(ReceiverResponse), "/api/v1/receivers"),
    create: (body: CreateReceiverInput) => request(CreatedReceiverResponse, "/api/v1/receivers", post(body)),
    remove: (id: string) => request(ReceiverResponse, `/api/v1/receivers/${seg(id)}`, { method: "DELETE" }),
    deliveries: (id: string) =>
      request(list(ReceiverDeliveryResponse), `/api/v1/receivers/${seg(id)}/deliveries`),
  },
  escalation: {
    list: () => request(list(EscalationPolicyResponse), "/api/v1/escalation-policies"),
    create: (body: CreateEscalationPolicyInput) =>
      request(EscalationPolicyResponse, "/api/v1/escalation-policies", post(body)),
    remove: (id: string) =>
      request(EscalationPolicyResponse, `/api/v1/escalation-policies/${seg(id)}`, { method: "DELETE" }),
    myRules: () => request(NotificationRulesResponse, "/api/v1/users/me/notification-rules"),
    putMyRules: (body: NotificationRulesInput) =>
      request(NotificationRulesResponse, "/api/v1/users/me/notification-rules", {
        method: "PUT",
        json: body,
      }),
  },
  reports: {
    overview: (f: ReportFilters) => request(OverviewResponse, `/api/v1/reports/overview${qs(f)}`),
    periods: (f: ReportFilters & { periods: number }) =>
      request(PeriodsResponse, `/api/v1/reports/periods${qs(f)}`),
    indicators: (f: ReportFilters & { window: string }) =>
      request(IndicatorsResponse, `/api/v1/reports/indicators${qs(f)}`),
    ttrTrend: (f: OpsFilters & { region?: string; scale: string }) =>
      request(TtrTrendResponse, `/api/v1/reports/ttr-trend${qs(f)}`),
    oncall: (f: OpsFilters) => request(OnCallIndicatorsResponse, `/api/v1/reports/oncall${qs(f)}`),
    adoption: () => request(AdoptionResponse, "/api/v1/reports/adoption"),
    supportTickets: (f: OpsFilters & { months: number }) =>
      request(SupportTicketsResponse, `/api/v1/reports/support-tickets${qs(f)}`),
  },
  services: {
    get: (slug: string) => request(ServiceResponse, `/api/v1/services/${seg(slug)}`),
    deployments: (service: string, limit: number) =>
      request(list(DeploymentResponse), `/api/v1/deployments${qs({ service, limit })}`),
  },
  teams: {
    list: () => request(list(TeamResponse), "/api/v1/teams"),
    members: (team: string) => request(list(MemberResponse), `/api/v1/teams/${seg(team)}/members`),
    slackTest: (team: string) => request(SlackTestResponse, `/api/v1/teams/${seg(team)}/slack-test`, post()),
  },
  tokens: {
    list: () => request(list(TokenResponse), "/api/v1/tokens"),
    create: (body: z.input<typeof CreateTokenBody>) =>
      request(CreatedTokenResponse, "/api/v1/tokens", post(body)),
  },
  settings: {
    slack: () => request(SlackSettingsResponse, "/api/v1/settings/slack"),
    priorities: () => request(PrioritiesResponse, "/api/v1/settings/priorities"),
    putPriorities: (body: z.input<typeof PutPrioritiesBody>) =>
      request(PrioritiesResponse, "/api/v1/settings/priorities", { method: "PUT", json: body }),
    incidentChannels: () => request(IncidentChannelSettingsResponse, "/api/v1/settings/incident-channels"),
    putOrgIncidentChannels: (severities: ChannelSeverity[]) =>
      request(IncidentChannelSettingsResponse, "/api/v1/settings/incident-channels", {
        method: "PUT",
        json: { severities },
      }),
    /** A team's own severities; null follows the organisation's. */
    putTeamIncidentChannels: (team: string, severities: ChannelSeverity[] | null) =>
      request(IncidentChannelSettingsResponse, `/api/v1/teams/${seg(team)}/incident-channels`, {
        method: "PUT",
        json: { severities },
      }),
    ssoGroups: () => request(SsoGroupRolesResponse, "/api/v1/settings/sso-groups"),
    putSsoGroups: (body: z.input<typeof SsoGroupRolesBody>) =>
      request(SsoGroupRolesResponse, "/api/v1/settings/sso-groups", { method: "PUT", json: body }),
    postmortems: () => request(PostmortemSettingsResponse, "/api/v1/settings/postmortems"),
    putPostmortems: (body: PostmortemSettings) =>
      request(PostmortemSettingsResponse, "/api/v1/settings/postmortems", { method: "PUT", json: body }),
  },
  newsletter: {
    /** A team's newsletter (or, with no team, the organisation's) for the week holding `week` (default: the last). */
    preview: (team: string | null, week: string | null) =>
      request(
        NewsletterPreviewResponse,
        `${team ? `/api/v1/teams/${seg(team)}/newsletter` : "/api/v1/newsletter"}${qs({ week })}`,
      ),
  },
  policy: {
    /** The team's policy, or null when it has none yet. */
    get: async (team: string) => {
      try {
        return await request(PolicyResponse, `/api/v1/teams/${seg(team)}/policy`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    put: (team: string, body: PutPolicyInput) =>
      request(PolicyResponse, `/api/v1/teams/${seg(team)}/policy`, { method: "PUT", json: body }),
    enactments: (team: string, limit: number) =>
      request(list(EnactmentResponse), `/api/v1/teams/${seg(team)}/policy/enactments${qs({ limit })}`),
    enact: (team: string, body: z.input<typeof ManualEnactBody>) =>
      request(EnactmentResponse, `/api/v1/teams/${seg(team)}/policy/enactments`, post(body)),
    close: (team: string, id: string, reason: string) =>
      request(
        EnactmentResponse,
        `/api/v1/teams/${seg(team)}/policy/enactments/${seg(id)}/close`,
        post({ reason }),
      ),
    releaseGate: (service: string, region: string) =>
      request(ReleaseGateResponse, `/api/v1/release-gate${qs({ service, region })}`),
  },
};
