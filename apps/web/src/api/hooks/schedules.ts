import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client, type CreateOverrideInput, type CreateScheduleInput } from "../client";
import { keys } from "../query-keys";
import { LIVE_REFRESH_MS } from "../refresh-intervals";

export const useSchedules = () => useQuery({ queryKey: keys.schedules, queryFn: client.schedules.list });

/** Who holds each position now; refreshed like the live pages, so a hand-off shows without a reload. */
export const useOncallNow = (id: string) =>
  useQuery({
    queryKey: keys.oncall(id),
    queryFn: () => client.schedules.oncall(id),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Shifts of the current period and the next three. */
export const useShifts = (id: string) =>
  useQuery({ queryKey: keys.shifts(id), queryFn: () => client.schedules.shifts(id) });

/** Overrides that have not ended yet, oldest first. */
export const useOverrides = (id: string) =>
  useQuery({ queryKey: keys.overrides(id), queryFn: () => client.schedules.overrides(id) });

/** Creates a schedule; every schedule query refreshes. */
export function useCreateSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScheduleInput) => client.schedules.create(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.schedules }),
  });
}

/** Adds an override; who is on call and the timeline refresh. */
export function useAddOverride() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CreateOverrideInput }) =>
      client.schedules.addOverride(id, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.schedules }),
  });
}

/** A new personal calendar feed (the previous one stops working); its URL is in this answer only. */
export const useMyFeed = () => useMutation({ mutationFn: client.schedules.myFeed });
