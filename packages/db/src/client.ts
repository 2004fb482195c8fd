import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/prisma/client";

const pools = new WeakMap<object, pg.Pool>();

/** Postgres's int4[] type. */
const INT4_ARRAY_OID = 1007;

/**
 * An int4[] in Postgres's text form as numbers. The SLI store's minute arrays (60 counts a row, hundreds of
 * thousands of rows for a report) are flat and unquoted, so one split does what pg-types' general array
 * parser does element by element; anything else (nested, empty) goes to that parser.
 */
export function parseInt4Array(text: string): (number | null)[] {
  if (text.length < 3 || text.indexOf("{", 1) !== -1) return defaultInt4Array(text) as (number | null)[];
  const parts = text.slice(1, -1).split(",");
  const out = new Array<number | null>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parts[i] === "NULL" ? null : Number(parts[i]);
  return out;
}
const builtinParser = pg.types.getTypeParser as (oid: number, format?: string) => (text: string) => unknown;
const defaultInt4Array = builtinParser(INT4_ARRAY_OID, "text");
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT4_ARRAY_OID && format !== "binary"
      ? parseInt4Array
      : builtinParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * One Prisma client over a pg pool. `poolSize` bounds connections per process; `idleTimeoutMs` is how long an
 * unused connection stays open (pg's default, 10 s, when unset; 0 = until closed).
 */
export function createDb(opts: { databaseUrl: string; poolSize?: number; idleTimeoutMs?: number }): Db {
  const pool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.poolSize ?? 10,
    types,
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMillis: opts.idleTimeoutMs } : {}),
  });
  // An idle connection that breaks (server restart, database dropped) is discarded by the pool and the next
  // query opens a new one; without a listener the pool's 'error' event would end the process.
  pool.on("error", () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * Plain SQL on the pg pool under `db`, without Prisma's per-query work (argument and result conversion through
 * its query engine): for the few statements on the ingest hot path. Parameters and results are pg's own (uuid
 * and text as strings, int4 as numbers, timestamptz as Date). A Db that createDb did not make (a wrapper, a
 * transaction client) goes through `$queryRawUnsafe`.
 */
export async function sqlRows<T extends Record<string, unknown>>(
  db: Db,
  sql: string | PreparedSql,
  params: unknown[] = [],
): Promise<T[]> {
  const pool = pools.get(db);
  if (pool)
    return (
      await (typeof sql === "string"
        ? pool.query<T>(sql, params)
        : pool.query<T>({ name: sql.name, text: sql.text, values: params }))
    ).rows;
  return db.$queryRawUnsafe<T[]>(typeof sql === "string" ? sql : sql.text, ...params);
}

/** `sqlRows` on `db`, as a SqlQuery (each statement on whichever pooled connection is free). */
export function poolQuery(db: Db): SqlQuery {
  return (sql, params) => sqlRows(db, sql, params);
}

/**
 * A statement that each connection parses and plans once and keeps (pg's named prepared statements): for a long
 * statement run often, whose parse and plan cost more than a small run of it (the history import's upserts, about
 * 0.6-0.9 ms each). `name` must be unique to `text` in the process.
 */
export interface PreparedSql {
  name: string;
  text: string;
}

/** Plain SQL on one connection (as `sqlRows`, bound to a transaction). */
export type SqlQuery = <T extends Record<string, unknown>>(
  sql: string | PreparedSql,
  params?: unknown[],
) => Promise<T[]>;

/**
 * `COPY … FROM STDIN` of `data` (the whole of the COPY's input, e.g. in its binary format) on one connection.
 * A row the table refuses fails the whole COPY with Postgres's error (a unique violation, a lock timeout).
 */
export type CopyIn = (sql: string, data: Buffer) => Promise<void>;

/** Sends `data` as the input of the COPY statement `sql` on `client`; resolves once Postgres has taken it all. */
function copyIn(client: pg.PoolClient, sql: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.once("error", reject);
    stream.once("finish", () => resolve());
    stream.end(data);
  });
}

/**
 * Runs `fn` in one transaction on one pooled connection, with plain SQL (the ingest hot path): everything it
 * writes commits together or not at all. A connection whose ROLLBACK fails is discarded, not reused. `copy`
 * is null on a client without its own pg pool (a transaction through Prisma): the caller then inserts.
 */
export async function sqlTransaction<T>(
  db: Db,
  fn: (q: SqlQuery, copy: CopyIn | null) => Promise<T>,
): Promise<T> {
  const pool = pools.get(db);
  if (!pool)
    return db.$transaction(
      (tx) =>
        fn(
          <R extends Record<string, unknown>>(sql: string | PreparedSql, params: unknown[] = []) =>
            tx.$queryRawUnsafe<R[]>(typeof sql === "string" ? sql : sql.text, ...params),
          null,
        ),
      { timeout: 30_000 },
    );
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const out = await fn(
      async <R extends Record<string, unknown>>(sql: string | PreparedSql, params: unknown[] = []) =>
        (
          await (typeof sql === "string"
            ? client.query<R>(sql, params)
            : client.query<R>({ name: sql.name, text: sql.text, values: params }))
        ).rows,
      (sql, data) => copyIn(client, sql, data),
    );
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch((e2: Error) => (broken = e2));
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `fn` in one transaction; everything it writes commits together or not at all. It may wait up to 10 s for
 * a connection and run up to 30 s (a row held by the evaluation of its SLO makes a write wait for it), not
 * Prisma's 2 s and 5 s, which a busy database exceeds.
 */
export function inTransaction<T>(
  db: Db,
  fn: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0]) => Promise<T>,
) {
  return db.$transaction(fn, { timeout: 30_000, maxWait: 10_000 });
}
