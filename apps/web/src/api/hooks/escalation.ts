import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  client,
  type CreateEscalationPolicyInput,
  type CreateReceiverInput,
  type NotificationRulesInput,
} from "../client";
import { keys } from "../query-keys";

export const useEscalationPolicies = () =>
  useQuery({ queryKey: keys.escalationPolicies, queryFn: client.escalation.list });

/** Creates a policy; the list refreshes. */
export function useCreateEscalationPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEscalationPolicyInput) => client.escalation.create(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.escalationPolicies }),
  });
}

/** Deletes a policy; the list refreshes. */
export function useDeleteEscalationPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.escalation.remove(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.escalationPolicies }),
  });
}

/** The signed-in person's notification rules. */
export const useMyRules = () => useQuery({ queryKey: keys.myRules, queryFn: client.escalation.myRules });

export function useSaveMyRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationRulesInput) => client.escalation.putMyRules(body),
    onSuccess: (data) => qc.setQueryData(keys.myRules, data),
  });
}

export const useReceivers = () => useQuery({ queryKey: keys.receivers, queryFn: client.receivers.list });

/** A receiver's recent deliveries, newest first (refreshed every 10 s while shown). */
export const useReceiverDeliveries = (id: string) =>
  useQuery({
    queryKey: keys.receiverDeliveries(id),
    queryFn: () => client.receivers.deliveries(id),
    refetchInterval: 10_000,
  });

/** Creates a receiver (a webhook's signing secret is in this answer only); the list refreshes. */
export function useCreateReceiver() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateReceiverInput) => client.receivers.create(body),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.receivers }),
  });
}

/** Deletes a receiver; the list refreshes. */
export function useDeleteReceiver() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.receivers.remove(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.receivers }),
  });
}
