import { ValidationError, type IncidentRoles } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";

type Roles = z.infer<typeof IncidentRoles>;
const ROLE_FIELDS = ["commander", "communicationsLead", "opsLead"] as const;

/** The roles given, each a known user (by email); `undefined` keeps a role, `null` clears it. */
export async function checkRoles(db: Db, roles: Roles | undefined, prefix: string) {
  const out: Partial<Record<(typeof ROLE_FIELDS)[number], string | null>> = {};
  if (!roles) return out;
  for (const f of ROLE_FIELDS) {
    const email = roles[f];
    if (email === undefined) continue;
    if (email !== null && !(await db.user.findUnique({ where: { email: email.toLowerCase() } })))
      throw new ValidationError(`body field '${prefix}roles.${f}': no user has the email '${email}'`, {
        field: `roles.${f}`,
      });
    out[f] = email === null ? null : email.toLowerCase();
  }
  return out;
}
