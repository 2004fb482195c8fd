import { useQuery } from "@tanstack/react-query";
import { client, type OpsFilters, type ReportFilters } from "../client";
import { keys } from "../query-keys";
import { LIVE_REFRESH_MS } from "../refresh-intervals";

// While new filters load, the previous answer stays on screen (with the "updating" banner).

export const useOverview = (f: ReportFilters) =>
  useQuery({
    queryKey: keys.overview(f),
    queryFn: () => client.reports.overview(f),
    refetchInterval: LIVE_REFRESH_MS,
    placeholderData: (prev) => prev,
  });

export const usePeriods = (f: ReportFilters & { periods: number }) =>
  useQuery({
    queryKey: keys.periods(f),
    queryFn: () => client.reports.periods(f),
    placeholderData: (prev) => prev,
  });

export const useIndicators = (f: ReportFilters & { window: string }) =>
  useQuery({
    queryKey: keys.indicators(f),
    queryFn: () => client.reports.indicators(f),
    placeholderData: (prev) => prev,
  });

export const useTtrTrend = (f: OpsFilters & { region?: string; scale: string }) =>
  useQuery({
    queryKey: keys.ttrTrend(f),
    queryFn: () => client.reports.ttrTrend(f),
    placeholderData: (prev) => prev,
  });

export const useOnCallIndicators = (f: OpsFilters) =>
  useQuery({
    queryKey: keys.oncallIndicators(f),
    queryFn: () => client.reports.oncall(f),
    placeholderData: (prev) => prev,
  });
export const useAdoption = () =>
  useQuery({ queryKey: keys.adoption, queryFn: () => client.reports.adoption() });

/** Support ticket counts per service and month with their growth rates (book §11.2.9). */
export const useSupportTickets = (f: OpsFilters & { months: number }) =>
  useQuery({
    queryKey: keys.supportTickets(f),
    queryFn: () => client.reports.supportTickets(f),
    placeholderData: (prev) => prev,
  });
