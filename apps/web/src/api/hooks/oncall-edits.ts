import {
  EscalationPolicyResponse,
  SwapResponse,
  UserGroupResponse,
  type CreateSwapBody,
  type PatchEscalationPolicyBody,
} from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { keys } from "../query-keys";
import { request } from "../request";

export type PatchEscalationPolicyInput = z.input<typeof PatchEscalationPolicyBody>;
export type CreateSwapInput = z.input<typeof CreateSwapBody>;

const seg = encodeURIComponent;

/** Editing a policy, user groups as step targets, and shift swaps. */
export const oncallEdits = {
  patchPolicy: (id: string, body: PatchEscalationPolicyInput) =>
    request(EscalationPolicyResponse, `/api/v1/escalation-policies/${seg(id)}`, {
      method: "PATCH",
      json: body,
    }),
  userGroups: () => request(z.array(UserGroupResponse), "/api/v1/user-groups"),
  swaps: (scheduleId: string) => request(z.array(SwapResponse), `/api/v1/schedules/${seg(scheduleId)}/swaps`),
  requestSwap: (scheduleId: string, body: CreateSwapInput) =>
    request(SwapResponse, `/api/v1/schedules/${seg(scheduleId)}/swaps`, { method: "POST", json: body }),
  /** `acceptor`: who takes the shifts; default the signed-in person. */
  acceptSwap: (scheduleId: string, swapId: string, acceptor?: string) =>
    request(SwapResponse, `/api/v1/schedules/${seg(scheduleId)}/swaps/${seg(swapId)}/accept`, {
      method: "POST",
      json: acceptor ? { acceptor } : {},
    }),
  /** The colleague a swap asks by name says no (`decliner`: default the signed-in person). */
  declineSwap: (scheduleId: string, swapId: string, decliner?: string) =>
    request(SwapResponse, `/api/v1/schedules/${seg(scheduleId)}/swaps/${seg(swapId)}/decline`, {
      method: "POST",
      json: decliner ? { decliner } : {},
    }),
};

export const oncallEditKeys = {
  userGroups: ["user-groups"] as const,
  // under keys.schedules, so that anything refreshing the schedules refreshes these too
  swaps: (scheduleId: string) => [...keys.schedules, "swaps", scheduleId] as const,
};

/** Saves changes to a policy; the list refreshes. */
export function usePatchEscalationPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PatchEscalationPolicyInput }) =>
      oncallEdits.patchPolicy(id, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.escalationPolicies }),
  });
}

/** The user groups a step can notify. */
export const useUserGroups = () =>
  useQuery({ queryKey: oncallEditKeys.userGroups, queryFn: oncallEdits.userGroups });

/** A schedule's swaps that have not ended: open requests and accepted ones. */
export const useSwaps = (scheduleId: string) =>
  useQuery({ queryKey: oncallEditKeys.swaps(scheduleId), queryFn: () => oncallEdits.swaps(scheduleId) });

/** Asks for someone to take the signed-in person's shifts over a span; the schedule's queries refresh. */
export function useRequestSwap() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ scheduleId, body }: { scheduleId: string; body: CreateSwapInput }) =>
      oncallEdits.requestSwap(scheduleId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.schedules }),
  });
}

/** Takes an open swap; the timeline and who is on call refresh. */
export function useAcceptSwap() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      scheduleId,
      swapId,
      acceptor,
    }: {
      scheduleId: string;
      swapId: string;
      acceptor?: string;
    }) => oncallEdits.acceptSwap(scheduleId, swapId, acceptor),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.schedules }),
  });
}

/** Declines a swap that asks this person by name; the list refreshes. */
export function useDeclineSwap() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      scheduleId,
      swapId,
      decliner,
    }: {
      scheduleId: string;
      swapId: string;
      decliner?: string;
    }) => oncallEdits.declineSwap(scheduleId, swapId, decliner),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.schedules }),
  });
}
