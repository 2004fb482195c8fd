import { ConflictError, type IngestResponse } from "@burnrate/contracts";
import { sqlRows, type Db, type SqlQuery } from "@burnrate/db";
import { printable } from "@burnrate/ingest";
import type { Actor } from "../../auth/actor";

/**
 * Keys of history import chunks (scope `history:…`) are kept this long, so an import can be resumed weeks
 * after a crash without counting a chunk twice.
 */
export const HISTORY_KEY_TTL_HOURS = 30 * 24;

/** A batch sent with an `Idempotency-Key`: its answer is stored with its rows, in the same transaction. */
export interface IdempotencyClaim {
  /** Whose key it is (`token:<id>` or `user:<id>`): keys of different callers never meet. */
  scope: string;
  key: string;
  /** sha256 of the body: the same key with another body is refused. */
  bodyHash: string;
  /** A key older than this is forgotten (and may be used again). */
  ttlHours: number;
  /** The answer as the route sends it (OTLP adds its own fields). */
  wrap: (res: IngestResponse) => unknown;
}

/** A concurrent request with the same Idempotency-Key stored its batch first: answer what it answered. */
export class IdempotentReplay extends Error {
  constructor(
    readonly statusCode: number,
    readonly response: unknown,
    readonly bodyHash: string,
  ) {
    super("replay of a stored ingest answer");
  }
}

/**
 * Takes the batch's Idempotency-Key (a key older than its TTL is taken over). When a committed batch already
 * holds it, throws IdempotentReplay with its answer; a concurrent batch holding it is waited for.
 */
export async function claimKey(q: SqlQuery, k: IdempotencyClaim): Promise<void> {
  const mine = await q(
    `INSERT INTO ingest_idempotency (scope, key, body_hash, created_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (scope, key) DO UPDATE
       SET body_hash = EXCLUDED.body_hash, status = NULL, response = NULL, created_at = EXCLUDED.created_at
       WHERE ingest_idempotency.created_at < now() - make_interval(hours => $4::int)
     RETURNING 1 AS ok`,
    [k.scope, k.key, k.bodyHash, k.ttlHours],
  );
  if (mine.length > 0) return;
  const [row] = await q<{ status: number | null; response: unknown; bodyHash: string }>(
    `SELECT status, response, body_hash AS "bodyHash" FROM ingest_idempotency WHERE scope = $1 AND key = $2`,
    [k.scope, k.key],
  );
  throw new IdempotentReplay(row?.status ?? 200, row?.response ?? null, row?.bodyHash ?? "");
}

/** Stores the batch's answer with its key, in the batch's transaction: a retry with the key replays it. */
export async function storeAnswer(q: SqlQuery, k: IdempotencyClaim, res: IngestResponse): Promise<void> {
  await q(`UPDATE ingest_idempotency SET status = 200, response = $3::jsonb WHERE scope = $1 AND key = $2`, [
    k.scope,
    k.key,
    jsonbText(k.wrap(res)),
  ]);
}

/**
 * JSON text that jsonb takes: every string made printable (jsonb refuses `\u0000` and unpaired surrogates).
 * Line errors are printable already (RequestBatch.refuse), so a replayed answer is the one first sent.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? printable(v) : v));
}

/** Whose keys these are: keys of different callers never meet. */
export function idempotencyScope(actor: Actor | null): string {
  if (!actor) return "anonymous";
  return `${actor.kind}:${actor.id}`;
}

/** The stored answer of a committed batch that used the key within its TTL, with its body's hash. */
export async function findStoredAnswer(
  db: Db,
  scope: string,
  key: string,
  ttlHours: number,
): Promise<{ response: unknown; bodyHash: string } | undefined> {
  const [row] = await sqlRows<{ response: unknown; bodyHash: string }>(
    db,
    `SELECT response, body_hash AS "bodyHash" FROM ingest_idempotency
      WHERE scope = $1 AND key = $2 AND response IS NOT NULL
        AND created_at >= now() - make_interval(hours => $3::int)`,
    [scope, key, ttlHours],
  );
  return row;
}

/** The stored answer, when the key was used with this same body; a key reused for another body is a 409. */
export function checkSameBody(stored: string, mine: string, key: string, response: unknown): unknown {
  if (stored !== mine)
    throw new ConflictError(
      `header 'Idempotency-Key': '${key}' was already used with a different body; use a new key for a new batch`,
      { field: "Idempotency-Key" },
    );
  return response;
}
