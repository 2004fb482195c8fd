import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/prisma/client";

/** One Prisma client over a pg pool. `poolSize` bounds connections per process. */
export function createDb(opts: { databaseUrl: string; poolSize?: number }): Db {
  const adapter = new PrismaPg({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

/** Runs `fn` in one transaction; everything it writes commits together or not at all. */
export function inTransaction<T>(
  db: Db,
  fn: (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0]) => Promise<T>,
) {
  return db.$transaction(fn, { timeout: 30_000 });
}
