import { useQuery } from "@tanstack/react-query";
import { client } from "../client";
import { keys } from "../query-keys";

/** Deployments shown on a service page. */
const RECENT_DEPLOYMENTS = 20;

export const useService = (slug: string) =>
  useQuery({ queryKey: keys.service(slug), queryFn: () => client.services.get(slug), enabled: slug !== "" });

export const useDeployments = (service: string) =>
  useQuery({
    queryKey: keys.deployments(service),
    queryFn: () => client.services.deployments(service, RECENT_DEPLOYMENTS),
    enabled: service !== "",
  });
