import type { Db } from "@burnrate/db";
import { sha256 } from "../../auth/secrets";

/** Ends the session with this secret at once (nothing happens for an unknown one). */
export async function logout(db: Db, sessionSecret: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: sha256(sessionSecret) } });
}
