-- Schema v4 (issue 13: the Article 19 explanation). Views are re-created from dossier.sql
-- after every migration (provenance.dossier.ddl.view_statements), so only tables change here.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS algorithm_description_zh VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS declared JSON;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS content_type VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS crawler VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS counterparty VARCHAR;
CREATE TABLE IF NOT EXISTS unclaimed_files (
  run_id  VARCHAR NOT NULL,
  root_id VARCHAR NOT NULL,
  path    VARCHAR NOT NULL,
  bytes   BIGINT
);
CREATE TABLE IF NOT EXISTS labels (
  domain VARCHAR NOT NULL,
  value  VARCHAR NOT NULL,
  zh     VARCHAR NOT NULL,
  en     VARCHAR NOT NULL
);
