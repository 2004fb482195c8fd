import { DAY_MS, HOUR_MS } from "@burnrate/slo-core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, type CreateSloInput, type PatchSloInput } from "../client";
import { keys } from "../query-keys";
import { LIVE_REFRESH_MS, SERIES_REFRESH_MS } from "../refresh-intervals";

export const useSlo = (id: string) =>
  useQuery({ queryKey: keys.slo(id), queryFn: () => client.slos.get(id) });

export const useStatus = (id: string, region: string | null) =>
  useQuery({
    queryKey: keys.status(id, region),
    queryFn: () => client.slos.status(id, region),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Chart ranges offered on the SLO page; "period" is the SLO's current period (from its first data). */
export const RANGES: Record<string, number | null> = {
  "6h": 6 * HOUR_MS,
  "1d": DAY_MS,
  "7d": 7 * DAY_MS,
  period: null,
  /** the current period and the two before it (needs the period's length) */
  "3p": null,
};

/**
 * The SLO's series over a range of RANGES up to now, or over a fixed `zoom` (a range dragged on a chart), which
 * then takes the range's place.
 */
export const useSeries = (
  id: string,
  region: string | null,
  range: string,
  periodMs?: number,
  zoom?: { from: number; to: number } | null,
) =>
  useQuery({
    queryKey: keys.series(id, region, zoom ? `${zoom.from}-${zoom.to}` : range),
    queryFn: () => {
      if (zoom) return client.slos.series(id, { region, from: zoom.from, to: zoom.to });
      const spanMs = range === "3p" ? 3 * (periodMs ?? 0) : (RANGES[range] ?? null);
      return client.slos.series(id, { region, ...(spanMs ? { from: Date.now() - spanMs } : {}) });
    },
    enabled: Boolean(zoom) || range !== "3p" || (periodMs ?? 0) > 0,
    refetchInterval: SERIES_REFRESH_MS,
    // while a new range loads, the charts keep the last one of the same SLO and region (not another's)
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === id && prevQuery.queryKey[2] === region ? prev : undefined,
  });

export const useSloVersions = (id: string) =>
  useQuery({ queryKey: keys.versions(id), queryFn: () => client.slos.versions(id) });

/** Explicit and default SLOs of one service. */
export const useServiceSlos = (slug: string) =>
  useQuery({
    queryKey: keys.serviceSlos(slug),
    queryFn: () => client.slos.list({ service: slug, includeDefaults: true, limit: 1000 }),
    enabled: slug !== "",
  });

/** The editor's live preview of a proposed SLO (null: the fields it needs are not valid yet). */
export const useSloPreview = (proposal: Parameters<typeof client.slos.preview>[0] | null) =>
  useQuery({
    queryKey: keys.preview(proposal),
    queryFn: () => client.slos.preview(proposal!),
    enabled: proposal !== null,
    placeholderData: (prev) => prev,
    retry: false,
  });

/**
 * Creates an SLO, or changes the one with `existingId`; then every view that shows it refreshes. The body was
 * checked by the editor with the contract's schema of that mode (create or edit).
 */
export function useSaveSlo(existingId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSloInput | PatchSloInput) =>
      existingId
        ? client.slos.patch(existingId, body as PatchSloInput)
        : client.slos.create(body as CreateSloInput),
    onSuccess: async (saved) => {
      const id = saved.id;
      for (const queryKey of [
        keys.overviews,
        keys.slos,
        keys.slo(id),
        keys.versions(id),
        keys.statusOf(id),
        keys.seriesOf(id),
      ])
        await qc.invalidateQueries({ queryKey });
    },
  });
}
