-- provenance dossier, schema version 4 (migrations from older versions: schemas/migrations/NNNN.sql).
-- Every table is keyed by run_id. Rows of runs that are not 'complete' stay in the tables
-- (a resumed run continues from them) but the views below show complete runs only.
-- Times are UTC. No raw personal information is ever stored here.

CREATE TABLE meta (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
COMMENT ON TABLE meta IS 'Dossier metadata: schema_version; created_by, the tool that created the file; storage_version, the DuckDB storage version the file is written in. v1.1.0 (new dossiers): opens in DuckDB 1.1 and later (tested 1.1 to 2.0), not in 1.0 or 0.10. v2.0.0 (a dossier created before the version was declared, by DuckDB 2 defaults; it keeps its version): DuckDB 2.0 and later only.';

CREATE TABLE labels (
  domain VARCHAR NOT NULL,
  value  VARCHAR NOT NULL,
  zh     VARCHAR NOT NULL,
  en     VARCHAR NOT NULL
);
COMMENT ON TABLE labels IS 'The bilingual vocabulary (provenance/vocabulary.py) of the tool version that last wrote this dossier: the Chinese and English label of every status, severity, enum value and term, by domain. Join it to read any coded column in Chinese, e.g. JOIN labels l ON l.domain = ''severity'' AND l.value = f.severity.';

CREATE TABLE runs (
  run_id          VARCHAR PRIMARY KEY,
  status          VARCHAR NOT NULL,
  started_at      TIMESTAMP NOT NULL,
  finished_at     TIMESTAMP,
  tool_version    VARCHAR NOT NULL,
  pipeline        VARCHAR NOT NULL,
  config          JSON NOT NULL,
  manifest_path   VARCHAR NOT NULL,
  manifest_sha256 VARCHAR NOT NULL,
  provider        VARCHAR,
  service         VARCHAR,
  intended_use    VARCHAR,
  algorithm_description VARCHAR,
  shards_total    INTEGER,
  exit_code       INTEGER,
  error           VARCHAR,
  algorithm_description_zh VARCHAR,
  declared        JSON,
  profile         JSON
);
COMMENT ON TABLE runs IS 'One row per audit run. status: running (in progress or interrupted: resume with --resume), complete (committed atomically), failed (marked on error; resumable).';
COMMENT ON COLUMN runs.config IS 'Resolved pipeline settings (reader sizes; reduce: partition_above_bytes, partitions and, for a run too large for one dossier, parts_dir: the folder of its Parquet parts, and tables: the per-record tables kept there instead of here — record_hashes, minhash_signatures and pii_hits), executor and worker count, and the licence data versions (license_data: SPDX list, ScanCode index), as JSON.';
COMMENT ON COLUMN runs.manifest_sha256 IS 'SHA-256 of the manifest file bytes; a resume refuses a changed manifest.';
COMMENT ON COLUMN runs.algorithm_description IS 'Art. 19 algorithm mechanism as declared (service.algorithm_description): the English text, or the only text when one was given without a language.';
COMMENT ON COLUMN runs.algorithm_description_zh IS 'The Chinese text of a bilingual service.algorithm_description {zh, en}.';
COMMENT ON COLUMN runs.profile IS 'Where the time went (not evidence; may differ between identical runs), as JSON: executor, workers, shards/records/MB scanned, scan_seconds, checks_seconds, mb_per_second_per_worker, worker_busy_share, coordinator_busy_share (share of the scan wall time the single writer spent committing), worker_startup_seconds_max/mean. A resumed run counts the shards it scanned.';
COMMENT ON COLUMN runs.declared IS 'Manifest facts no other table holds, as JSON: provider (name, contact, country), service, eu_summary (the EU AI Act summary fields).';
COMMENT ON COLUMN runs.exit_code IS '0 = no blocking finding, 1 = blocking findings (severity at or above the pipeline fail_on).';

CREATE TABLE datasets (
  run_id      VARCHAR NOT NULL,
  dataset_id  VARCHAR NOT NULL,
  name        VARCHAR,
  stage       VARCHAR,
  modality    VARCHAR,
  languages   VARCHAR[],
  description VARCHAR
);
COMMENT ON TABLE datasets IS 'Datasets declared in the manifest (stage: pretraining / fine_tuning / alignment).';

CREATE TABLE sources (
  run_id            VARCHAR NOT NULL,
  source_id         VARCHAR NOT NULL,
  dataset_id        VARCHAR NOT NULL,
  name              VARCHAR,
  source_type       VARCHAR NOT NULL,
  origin            VARCHAR,
  country           VARCHAR,
  url               VARCHAR,
  license_raw       VARCHAR,
  license_spdx      VARCHAR,
  license_category  VARCHAR,
  legal_basis       VARCHAR,
  collection_start  DATE,
  collection_end    DATE,
  upstream          VARCHAR[],
  generator_model   VARCHAR,
  is_pointer_dataset BOOLEAN,
  content_type      VARCHAR,
  crawler           VARCHAR,
  counterparty      VARCHAR
);
COMMENT ON TABLE sources IS 'Sources of each dataset (Art. 7(1), Art. 19 "sources"). source_type: open_source / self_collected / commercial / user_input / synthetic / public_data / other.';
COMMENT ON COLUMN sources.origin IS 'domestic or foreign (TC260-003 §5.1b source mix).';
COMMENT ON COLUMN sources.license_raw IS 'Licence string as declared in the manifest.';
COMMENT ON COLUMN sources.license_spdx IS 'Normalised SPDX expression or LicenseRef-… (filled by the licence checks).';
COMMENT ON COLUMN sources.license_category IS 'Licence category (filled by the licence checks).';
COMMENT ON COLUMN sources.legal_basis IS 'Declared legal basis for personal information (PIPL Art. 13), or NULL.';
COMMENT ON COLUMN sources.content_type IS 'Declared kind of text (news, encyclopedia, books, academic, web, forum, social_media, chat, qa, code, government, legal, patents, instructions, preferences, other), or NULL.';
COMMENT ON COLUMN sources.crawler IS 'Crawler of a self-collected source (collection.crawler).';
COMMENT ON COLUMN sources.counterparty IS 'Contract counterparty of a commercial source (contract.counterparty).';

CREATE TABLE unclaimed_files (
  run_id  VARCHAR NOT NULL,
  root_id VARCHAR NOT NULL,
  path    VARCHAR NOT NULL,
  bytes   BIGINT
);
COMMENT ON TABLE unclaimed_files IS 'Files under a data root that no source glob claims (orphans, SRC-01): not read, not in any source total, listed so every byte on disk is accounted for.';

CREATE TABLE models (
  run_id        VARCHAR NOT NULL,
  model_id      VARCHAR NOT NULL,
  name          VARCHAR,
  version       VARCHAR,
  provider      VARCHAR,
  third_party   BOOLEAN,
  license       VARCHAR,
  source_url    VARCHAR,
  filing_number VARCHAR
);
COMMENT ON TABLE models IS 'Foundation models the service is built on (Art. 7(1); TC260-003 §6).';

CREATE TABLE files (
  run_id      VARCHAR NOT NULL,
  file_id     VARCHAR NOT NULL,
  source_id   VARCHAR NOT NULL,
  dataset_id  VARCHAR NOT NULL,
  root_id     VARCHAR NOT NULL,
  path        VARCHAR NOT NULL,
  format      VARCHAR,
  compression VARCHAR,
  sha256      VARCHAR,
  bytes       BIGINT,
  mtime_ns    BIGINT,
  records     BIGINT,
  status      VARCHAR NOT NULL,
  error       VARCHAR
);
COMMENT ON TABLE files IS 'Data files claimed by each source. status: planned (not yet scanned), ok, error (could not be read: see error; the run went on).';
COMMENT ON COLUMN files.path IS 'Path relative to the data root root_id.';
COMMENT ON COLUMN files.sha256 IS 'SHA-256 of the file bytes on disk, computed while reading.';
COMMENT ON COLUMN files.error IS 'Why the file could not be read: names the line or column and what would be valid; never record content.';

CREATE TABLE shards (
  run_id      VARCHAR NOT NULL,
  shard_id    VARCHAR NOT NULL,
  file_id     VARCHAR NOT NULL,
  part        INTEGER NOT NULL,
  row_groups  VARCHAR,
  status      VARCHAR NOT NULL,
  error       VARCHAR,
  records     BIGINT,
  malformed   BIGINT,
  invalid_utf8 BIGINT,
  bytes_on_disk BIGINT,
  sha256      VARCHAR,
  finished_at TIMESTAMP NOT NULL,
  worker      VARCHAR,
  scan_seconds DOUBLE,
  startup_seconds DOUBLE
);
COMMENT ON TABLE shards IS 'Completion markers: a shard listed here was read and its scanners'' results committed with it; a resumed run skips it. status: ok / error (unreadable: see error). records, malformed, invalid_utf8, sha256 are what the reader saw (sha256 on part 0 only).';
COMMENT ON COLUMN shards.worker IS 'host:pid of the process that scanned the shard.';
COMMENT ON COLUMN shards.scan_seconds IS 'Wall seconds the worker spent reading and scanning the shard.';
COMMENT ON COLUMN shards.startup_seconds IS 'On the first shard a worker process scanned: its start-up (process start, imports, analyzer and NER warm-up) in seconds; NULL on its other shards. For an in-process run, the warm-up only.';

-- BEGIN generated: shard tables, from the scanners' declared outputs (make docs)
CREATE TABLE file_stats (
  run_id            VARCHAR NOT NULL,
  scanner           VARCHAR NOT NULL,
  scanner_version   VARCHAR NOT NULL,
  file_id           VARCHAR NOT NULL,
  shard_id          VARCHAR NOT NULL,
  records           BIGINT,
  characters        BIGINT,
  text_bytes        BIGINT,
  empty_records     BIGINT,
  missing_text      BIGINT,
  malformed         BIGINT,
  invalid_utf8      BIGINT,
  bytes_on_disk     BIGINT,
  sha256            VARCHAR,
  repaired          BIGINT,
  malformed_lines   BIGINT[],
  malformed_reasons VARCHAR,
  field_names       VARCHAR[],
  damage            VARCHAR,
  damage_line       BIGINT
);
COMMENT ON TABLE file_stats IS 'Per-shard counts from the file_stats scanner; sum over shards for a file.';
COMMENT ON COLUMN file_stats.empty_records IS 'Records whose text is missing or only white space.';
COMMENT ON COLUMN file_stats.missing_text IS 'Records without a string in the text field.';
COMMENT ON COLUMN file_stats.malformed IS 'Lines or rows that could not be parsed (skipped, counted).';
COMMENT ON COLUMN file_stats.invalid_utf8 IS 'Lines that were not valid UTF-8 (kept with U+FFFD replacement characters).';
COMMENT ON COLUMN file_stats.repaired IS 'Records whose lone UTF-16 surrogates (JSON \ud800-style escapes) were replaced with U+FFFD and kept.';
COMMENT ON COLUMN file_stats.malformed_lines IS 'Line (or row) numbers of the first 10 malformed records of the shard.';
COMMENT ON COLUMN file_stats.malformed_reasons IS 'JSON object: reason -> count of malformed records. Reasons: not_json, not_object (a JSON array, number or string), too_deep (nesting), too_long (over 64 MiB), csv_columns, csv_syntax.';
COMMENT ON COLUMN file_stats.field_names IS 'Up to 20 distinct top-level field (column) names seen in the file, to suggest a text_field; names only, never values, and only name-shaped ones (no 5-digit runs, no @).';
COMMENT ON COLUMN file_stats.damage IS 'Why the compressed stream ended early (truncated or corrupt); the records before it are counted, the rest of the file is lost.';
COMMENT ON COLUMN file_stats.damage_line IS 'Complete lines read before the damage.';

CREATE TABLE rights_notices (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  record_key      VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,
  start_pos       BIGINT,
  end_pos         BIGINT,
  snippet         VARCHAR
);
COMMENT ON TABLE rights_notices IS 'Copyright and rights-reservation notices found in records (capped per shard and kind; counts in rights_notice_counts are exact).';
COMMENT ON COLUMN rights_notices.kind IS 'copyright, all_rights_reserved, zh_copyright_reserved (版权所有), zh_no_reproduction (未经许可不得转载), zh_reproduction_with_attribution, spdx_identifier, isbn.';
COMMENT ON COLUMN rights_notices.snippet IS 'The notice with up to 30 characters of context; digits and e-mail addresses in the context are masked.';

CREATE TABLE rights_notice_counts (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  shard_id        VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL,
  records_scanned BIGINT,
  records_with    BIGINT,
  hits            BIGINT
);
COMMENT ON TABLE rights_notice_counts IS 'Per shard and notice kind: records scanned, records with the notice, notices found. kind any_reservation = records with any reservation of rights.';

CREATE TABLE pii_hits (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  record_key      VARCHAR NOT NULL,
  entity_type     VARCHAR NOT NULL,
  start_pos       BIGINT,
  end_pos         BIGINT,
  score           DOUBLE,
  masked          VARCHAR,
  value_hash      VARCHAR NOT NULL,
  personal        BOOLEAN,
  sensitive       BOOLEAN,
  minor           BOOLEAN
);
COMMENT ON TABLE pii_hits IS 'Personal information found in records (presidio with our recognizers). Never the raw value: a masked form and an HMAC-SHA256 of the normalised value, keyed outside the dossier. A run over [reduce] partition_above_bytes keeps these rows in Parquet parts beside the dossier (runs.config reduce.parts_dir).';
COMMENT ON COLUMN pii_hits.record_key IS 'The record''s key as stored in every record-level table: readable, or masked with ~ and a keyed hash when it holds an identifier.';
COMMENT ON COLUMN pii_hits.entity_type IS 'CN_RESIDENT_ID, CN_RESIDENCE_PERMIT, CN_MOBILE, PHONE_NUMBER (any country), BANK_CARD (any card scheme), CN_USCC, CN_PASSPORT, CN_TRAVEL_PERMIT, PERSON, LOCATION, EMAIL_ADDRESS, IP_ADDRESS (IPv4 or IPv6).';
COMMENT ON COLUMN pii_hits.start_pos IS 'Character offset in the record''s text; NULL when the identifier is in the record''s key (id_field), not its text.';
COMMENT ON COLUMN pii_hits.value_hash IS 'HMAC-SHA256 (key in PROVENANCE_PII_KEY or the key file) of the normalised value: what `provenance pi lookup` matches.';
COMMENT ON COLUMN pii_hits.personal IS 'False for organisation identifiers (a USCC not starting with 92) and for places named in free text (NER LOCATION; a label-cued address is personal).';
COMMENT ON COLUMN pii_hits.sensitive IS 'Sensitive personal information (PIPL Art. 28): financial accounts, anything about a child under 14.';
COMMENT ON COLUMN pii_hits.minor IS 'An ID number whose birth date shows a child under 14 at the record''s collection time.';

CREATE TABLE pii_counts (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  shard_id        VARCHAR NOT NULL,
  entity_type     VARCHAR NOT NULL,
  records_scanned BIGINT,
  records_with    BIGINT,
  hits            BIGINT,
  coverage        VARCHAR
);
COMMENT ON TABLE pii_counts IS 'Per shard and entity type: records scanned, records with hits, hits (entity_type * = records scanned).';
COMMENT ON COLUMN pii_counts.coverage IS 'patterns: looked for in every record (records_scanned = the shard''s records); ner_sample: names and places (NER) on the shard''s share of the seeded per-source sample (records_scanned = records analysed, records_with = of those, with the type from any recognizer, hits = NER hits); ner_all: NER on every record (--pii-mode full).';

CREATE TABLE stat_parts (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  shard_id        VARCHAR NOT NULL,
  language        VARCHAR NOT NULL,
  metric          VARCHAR NOT NULL,
  key             VARCHAR,
  value           DOUBLE
);
COMMENT ON TABLE stat_parts IS 'Per-shard, per-language partial statistics from corpus_stats: sums (records, bytes, characters, tokens_est, empty, very_short, garbled, length_bin, domain_bytes, domain_records) and collected_min / collected_max. Reduced into stats.';

CREATE TABLE record_hashes (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  record_key      VARCHAR NOT NULL,
  exact_hash      BIGINT NOT NULL,
  characters      BIGINT,
  record_index    BIGINT,
  language        VARCHAR
);
COMMENT ON TABLE record_hashes IS 'A 63-bit BLAKE2b hash of every record''s normalised text (lower case, white space folded): exact duplicates share it. A run over [reduce] partition_above_bytes keeps these rows in Parquet parts beside the dossier (runs.config reduce.parts_dir).';
COMMENT ON COLUMN record_hashes.record_index IS '1-based line or row of the record in its file: where `provenance sample` finds it again.';
COMMENT ON COLUMN record_hashes.language IS 'The record''s language label (provenance.langid, as in stat_parts): a sampling stratum.';

CREATE TABLE minhash_signatures (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  record_key      VARCHAR NOT NULL,
  signature       BLOB NOT NULL
);
COMMENT ON TABLE minhash_signatures IS 'MinHash signature (num_perm little-endian uint32, datasketch affine32 scheme, a fixed-width blob). LSH bands are byte slices of it, grouped at reduce time to find candidate pairs; the estimated Jaccard confirms them. Per record: removed from runs older than the newest N by `provenance gc`.';

CREATE TABLE keyword_counts (
  run_id          VARCHAR NOT NULL,
  scanner         VARCHAR NOT NULL,
  scanner_version VARCHAR NOT NULL,
  file_id         VARCHAR NOT NULL,
  shard_id        VARCHAR NOT NULL,
  risk            VARCHAR NOT NULL,
  records_checked BIGINT,
  records_hit     BIGINT
);
COMMENT ON TABLE keyword_counts IS 'Per shard and risk code: records checked against the keyword library and records that hit it (risk * = any keyword). The keywords themselves are not stored.';
-- END generated: shard tables

CREATE TABLE evidence (
  run_id       VARCHAR NOT NULL,
  subject_kind VARCHAR NOT NULL,
  subject_id   VARCHAR NOT NULL,
  kind         VARCHAR NOT NULL,
  path         VARCHAR NOT NULL,
  status       VARCHAR NOT NULL,
  sha256       VARCHAR,
  bytes        BIGINT
);
COMMENT ON TABLE evidence IS 'Evidence documents named in the manifest, hashed (SHA-256) at audit time. status: ok / missing / unreadable.';

CREATE TABLE crawl_checks (
  run_id        VARCHAR NOT NULL,
  source_id     VARCHAR NOT NULL,
  url           VARCHAR NOT NULL,
  host          VARCHAR,
  fetched_at    VARCHAR,
  user_agent    VARCHAR,
  verdict       VARCHAR NOT NULL,
  robots_sha256 VARCHAR
);
COMMENT ON TABLE crawl_checks IS 'Every collected URL of self-collected sources against the archived robots.txt of its host (SRC-08). verdict: allowed / disallowed / no_snapshot / invalid_url.';
COMMENT ON COLUMN crawl_checks.url IS 'Scheme, host (and port) and path only (no query string, fragment or user info); a path segment holding an identifier is masked and followed by ~ and a keyed hash.';

CREATE TABLE findings (
  run_id       VARCHAR NOT NULL,
  finding_id   VARCHAR NOT NULL,
  fingerprint  VARCHAR NOT NULL,
  check_id     VARCHAR NOT NULL,
  code         VARCHAR NOT NULL,
  article      VARCHAR NOT NULL,
  severity     VARCHAR NOT NULL,
  subject_kind VARCHAR NOT NULL,
  subject_id   VARCHAR NOT NULL,
  message_en   VARCHAR NOT NULL,
  message_zh   VARCHAR NOT NULL,
  evidence     JSON
);
COMMENT ON TABLE findings IS 'Conclusions of checks. check_id cites a requirement of REGULATION.md (SRC-01 …); article cites the Interim Measures (7(1), 19 …); severity: info / low / medium / high / blocker.';
COMMENT ON COLUMN findings.fingerprint IS 'Run-independent identity (check, code, subject): match findings across runs.';
COMMENT ON COLUMN findings.evidence IS 'JSON with the figures and pointers behind the finding (counts, paths, hashes).';

CREATE TABLE stats (
  run_id     VARCHAR NOT NULL,
  scope      VARCHAR NOT NULL,
  subject_id VARCHAR NOT NULL,
  metric     VARCHAR NOT NULL,
  key        VARCHAR,
  value      DOUBLE
);
COMMENT ON TABLE stats IS 'Statistics by scope (run / dataset / source / file) and metric, e.g. records, characters, bytes.';

CREATE TABLE source_licenses (
  run_id                   VARCHAR NOT NULL,
  source_id                VARCHAR NOT NULL,
  license_raw              VARCHAR,
  outcome                  VARCHAR NOT NULL,
  spdx                     VARCHAR,
  category                 VARCHAR,
  commercial_use           VARCHAR,
  confidence               DOUBLE,
  reason                   VARCHAR,
  effective_category       VARCHAR,
  effective_commercial_use VARCHAR,
  share_alike              BOOLEAN,
  no_derivatives           BOOLEAN,
  forbids_competing_models BOOLEAN,
  upstream                 VARCHAR[]
);
COMMENT ON TABLE source_licenses IS 'Licence of each source as declared and as it applies after inheriting upstream terms (Art. 7(2)). outcome: matched / ambiguous / unknown / empty.';
COMMENT ON COLUMN source_licenses.spdx IS 'SPDX expression or LicenseRef-… of the declared licence; NULL when unknown or ambiguous (never guessed).';
COMMENT ON COLUMN source_licenses.category IS 'public_domain, permissive, weak_copyleft, strong_copyleft, model_terms, proprietary, non_commercial, no_derivatives, research_only, unknown.';
COMMENT ON COLUMN source_licenses.effective_category IS 'Most restrictive category of the declared licence AND every upstream source it derives from.';
COMMENT ON COLUMN source_licenses.commercial_use IS 'allowed / not allowed / unclear under the declared licence.';

CREATE TABLE pii_summary (
  run_id            VARCHAR NOT NULL,
  source_id         VARCHAR NOT NULL,
  entity_type       VARCHAR NOT NULL,
  records_scanned   BIGINT,
  records_with_hits BIGINT,
  hits              BIGINT,
  distinct_values   BIGINT,
  personal          BOOLEAN,
  sensitive_hits    BIGINT,
  minors            BIGINT,
  coverage          VARCHAR,
  population        BIGINT,
  rate              DOUBLE,
  rate_low          DOUBLE,
  rate_high         DOUBLE
);
COMMENT ON TABLE pii_summary IS 'Per source and entity type: records scanned, records with hits, hits, distinct values (by keyed hash), sensitive hits, distinct children under 14 (Art. 7(3)); coverage and the share of records with the type, with its 95% interval when estimated from a sample.';
COMMENT ON COLUMN pii_summary.coverage IS 'full: every record was looked at for this type (rate is a count); sampled: names and places (NER) on a seeded stratified random sample (records_scanned = records analysed; rate estimated); not assessed: NER was off, only label-cued names were looked for.';
COMMENT ON COLUMN pii_summary.population IS 'Records of the source (read by the scan).';
COMMENT ON COLUMN pii_summary.rate IS 'Share of the source''s records holding this type: counted (full) or the stratified estimate (sampled).';
COMMENT ON COLUMN pii_summary.rate_low IS 'Lower end of the 95% interval of rate (Wilson score at the effective sample size); equal to rate when counted.';
COMMENT ON COLUMN pii_summary.rate_high IS 'Upper end of the 95% interval of rate; equal to rate when counted.';

CREATE TABLE duplicates (
  run_id      VARCHAR NOT NULL,
  cluster_id  VARCHAR NOT NULL,
  file_id     VARCHAR NOT NULL,
  record_key  VARCHAR NOT NULL,
  kind        VARCHAR NOT NULL,
  similarity  DOUBLE
);
COMMENT ON TABLE duplicates IS 'Duplicate clusters. kind exact: same normalised text (similarity 1); kind near: MinHash-estimated Jaccard >= threshold, clustered by union-find (similarity = best to another member).';

CREATE TABLE assessment (
  run_id          VARCHAR NOT NULL,
  framework       VARCHAR NOT NULL,
  item_id         VARCHAR NOT NULL,
  ord             INTEGER NOT NULL,
  title_en        VARCHAR NOT NULL,
  title_zh        VARCHAR NOT NULL,
  status          VARCHAR NOT NULL,
  requirement_ids VARCHAR[],
  key_figures     JSON,
  evidence        JSON,
  reason_en       VARCHAR,
  reason_zh       VARCHAR
);
COMMENT ON TABLE assessment IS 'Article 7 items (framework article7: conforms / attention / does not conform) and TC260-003 clauses (framework tc260: conforms / does not conform / not applicable), each with the fingerprints of the findings behind it and a reason wherever it does not conform.';

CREATE TABLE annotation_rules (
  run_id     VARCHAR NOT NULL,
  dataset_id VARCHAR NOT NULL,
  rule_id    VARCHAR NOT NULL,
  kind       VARCHAR NOT NULL,
  version    VARCHAR,
  path       VARCHAR,
  sections   VARCHAR[],
  risks      VARCHAR[]
);
COMMENT ON TABLE annotation_rules IS 'Annotation rules per dataset (Art. 8, Art. 19 "annotation rules"): functional or safety, version, document path (hashed in evidence), sections present, TC260 risks covered.';

CREATE TABLE samples (
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
COMMENT ON TABLE samples IS 'Review samples drawn by `provenance sample` from a complete run (TC260-003 §5.1a, §9.2; DOC-04): one row per draw. The same parameters on the same corpus give the same sample_id and items whatever run or worker count they are drawn from.';
COMMENT ON COLUMN samples.sample_id IS 'S- and 12 hex characters of SHA-256 over the method, scope, seed, n, stratification and the population fingerprint.';
COMMENT ON COLUMN samples.scope_kind IS 'corpus, dataset or source (scope_id names the dataset or source).';
COMMENT ON COLUMN samples.method IS 'How the items were chosen: per stratum, the records with the smallest SHA-256(method tag, seed, file_id, record_index), in that order.';
COMMENT ON COLUMN samples.fingerprint IS 'SHA-256 over the population''s files (file_id, SHA-256 of the bytes, records): a different corpus gives a different fingerprint.';
COMMENT ON COLUMN samples.items_digest IS 'SHA-256 over the ordered (item id, file_id, record_index) list: what a returned sheet is checked against.';
COMMENT ON COLUMN samples.sheet IS 'The file name of the review sheet written (no folder).';

CREATE TABLE sample_items (
  sample_id    VARCHAR NOT NULL,
  run_id       VARCHAR NOT NULL,
  ordinal      INTEGER NOT NULL,
  item_id      VARCHAR NOT NULL,
  stratum      VARCHAR,
  file_id      VARCHAR NOT NULL,
  record_index BIGINT NOT NULL,
  record_key   VARCHAR NOT NULL
);
COMMENT ON TABLE sample_items IS 'The records of each drawn sample, in review order (ordinal 1…n); record_key as in record_hashes (masked when it holds an identifier).';

-- Views: complete runs only.
CREATE VIEW complete_runs AS
  SELECT * FROM runs WHERE status = 'complete';
COMMENT ON VIEW complete_runs IS 'Runs that committed; every other view is restricted to these.';

CREATE VIEW latest_run AS
  SELECT * FROM complete_runs ORDER BY finished_at DESC, run_id DESC LIMIT 1;
COMMENT ON VIEW latest_run IS 'The most recent complete run.';

CREATE VIEW latest_findings AS
  SELECT f.* FROM findings f JOIN latest_run r USING (run_id);
COMMENT ON VIEW latest_findings IS 'Findings of the most recent complete run.';

CREATE VIEW findings_summary AS
  SELECT f.run_id, f.article, f.severity, count(*) AS findings
  FROM findings f JOIN complete_runs r USING (run_id)
  GROUP BY ALL;
COMMENT ON VIEW findings_summary IS 'Findings per complete run by article and severity.';

CREATE VIEW source_scale AS
  SELECT f.run_id, f.source_id, s.source_type, s.origin,
         count(*) AS files,
         count(*) FILTER (WHERE f.status = 'error') AS unreadable_files,
         sum(f.bytes) AS bytes,
         sum(f.records) AS records
  FROM files f JOIN complete_runs r USING (run_id)
  JOIN sources s ON s.run_id = f.run_id AND s.source_id = f.source_id
  GROUP BY ALL;
COMMENT ON VIEW source_scale IS 'Files, bytes on disk and records per source (Art. 19 "scale"), complete runs only.';

CREATE VIEW article7 AS
  SELECT a.run_id, a.item_id AS item, a.title_en, a.title_zh, a.status, a.key_figures, a.evidence AS findings,
         a.reason_en, a.reason_zh,
         (SELECT l.zh FROM labels l WHERE l.domain = 'status' AND l.value = a.status) AS status_zh
  FROM assessment a JOIN complete_runs r USING (run_id)
  WHERE a.framework = 'article7' ORDER BY a.run_id, a.ord;
COMMENT ON VIEW article7 IS 'Interim Measures Art. 7 items (1)-(5): status (conforms / attention / does not conform), key figures and the fingerprints of the findings behind each.';

CREATE VIEW tc260_self_assessment AS
  SELECT a.run_id, a.item_id AS clause, a.title_en, a.title_zh, a.status, a.requirement_ids, a.evidence,
         a.reason_en, a.reason_zh,
         (SELECT l.zh FROM labels l WHERE l.domain = 'status' AND l.value = a.status) AS status_zh
  FROM assessment a JOIN complete_runs r USING (run_id)
  WHERE a.framework = 'tc260' ORDER BY a.run_id, a.ord;
COMMENT ON VIEW tc260_self_assessment IS 'TC260-003 (GB/T 45654) §5 data clauses and §6 foundation model: conforms / does not conform / not applicable, evidence (finding fingerprints) and a reason wherever not conforms.';

CREATE VIEW filing_figures AS
  WITH s AS (SELECT st.* FROM stats st JOIN complete_runs r USING (run_id)),
  typed AS (
    SELECT run_id, 'type' AS breakdown, key AS k, metric, value FROM s
      WHERE scope = 'modality' AND subject_id IN ('text', 'code') AND key <> '*'
    UNION ALL
    SELECT run_id, 'type', subject_id, metric, value FROM s
      WHERE scope = 'modality' AND subject_id NOT IN ('text', 'code') AND key = '*'
    UNION ALL
    SELECT run_id, 'source_type', subject_id, metric, value FROM s WHERE scope = 'source_type' AND key = '*'
    UNION ALL
    SELECT run_id, 'foreign_open_source_type', key, metric, value FROM s
      WHERE scope = 'source_type_origin' AND subject_id = 'open_source/foreign' AND key <> '*'
  )
  SELECT run_id, breakdown,
         CASE k WHEN 'zh' THEN 'Chinese text' WHEN 'en' THEN 'English text' WHEN 'code' THEN 'code'
                WHEN 'image' THEN 'image' WHEN 'audio' THEN 'audio' WHEN 'video' THEN 'video'
                WHEN 'open_source' THEN 'open-source' WHEN 'self_collected' THEN 'self-collected'
                WHEN 'commercial' THEN 'commercial' WHEN 'user_input' THEN 'user input'
                WHEN 'synthetic' THEN 'synthetic' WHEN 'public_data' THEN 'public data' ELSE 'other' END AS category,
         CASE k WHEN 'zh' THEN '中文文本' WHEN 'en' THEN '英文文本' WHEN 'code' THEN '代码'
                WHEN 'image' THEN '图片' WHEN 'audio' THEN '音频' WHEN 'video' THEN '视频'
                WHEN 'open_source' THEN '开源语料' WHEN 'self_collected' THEN '自采语料'
                WHEN 'commercial' THEN '商业语料' WHEN 'user_input' THEN '使用者输入'
                WHEN 'synthetic' THEN '合成数据' WHEN 'public_data' THEN '公开数据' ELSE '其他' END AS category_zh,
         sum(value) FILTER (WHERE metric = 'bytes') AS storage_bytes,
         sum(value) FILTER (WHERE metric = 'tokens_est') AS tokens_est,
         sum(value) FILTER (WHERE metric = 'records') AS records,
         coalesce(sum(value) FILTER (WHERE metric = 'tokens'), sum(value) FILTER (WHERE metric = 'tokens_est')) AS tokens,
         sum(value) FILTER (WHERE metric = 'tokens_var') AS tokens_var
  FROM typed GROUP BY ALL ORDER BY run_id, breakdown, category;
COMMENT ON VIEW filing_figures IS 'Filing-form scale figures (DOC-02): storage size (UTF-8 bytes of text), tokens (counted by the run''s named tokenizer, runs.config inputs.tokenizer; tokens_var the variance of a sampled count, 95% half-width 1.96*sqrt(tokens_var); tokens_est the character heuristic) by type (Chinese text, English text, code, image, audio, video, other), by source type, and foreign open-source data by type.';

CREATE VIEW article19_sources AS
  WITH m AS (
    SELECT run_id, subject_id AS source_id,
           sum(value) FILTER (WHERE metric = 'records') AS records,
           sum(value) FILTER (WHERE metric = 'bytes') AS text_bytes,
           sum(value) FILTER (WHERE metric = 'characters') AS characters,
           coalesce(sum(value) FILTER (WHERE metric = 'tokens'),
                    sum(value) FILTER (WHERE metric = 'tokens_est')) AS tokens,
           sum(value) FILTER (WHERE metric = 'tokens_var') AS tokens_var
    FROM stats WHERE scope = 'source' AND key = '*' GROUP BY ALL),
  f AS (
    SELECT run_id, source_id, count(*) AS files,
           count(*) FILTER (WHERE status = 'error') AS unreadable_files,
           coalesce(sum(bytes) FILTER (WHERE status <> 'error'), 0) AS bytes_on_disk,
           coalesce(sum(bytes) FILTER (WHERE status = 'error'), 0) AS unreadable_bytes
    FROM files GROUP BY ALL),
  j AS (
    SELECT s.run_id, s.dataset_id, d.stage, d.modality, s.source_id, s.name, s.url, s.source_type,
           s.origin, s.country, s.content_type, coalesce(s.license_spdx, s.license_raw) AS license,
           s.legal_basis, s.collection_start, s.collection_end, s.crawler, s.counterparty,
           s.upstream, s.generator_model,
           coalesce(f.files, 0) AS files, coalesce(f.unreadable_files, 0) AS unreadable_files,
           coalesce(f.bytes_on_disk, 0) AS bytes_on_disk,
           coalesce(f.unreadable_bytes, 0) AS unreadable_bytes,
           coalesce(m.records, 0)::BIGINT AS records, coalesce(m.characters, 0)::BIGINT AS characters,
           coalesce(m.text_bytes, 0)::BIGINT AS text_bytes, round(coalesce(m.tokens, 0))::BIGINT AS tokens,
           m.tokens_var
    FROM sources s JOIN complete_runs r USING (run_id)
    JOIN datasets d ON d.run_id = s.run_id AND d.dataset_id = s.dataset_id
    LEFT JOIN f ON f.run_id = s.run_id AND f.source_id = s.source_id
    LEFT JOIN m ON m.run_id = s.run_id AND m.source_id = s.source_id)
  SELECT *,
         tokens / nullif(sum(tokens) OVER (PARTITION BY run_id, stage), 0) AS share_of_stage,
         tokens / nullif(sum(tokens) OVER (PARTITION BY run_id), 0) AS share_of_corpus
  FROM j ORDER BY run_id, stage, dataset_id, source_id;
COMMENT ON VIEW article19_sources IS 'Art. 19 per source: what it is (name, URL, type, origin, content type, licence, legal basis, collection period, crawler, contract counterparty, upstream), how much of it was read (files, bytes on disk of readable files, records, characters, UTF-8 text bytes, tokens by the run''s named tokenizer with tokens_var the variance when counted on a sample) and its share of its training stage and of the corpus by tokens. Unreadable files are counted apart (unreadable_files, unreadable_bytes), never in the read figures.';

CREATE VIEW article19_stages AS
  SELECT run_id, stage, count(DISTINCT dataset_id) AS datasets, count(*) AS sources,
         sum(files)::BIGINT AS files, sum(unreadable_files)::BIGINT AS unreadable_files,
         sum(bytes_on_disk)::BIGINT AS bytes_on_disk, sum(unreadable_bytes)::BIGINT AS unreadable_bytes,
         sum(records)::BIGINT AS records, sum(characters)::BIGINT AS characters,
         sum(text_bytes)::BIGINT AS text_bytes, sum(tokens)::BIGINT AS tokens, sum(tokens_var) AS tokens_var,
         sum(tokens) / nullif(sum(sum(tokens)) OVER (PARTITION BY run_id), 0) AS share_of_corpus
  FROM article19_sources GROUP BY run_id, stage ORDER BY run_id, stage;
COMMENT ON VIEW article19_stages IS 'Art. 19 scale per training stage (pretraining, fine_tuning, alignment): datasets, sources, files, bytes, records, characters, tokens and share of the corpus.';

CREATE VIEW storage_reconciliation AS
  SELECT f.run_id, CASE WHEN f.status = 'error' THEN 'unreadable' ELSE 'read' END AS part,
         count(*) AS files, coalesce(sum(f.bytes), 0)::BIGINT AS bytes_on_disk
  FROM files f JOIN complete_runs r USING (run_id) GROUP BY ALL
  UNION ALL
  SELECT u.run_id, 'unclaimed', count(*), coalesce(sum(u.bytes), 0)::BIGINT
  FROM unclaimed_files u JOIN complete_runs r USING (run_id) GROUP BY ALL
  ORDER BY 1, 2;
COMMENT ON VIEW storage_reconciliation IS 'Every file under the data roots counted once: read (in the source totals), unreadable (claimed by a source, not read) and unclaimed (no source glob matches it). Bytes on disk are file sizes, compressed where the file is; the text figures (text_bytes, filing storage) are UTF-8 bytes of the text field after decompression, so the two differ.';

CREATE VIEW article19 AS
  SELECT r.run_id, 'sources' AS topic, '训练数据来源' AS topic_zh,
         coalesce((SELECT json_group_array(to_json(x)) FROM (SELECT * EXCLUDE (run_id) FROM article19_sources a WHERE a.run_id = r.run_id) x), '[]'::JSON) AS content
  FROM complete_runs r
  UNION ALL
  SELECT r.run_id, 'scale', '规模',
         json_object(
           'total', (SELECT json_group_object(metric, value) FROM stats t
                     WHERE t.run_id = r.run_id AND t.scope = 'run' AND t.key = '*'
                       AND t.metric IN ('records', 'bytes', 'characters', 'tokens_est', 'tokens', 'tokens_var')),
           'stages', coalesce((SELECT json_group_array(to_json(x)) FROM (SELECT * EXCLUDE (run_id) FROM article19_stages g WHERE g.run_id = r.run_id) x), '[]'::JSON),
           'storage', coalesce((SELECT json_group_array(to_json(x)) FROM (SELECT * EXCLUDE (run_id) FROM storage_reconciliation c WHERE c.run_id = r.run_id) x), '[]'::JSON))
  FROM complete_runs r
  UNION ALL
  SELECT r.run_id, 'types', '类型',
         json_object(
           'languages', coalesce((SELECT json_group_array(json_object('category', f.category,
                                  'category_zh', f.category_zh, 'storage_bytes', f.storage_bytes,
                                  'tokens', round(f.tokens), 'tokens_var', f.tokens_var, 'records', f.records))
                                  FROM filing_figures f WHERE f.run_id = r.run_id AND f.breakdown = 'type'), '[]'::JSON),
           'content_types', coalesce((SELECT json_group_array(json_object('content_type', k, 'sources', n,
                                      'records', rec, 'tokens', tok))
                                      FROM (SELECT coalesce(content_type, 'not declared') AS k, count(*) AS n,
                                                   sum(records) AS rec, sum(tokens) AS tok
                                            FROM article19_sources a WHERE a.run_id = r.run_id GROUP BY 1 ORDER BY 1)), '[]'::JSON),
           'modalities', coalesce((SELECT json_group_array(json_object('modality', k, 'sources', n,
                                   'records', rec, 'tokens', tok))
                                   FROM (SELECT modality AS k, count(*) AS n, sum(records) AS rec, sum(tokens) AS tok
                                         FROM article19_sources a WHERE a.run_id = r.run_id GROUP BY 1 ORDER BY 1)), '[]'::JSON))
  FROM complete_runs r
  UNION ALL
  SELECT r.run_id, 'annotation_rules', '标注规则',
         json_object(
           'rules', coalesce((SELECT json_group_array(json_object('dataset_id', a.dataset_id, 'rule_id', a.rule_id,
                             'kind', a.kind, 'version', a.version, 'path', a.path, 'sections', a.sections,
                             'risks_covered', len(a.risks)))
                             FROM annotation_rules a WHERE a.run_id = r.run_id), '[]'::JSON),
           'metrics', coalesce((SELECT json_group_array(json_object('dataset_id', t.subject_id, 'metric', t.metric,
                               'key', t.key, 'value', t.value))
                               FROM (SELECT * FROM stats WHERE run_id = r.run_id AND scope = 'annotation'
                                     ORDER BY subject_id, metric, key) t), '[]'::JSON))
  FROM complete_runs r
  UNION ALL
  SELECT r.run_id, 'algorithm', '算法机制',
         json_object('description', r.algorithm_description, 'description_zh', r.algorithm_description_zh,
                     'foundation_models', coalesce((SELECT json_group_array(json_object('name', m.name, 'version', m.version,
                        'provider', m.provider, 'license', m.license, 'filing_number', m.filing_number))
                        FROM models m WHERE m.run_id = r.run_id), '[]'::JSON))
  FROM complete_runs r
  UNION ALL
  SELECT r.run_id, 'processing', '数据处理',
         json_object('pipeline', r.pipeline, 'scanners', r.config -> 'scanners',
                     'scanner_versions', r.config -> 'inputs' -> 'scanners',
                     'ner_engines', r.config -> 'inputs' -> 'ner_engines',
                     'checks', r.config -> 'checks', 'fail_on', r.config -> 'fail_on')
  FROM complete_runs r;
COMMENT ON VIEW article19 IS 'What Art. 19 asks a provider to explain when inspected, one row per topic as JSON: sources (article19_sources), scale (total, per stage, storage reconciliation), types (languages, content types, modalities), annotation rules (rules with their sections, metrics), algorithm (declared description in zh/en, foundation models) and processing (the pipeline that ran: scanners with versions and settings, checks with thresholds).';
