-- Schema v6 (issue 15: the review loop). Per record, where it is in its file and its language
-- (samples are drawn from record_hashes without reading the corpus again), and the samples drawn.
ALTER TABLE record_hashes ADD COLUMN IF NOT EXISTS record_index BIGINT;
ALTER TABLE record_hashes ADD COLUMN IF NOT EXISTS language VARCHAR;
CREATE TABLE IF NOT EXISTS samples (
  sample_id    VARCHAR NOT NULL,
  run_id       VARCHAR NOT NULL,
  scope_kind   VARCHAR NOT NULL,
  scope_id     VARCHAR,
  seed         BIGINT NOT NULL,
  n            BIGINT NOT NULL,
  population   BIGINT NOT NULL,
  stratify     VARCHAR,
  allocation   VARCHAR,
  method       VARCHAR NOT NULL,
  fingerprint  VARCHAR NOT NULL,
  items_digest VARCHAR NOT NULL,
  drawn_at     TIMESTAMP NOT NULL,
  tool_version VARCHAR NOT NULL,
  sheet        VARCHAR
);
CREATE TABLE IF NOT EXISTS sample_items (
  sample_id    VARCHAR NOT NULL,
  run_id       VARCHAR NOT NULL,
  ordinal      INTEGER NOT NULL,
  item_id      VARCHAR NOT NULL,
  stratum      VARCHAR,
  file_id      VARCHAR NOT NULL,
  record_index BIGINT NOT NULL,
  record_key   VARCHAR NOT NULL
);
