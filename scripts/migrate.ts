/**
 * Migrations without Prisma's native schema engine (which cannot be downloaded everywhere):
 *   new <name>  diff(existing migrations -> prisma/schema.prisma) through Prisma's WASM schema engine,
 *               written as prisma/migrations/<timestamp>_<name>/migration.sql
 *   deploy      apply pending migrations (packages/db/src/migrate.ts), recorded in _prisma_migrations
 *   status      list applied and pending migrations
 * DATABASE_URL defaults to the local Postgres; `new` needs a server to build its shadow database.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { deployMigrations, ensureDatabase, listMigrations } from "../packages/db/src/migrate.ts";

const root = path.resolve(import.meta.dirname, "..");
const migrationsDir = path.join(root, "prisma/migrations");
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/burnrate";

async function createMigration(name: string): Promise<void> {
  // The WASM engine reads pg_catalog types "char"(18) and "name"(19), which the adapter cannot map: read them as text.
  const Result = (
    pg as unknown as { Result: { prototype: { addFields(f: { dataTypeID: number }[]): void } } }
  ).Result;
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fields) {
    for (const f of fields) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
    return addFields.call(this, fields);
  };
  const u = new URL(databaseUrl);
  const cfg = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  };
  // A shadow database of our own: the stock factory would reuse the main database.
  class MigratePg extends PrismaPg {
    override async connectToShadowDb() {
      const main = await new PrismaPg(cfg).connect();
      const database = `prisma_shadow_${randomUUID().replace(/-/g, "")}`;
      await main.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = (await new PrismaPg({ ...cfg, database }).connect()) as unknown as {
        dispose(): Promise<void>;
        executeScript(script: string): Promise<void>;
        underlyingDriver(): pg.Pool;
      };
      // The adapter splits scripts on ';', which breaks function bodies ($$ … ; … $$): send each migration
      // whole (the simple query protocol runs several statements), as `deploy` does.
      shadow.executeScript = async (script: string) => {
        await shadow.underlyingDriver().query(script);
      };
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await main.dispose();
      };
      return shadow as never;
    }
  }
  await ensureDatabase(databaseUrl);
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = (await import(bgPath)) as Record<string, unknown> & {
    __wbg_set_wasm(x: unknown): void;
    SchemaEngine: {
      new: (...a: unknown[]) => Promise<Record<string, (...a: unknown[]) => Promise<unknown>>>;
    };
  };
  const wasm = await fs.readFile(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    "./schema_engine_bg.js": bg as never,
  });
  bg.__wbg_set_wasm(inst.exports);
  (inst.exports as { __wbindgen_start(): void }).__wbindgen_start();
  const schemaPath = path.join(root, "prisma/schema.prisma");
  const files = [{ path: schemaPath, content: await fs.readFile(schemaPath, "utf8") }];
  await fs.mkdir(migrationsDir, { recursive: true });
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lock = await fs.readFile(lockPath, "utf8").catch(async () => {
    const c = 'provider = "postgresql"\n';
    await fs.writeFile(lockPath, c);
    return c;
  });
  const names = await listMigrations(migrationsDir);
  const migrationDirectories = await Promise.all(
    names.map(async (n) => ({
      path: n,
      migrationFile: {
        path: "migration.sql",
        content: await fs.readFile(path.join(migrationsDir, n, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok", value }),
          (e: unknown) => ({ tag: "error", value: String(e) }),
        ),
      },
    })),
  );
  const list = {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories,
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    (log: string) => process.env.DEBUG && console.error(log),
    bindMigrationAwareSqlAdapterFactory(new MigratePg(cfg) as never),
  );
  const filters = { externalTables: [], externalEnums: [] };
  const result = (await engine.diff!({
    from: { tag: "migrations", ...list },
    to: { tag: "schemaDatamodel", files },
    script: true,
    exitCode: null,
    filters,
  })) as { stdout?: string };
  const sql = result.stdout ?? "";
  if (!/^\s*(CREATE|ALTER|DROP)/m.test(sql)) {
    console.log("no changes");
    return;
  }
  const id = new Date().toISOString().replace(/\D/g, "").slice(0, 14) + "_" + name;
  await fs.mkdir(path.join(migrationsDir, id), { recursive: true });
  await fs.writeFile(path.join(migrationsDir, id, "migration.sql"), sql);
  console.log("created", path.relative(root, path.join(migrationsDir, id, "migration.sql")));
}

const [cmd, name = "migration"] = process.argv.slice(2);
if (cmd === "new") await createMigration(name.replace(/[^a-z0-9_]/gi, "_"));
else if (cmd === "deploy") {
  await ensureDatabase(databaseUrl);
  const applied = await deployMigrations({ databaseUrl, migrationsDir, log: console.log });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
} else if (cmd === "status") {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const rows = await c
    .query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    )
    .then((r) => r.rows.map((x) => x.migration_name))
    .catch(() => [] as string[]);
  await c.end();
  for (const n of await listMigrations(migrationsDir))
    console.log(rows.includes(n) ? "applied " : "pending ", n);
} else {
  console.error("usage: migrate.ts new <name> | deploy | status");
  process.exitCode = 2;
}
process.exit();
