import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { deployMigrations, ensureDatabase } from "./migrate";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * Creates a new database next to `baseUrl`, applies every migration to it, and returns its URL and a
 * function that drops it. Tests run against a freshly migrated database of their own.
 */
export async function createTestDatabase(baseUrl: string, prefix = "burnrate_test") {
  const url = new URL(baseUrl);
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await deployMigrations({ databaseUrl, migrationsDir: path.join(repoRoot, "prisma/migrations") });
  return {
    databaseUrl,
    async drop() {
      const admin = new URL(baseUrl);
      admin.pathname = "/postgres";
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
