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

/** One alert with its timeline. */
export const useAlert = (id: string | null) =>
  useQuery({
    queryKey: keys.alert(id ?? ""),
    queryFn: () => client.alerts.get(id!),
    enabled: id !== null,
    refetchInterval: LIVE_REFRESH_MS,
  });

/** The silences; a failed read is tried again like any other (a passing 503 must not read as "no silences"). */
export const useSilences = () => useQuery({ queryKey: keys.silences, queryFn: client.silences.list });

export type AlertAction = "ack" | "snooze";

/**
 * Acknowledges an alert, or snoozes it (for `minutes`, by default the Slack button's 2 h); every alert list and
 * timeline refreshes, and so do the status and charts of the alert's SLO.
 */
export function useAlertAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, minutes }: { id: string; action: AlertAction; minutes?: number }) =>
      action === "ack" ? client.alerts.ack(id) : client.alerts.snooze(id, minutes ?? DEFAULT_SNOOZE_MINUTES),
    onSuccess: (alert) => {
      // the answer is the alert with its timeline: shown at once, while the lists and charts refetch
      qc.setQueryData(keys.alert(alert.id), alert);
      for (const queryKey of [keys.alerts, keys.statusOf(alert.sloId), keys.seriesOf(alert.sloId)])
        void qc.invalidateQueries({ queryKey, refetchType: "active" });
    },
  });
}
