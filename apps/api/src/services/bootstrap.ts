import type { Db } from "@burnrate/db";
import { hashPassword } from "../auth/passwords";
import { sha256 } from "../auth/secrets";

/** Seeds the first admin user and the bootstrap admin token from configuration. Idempotent. */
export async function bootstrapAdmin(
  db: Db,
  cfg: { adminEmail?: string; adminPassword?: string; bootstrapToken?: string },
): Promise<void> {
  let adminId: string | null = null;
  if (cfg.adminEmail && cfg.adminPassword) {
    const existing = await db.user.findUnique({ where: { email: cfg.adminEmail.toLowerCase() } });
    if (!existing) {
      const u = await db.user.create({
        data: {
          email: cfg.adminEmail.toLowerCase(),
          name: "Admin",
          isAdmin: true,
          passwordHash: await hashPassword(cfg.adminPassword),
        },
      });
      adminId = u.id;
    } else adminId = existing.id;
  }
  if (cfg.bootstrapToken) {
    await db.apiToken.upsert({
      where: { tokenHash: sha256(cfg.bootstrapToken) },
      create: {
        name: "bootstrap",
        tokenHash: sha256(cfg.bootstrapToken),
        prefix: cfg.bootstrapToken.slice(0, 8),
        scopes: ["admin"],
        userId: adminId,
      },
      update: { revokedAt: null },
    });
  }
}
