-- Schema v2 (issue 9, item 14: dossier growth). LSH bands are no longer stored: the duplicates
-- check slices them from minhash_signatures at reduce time. The band table repeated file_id and
-- record_key 32 times per record and was the largest table of a dossier.
DROP TABLE IF EXISTS minhash_bands;

-- Readers (issue 9, items 7-9): what a reader saw beyond the records, per shard.
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS repaired BIGINT;
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS malformed_lines BIGINT[];
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS malformed_reasons VARCHAR;
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS field_names VARCHAR[];
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS damage VARCHAR;
ALTER TABLE file_stats ADD COLUMN IF NOT EXISTS damage_line BIGINT;
