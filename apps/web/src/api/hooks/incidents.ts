import {
  IncidentResponse,
  StakeholderNotificationResponse,
  StakeholderRingResponse,
  type CreateIncidentBody,
  type IncidentUpdateBody,
  type SendStakeholderNotificationBody,
} from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { keys } from "../query-keys";
import { qs } from "../query-string";
import { LIVE_REFRESH_MS } from "../refresh-intervals";
import { request } from "../request";

export type CreateIncidentInput = z.input<typeof CreateIncidentBody>;
export type IncidentUpdateInput = z.input<typeof IncidentUpdateBody>;

const incidents = {
  list: (state: string) =>
    request(z.array(IncidentResponse), `/api/v1/incidents${qs({ state, limit: 200 })}`),
  get: (id: string) => request(IncidentResponse, `/api/v1/incidents/${encodeURIComponent(id)}`),
  create: (body: CreateIncidentInput) =>
    request(IncidentResponse, "/api/v1/incidents", { method: "POST", json: body }),
  update: (id: string, body: IncidentUpdateInput) =>
    request(IncidentResponse, `/api/v1/incidents/${encodeURIComponent(id)}/updates`, {
      method: "POST",
      json: body,
    }),
};

/** Incidents in one state ("open": not resolved; "resolved"; "all"), the open ones first. */
export const useIncidentList = (state: string) =>
  useQuery({
    queryKey: keys.incidentList(state),
    queryFn: () => incidents.list(state === "all" ? "" : state),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** One incident with its timeline. */
export const useIncident = (id: string) =>
  useQuery({
    queryKey: keys.incident(id),
    queryFn: () => incidents.get(id),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Opens an incident; the lists refresh and the new one is cached with its timeline. */
export function useCreateIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: incidents.create,
    onSuccess: (i) => {
      qc.setQueryData(keys.incident(i.id), i);
      return qc.invalidateQueries({ queryKey: keys.incidents });
    },
  });
}

/** Posts an update (message, state, priority); the answer is the incident with its timeline, shown at once. */
export function useIncidentUpdate(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: IncidentUpdateInput) => incidents.update(id, body),
    onSuccess: (i) => {
      qc.setQueryData(keys.incident(i.id), i);
      return qc.invalidateQueries({ queryKey: keys.incidents, refetchType: "active" });
    },
  });
}

export type SendNotificationInput = z.input<typeof SendStakeholderNotificationBody>;

/** The stakeholder rings, in order. */
export const useStakeholderRings = () =>
  useQuery({
    queryKey: keys.stakeholderRings,
    queryFn: () => request(z.array(StakeholderRingResponse), "/api/v1/stakeholder-rings"),
  });

/** The bracket messages of an incident, oldest first. */
export const useIncidentNotifications = (id: string) =>
  useQuery({
    queryKey: keys.incidentNotifications(id),
    queryFn: () =>
      request(
        z.array(StakeholderNotificationResponse),
        `/api/v1/incidents/${encodeURIComponent(id)}/notifications`,
      ),
    refetchInterval: LIVE_REFRESH_MS,
  });

/** Sends one message of the bracket to a ring. */
export function useSendNotification(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SendNotificationInput) =>
      request(StakeholderNotificationResponse, `/api/v1/incidents/${encodeURIComponent(id)}/notifications`, {
        method: "POST",
        json: body,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.incidentNotifications(id) }),
  });
}
