"""The manifest's closed vocabularies: every value a field of these types may take.

Declared once here; the dossier's labels for them (Chinese and English) are checked against
these lists, so a value added here without a label fails a test.
"""

from __future__ import annotations

from typing import Literal

SourceType = Literal[
    "open_source", "self_collected", "commercial", "user_input", "synthetic", "public_data", "other"
]
LegalBasis = Literal[
    "consent",
    "separate_consent",
    "guardian_consent",
    "contract",
    "legal_duty",
    "public_interest_news",
    "publicly_disclosed",
    "anonymised",
    "other",
    "none",
]
#: what kind of text a source holds (Art. 19 "types"; EU template §1.3 content types)
ContentType = Literal[
    "news",
    "encyclopedia",
    "books",
    "academic",
    "web",
    "forum",
    "social_media",
    "chat",
    "qa",
    "code",
    "government",
    "legal",
    "patents",
    "instructions",
    "preferences",
    "other",
]

__all__ = ["ContentType", "LegalBasis", "SourceType"]
