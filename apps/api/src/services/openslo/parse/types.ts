/** What parsing an OpenSLO file yields: the Burnrate objects it describes, and its problems. */
import type { CreateSloBody } from "@burnrate/contracts";

/** One problem, with the document (1-based index, kind, name) and the field path it is about. */
export interface ImportIssue {
  document: number;
  kind: string;
  name: string;
  field: string;
  message: string;
}
export interface DocRef {
  document: number;
  kind: string;
  name: string;
}
export interface DesiredService {
  slug: string;
  name: string;
  team: string | null;
  description: string | null;
  runbookUrl: string | null;
  tier: number | null;
  failureStatuses: number[];
  source: DocRef;
}
export interface DesiredSlo {
  service: string;
  input: CreateSloBody;
  source: DocRef;
}
export interface SlackBinding {
  channel: string;
  /** The team named by the target's annotation, or the service whose SLO alerts through the target. */
  team?: string;
  service?: string;
  source: DocRef;
}
export interface ParsedOpenSlo {
  services: DesiredService[];
  slos: DesiredSlo[];
  slack: SlackBinding[];
  warnings: string[];
  errors: ImportIssue[];
  documents: number;
}
