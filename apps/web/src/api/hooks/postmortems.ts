import {
  ActionItemResponse,
  PostmortemResponse,
  StakeholderGroupResponse,
  StakeholderRingResponse,
  TeamOverdueResponse,
  type CreateStakeholderGroupBody,
  type CreateActionItemBody,
  type CreateStakeholderRingBody,
  type PatchActionItemBody,
  type PatchPostmortemBody,
  type PatchStakeholderRingBody,
} from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { isNotFound } from "../api-error";
import { keys } from "../query-keys";
import { request } from "../request";

const base = (incidentId: string) => `/api/v1/incidents/${encodeURIComponent(incidentId)}/postmortem`;

/** The incident's postmortem; null when it has none yet. */
export const usePostmortem = (incidentId: string) =>
  useQuery({
    queryKey: keys.postmortem(incidentId),
    queryFn: async () => {
      try {
        return await request(PostmortemResponse, base(incidentId));
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
  });

/** Writes the incident's postmortem (or finds the one it has). */
export function useCreatePostmortem(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request(PostmortemResponse, base(incidentId), { method: "POST" }),
    onSuccess: (pm) => qc.setQueryData(keys.postmortem(incidentId), pm),
  });
}

export function usePatchPostmortem(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof PatchPostmortemBody>) =>
      request(PostmortemResponse, base(incidentId), { method: "PATCH", json: body }),
    onSuccess: (pm) => qc.setQueryData(keys.postmortem(incidentId), pm),
  });
}

export function useAddActionItem(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof CreateActionItemBody>) =>
      request(ActionItemResponse, `${base(incidentId)}/action-items`, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.postmortem(incidentId) }),
  });
}

export function usePatchActionItem(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof PatchActionItemBody> }) =>
      request(ActionItemResponse, `${base(incidentId)}/action-items/${encodeURIComponent(id)}`, {
        method: "PATCH",
        json: body,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.postmortem(incidentId) }),
  });
}

/** Overdue postmortems and action items of a team's incidents. */
export const useTeamOverdue = (slug: string) =>
  useQuery({
    queryKey: keys.teamOverdue(slug),
    queryFn: () => request(TeamOverdueResponse, `/api/v1/teams/${encodeURIComponent(slug)}/overdue`),
    enabled: slug !== "",
  });

export function useCreateRing() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof CreateStakeholderRingBody>) =>
      request(StakeholderRingResponse, "/api/v1/stakeholder-rings", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.stakeholderRings }),
  });
}

export function usePatchRing() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: z.input<typeof PatchStakeholderRingBody> }) =>
      request(StakeholderRingResponse, `/api/v1/stakeholder-rings/${encodeURIComponent(id)}`, {
        method: "PATCH",
        json: body,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.stakeholderRings }),
  });
}

/** The groups of the targeting matrix, by ring then name. */
export const useStakeholderGroups = () =>
  useQuery({
    queryKey: keys.stakeholderGroups,
    queryFn: () => request(z.array(StakeholderGroupResponse), "/api/v1/stakeholder-groups"),
  });

export function useCreateStakeholderGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof CreateStakeholderGroupBody>) =>
      request(StakeholderGroupResponse, "/api/v1/stakeholder-groups", { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.stakeholderGroups }),
  });
}

export function useDeleteStakeholderGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      request(z.null(), `/api/v1/stakeholder-groups/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.stakeholderGroups }),
  });
}
