import type { Db } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";

/** A claim's lease: far longer than a shard takes (seconds), short enough that a lost holder costs a cycle. */
export const DEFAULT_EVAL_LEASE_MS = 2 * MINUTE_MS;

/**
 * SQL condition: the SLO whose id is the expression `id` is in the shard whose first and last id are $1 and $2
 * (shardBounds): a range of the primary key, read by one index range scan. (It was a hash of the id modulo the
 * shards, which every shard job computed for every SLO: 100 shards of 100,000 SLO × region evaluated
 * 100 × 50,000 hashes a cycle.)
 */
const inShardSql = (id: string) => `${id} BETWEEN $1::uuid AND $2::uuid`;

/**
 * The first and last id of shard `shard` of `shards`: the id space cut into `shards` equal ranges by the ids'
 * first 32 bits. Ids are random (version 4 UUIDs, Prisma's and Postgres's default), so each range holds an
 * equal share of the SLOs give or take a few percent; every id is in exactly one shard.
 */
export function shardBounds(shard: number, shards: number): [string, string] {
  const at = (k: number) => Math.floor((k * 2 ** 32) / shards);
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const lo = at(shard);
  const hi = shard + 1 >= shards ? 2 ** 32 - 1 : at(shard + 1) - 1;
  return [`${hex(lo)}-0000-0000-0000-000000000000`, `${hex(hi)}-ffff-ffff-ffff-ffffffffffff`];
}

/**
 * The rows of `slos` that `where` selects, locked in id order (FOR NO KEY UPDATE) before a statement updates
 * them. An UPDATE alone locks its rows in the order it finds them; an SLI write (writeSli) holds its SLOs' rows
 * in id order for its whole transaction, so an update of several SLOs in another order could hold one of them
 * while waiting for the other, and the two deadlock (one is aborted). Taken in the same order, they take turns.
 * A row changed while it was waited for is checked against `where` again as it is now.
 */
const lockedInIdOrder = (where: string) =>
  `locked AS (SELECT id FROM slos WHERE ${where} ORDER BY id FOR NO KEY UPDATE)`;

/** Which SLOs a claim takes: not yet evaluated in the cycle, or claimed in it with a lapsed or own lease. */
const CLAIMABLE = `${inShardSql("id")}
     AND (last_evaluated_cycle IS NULL OR last_evaluated_cycle < $3::timestamptz
          OR (last_evaluated_cycle = $3::timestamptz AND eval_lease_until IS NOT NULL
              AND (eval_lease_until < now() OR eval_lease_holder = $4)))`;

/**
 * Claims the shard's SLOs for the cycle in one statement. A claim is a lease (holder, until): an SLO not yet
 * evaluated in this cycle is claimed; so is one claimed in this cycle whose evaluation never finished, when the
 * lease ran out (its holder died) or the holder is this same shard job (an earlier attempt, killed mid-shard).
 * A finished evaluation (lease cleared) is never claimed again in its cycle, so a duplicated or retried shard job
 * evaluates nothing twice. `evaluations` counts each SLO × cycle once, however often its claim changed hands.
 */
const CLAIM_SQL = `
  WITH ${lockedInIdOrder(CLAIMABLE)}
  UPDATE slos s SET
         evaluations = s.evaluations + CASE WHEN s.last_evaluated_cycle = $3::timestamptz THEN 0 ELSE 1 END,
         eval_prev_cycle = CASE WHEN s.last_evaluated_cycle = $3::timestamptz THEN s.eval_prev_cycle
                                ELSE s.last_evaluated_cycle END,
         last_evaluated_cycle = $3::timestamptz,
         eval_lease_holder = $4,
         eval_lease_until = now() + make_interval(secs => $5::float8 / 1000)
    FROM locked l
   WHERE s.id = l.id
  RETURNING s.id::text AS id`;
/** SLOs of `ids` still claimed by this holder in this cycle. */
const HELD = `id = ANY($1::uuid[]) AND last_evaluated_cycle = $2::timestamptz AND eval_lease_holder = $3`;
/** Gives claims back: the cycle is as if never started for these SLOs (a retry evaluates them). */
const RELEASE_SQL = `
  WITH ${lockedInIdOrder(HELD)}
  UPDATE slos s SET last_evaluated_cycle = s.eval_prev_cycle, evaluations = s.evaluations - 1,
         eval_prev_cycle = NULL, eval_lease_holder = NULL, eval_lease_until = NULL
    FROM locked l
   WHERE s.id = l.id`;
/** Ends the leases: the cycle's evaluation of these SLOs is final. */
const COMPLETE_SQL = `
  WITH ${lockedInIdOrder(HELD)}
  UPDATE slos s SET eval_lease_holder = NULL, eval_lease_until = NULL, eval_prev_cycle = NULL
    FROM locked l
   WHERE s.id = l.id`;

/** One shard job's claims: its shard, its cycle (ISO instant) and its holder name. */
export interface ShardClaim {
  shards: number;
  shard: number;
  cycle: string;
  holder: string;
}

/** Claims the shard's SLOs that are due in this cycle (see CLAIM_SQL); returns their ids. */
export async function claimShard(db: Db, c: ShardClaim, leaseMs: number): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    CLAIM_SQL,
    ...shardBounds(c.shard, c.shards),
    c.cycle,
    c.holder,
    leaseMs,
  );
  return rows.map((r) => r.id);
}

/** How many SLOs the shard holds, claimed or not. */
export async function countShard(db: Db, c: Pick<ShardClaim, "shards" | "shard">): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM slos WHERE ${inShardSql("id")}`,
    ...shardBounds(c.shard, c.shards),
  );
  return Number(row?.n ?? 0);
}

/** Gives claims back, so `evaluations` counts evaluations that happened and a retry evaluates them. */
export async function releaseClaims(db: Db, c: ShardClaim, ids: string[]): Promise<void> {
  await db.$executeRawUnsafe(RELEASE_SQL, ids, c.cycle, c.holder);
}

/** Ends the leases of evaluated SLOs: the cycle's evaluation of them is final. */
export async function completeClaims(db: Db, c: ShardClaim, ids: string[]): Promise<void> {
  await db.$executeRawUnsafe(COMPLETE_SQL, ids, c.cycle, c.holder);
}
