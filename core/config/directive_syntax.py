"""Parse Stacktape's directive syntax: a whole string `$Name(arg, ...)` with an optional `.path`.

Arguments are quoted strings, numbers, booleans, `null`, bare words, or nested directives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

START = re.compile(r"^\s*\$[A-Za-z_][A-Za-z0-9_]*\(")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUMBER = re.compile(r"-?\d+(\.\d+)?(?=\s*[,)])")
SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
BARE = re.compile(r"[^,()'\"\s][^,()'\"]*")
#: How deep directives may nest inside one another's arguments (`$Format('{}', $Format(...))`).
MAX_NESTING = 32


class DirectiveSyntaxError(ValueError):
    def __init__(self, message: str, text: str, offset: int) -> None:
        super().__init__(f"{message} at character {offset + 1} of {text!r}")
        self.offset = offset


@dataclass
class Call:
    """One directive call: `$Format('{}-x', $Stage()).length` → name Format, args, path ['length']."""

    name: str
    args: list[Any] = field(default_factory=list)
    path: list[str | int] = field(default_factory=list)

    def nested(self) -> list[Call]:
        found = []
        for arg in self.args:
            if isinstance(arg, Call):
                found.append(arg)
                found.extend(arg.nested())
        return found

    def __str__(self) -> str:
        args = ", ".join(str(a) if isinstance(a, Call) else repr(a) for a in self.args)
        suffix = "".join(f".{p}" for p in self.path)
        return f"${self.name}({args}){suffix}"


def looks_like_directive(value: object) -> bool:
    return isinstance(value, str) and START.match(value) is not None


def parse(text: str) -> Call:
    parser = _Parser(text)
    parser.skip_space()
    call = parser.directive()
    parser.skip_space()
    if parser.pos != len(text):
        raise DirectiveSyntaxError("unexpected text after the directive", text, parser.pos)
    return call


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> DirectiveSyntaxError:
        return DirectiveSyntaxError(message, self.text, self.pos)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.error(f"expected {char!r}, found {found}")
        self.pos += 1

    def directive(self) -> Call:
        self.expect("$")
        match = IDENT.match(self.text, self.pos)
        if not match:
            raise self.error("expected a directive name")
        self.pos = match.end()
        call = Call(match.group())
        self.expect("(")
        self.skip_space()
        if self.peek() != ")":
            while True:
                call.args.append(self.argument())
                self.skip_space()
                if self.peek() == ",":
                    self.pos += 1
                    continue
                break
        self.expect(")")
        while self.peek() == ".":
            self.pos += 1
            segment = SEGMENT.match(self.text, self.pos)
            if not segment:
                raise self.error("expected a property name after '.'")
            self.pos = segment.end()
            value = segment.group()
            call.path.append(int(value) if value.isdigit() else value)
        return call

    def argument(self) -> Any:
        self.skip_space()
        char = self.peek()
        if char == "$":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.error(f"directives nest more than {MAX_NESTING} deep")
            call = self.directive()
            self.depth -= 1
            return call
        if char in ("'", '"'):
            return self.string(char)
        number = NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            value = number.group()
            return float(value) if "." in value else int(value)
        bare = BARE.match(self.text, self.pos)
        if not bare:
            raise self.error("expected an argument")
        self.pos = bare.end()
        word = bare.group().rstrip()
        return {"true": True, "false": False, "null": None}.get(word, word)

    def string(self, quote: str) -> str:
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1
        raise self.error("unterminated string")
