-- AlterTable: messages sent before targeting reached their ring's own lists
ALTER TABLE "stakeholder_notifications" ADD COLUMN     "recipients" JSONB;
UPDATE "stakeholder_notifications" n SET "recipients" = jsonb_build_object(
  'groups', to_jsonb(r."groups"), 'slackChannels', to_jsonb(r."slack_channels"),
  'emails', to_jsonb(r."emails"), 'users', '[]'::jsonb)
FROM "stakeholder_rings" r WHERE r."id" = n."ring_id";
ALTER TABLE "stakeholder_notifications" ALTER COLUMN "recipients" SET NOT NULL;

-- CreateTable
CREATE TABLE "stakeholder_groups" (
    "id" UUID NOT NULL,
    "ring_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "geographies" TEXT[],
    "products" TEXT[],
    "emails" TEXT[],
    "slack_channels" TEXT[],
    "user_ids" UUID[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stakeholder_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stakeholder_groups_ring_id_name_key" ON "stakeholder_groups"("ring_id", "name");

-- AddForeignKey
ALTER TABLE "stakeholder_groups" ADD CONSTRAINT "stakeholder_groups_ring_id_fkey" FOREIGN KEY ("ring_id") REFERENCES "stakeholder_rings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
