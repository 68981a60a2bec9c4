"""A small SPDX-expression parser over already-resolved parts (AND binds tighter than OR).

license-expression's parser is general and slow for this hot path (about 2 ms an expression);
the parts here are resolved by the normaliser first, so only the grammar is left:
``or := and ("OR" and)*``, ``and := atom ("AND" atom)*``, ``atom := "(" or ")" | part ["WITH"
exception]``. Printed as license-expression prints: explicit groups keep their brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from provenance.licenses.normalize import Leaf

OPERATORS = ("(", ")", "AND", "OR", "WITH")
MAX_DEPTH = 32


@dataclass(frozen=True)
class Part:
    """A resolved licence, with the SPDX exception that follows WITH (if any)."""

    leaf: Leaf
    exception: str | None = None


@dataclass(frozen=True)
class Op:
    """AND / OR over two or more nodes."""

    op: str
    args: tuple[Part | Op, ...]


class ExpressionSyntaxError(ValueError):
    """The tokens do not form an expression."""


def parse(tokens: list[str | Part]) -> Part | Op:
    """Parse operator strings and resolved parts into a tree (raises ExpressionSyntaxError)."""
    pos = 0

    def take() -> str | Part:
        nonlocal pos
        if pos >= len(tokens):
            raise ExpressionSyntaxError("the expression ends too early")
        pos += 1
        return tokens[pos - 1]

    def chain(op: str, sub: Callable[[], Part | Op]) -> Part | Op:
        args = [sub()]
        while pos < len(tokens) and tokens[pos] == op:
            take()
            args.append(sub())
        return args[0] if len(args) == 1 else Op(op, tuple(args))

    depth = 0

    def atom() -> Part | Op:
        nonlocal depth
        tok = take()
        if tok == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionSyntaxError(f"brackets nested deeper than {MAX_DEPTH}")
            node = chain("OR", both)
            depth -= 1
            if take() != ")":
                raise ExpressionSyntaxError("unbalanced brackets")
            return node
        if isinstance(tok, str):
            raise ExpressionSyntaxError(f"unexpected {tok!r}")
        return tok

    def both() -> Part | Op:
        return chain("AND", atom)

    tree = chain("OR", both)
    if pos != len(tokens):
        raise ExpressionSyntaxError(f"unexpected {tokens[pos]!r}")
    return tree


def render(node: Part | Op, name: Callable[[Leaf], str]) -> str:
    """The expression as text; ``name(leaf)`` gives each part's id."""
    if isinstance(node, Part):
        text = name(node.leaf)
        text = f"({text})" if " " in text else text
        return f"{text} WITH {node.exception}" if node.exception else text
    return f" {node.op} ".join(
        f"({render(a, name)})" if isinstance(a, Op) else render(a, name) for a in node.args
    )


def leaves(node: Part | Op) -> list[Leaf]:
    """Every resolved part, in order."""
    if isinstance(node, Part):
        return [node.leaf]
    return [leaf for a in node.args for leaf in leaves(a)]


_OPS = re.compile(r"(\(|\)| (?:and|or|with) )", re.I)  # on whitespace-collapsed text: linear
_SLASH = re.compile(r"^[A-Za-z0-9.+-]+(?:\s*/\s*[A-Za-z0-9.+-]+)+$")


def split_expression(text: str) -> list[str]:
    """Tokens of a licence expression: '(', ')', 'AND', 'OR', 'WITH' and leaf strings."""
    t = " ".join(text.split())
    if _SLASH.match(t) and "://" not in t:
        t = re.sub(r"\s*/\s*", " OR ", t)
    tokens: list[str] = []
    for part in _OPS.split(t):
        p = part.strip()
        if not p:
            continue
        tokens.append(p.upper() if p.upper() in ("AND", "OR", "WITH") else p)
    return tokens


def has_operators(text: str) -> bool:
    """True when the string is an expression rather than one licence name."""
    return any(t in ("AND", "OR", "WITH") for t in split_expression(text))
