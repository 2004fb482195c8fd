import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { client } from "../client";
import { keys } from "../query-keys";

/** Who is signed in; a 401 means nobody (the shell then opens the sign-in page). */
export const useMe = () => useQuery({ queryKey: keys.me, queryFn: client.auth.me, retry: false });

/** How one may sign in here: passwords and/or the configured single sign-on provider. */
export const useAuthProviders = () =>
  useQuery({ queryKey: keys.authProviders, queryFn: client.auth.providers, staleTime: Infinity });

/** Signs in; every cached answer is refreshed for the new session. */
export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: client.auth.login,
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** Signs out; nothing of the old session stays in the cache. */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: client.auth.logout,
    onSuccess: () => qc.clear(),
  });
}
