import { AlertResponse, SloResponse, SloSeriesResponse, SloStatusResponse } from "@burnrate/contracts";
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
};
export const useSeries = (id: string, region: string | null, range: string) =>
  useQuery({
    queryKey: ["series", id, region, range],
    queryFn: () => {
      const p = new URLSearchParams();
      if (region) p.set("region", region);
      const span = RANGES[range] ?? null;
      if (span) p.set("from", String(Date.now() - span));
      return api(SloSeriesResponse, `/api/v1/slos/${id}/series?${p.toString()}`);
    },
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
