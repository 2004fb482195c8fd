import { matrixCovers } from "@burnrate/slo-core";
import type { Db } from "./client";

export interface StakeholderRecipients {
  groups: string[];
  slackChannels: string[];
  emails: string[];
  users: { id: string; name: string; email: string }[];
}

/**
 * Who a ring's message about `geography` and `products` reaches: the ring's own channels and addresses
 * (worldwide, all products), and the subscribers of each of its groups whose targeting cells cover the
 * message. Each channel, address and user once; users that no longer exist are left out.
 */
export async function stakeholderRecipients(
  db: Db,
  ringId: string,
  message: { geography: string; products: readonly string[] },
): Promise<StakeholderRecipients> {
  const ring = await db.stakeholderRing.findUniqueOrThrow({
    where: { id: ringId },
    include: { targetGroups: { orderBy: { name: "asc" } } },
  });
  const reached = ring.targetGroups.filter((g) => matrixCovers(g, message));
  const uniq = (xs: string[]) => [...new Set(xs)];
  const userIds = uniq(reached.flatMap((g) => g.userIds));
  const users = userIds.length
    ? await db.user.findMany({
        where: { id: { in: userIds } },
        select: { id: true, name: true, email: true },
        orderBy: { email: "asc" },
      })
    : [];
  return {
    groups: uniq([...ring.groups, ...reached.map((g) => g.name)]),
    slackChannels: uniq([...ring.slackChannels, ...reached.flatMap((g) => g.slackChannels)]),
    emails: uniq([...ring.emails, ...reached.flatMap((g) => g.emails)]),
    users,
  };
}
