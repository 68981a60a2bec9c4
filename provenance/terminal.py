"""Terminal text that user data cannot steer.

Every string a manifest, a shard or a dossier holds (paths, names, licence strings, SQL results)
can reach the terminal. Two things must never happen to it there:

* **rich markup or emoji codes are interpreted** — ``[/]`` in a file name crashed the summary
  after the run was committed, ``[x]`` vanished silently. So the CLI's consoles parse no markup at
  all (:func:`console`); the tool's own colours are applied as :class:`rich.text.Text` spans by
  :func:`styled`, which is the only way to style output — no call site can forget to escape.
* **control characters reach the terminal** — ESC sequences can move the cursor, recolour or
  retitle the terminal, and bidirectional overrides (U+202E) can make ``evil.exe`` read as
  ``exe.live``. :func:`safe` shows them as visible escapes (``\\x1b``, ``\\u202e``) instead.

This is an allow-list: printable characters pass, with tab and newline; everything in Unicode's
control (Cc) and format (Cf) categories — which hold the C0/C1 controls, bidi controls and
zero-width characters — is escaped, except the few format characters real text needs
(zero-width joiners in emoji and Indic scripts, the soft hyphen).
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

from rich.console import Console
from rich.text import Text

#: format characters ordinary text needs, so they pass unescaped
_KEEP_FORMAT = frozenset("\u200c\u200d\u00ad")
_KEEP_CONTROL = frozenset("\n\t")


@lru_cache(maxsize=4096)
def _escape_char(ch: str) -> str:
    if ch in _KEEP_CONTROL or ch in _KEEP_FORMAT:
        return ch
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def safe(value: object) -> str:
    """``value`` as text with every control or format character shown as a visible escape."""
    text = str(value)
    if text.isprintable():  # the common case: nothing to escape (fast)
        return text
    return "".join(_escape_char(ch) for ch in text)


Part = str | tuple[str, str]


def styled(*parts: object) -> Text:
    """A line of output: plain parts are user data (escaped, never markup), ``(text, style)``
    tuples are the tool's own styled words."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            words, style = part
            text.append(safe(words), style=style)
        else:
            text.append(safe(part))
    return text


def cell(value: object) -> Text:
    """A table cell from data: NULL for None, never parsed as markup."""
    return Text("NULL" if value is None else safe(value))


def console(stderr: bool = False) -> Console:
    """A console that interprets no markup, emoji codes or highlighting in what it prints.

    Piped output (CI logs, tests, ``| less``) gets a wide fixed width instead of rich's 80
    columns, so tables are not folded into unreadable slivers.
    """
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        stderr=stderr,
        soft_wrap=True,
        width=None if stream.isatty() else 220,
        markup=False,
        emoji=False,
        highlight=False,
    )
