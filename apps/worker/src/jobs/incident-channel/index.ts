export {
  createIncidentChannelJob,
  createIncidentChannelSweepJob,
  syncIncidentChannel,
  ORG_SCOPE,
  type ChannelDeps,
} from "./channel-sync";
