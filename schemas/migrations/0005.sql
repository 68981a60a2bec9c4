-- Schema v5 (issue 14: scale out). Where a run's time went: per shard, the worker that scanned
-- it, its scan seconds and the worker's start-up; per run, the profile summary.
ALTER TABLE shards ADD COLUMN IF NOT EXISTS worker VARCHAR;
ALTER TABLE shards ADD COLUMN IF NOT EXISTS scan_seconds DOUBLE;
ALTER TABLE shards ADD COLUMN IF NOT EXISTS startup_seconds DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS profile JSON;
