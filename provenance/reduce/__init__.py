"""The reduce side for runs too big for one dossier.

Record-level evidence of a large run (band hashes of MinHash signatures, and later record
hashes and PI hits) is written by the workers as partitioned Parquet beside the dossier; each
partition is then reduced independently (DuckDB over its files, on a Dask worker or locally),
so no step needs the whole corpus in one process or one DuckDB file.
"""
