import type { Db } from "../client";

/** A transaction client (what `db.$transaction(async (tx) => …)` hands over). */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** An instant as the ISO text that `$n::timestamptz` parameters take. */
export const iso = (ms: number): string => new Date(ms).toISOString();
