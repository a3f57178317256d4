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

#: Strings, template literals, regular comments: the first two are kept, comments blanked.
_TOKENS = re.compile(
    r"""(?P<s>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|(?P<c>//[^\n]*|/\*.*?\*/)""",
    re.DOTALL,
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


def _code(text: str) -> str:
    """`text` with comments blanked and string contents kept (module specifiers are strings)."""
    return _TOKENS.sub(lambda m: m.group("s") or " " * len(m.group("c")), text)


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


def _split_top(text: str) -> list[str]:
    """`text` split at commas outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _object_keys(code: str, start: int) -> set[str] | None:
    """The keys of the object literal starting at `code[start]` (`{`), or None when it is not one."""
    if start >= len(code) or code[start] != "{":
        return None
    depth = 0
    for end in range(start, len(code)):
        depth += {"{": 1, "}": -1}.get(code[end], 0)
        if depth == 0:
            break
    else:
        return None
    keys: set[str] = set()
    for part in _split_top(code[start + 1 : end]):
        if part.strip().startswith("..."):
            return None  # spread: its keys are not written here
        match = _SHORTHAND.match(part)
        if match is None:
            return None
        keys.add(match.group(1).strip("'\""))
    return keys


def exported_names(entry: Path, _seen: frozenset[Path] = frozenset()) -> set[str] | None:
    """The runtime names `entry` exports (`default` for a default export), or None when they cannot be
    known from the source. Raises OSError when `entry` cannot be read."""
    if entry in _seen:
        return set()
    code = _code(entry.read_text(errors="replace"))
    if _EXPORT_EQUALS.search(code) or _DESTRUCTURED.search(code) or _CJS_DYNAMIC.search(code):
        return None
    names: set[str] = set(_DECLARED.findall(code))
    if _DEFAULT.search(code):
        names.add("default")
    for match in _LIST.finditer(code):
        if match.group(1):
            continue  # `export type { ... }`: no runtime value
        for item in match.group(2).split(","):
            words = item.split()
            if not words or words[0] == "type":
                continue
            names.add(words[-1] if len(words) >= 3 and words[-2] == "as" else words[0])
    for match in _STAR.finditer(code):
        if match.group(1):
            names.add(match.group(1))
            continue
        specifier = match.group(3)
        target = _resolve(entry, specifier) if specifier.startswith(".") else None
        if target is None:
            return None
        inner = exported_names(target, _seen | {entry})
        if inner is None:
            return None
        names |= inner - {"default"}
    names |= set(_CJS_NAMED.findall(code))
    names |= {m.group(2) for m in _CJS_BRACKET.finditer(code)}
    for match in _CJS_WHOLE.finditer(code):
        keys = _object_keys(code, match.end())
        if keys is None:
            return None  # `module.exports = handler` or `= require(...)`: what it holds is not written here
        names |= keys
    return names
