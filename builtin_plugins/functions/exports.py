"""The names a JavaScript/TypeScript entry file exports, read from its source without running it.

Lambda calls `index.<name>` of the bundle, so a handler name the entry does not export fails every
invocation. ES module syntax (`export default`, `export const|function|class`, `export { a as b }`,
`export * from './x'` followed into relative files) and CommonJS (`exports.x =`, `module.exports.x =`,
`module.exports = { a, b }`) are understood; anything else (`module.exports = require(...)`, `export *`
from a package) makes the answer unknown, and nothing is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Strings and template literals, comments, and regular-expression literals (a `/` where an expression
#: starts: after an operator or `(,:[{;`, after `return` (`=> /x/` too), or at a line's start), which
#: may hold `/*` or quotes.
_TOKENS = re.compile(
    r"""(?P<s>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)"""
    r"""|(?P<c>//[^\n]*|/\*.*?\*/)"""
    r"""|(?P<r>(?P<rp>(?:^|[(,=:\[!&|?{};<>+\-*%~^]|\breturn|\btypeof|\bvoid|\bdelete)\s*)/(?![*/])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n\[])+/[a-z]*)""",
    re.DOTALL | re.MULTILINE,
)
_IDENT = r"[A-Za-z_$][\w$]*"
_DECLARED = re.compile(
    rf"\bexport\s+(?:declare\s+)?(?:async\s+)?(?:function\s*\*?|class|abstract\s+class|const|let|var|enum)"
    rf"\s+({_IDENT})"
)
_DESTRUCTURED = re.compile(r"\bexport\s+(?:const|let|var)\s*[\[{]")
_DEFAULT = re.compile(r"\bexport\s+default\b")
_LIST = re.compile(r"\bexport\s+(type\s+)?\{([^}]*)\}(\s*from\s*(['\"])([^'\"]+)\4)?")
_STAR = re.compile(r"\bexport\s*\*\s*(?:as\s+(" + _IDENT + r")\s*)?from\s*(['\"])([^'\"]+)\2")
_EXPORT_EQUALS = re.compile(r"\bexport\s*=")
_CJS_NAMED = re.compile(rf"\b(?:module\.)?exports\.({_IDENT})\s*=[^=]")
_CJS_BRACKET = re.compile(r"""\b(?:module\.)?exports\[\s*(['"])([^'"]+)\1\s*\]\s*=[^=]""")
_CJS_WHOLE = re.compile(r"\bmodule\.exports\s*=[^=]\s*")
_CJS_DYNAMIC = re.compile(r"\b(?:Object\.(?:assign|defineProperty)\s*\(\s*(?:module\.)?exports\b)")
_SHORTHAND = re.compile(rf"^\s*(?:\.\.\.)?(?:async\s+)?\*?\s*({_IDENT}|['\"][^'\"]+['\"])\s*(?:[:(,]|$)")
RESOLVE_SUFFIXES = ("", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def _views(text: str) -> tuple[str, str]:
    """Two views of `text` with the same offsets: comments blanked (strings kept, for module specifiers
    and quoted keys), and that with string and regular-expression contents blanked too (for structure:
    brackets and keywords inside them do not count)."""
    code: list[str] = []
    flat: list[str] = []
    at = 0
    for match in _TOKENS.finditer(text):
        between = text[at : match.start()]
        code.append(between)
        flat.append(between)
        token = match.group(0)
        if match.group("c") is not None:
            code.append(" " * len(token))
            flat.append(" " * len(token))
        elif match.group("s") is not None:
            code.append(token)
            flat.append(token[0] + "_" * (len(token) - 2) + token[-1])
        else:
            prefix = match.group("rp")
            code.append(token)
            flat.append(prefix + " " * (len(token) - len(prefix)))
        at = match.end()
    code.append(text[at:])
    flat.append(text[at:])
    return "".join(code), "".join(flat)


def _resolve(base: Path, specifier: str) -> Path | None:
    target = (base.parent / specifier).resolve()
    stem = target.with_suffix("") if target.suffix in (".js", ".mjs", ".cjs", ".jsx") else target
    for candidate in (target, *(stem.with_name(stem.name + s) for s in RESOLVE_SUFFIXES[1:])):
        if candidate.is_file():
            return candidate
    for suffix in RESOLVE_SUFFIXES[1:]:
        index = target / f"index{suffix}"
        if index.is_file():
            return index
    return None


def _split_top(text: str, offset: int) -> list[tuple[int, int]]:
    """The spans (start, end, shifted by `offset`) of `text` between commas outside brackets."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            spans.append((offset + start, offset + index))
            start = index + 1
    spans.append((offset + start, offset + len(text)))
    return [(a, b) for a, b in spans if text[a - offset : b - offset].strip()]


def _object_keys(code: str, flat: str, start: int) -> set[str] | None:
    """The keys of the object literal starting at `flat[start]` (`{`), or None when it is not one."""
    if start >= len(flat) or flat[start] != "{":
        return None
    depth = 0
    for end in range(start, len(flat)):
        depth += {"{": 1, "}": -1}.get(flat[end], 0)
        if depth == 0:
            break
    else:
        return None
    keys: set[str] = set()
    for a, b in _split_top(flat[start + 1 : end], start + 1):
        if flat[a:b].strip().startswith("..."):
            return None  # spread: its keys are not written here
        match = _SHORTHAND.match(flat[a:b])
        if match is None:
            return None
        keys.add(code[a + match.start(1) : a + match.end(1)].strip("'\""))
    return keys


def exported_names(entry: Path, _seen: frozenset[Path] = frozenset()) -> set[str] | None:
    """The runtime names `entry` exports (`default` for a default export), or None when they cannot be
    known from the source. Raises OSError when `entry` cannot be read."""
    if entry in _seen:
        return set()
    code, flat = _views(entry.read_text(errors="replace"))
    if _EXPORT_EQUALS.search(flat) or _DESTRUCTURED.search(flat) or _CJS_DYNAMIC.search(flat):
        return None
    names: set[str] = set(_DECLARED.findall(flat))
    if _DEFAULT.search(flat):
        names.add("default")
    for match in _LIST.finditer(flat):
        if match.group(1):
            continue  # `export type { ... }`: no runtime value
        for item in code[match.start(2) : match.end(2)].split(","):
            words = [w.strip("'\"") for w in item.split()]
            if not words or words[0] == "type":
                continue
            names.add(words[-1] if len(words) >= 3 and words[-2] == "as" else words[0])
    for match in _STAR.finditer(flat):
        if match.group(1):
            names.add(match.group(1))
            continue
        specifier = code[match.start(3) : match.end(3)]
        target = _resolve(entry, specifier) if specifier.startswith(".") else None
        if target is None:
            return None
        inner = exported_names(target, _seen | {entry})
        if inner is None:
            return None
        names |= inner - {"default"}
    names |= set(_CJS_NAMED.findall(flat))
    names |= {code[m.start(2) : m.end(2)] for m in _CJS_BRACKET.finditer(flat)}
    for match in _CJS_WHOLE.finditer(flat):
        keys = _object_keys(code, flat, match.end())
        if keys is None:
            return None  # `module.exports = handler` or `= require(...)`: what it holds is not written here
        names |= keys
    return names
