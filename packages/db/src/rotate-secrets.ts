import { sqlRows, sqlTransaction, type Db } from "./client";
import { isSealed, SecretKeyError, type SecretBox } from "./secret-box";

/**
 * Every column that stores a secret sealed with BURNRATE_SECRET_KEY (a uuid primary key `id` each). A new
 * sealed column is added here, and rotation covers it.
 */
export const SEALED_COLUMNS = [
  { table: "receivers", column: "secret" },
  { table: "slos", column: "source_secret" },
] as const;

export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** A stored secret that no configured key opens: named by its table and row, never by its value. */
export interface UnreadableSecret {
  table: string;
  id: string;
  /** Why it does not open (the key id it was sealed with, or that it was altered). */
  reason: string;
}

export interface RotationCounts {
  /** Sealed with a previous key (or in the format without a key id), now sealed with the current key. */
  resealed: number;
  /** Stored in plain text (before a key was set), now sealed with the current key. */
  sealedPlain: number;
  /** Already sealed with the current key: left as they are. */
  alreadyCurrent: number;
  /** Opened by no configured key: left as they are. */
  unreadable: UnreadableSecret[];
}

export interface RotationProgress extends RotationCounts {
  table: string;
  /** Batches finished so far, over all tables. */
  batches: number;
  /** Rows of this batch. */
  rows: number;
}

/** Rows read and re-sealed per batch unless told otherwise. */
export const DEFAULT_ROTATION_BATCH = 500;
/** A row rewritten by someone else between our read and our write is read again, this many times at most. */
const MAX_ROW_RETRIES = 3;

/**
 * Re-seals every stored secret under the box's current key, table by table, in batches of rows in id order.
 * Each row is rewritten in a transaction of its own and only while it still holds the value read, so an edit
 * made meanwhile is never overwritten. Idempotent: a row already sealed with the current key is left as it is,
 * so a run stopped anywhere (a crash between batches, a kill) is resumed by running it again, which counts the
 * rows done before as already current. `dryRun` counts without writing.
 *
 * Durability: a row's commit does not wait for the disk (an fsync per row would make rotation ten times
 * slower); the end of each batch does, so a finished batch (and a finished run) is on disk before it is
 * reported. A database crash within a batch can only lose re-seals of that batch: those rows keep their old
 * seal, still readable with the previous key, and the next run re-seals them.
 * `onBatch` hears about each finished batch; an error it throws stops the run there.
 */
export async function rotateSecrets(
  db: Db,
  box: SecretBox,
  opts: {
    batchSize?: number;
    dryRun?: boolean;
    onBatch?: (p: RotationProgress) => void | Promise<void>;
  } = {},
): Promise<RotationCounts> {
  if (!box.encrypting)
    throw new SecretKeyError("BURNRATE_SECRET_KEY is not set: there is no key to seal the secrets with");
  const batchSize = opts.batchSize ?? DEFAULT_ROTATION_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError("batchSize must be a whole number of at least 1");
  const counts: RotationCounts = { resealed: 0, sealedPlain: 0, alreadyCurrent: 0, unreadable: [] };
  let batches = 0;
  for (const col of SEALED_COLUMNS) {
    const { table, column } = col;
    let after: string | null = null;
    for (;;) {
      const rows: { id: string; value: string }[] = await sqlRows(
        db,
        `SELECT id::text AS id, "${column}" AS value FROM "${table}"
          WHERE "${column}" IS NOT NULL AND ($1::uuid IS NULL OR id > $1::uuid)
          ORDER BY id LIMIT $2`,
        [after, batchSize],
      );
      if (rows.length === 0) break;
      for (const row of rows) await rotateRow(db, box, col, row, counts, opts.dryRun ?? false);
      if (!opts.dryRun) await flushCommits(db);
      after = rows[rows.length - 1]!.id;
      batches++;
      await opts.onBatch?.({
        ...counts,
        unreadable: [...counts.unreadable],
        table,
        batches,
        rows: rows.length,
      });
      if (rows.length < batchSize) break;
    }
  }
  return counts;
}

async function rotateRow(
  db: Db,
  box: SecretBox,
  { table, column }: SealedColumn,
  first: { id: string; value: string },
  counts: RotationCounts,
  dryRun: boolean,
): Promise<void> {
  let row: { id: string; value: string } | undefined = first;
  for (let attempt = 0; row && attempt <= MAX_ROW_RETRIES; attempt++) {
    if (box.isCurrent(row.value)) {
      counts.alreadyCurrent++;
      return;
    }
    let plain: string;
    try {
      plain = box.open(row.value);
    } catch (e) {
      if (!(e instanceof SecretKeyError)) throw e;
      counts.unreadable.push({ table, id: row.id, reason: e.message });
      return;
    }
    const wasSealed = isSealed(row.value);
    if (!dryRun) {
      // One statement, so its own transaction; set_config(…, true) lasts to its commit, which then does not
      // wait for the disk (flushCommits does, once per batch).
      const written = await sqlRows(
        db,
        `UPDATE "${table}" SET "${column}" = $1
          WHERE id = $2::uuid AND "${column}" = $3 AND set_config('synchronous_commit', 'off', true) = 'off'
          RETURNING id`,
        [box.seal(plain), row.id, row.value],
      );
      if (written.length === 0) {
        // Changed (or deleted) since it was read: read it again and decide on what it holds now.
        const now: { id: string; value: string | null }[] = await sqlRows(
          db,
          `SELECT id::text AS id, "${column}" AS value FROM "${table}" WHERE id = $1::uuid`,
          [row.id],
        );
        const v = now[0]?.value;
        row = v == null ? undefined : { id: row.id, value: v };
        continue;
      }
    }
    if (wasSealed) counts.resealed++;
    else counts.sealedPlain++;
    return;
  }
  if (row) throw new Error(`${table} ${row.id} kept changing while it was re-sealed; run the rotation again`);
}

/**
 * Waits until every commit made so far is on disk: a transaction with an id commits synchronously, and its
 * commit record is flushed with all the write-ahead log before it (the rows' commits included).
 */
async function flushCommits(db: Db): Promise<void> {
  await sqlTransaction(db, async (q) => {
    await q("SET LOCAL synchronous_commit = on");
    await q("SELECT txid_current()");
  });
}

/**
 * How many stored secrets are sealed with a key other than the box's current one: what a rotation still has
 * to re-seal (or cannot open). 0 means the previous keys can be dropped. Plain-text secrets are not counted.
 */
export async function countSecretsToRotate(db: Db, box: SecretBox): Promise<number> {
  if (!box.keyId) return 0;
  let n = 0;
  for (const { table, column } of SEALED_COLUMNS) {
    const [row] = await sqlRows<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM "${table}"
        WHERE ("${column}" LIKE 'enc:v1:%' OR "${column}" LIKE 'enc:v2:%') AND "${column}" NOT LIKE $1`,
      [`enc:v2:${box.keyId}:%`],
    );
    n += row?.n ?? 0;
  }
  return n;
}
