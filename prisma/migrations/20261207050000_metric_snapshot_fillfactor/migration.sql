-- Every evaluation cycle updates each SLO × region's snapshot row in place: room on its page for the new
-- version keeps the update HOT (no new index entry, no page read elsewhere).
ALTER TABLE "slo_metric_snapshots" SET (fillfactor = 50);
