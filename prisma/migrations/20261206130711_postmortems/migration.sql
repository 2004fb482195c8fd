-- CreateTable
CREATE TABLE "postmortems" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "required" BOOLEAN NOT NULL DEFAULT false,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "customer_impact" TEXT NOT NULL DEFAULT '',
    "trigger" TEXT NOT NULL DEFAULT '',
    "root_causes" TEXT NOT NULL DEFAULT '',
    "resolution" TEXT NOT NULL DEFAULT '',
    "detection" TEXT NOT NULL DEFAULT '',
    "went_well" TEXT NOT NULL DEFAULT '',
    "went_badly" TEXT NOT NULL DEFAULT '',
    "got_lucky" TEXT NOT NULL DEFAULT '',
    "timeline" JSONB NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "postmortems_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_action_items" (
    "id" UUID NOT NULL,
    "postmortem_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "due_date" DATE NOT NULL,
    "priority" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'new',
    "link" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "postmortem_action_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "postmortems_incident_id_key" ON "postmortems"("incident_id");

-- CreateIndex
CREATE INDEX "postmortems_status_due_at_idx" ON "postmortems"("status", "due_at");

-- CreateIndex
CREATE INDEX "postmortem_action_items_postmortem_id_idx" ON "postmortem_action_items"("postmortem_id");

-- CreateIndex
CREATE INDEX "postmortem_action_items_state_due_date_idx" ON "postmortem_action_items"("state", "due_date");

-- AddForeignKey
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_action_items" ADD CONSTRAINT "postmortem_action_items_postmortem_id_fkey" FOREIGN KEY ("postmortem_id") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;
