import { SlaResponse, SlaStatusResponse } from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { qs } from "../query-string";
import { request } from "../request";

const seg = encodeURIComponent;

/** SLAs: the list (optionally those covering one service), one SLA, and its status per period. */
export const slaClient = {
  list: (f: { service?: string; team?: string } = {}) =>
    request(z.array(SlaResponse), `/api/v1/slas${qs(f)}`),
  get: (id: string) => request(SlaResponse, `/api/v1/slas/${seg(id)}`),
  status: (id: string, periods: number) =>
    request(SlaStatusResponse, `/api/v1/slas/${seg(id)}/status${qs({ periods })}`),
  create: (body: unknown) => request(SlaResponse, "/api/v1/slas", { method: "POST", json: body }),
  patch: (id: string, body: unknown) =>
    request(SlaResponse, `/api/v1/slas/${seg(id)}`, { method: "PATCH", json: body }),
  remove: (id: string) => request(SlaResponse, `/api/v1/slas/${seg(id)}`, { method: "DELETE" }),
};

export const slaKeys = {
  all: ["slas"] as const,
  list: (f: { service?: string; team?: string }) => ["slas", "list", f] as const,
  one: (id: string) => ["slas", "one", id] as const,
  status: (id: string, periods: number) => ["slas", "status", id, periods] as const,
};

export const useSlas = (f: { service?: string; team?: string } = {}, enabled = true) =>
  useQuery({ queryKey: slaKeys.list(f), queryFn: () => slaClient.list(f), enabled });

export const useSla = (id: string) =>
  useQuery({ queryKey: slaKeys.one(id), queryFn: () => slaClient.get(id) });

export const useSlaStatus = (id: string, periods: number) =>
  useQuery({
    queryKey: slaKeys.status(id, periods),
    queryFn: () => slaClient.status(id, periods),
    placeholderData: (prev) => prev,
  });

/** Creates, changes or deletes an SLA; every SLA list, page and status is refreshed after. */
export function useSlaWrites() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: slaKeys.all });
  return {
    create: useMutation({ mutationFn: slaClient.create, onSuccess: refresh }),
    patch: useMutation({
      mutationFn: (a: { id: string; body: unknown }) => slaClient.patch(a.id, a.body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: slaClient.remove, onSuccess: refresh }),
  };
}
