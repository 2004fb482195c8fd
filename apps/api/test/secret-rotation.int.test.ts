import { spawn } from "node:child_process";
import path from "node:path";
import {
  countSecretsToRotate,
  createDb,
  createSecretBox,
  rotateSecrets,
  secretKeyId,
  parseSecretKey,
  type Db,
  type RotationProgress,
} from "@burnrate/db";
import { createTestDatabase } from "@burnrate/db/test-db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PG =
  process.env.BURNRATE_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const BIN = path.resolve(import.meta.dirname, "../../cli/bin/burnrate.mjs");

const KEY_A = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const KEY_B = Buffer.alloc(32, 0xb).toString("base64");
const KEY_C = Buffer.alloc(32, 0xc).toString("hex");
/** A key nobody configures: what it sealed stays unreadable. */
const KEY_Z = Buffer.alloc(32, 0x7a).toString("hex");
/** "routing-key-1" sealed with KEY_A before keys had ids (format v1). */
const LEGACY_A = "enc:v1:u92K89mCV9rzoD1D.3ro-ON9gauE26cp_X6HKJA.GHHfsKKImK6Q0FzxPw";
const idOf = (k: string) => secretKeyId(parseSecretKey(k));

/** Ids in a known order (rotation walks rows by id): row n is the n-th read. */
const rowId = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;

