"""The reduce side for runs too big for one dossier.

Record-level evidence of a large run (record hashes, MinHash signatures and their band
hashes, PI hits) is written by the workers as Parquet parts beside the dossier
(:mod:`~provenance.reduce.parts`); each band partition is then reduced independently (DuckDB over
its files, as a task on the run's Dask cluster or in the audit process:
:mod:`~provenance.reduce.lsh_parts`), so no step needs the whole corpus in one process or one
DuckDB file. Readers outside the check phase use :mod:`~provenance.reduce.read`.
"""
