import { DEFAULT_SNOOZE_MINUTES } from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client } from "../client";
import { keys } from "../query-keys";
import { LIVE_REFRESH_MS } from "../refresh-intervals";

/** Alerts in one state ("open": firing and acknowledged; "resolved"), newest first. */
export const useAlertList = (state: string) =>
  useQuery({
    queryKey: keys.alertList(state),
    queryFn: () => client.alerts.list({ state, limit: 200 }),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Every alert of one SLO. */
export const useSloAlerts = (sloId: string) =>
  useQuery({ queryKey: keys.sloAlerts(sloId), queryFn: () => client.alerts.list({ sloId }) });

export const useSilences = () =>
  useQuery({ queryKey: keys.silences, queryFn: client.silences.list, retry: false });

export type AlertAction = "ack" | "snooze";

/** Acknowledges an alert, or snoozes it for the default time; every alert list refreshes. */
export function useAlertAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: AlertAction }) =>
      action === "ack" ? client.alerts.ack(id) : client.alerts.snooze(id, DEFAULT_SNOOZE_MINUTES),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.alerts }),
  });
}
