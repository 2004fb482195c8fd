-- CreateTable
CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "team_id" UUID,
    "region_key" TEXT,
    "time_zone" TEXT NOT NULL,
    "positions" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_domain_teams" (
    "schedule_id" UUID NOT NULL,
    "team_id" UUID NOT NULL,

    CONSTRAINT "schedule_domain_teams_pkey" PRIMARY KEY ("schedule_id","team_id")
);

-- CreateTable
CREATE TABLE "schedule_layers" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "ord" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "period_days" INTEGER NOT NULL,
    "handoff" TEXT NOT NULL,
    "start_date" TEXT NOT NULL,
    "active_hours" JSONB,

    CONSTRAINT "schedule_layers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_layer_members" (
    "layer_id" UUID NOT NULL,
    "ord" INTEGER NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "schedule_layer_members_pkey" PRIMARY KEY ("layer_id","ord")
);

-- CreateTable
CREATE TABLE "schedule_overrides" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "position" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shift_swaps" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "requester_id" UUID NOT NULL,
    "acceptor_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "state" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_at" TIMESTAMPTZ(3),

    CONSTRAINT "shift_swaps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_feeds" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "schedule_id" UUID,
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedules_team_id_idx" ON "schedules"("team_id");

-- CreateIndex
CREATE INDEX "schedules_region_key_idx" ON "schedules"("region_key");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_layers_schedule_id_ord_key" ON "schedule_layers"("schedule_id", "ord");

-- CreateIndex
CREATE UNIQUE INDEX "schedule_layer_members_layer_id_user_id_key" ON "schedule_layer_members"("layer_id", "user_id");

-- CreateIndex
CREATE INDEX "schedule_overrides_schedule_id_ends_at_idx" ON "schedule_overrides"("schedule_id", "ends_at");

-- CreateIndex
CREATE INDEX "shift_swaps_schedule_id_ends_at_idx" ON "shift_swaps"("schedule_id", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_schedule_id_key" ON "calendar_feeds"("schedule_id");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_user_id_key" ON "calendar_feeds"("user_id");

-- AddForeignKey
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_domain_teams" ADD CONSTRAINT "schedule_domain_teams_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_domain_teams" ADD CONSTRAINT "schedule_domain_teams_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_layers" ADD CONSTRAINT "schedule_layers_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_layer_members" ADD CONSTRAINT "schedule_layer_members_layer_id_fkey" FOREIGN KEY ("layer_id") REFERENCES "schedule_layers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_layer_members" ADD CONSTRAINT "schedule_layer_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_overrides" ADD CONSTRAINT "schedule_overrides_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_overrides" ADD CONSTRAINT "schedule_overrides_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_acceptor_id_fkey" FOREIGN KEY ("acceptor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
