-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "escalation_policy_id" UUID;

-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "escalation_policy_id" UUID;

-- CreateTable
CREATE TABLE "escalation_policies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "team_id" UUID NOT NULL,
    "repeat" INTEGER NOT NULL DEFAULT 0,
    "ticket" TEXT NOT NULL DEFAULT 'notify',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "escalation_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_policy_steps" (
    "policy_id" UUID NOT NULL,
    "ord" INTEGER NOT NULL,
    "target" JSONB NOT NULL,
    "ack_timeout_seconds" INTEGER NOT NULL,

    CONSTRAINT "escalation_policy_steps_pkey" PRIMARY KEY ("policy_id","ord")
);

-- CreateTable
CREATE TABLE "alert_escalations" (
    "alert_id" UUID NOT NULL,
    "policy_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "pass" INTEGER NOT NULL DEFAULT 0,
    "step" INTEGER NOT NULL DEFAULT 0,
    "next_at" TIMESTAMPTZ(3),
    "stop_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_escalations_pkey" PRIMARY KEY ("alert_id")
);

-- CreateTable
CREATE TABLE "escalation_notifications" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "pass" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "target" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "ref" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "escalation_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_rules" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "severities" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_rules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "escalation_policies_team_id_idx" ON "escalation_policies"("team_id");

-- CreateIndex
CREATE INDEX "alert_escalations_next_at_idx" ON "alert_escalations"("next_at");

-- CreateIndex
CREATE UNIQUE INDEX "escalation_notifications_alert_id_pass_step_target_channel_key" ON "escalation_notifications"("alert_id", "pass", "step", "target", "channel");

-- CreateIndex
CREATE UNIQUE INDEX "notification_rules_user_id_channel_key" ON "notification_rules"("user_id", "channel");

-- AddForeignKey
ALTER TABLE "teams" ADD CONSTRAINT "teams_escalation_policy_id_fkey" FOREIGN KEY ("escalation_policy_id") REFERENCES "escalation_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_escalation_policy_id_fkey" FOREIGN KEY ("escalation_policy_id") REFERENCES "escalation_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_policies" ADD CONSTRAINT "escalation_policies_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_policy_steps" ADD CONSTRAINT "escalation_policy_steps_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "escalation_policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_escalations" ADD CONSTRAINT "alert_escalations_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_escalations" ADD CONSTRAINT "alert_escalations_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "escalation_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_notifications" ADD CONSTRAINT "escalation_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
