"""The dossier for an inspector: collected facts, bilingual HTML, JSON, tables, integrity, EU summary."""
