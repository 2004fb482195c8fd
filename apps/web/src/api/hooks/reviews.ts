import {
  CultureAnswer,
  CultureResponse,
  SloReviewResponse,
  SloReviewsResponse,
  TeamReviewsResponse,
  type CreateSloReviewBody,
  type PutCultureBody,
} from "@burnrate/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { keys } from "../query-keys";
import { request } from "../request";

/** SLO reviews, and the team's culture self-assessment. */

/** An SLO's reviews and when its next review is due. */
export const useSloReviews = (id: string) =>
  useQuery({
    queryKey: keys.sloReviews(id),
    queryFn: () => request(SloReviewsResponse, `/api/v1/slos/${encodeURIComponent(id)}/reviews`),
    enabled: id !== "",
  });

/** A team's SLOs whose review is overdue or due in the next four weeks. */
export const useTeamReviews = (slug: string) =>
  useQuery({
    queryKey: keys.teamReviews(slug),
    queryFn: () => request(TeamReviewsResponse, `/api/v1/teams/${encodeURIComponent(slug)}/slo-reviews`),
    enabled: slug !== "",
  });

/** Records a review; a tighten or loosen changes the SLO (a new version), so the SLO is read again. */
export function useCreateSloReview(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSloReviewBody) =>
      request(SloReviewResponse, `/api/v1/slos/${encodeURIComponent(id)}/reviews`, {
        method: "POST",
        json: body,
      }),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.reviews }),
        qc.invalidateQueries({ queryKey: keys.slo(id) }),
        qc.invalidateQueries({ queryKey: keys.versions(id) }),
        qc.invalidateQueries({ queryKey: keys.statusOf(id) }),
      ]);
    },
  });
}

/** The team's culture self-assessments, one per quarter. */
export const useTeamCulture = (slug: string) =>
  useQuery({
    queryKey: keys.teamCulture(slug),
    queryFn: () => request(CultureResponse, `/api/v1/teams/${encodeURIComponent(slug)}/culture`),
    enabled: slug !== "",
  });

/** Records the team's answers for a quarter; the adoption board's trend is read again. */
export function usePutCulture(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ quarter, body }: { quarter: string; body: PutCultureBody }) =>
      request(
        CultureAnswer,
        `/api/v1/teams/${encodeURIComponent(slug)}/culture/${encodeURIComponent(quarter)}`,
        { method: "PUT", json: body },
      ),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: keys.teamCulture(slug) }),
        qc.invalidateQueries({ queryKey: keys.adoption }),
      ]);
    },
  });
}
