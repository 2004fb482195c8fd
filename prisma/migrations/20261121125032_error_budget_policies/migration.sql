-- CreateTable
CREATE TABLE "error_budget_policies" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "scope" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "conditions" JSONB NOT NULL,
    "escalation" TEXT NOT NULL,
    "agreed_by" JSONB NOT NULL,
    "next_review_at" TIMESTAMPTZ(3),
    "silver_bullets_per_year" INTEGER NOT NULL DEFAULT 3,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "error_budget_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_enactments" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "condition_id" TEXT NOT NULL,
    "slo_id" UUID,
    "region_key" TEXT,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "opened_by" TEXT,
    "closed_by" TEXT,
    "reason" TEXT,
    "detail" JSONB,
    "consequences" JSONB,

    CONSTRAINT "policy_enactments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release_overrides" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "region_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "release_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_priorities" (
    "level" TEXT NOT NULL,
    "criteria" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_priorities_pkey" PRIMARY KEY ("level")
);

-- CreateIndex
CREATE UNIQUE INDEX "error_budget_policies_team_id_key" ON "error_budget_policies"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_policy_id_version_key" ON "policy_versions"("policy_id", "version");

-- CreateIndex
CREATE INDEX "policy_enactments_team_id_closed_at_idx" ON "policy_enactments"("team_id", "closed_at");

-- CreateIndex
CREATE INDEX "policy_enactments_policy_id_condition_id_slo_id_region_key_idx" ON "policy_enactments"("policy_id", "condition_id", "slo_id", "region_key");

-- CreateIndex
CREATE INDEX "release_overrides_service_id_region_key_used_at_idx" ON "release_overrides"("service_id", "region_key", "used_at");

-- CreateIndex
CREATE INDEX "release_overrides_team_id_created_at_idx" ON "release_overrides"("team_id", "created_at");

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "error_budget_policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_enactments" ADD CONSTRAINT "policy_enactments_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "error_budget_policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
