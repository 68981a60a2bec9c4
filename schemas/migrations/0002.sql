-- Schema v2 (issue 9, item 14: dossier growth). LSH bands are no longer stored: the duplicates
-- check slices them from minhash_signatures at reduce time. The band table repeated file_id and
-- record_key 32 times per record and was the largest table of a dossier.
DROP TABLE IF EXISTS minhash_bands;
