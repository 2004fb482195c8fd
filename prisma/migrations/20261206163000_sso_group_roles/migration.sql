-- CreateTable
CREATE TABLE "sso_settings" (
    "id" TEXT NOT NULL DEFAULT 'org',
    "group_roles" JSONB NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sso_settings_pkey" PRIMARY KEY ("id")
);
