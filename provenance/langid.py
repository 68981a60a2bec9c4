"""An offline, vectorised language / content-type identifier: zh, en, code, other, none.

Cheap by design (it runs on every record), from the first 400 characters of each record:

* ``zh``: at least 30% of the characters are 3-byte UTF-8 code points (CJK ideographs and
  punctuation) and there is no kana or hangul (Japanese and Korean are ``other``);
* ``code``: two lines start like source code (``def``, ``class``, ``#include``, ``function``,
  ``import``, ``public``, ``SELECT`` …), or one does and braces or semicolons end lines;
* ``en``: common English function words are present;
* ``other``: anything else with text; ``none``: empty or missing text.

The 3-byte share is estimated as (UTF-8 bytes − characters) / 2 / characters, exact for text
that mixes ASCII and CJK only.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

LANGUAGES = ("zh", "en", "code", "other", "none")
_KANA_HANGUL = r"[\x{3040}-\x{30ff}\x{ac00}-\x{d7af}]"
_CODE_LINE = (
    r"(?m)^\s*(?:def |class |import |from [\w.]+ import |#include|function |public |private |"
    r"package |fn |impl |const |let |var |SELECT |CREATE TABLE |<\?php|<html|<div|@\w+\()"
)
_CODE_END = r"(?m)[{};]\s*$"
_ENGLISH = r"(?i)\b(?:the|and|of|to|is|in|that|for|with|this|are|was)\b"


#: the last batch labelled: (its array, its buffers' key, its labels). The MinHash and
#: statistics scanners both label every batch, and a batch is the same Arrow buffers for both.
#: The array is held so its buffers (the key) cannot be freed and their addresses reused while
#: it is cached; one tuple, replaced whole, so threads of one Dask worker never see a key with
#: another batch's labels.
_last: tuple[pa.Array, tuple[int, ...], np.ndarray] | None = None


def _buffers_key(texts: pa.Array) -> tuple[int, ...]:
    """Where the array's data is: its offset, length and every buffer's address."""
    return (texts.offset, len(texts), *(b.address if b is not None else 0 for b in texts.buffers()))


def detect(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Language label per record (numpy array of str; read-only: it may be shared)."""
    global _last
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    key = _buffers_key(texts)
    last = _last
    if last is not None and key == last[1] and texts.type == last[0].type:
        return last[2]
    labels = _detect(texts)
    labels.flags.writeable = False  # shared with the next caller of the same batch
    _last = (texts, key, labels)
    return labels


def _detect(texts: pa.Array) -> np.ndarray:
    head = pc.utf8_slice_codeunits(pc.fill_null(texts, ""), 0, 400)
    chars = pc.utf8_length(head).to_numpy(zero_copy_only=False).astype(np.float64)
    nbytes = pc.binary_length(head).to_numpy(zero_copy_only=False).astype(np.float64)
    blank = pc.equal(pc.utf8_trim_whitespace(head), "").to_numpy(zero_copy_only=False)
    cjk_share = np.divide((nbytes - chars) / 2, chars, out=np.zeros_like(chars), where=chars > 0)
    kana = pc.match_substring_regex(head, _KANA_HANGUL).to_numpy(zero_copy_only=False)
    code_lines = pc.count_substring_regex(head, _CODE_LINE).to_numpy(zero_copy_only=False)
    code_end = pc.match_substring_regex(head, _CODE_END).to_numpy(zero_copy_only=False)
    code = (code_lines >= 2) | ((code_lines >= 1) & code_end)
    english = pc.match_substring_regex(head, _ENGLISH).to_numpy(zero_copy_only=False)
    out = np.full(len(texts), "other", dtype=object)
    out[english] = "en"
    out[code] = "code"
    out[(cjk_share >= 0.3) & ~kana & ~code] = "zh"
    out[blank] = "none"
    return out
