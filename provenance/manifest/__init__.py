"""The manifest: model, loading with line-accurate errors, and reference checks."""

from provenance.manifest.loader import LoadedManifest, load_manifest, manifest_json_schema
from provenance.manifest.model import Dataset, FileSpec, Manifest, Source

__all__ = [
    "Dataset",
    "FileSpec",
    "LoadedManifest",
    "Manifest",
    "Source",
    "load_manifest",
    "manifest_json_schema",
]