/** Runs the real `burnrate` bin; `killAfter` ends it with SIGKILL once stdout shows that text. */
function burnrate(
  args: string[],
  env: Record<string, string>,
  killAfter?: RegExp,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (killAfter?.test(stdout)) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Rotating BURNRATE_SECRET_KEY on a real database: secrets sealed with key A (with and without a key id),
 * one in plain text and one under a key nobody has; rotated to B with A as previous, stopped between batches
 * and run again, then to C by the CLI killed mid-run and run again. Every count is exact.
 */
describe("secrets rotate", () => {
  let db: Db;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let teamId: string;
  /** Row number → the secret it holds. */
  const plain = new Map<number, string>();
  const UNREADABLE = 25;

  const stored = async () =>
    (await db.receiver.findMany({ where: { teamId }, orderBy: { id: "asc" } })).filter(
      (r) => r.secret !== null,
    );

  beforeAll(async () => {
    const t = await createTestDatabase(PG);
    drop = t.drop;
    databaseUrl = t.databaseUrl;
    db = createDb({ databaseUrl, poolSize: 2 });
    teamId = (await db.team.create({ data: { slug: "rot", name: "Rotation" } })).id;
    const a = createSecretBox(KEY_A);
    const rows: { n: number; secret: string | null }[] = [];
    // 1-20: sealed with A; 21-22: the format without key id (A); 23: plain text; 24: no secret; 25: key Z.
    for (let n = 1; n <= 20; n++) {
      plain.set(n, `pd-key-${n}`);
      rows.push({ n, secret: a.seal(`pd-key-${n}`) });
    }
    for (const n of [21, 22]) {
      plain.set(n, "routing-key-1");
      rows.push({ n, secret: LEGACY_A });
    }
    plain.set(23, "plain-before-a-key");
    rows.push({ n: 23, secret: "plain-before-a-key" });
    rows.push({ n: 24, secret: null });
    rows.push({ n: UNREADABLE, secret: createSecretBox(KEY_Z).seal("lost-key-secret") });
    await db.receiver.createMany({
      data: rows.map(({ n, secret }) => ({
        id: rowId(n),
        teamId,
        name: `r${n}`,
        kind: "pagerduty",
        severities: ["page"],
        secret,
      })),
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  it("a dry run counts and writes nothing", async () => {
    const before = (await stored()).map((r) => r.secret);
    const counts = await rotateSecrets(db, createSecretBox(KEY_B, KEY_A), { batchSize: 7, dryRun: true });
    expect({ ...counts, unreadable: counts.unreadable.map((u) => u.id) }).toEqual({
      resealed: 22,
      sealedPlain: 1,
      alreadyCurrent: 0,
      unreadable: [rowId(UNREADABLE)],
    });
    expect((await stored()).map((r) => r.secret)).toEqual(before);
  });

  it("A → B: stopped between batches, run again, finishes with exact counts; then B alone reads all", async () => {
    const box = createSecretBox(KEY_B, KEY_A);
    const seen: RotationProgress[] = [];
    expect(await countSecretsToRotate(db, box)).toBe(23); // rows 1-22 and 25
    const crash = new Error("stopped after batch 2");
    // Batches of 5 rows over 24 rows with a secret (row 24 has none: rows 1-23, 25).
    await expect(
      rotateSecrets(db, box, {
        batchSize: 5,
        onBatch: (p) => {
          seen.push(p);
          if (p.batches === 2) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(seen.map((p) => [p.batches, p.rows, p.resealed, p.alreadyCurrent])).toEqual([
      [1, 5, 5, 0],
      [2, 5, 10, 0],
    ]);
    // Exactly rows 1-10 were re-sealed; the rest is as it was.
    const mid = await stored();
    expect(mid.filter((r) => box.isCurrent(r.secret!)).map((r) => r.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => rowId(i + 1)),
    );

    expect(await countSecretsToRotate(db, box)).toBe(13);
    const batches: number[] = [];
    const second = await rotateSecrets(db, box, { batchSize: 5, onBatch: (p) => void batches.push(p.rows) });
    expect(batches).toEqual([5, 5, 5, 5, 4]);
    expect(second.resealed).toBe(12); // rows 11-22
    expect(second.sealedPlain).toBe(1); // row 23
    expect(second.alreadyCurrent).toBe(10); // rows 1-10, done before the stop
    expect(second.unreadable).toEqual([
      {
        table: "receivers",
        id: rowId(UNREADABLE),
        reason: expect.stringContaining(`sealed with key ${idOf(KEY_Z)}`),
      },
    ]);
    expect(JSON.stringify(second)).not.toContain("lost-key-secret");
    expect(await countSecretsToRotate(db, box)).toBe(1); // the one no key opens

    // All readable with B and A; then with B alone (A dropped): all but the one under a key nobody has.
    const onlyB = createSecretBox(KEY_B);
    for (const r of await stored()) {
      const n = Number(r.id.slice(-12));
      if (n === UNREADABLE) {
        expect(() => onlyB.open(r.secret!)).toThrow(/sealed with key/);
        continue;
      }
      expect(r.secret!.startsWith(`enc:v2:${idOf(KEY_B)}:`), r.id).toBe(true);
      expect(box.open(r.secret!)).toBe(plain.get(n));
      expect(onlyB.open(r.secret!)).toBe(plain.get(n));
    }

    // Idempotent: a third run changes nothing.
    const before = (await stored()).map((r) => r.secret);
    const third = await rotateSecrets(db, box, { batchSize: 5 });
    expect([third.resealed, third.sealedPlain, third.alreadyCurrent, third.unreadable.length]).toEqual([
      0, 0, 23, 1,
    ]);
    expect((await stored()).map((r) => r.secret)).toEqual(before);
  });

  it("B → C with the CLI: killed mid-run, run again, exact counts; then C alone reads all", async () => {
    // 800 more rows sealed with A: keys B and A must both be readable during the rotation to C.
    const a = createSecretBox(KEY_A);
    const extra = Array.from({ length: 800 }, (_, i) => 1000 + i);
    for (const n of extra) plain.set(n, `og-key-${n}`);
    await db.receiver.createMany({
      data: extra.map((n) => ({
        id: rowId(n),
        teamId,
        name: `r${n}`,
        kind: "opsgenie",
        severities: ["page"],
        secret: a.seal(`og-key-${n}`),
      })),
    });
    const total = 24 + 800; // with a secret, the unreadable one included
    const env = {
      DATABASE_URL: databaseUrl,
      BURNRATE_SECRET_KEY: KEY_C,
      BURNRATE_SECRET_KEY_PREVIOUS: `${KEY_B},${KEY_A}`,
    };
    const c = createSecretBox(KEY_C);

    const killed = await burnrate(["secrets", "rotate", "--batch-size", "10"], env, /batch 1,/);
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.stdout).toContain(`re-sealing stored secrets with key ${idOf(KEY_C)}`);
    const doneBefore = (await stored()).filter((r) => c.isCurrent(r.secret!)).length;
    expect(doneBefore).toBeGreaterThanOrEqual(10);
    expect(doneBefore).toBeLessThan(total - 1);

    const rerun = await burnrate(["secrets", "rotate", "--batch-size", "10"], env);
    const lines = rerun.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe(
      `done: ${total - 1 - doneBefore} re-sealed, 0 sealed from plain text, ${doneBefore} already current, 1 unreadable`,
    );
    expect(lines.filter((l) => /^receivers: batch \d+, \d+ rows;/.test(l))).toHaveLength(
      Math.ceil(total / 10),
    );
    // The one no key opens is named by table and id and makes the run exit 2; no secret or key is printed.
    expect(rerun.stderr).toContain(
      `unreadable: receivers ${rowId(UNREADABLE)}: the secret was sealed with key`,
    );
    expect(rerun.code).toBe(2);
    for (const leak of [KEY_A, KEY_B, KEY_C, "og-key-", "pd-key-", "lost-key-secret"])
      expect(rerun.stdout + rerun.stderr + killed.stdout + killed.stderr).not.toContain(leak);

    const rows = await stored();
    expect(rows).toHaveLength(total);
    for (const r of rows) {
      const n = Number(r.id.slice(-12));
      if (n === UNREADABLE) continue;
      expect(c.open(r.secret!), r.id).toBe(plain.get(n));
    }
  });

  it("a row edited or deleted while it is being re-sealed keeps the edit, and is counted once", async () => {
    const KEY_D = Buffer.alloc(32, 0xd).toString("hex");
    const box = createSecretBox(KEY_D, KEY_C);
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      // Another writer (the API, with the new key) edits row 1 and deletes row 2, and holds both rows until
      // the rotation's write of row 1 waits for it.
      await other.query("BEGIN");
      await other.query("UPDATE receivers SET secret = $1 WHERE id = $2", [
        box.seal("edited-meanwhile"),
        rowId(1),
      ]);
      await other.query("DELETE FROM receivers WHERE id = $1", [rowId(2)]);
      const run = rotateSecrets(db, box);
      for (let waited = 0; ; waited += 20) {
        // Asked on another connection: pg_stat_activity read inside a transaction stays as first read.
        const rows = await db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE "receivers"%'`,
        );
        if (rows[0]!.n > 0) break;
        if (waited > 30_000) throw new Error("the rotation never waited for row 1");
        await new Promise((r) => setTimeout(r, 20));
      }
      await other.query("COMMIT");
      const counts = await run;
      // 824 rows with a secret before: row 2 is gone, row 1 holds the edit (current), one no key opens.
      expect([counts.resealed, counts.sealedPlain, counts.alreadyCurrent, counts.unreadable.length]).toEqual([
        821, 0, 1, 1,
      ]);
      const r1 = await db.receiver.findUniqueOrThrow({ where: { id: rowId(1) } });
      expect(box.open(r1.secret!)).toBe("edited-meanwhile");
      expect(await db.receiver.findUnique({ where: { id: rowId(2) } })).toBeNull();
    } finally {
      await other.end();
    }
  });

  it("the CLI refuses a malformed previous key before touching the database, naming it and not showing it", async () => {
    const r = await burnrate(["secrets", "rotate"], {
      DATABASE_URL: databaseUrl,
      BURNRATE_SECRET_KEY: KEY_C,
      BURNRATE_SECRET_KEY_PREVIOUS: `${KEY_B},oops-${KEY_A.slice(8)}`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("BURNRATE_SECRET_KEY_PREVIOUS: key 2 of 2 must be 32 bytes");
    expect(r.stderr).not.toContain(KEY_A.slice(8));
    expect(r.stdout).toBe("");
  });
});
