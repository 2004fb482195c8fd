/** One OpenSLO document once its envelope (apiVersion, kind, metadata.name, spec) has been checked. */
import type { Ctx } from "./issues";
import type { DocRef, ParsedOpenSlo } from "./types";

export type Obj = Record<string, unknown>;
export interface Doc {
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  metadata: Obj;
  spec: Obj;
}

/** What the readers of one file share: the result being built, and the file's documents by kind and name. */
export interface ParseScope {
  out: ParsedOpenSlo;
  get: (kind: string, name: unknown) => Doc | undefined;
}

/**
 * A document, or a part written inline in another one (an indicator, a policy, a condition), with where its
 * problems go and the prefix of its field paths.
 */
export interface Part {
  metadata: Obj;
  spec: Obj;
  c: Ctx;
  prefix: string;
}

export const KINDS = [
  "DataSource",
  "SLO",
  "SLI",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
  "Service",
];
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function ref(d: Doc): DocRef {
  return { document: d.index, kind: d.kind, name: d.name };
}
