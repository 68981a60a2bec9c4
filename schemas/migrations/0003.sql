-- Schema v3 (issue 11: names and places on a sample). pii_counts says how each row was
-- covered (patterns on every record, or NER on a sample); pii_summary carries the population,
-- the coverage and the rate with its 95% interval.
ALTER TABLE pii_counts ADD COLUMN IF NOT EXISTS coverage VARCHAR;
UPDATE pii_counts SET coverage = 'patterns' WHERE coverage IS NULL;
ALTER TABLE pii_summary ADD COLUMN IF NOT EXISTS coverage VARCHAR;
ALTER TABLE pii_summary ADD COLUMN IF NOT EXISTS population BIGINT;
ALTER TABLE pii_summary ADD COLUMN IF NOT EXISTS rate DOUBLE;
ALTER TABLE pii_summary ADD COLUMN IF NOT EXISTS rate_low DOUBLE;
ALTER TABLE pii_summary ADD COLUMN IF NOT EXISTS rate_high DOUBLE;
UPDATE pii_summary SET coverage = 'full', population = records_scanned,
    rate = records_with_hits / nullif(records_scanned, 0) WHERE coverage IS NULL;
