"""'Did you mean ...?' for misspelt names."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    options = [c for c in candidates if isinstance(c, str)]
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    words = sorted(word.lower().replace("_", "-").split("-"))
    for candidate in options:  # the same words in another order: `dockerfile-custom`
        if len(words) > 1 and sorted(candidate.lower().replace("_", "-").split("-")) == words:
            return candidate
    import difflib  # deferred: only a misspelt name needs it

    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def did_you_mean(word: object, candidates: Iterable[str]) -> str | None:
    """`"did you mean 'x'?"` for the candidate closest to `word` (also for swapped words), or None when
    nothing is close enough."""
    if not isinstance(word, str):
        return None
    match = closest(word, candidates)
    return f"did you mean {match!r}?" if match and match != word else None
