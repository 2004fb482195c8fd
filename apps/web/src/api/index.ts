// The web app's one way to the API: a typed client whose answers are parsed with the contracts, and the
// TanStack Query hooks built on it. Pages and components import from here, never fetch themselves.
export { ApiError, errorMessage, isNotFound, shouldRetry } from "./api-error";
export {
  client,
  type CreateEscalationPolicyInput,
  type NotificationRulesInput,
  type CreateOverrideInput,
  type CreateScheduleInput,
  type CreateSloInput,
  type Me,
  type PatchSloInput,
  type PutPolicyInput,
  type ReportFilters,
} from "./client";
export { keys } from "./query-keys";
export { qs } from "./query-string";
export { useAuthProviders, useMe, useSignIn, useSignOut } from "./hooks/auth";
export {
  RANGES,
  useSaveSlo,
  useSeries,
  useServiceSlos,
  useSlo,
  useSloPreview,
  useSloVersions,
  useStatus,
} from "./hooks/slos";
export {
  useAlert,
  useAlertAction,
  useAlertList,
  useSilences,
  useSloAlerts,
  type AlertAction,
} from "./hooks/alerts";
export {
  useAdoption,
  useIndicators,
  useOnCallIndicators,
  useOverview,
  usePeriods,
  useTtrTrend,
  useSupportTickets,
} from "./hooks/reports";
export {
  useCreateIncident,
  useIncident,
  useIncidentList,
  useIncidentNotifications,
  useIncidentUpdate,
  useSendNotification,
  useStakeholderRings,
  type CreateIncidentInput,
  type IncidentUpdateInput,
} from "./hooks/incidents";
export { useDeployments, useService, useTeam } from "./hooks/services";
export {
  useCreateToken,
  useIncidentChannels,
  useMembers,
  usePriorities,
  usePostmortemSettings,
  useSavePostmortemSettings,
  useNewsletter,
  useSaveIncidentChannels,
  useSavePriorities,
  useSaveSsoGroups,
  useSlackSettings,
  useSsoGroups,
  useSlackTest,
  useTeams,
  useTokens,
} from "./hooks/settings";
export {
  catalog,
  type CreateDeploymentInput,
  type CreateServiceInput,
  type CreateSilenceInput,
  type CreateTeamInput,
  type PolicyDryRunInput,
} from "./catalog";
export {
  useAddEndpoint,
  useCreateEvent,
  useCreateService,
  useCreateSilence,
  useCreateTeam,
  useEndSilence,
  usePatchRegion,
  usePatchService,
  usePatchTeam,
  usePolicyDryRun,
  usePutMember,
  useRegions,
  useRemoveEndpoint,
  useRemoveMember,
  useRevokeToken,
  useServices,
  useWrite,
} from "./hooks/catalog";
export { useEnactments, usePolicy, usePolicyWrites, useReleaseGate } from "./hooks/policy";
export {
  useAddOverride,
  useCreateSchedule,
  useMyFeed,
  useOncallNow,
  useOverrides,
  useSchedules,
  useShifts,
} from "./hooks/schedules";
export {
  useCreateEscalationPolicy,
  useCreateReceiver,
  useDeleteEscalationPolicy,
  useDeleteReceiver,
  useEscalationPolicies,
  useMyRules,
  useReceivers,
  useReceiverDeliveries,
  useSaveMyRules,
} from "./hooks/escalation";
export {
  useCreateSloReview,
  usePutCulture,
  useSloReviews,
  useTeamCulture,
  useTeamReviews,
} from "./hooks/reviews";
export { useSla, useSlaStatus, useSlaWrites, useSlas } from "./hooks/slas";
export {
  oncallEdits,
  useAcceptSwap,
  useDeclineSwap,
  usePatchEscalationPolicy,
  useRequestSwap,
  useSwaps,
  useUserGroups,
  type CreateSwapInput,
  type PatchEscalationPolicyInput,
} from "./hooks/oncall-edits";
export {
  useAddActionItem,
  useCreatePostmortem,
  useCreateRing,
  useCreateStakeholderGroup,
  useDeleteStakeholderGroup,
  useStakeholderGroups,
  usePatchActionItem,
  usePatchPostmortem,
  usePatchRing,
  usePostmortem,
  useTeamOverdue,
} from "./hooks/postmortems";
