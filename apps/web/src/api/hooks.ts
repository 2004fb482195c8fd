import {
  AlertResponse,
  DeploymentResponse,
  IndicatorsResponse,
  MemberResponse,
  OverviewResponse,
  PeriodsResponse,
  ServiceResponse,
  SilenceResponse,
  SlackSettingsResponse,
  SloResponse,
  SloSeriesResponse,
  SloStatusResponse,
  SloVersionResponse,
  TeamResponse,
  TokenResponse,
} from "@burnrate/contracts";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { api } from "./client";

const Me = z.object({
  kind: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  isAdmin: z.boolean().optional(),
});
export const useMe = () =>
  useQuery({ queryKey: ["me"], queryFn: () => api(Me, "/api/v1/auth/me"), retry: false });
export const useSlos = () =>
  useQuery({ queryKey: ["slos"], queryFn: () => api(z.array(SloResponse), "/api/v1/slos?limit=1000") });
export const useSlo = (id: string) =>
  useQuery({ queryKey: ["slo", id], queryFn: () => api(SloResponse, `/api/v1/slos/${id}`) });
const q = (region: string | null) => (region ? `?region=${encodeURIComponent(region)}` : "");
export const useStatus = (id: string, region: string | null) =>
  useQuery({
    queryKey: ["status", id, region],
    queryFn: () => api(SloStatusResponse, `/api/v1/slos/${id}/status${q(region)}`),
    refetchInterval: 30_000,
  });
/** Chart ranges offered on the SLO page; "period" is the SLO's current period (from its first data). */
export const RANGES: Record<string, number | null> = {
  "6h": 6 * 3600_000,
  "1d": 86_400_000,
  "7d": 7 * 86_400_000,
  period: null,
  /** the current period and the two before it (needs the period's length) */
  "3p": null,
};
export const useSeries = (id: string, region: string | null, range: string, periodMs?: number) =>
  useQuery({
    queryKey: ["series", id, region, range],
    queryFn: () => {
      const p = new URLSearchParams();
      if (region) p.set("region", region);
      const span = range === "3p" ? 3 * (periodMs ?? 0) : (RANGES[range] ?? null);
      if (span) p.set("from", String(Date.now() - span));
      return api(SloSeriesResponse, `/api/v1/slos/${id}/series?${p.toString()}`);
    },
    enabled: range !== "3p" || (periodMs ?? 0) > 0,
    refetchInterval: 60_000,
  });
export const useAlerts = (state = "open") =>
  useQuery({
    queryKey: ["alerts", state],
    queryFn: () => api(z.array(AlertResponse), `/api/v1/alerts?state=${state}`),
    refetchInterval: 30_000,
  });
export const useSloAlerts = (sloId: string) =>
  useQuery({
    queryKey: ["alerts", "slo", sloId],
    queryFn: () => api(z.array(AlertResponse), `/api/v1/alerts?sloId=${sloId}`),
  });
export const useStatuses = (ids: string[]) =>
  useQuery({
    queryKey: ["statuses", ids],
    queryFn: async () =>
      Object.fromEntries(
        await Promise.all(
          ids.map(async (id) => [id, await api(SloStatusResponse, `/api/v1/slos/${id}/status`)] as const),
        ),
      ),
    enabled: ids.length > 0,
    refetchInterval: 30_000,
  });

// ---- dashboards -------------------------------------------------------------------------------------------------
/** Query string of the set filters, in a stable order (so equal filters share a cache entry). */
export function qs(filters: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(filters).sort()) {
    const v = filters[k];
    if (v !== undefined && v !== null && v !== "" && v !== false) p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}
export type ReportFilters = {
  team?: string;
  service?: string;
  region?: string;
  sli?: string;
  includeDefaults?: boolean;
};
/** The set filters only, so {} and {team: ""} share one cache entry (and one request). */
const setOnly = (f: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== "" && v !== false),
  );
export const useOverview = (f: ReportFilters) =>
  useQuery({
    queryKey: ["overview", setOnly(f)],
    queryFn: () => api(OverviewResponse, `/api/v1/reports/overview${qs(f)}`),
    refetchInterval: 30_000,
    placeholderData: (prev) => prev,
  });
export const usePeriods = (f: ReportFilters & { periods: number }) =>
  useQuery({
    queryKey: ["periods", setOnly(f)],
    queryFn: () => api(PeriodsResponse, `/api/v1/reports/periods${qs(f)}`),
    placeholderData: (prev) => prev,
  });
export const useIndicators = (f: ReportFilters & { window: string }) =>
  useQuery({
    queryKey: ["indicators", setOnly(f)],
    queryFn: () => api(IndicatorsResponse, `/api/v1/reports/indicators${qs(f)}`),
    placeholderData: (prev) => prev,
  });
export const useSloVersions = (id: string) =>
  useQuery({
    queryKey: ["versions", id],
    queryFn: () => api(z.array(SloVersionResponse), `/api/v1/slos/${id}/versions`),
  });
export const useService = (slug: string) =>
  useQuery({
    queryKey: ["service", slug],
    queryFn: () => api(ServiceResponse, `/api/v1/services/${encodeURIComponent(slug)}`),
    enabled: slug !== "",
  });
export const useServiceSlos = (slug: string) =>
  useQuery({
    queryKey: ["slos", "service", slug],
    queryFn: () =>
      api(z.array(SloResponse), `/api/v1/slos${qs({ service: slug, includeDefaults: true, limit: 1000 })}`),
    enabled: slug !== "",
  });
export const useDeployments = (service: string) =>
  useQuery({
    queryKey: ["deployments", service],
    queryFn: () => api(z.array(DeploymentResponse), `/api/v1/deployments${qs({ service, limit: 20 })}`),
    enabled: service !== "",
  });
export const useAlertList = (state: string) =>
  useQuery({
    queryKey: ["alerts", "list", state],
    queryFn: () => api(z.array(AlertResponse), `/api/v1/alerts${qs({ state, limit: 200 })}`),
    refetchInterval: 30_000,
  });
export const useSilences = () =>
  useQuery({
    queryKey: ["silences"],
    queryFn: () => api(z.array(SilenceResponse), `/api/v1/silences?state=all`),
    retry: false,
  });
export const useTeams = () =>
  useQuery({ queryKey: ["teams"], queryFn: () => api(z.array(TeamResponse), "/api/v1/teams") });
export const useMembers = (team: string) =>
  useQuery({
    queryKey: ["members", team],
    queryFn: () => api(z.array(MemberResponse), `/api/v1/teams/${encodeURIComponent(team)}/members`),
    enabled: team !== "",
  });
export const useTokens = () =>
  useQuery({ queryKey: ["tokens"], queryFn: () => api(z.array(TokenResponse), "/api/v1/tokens") });
export const useSlackSettings = () =>
  useQuery({
    queryKey: ["slack-settings"],
    queryFn: () => api(SlackSettingsResponse, "/api/v1/settings/slack"),
    retry: false,
  });
