"""The content of a `hosting-bucket` (or of a `bucket`'s `directoryUpload`): the files of a folder, each
with the headers and tags it is stored with, as an artifact of kind `hosting-content`. Its options are
the hosting bucket's property names: `uploadDirectoryPath`, `hostingContentType`, `excludeFilesPatterns`,
`fileOptions`, `build`, and `cleanUrls` (each page also stored under its URL without `.html`).

The artifact's digest covers every file, its headers and tags (and, with `build`, the build's inputs and
command), so a content change is a code change: a hot-swap syncs it without CloudFormation. Building the
artifact runs `build.command` (if given) and writes the manifest, one entry per file, that a sync compares
with the bucket.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from stackwright import Artifact, StackContext, StackwrightError, iter_files

KIND = "hosting-content"
#: The largest object one PutObject request stores (AWS S3 API reference: 5 GiB); a sync sends each file
#: in one request, so its ETag is the MD5 it compares.
MAX_OBJECT_BYTES = 5 * 2**30
#: The tag whose value is the content digest: the bucket's only tag, so its `Tags` are the content's
#: code location (a change of it alone is hot-swapped by a sync).
CONTENT_TAG = "stackwright:content-digest"

#: Cache-Control values of the presets. `FRESH`: CloudFront keeps the file until a deploy invalidates
#: it, browsers ask again every time; `FOREVER`: a file whose name holds its content hash never changes.
FRESH = "public, max-age=0, s-maxage=31536000, must-revalidate"
FOREVER = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

#: Per preset (`hostingContentType`): (gitignore-style pattern, Cache-Control) rules, the first match
#: wins; files no rule matches are `FRESH`. Each framework's folder of hashed build output is cached
#: forever (Astro `_astro/`, SvelteKit `_app/immutable/`, Nuxt `_nuxt/`; Vite SPAs name hashed files
#: `assets/*-<hash>.js`); Gatsby's rules follow its caching guide (`page-data` stays fresh, `sw.js` is
#: never cached).
PRESETS: dict[str, list[tuple[str, str]]] = {
    "static-website": [],
    "single-page-app": [("*.html", FRESH), ("*.js", FOREVER), ("*.css", FOREVER), ("/assets/**", FOREVER)],
    "astro-static-website": [("/_astro/**", FOREVER)],
    "sveltekit-static-website": [("/_app/immutable/**", FOREVER)],
    "nuxt-static-website": [("/_nuxt/**", FOREVER)],
    "gatsby-static-website": [
        ("/sw.js", NO_CACHE),
        ("*.html", FRESH),
        ("/page-data/**", FRESH),
        ("/static/**", FOREVER),
        ("*.js", FOREVER),
        ("*.css", FOREVER),
    ],
}

#: Headers S3 stores with an object and serves back (PutObject parameter for each); no other header can
#: come from the bucket.
S3_HEADERS = {
    "cache-control": "CacheControl",
    "content-type": "ContentType",
    "content-disposition": "ContentDisposition",
    "content-encoding": "ContentEncoding",
    "content-language": "ContentLanguage",
    "expires": "Expires",
}

_MORE_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".map": "application/json",
}
_TEXT = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")


@functools.cache
def _types() -> Any:
    """Python's own table only (not the machine's /etc/mime.types), so every machine agrees on the
    digest."""
    import mimetypes

    return mimetypes.MimeTypes(filenames=())


def content_type(key: str) -> str:
    """The Content-Type a file is served with, by its extension (`application/octet-stream` if unknown);
    text types carry `charset=utf-8`."""
    suffix = Path(key).suffix.lower()
    found = _MORE_TYPES.get(suffix) or _types().guess_type("x" + suffix)[0] or "application/octet-stream"
    return f"{found}; charset=utf-8" if found.startswith(_TEXT) else found


def _spec(patterns: list[str]) -> Any:
    import pathspec  # gitignore's rules: `*.html` at any depth, `assets/**` from the folder's root

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _matches(pattern: str, key: str) -> bool:
    return bool(_spec([pattern]).match_file(key))


def file_rules(props: dict[str, Any]) -> list[dict[str, Any]]:
    """Header and tag rules of a file, in order (later ones win): the preset's Cache-Control (`FRESH`
    for every file, then its own rules), then each `fileOptions` entry. Without a preset (a `bucket`'s
    `directoryUpload` without `headersPreset`) files get no Cache-Control."""
    preset = props.get("hostingContentType")
    rules: list[dict[str, Any]] = [{"include": "*", "headers": {"cache-control": FRESH}}] if preset else []
    rules += [
        {"include": pattern, "headers": {"cache-control": value}}
        for pattern, value in reversed(PRESETS[preset] if preset else [])
    ]
    for option in props.get("fileOptions") or []:
        rules.append(
            {
                "include": option["includePattern"],
                "exclude": option.get("excludePattern"),
                "headers": {h["key"].lower(): str(h["value"]) for h in option.get("headers") or []},
                "tags": {t["key"]: str(t["value"]) for t in option.get("tags") or []},
            }
        )
    return rules


def describe_file(key: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    """The headers (lower-case names) and tags `key` is stored with."""
    headers = {"content-type": content_type(key)}
    tags: dict[str, str] = {}
    for rule in rules:
        if _matches(rule["include"], key) and not (rule.get("exclude") and _matches(rule["exclude"], key)):
            headers.update(rule["headers"])
            tags.update(rule.get("tags") or {})
    return {"headers": dict(sorted(headers.items())), "tags": dict(sorted(tags.items()))}


def upload_root(project_root: Path, props: dict[str, Any]) -> Path:
    return (project_root / str(props["uploadDirectoryPath"])).resolve()


def content_files(root: Path, excludes: list[str]) -> list[tuple[str, Path]]:
    """(key, path) of every file under `root` but those `excludes` (gitignore-style patterns) match."""
    if not root.is_dir():
        raise StackwrightError(
            f"uploadDirectoryPath {root} is not a folder",
            hint="build the site first (its output folder), or correct uploadDirectoryPath",
        )
    spec = _spec(excludes) if excludes else None

    def excluded(path: Path) -> bool:  # not walked at all: an excluded folder may hold a link loop
        key = path.relative_to(root).as_posix()
        return spec is not None and (spec.match_file(key) or (path.is_dir() and spec.match_file(key + "/")))

    found = []
    for path in iter_files(root, excluded=(".git",), root_excluded=(), prune=excluded):
        size = path.stat().st_size
        if size > MAX_OBJECT_BYTES:
            raise StackwrightError(
                f"{path} is {size // 2**30} GiB: one upload to S3 takes at most 5 GiB",
                hint="leave it out with excludeFilesPatterns and upload it on its own",
            )
        found.append((path.relative_to(root).as_posix(), path))
    return found


class HostingContentPackager:
    """Packager of `hosting-content` artifacts. `artifact.options` holds the resource's properties."""

    def digest(self, artifact: Artifact) -> str:
        props = artifact.options
        digest = hashlib.sha256(json.dumps(props, sort_keys=True, default=str).encode())
        build = props.get("build")
        root = upload_root(artifact.root, props)
        if build:  # the output does not exist yet: the build's inputs stand for it
            work = (artifact.root / str(build.get("workingDirectory", "."))).resolve()
            skip = root if root.is_relative_to(work) else None
            files = [
                (p.relative_to(work).as_posix(), p)
                for p in iter_files(work, prune=lambda p: skip is not None and p == skip)
            ]
        else:
            rules = file_rules(props)
            files = content_files(root, list(props.get("excludeFilesPatterns") or []))
            digest.update(json.dumps([describe_file(k, rules) for k, _ in files]).encode())
        for key, path in files:
            digest.update(key.encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        return digest.hexdigest()

    def build(self, artifact: Artifact, output_dir: Path) -> Path:
        props = artifact.options
        build = props.get("build")
        if build:
            run_build(artifact.root, build, artifact.resource)
        rules = file_rules(props)
        entries = []
        for key, path in content_files(
            upload_root(artifact.root, props), list(props.get("excludeFilesPatterns") or [])
        ):
            with open(path, "rb") as handle:
                md5 = hashlib.file_digest(handle, "md5").hexdigest()
            entries.append({"key": key, "md5": md5, "size": path.stat().st_size, **describe_file(key, rules)})
        if props.get("cleanUrls"):
            entries += clean_url_copies(entries)
        output_dir.mkdir(parents=True, exist_ok=True)
        # a built site is never taken from the cache (`{digest}.*`): its build runs on every deploy
        manifest = output_dir / (f"{artifact.digest}-built.json" if build else f"{artifact.digest}.json")
        manifest.write_text(json.dumps({"files": entries}, indent=1))
        return manifest


def clean_url_copies(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For clean URLs: each page also under the key of its URL without `.html`, served as the page
    (`about.html` and `about/index.html` both → `about`; the folder's page when there are both), unless
    a file has that key. The copy names its `source`, whose headers and tags it takes."""
    keys = {entry["key"] for entry in entries}
    copies: dict[str, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: e["key"].endswith("/index.html")):  # folder pages win
        key = entry["key"]
        if key.endswith("/index.html"):
            url = key[: -len("/index.html")]
        elif key.endswith(".html") and not key.endswith("index.html"):
            url = key[: -len(".html")]
        else:
            continue
        if url and url not in keys:
            copies[url] = {**entry, "key": url, "source": key}
    return [copies[url] for url in sorted(copies)]


def run_build(project_root: Path, build: dict[str, Any], resource: str) -> None:
    """Run `build.command` in a shell from `build.workingDirectory` (relative to the project root). Raises
    StackwrightError with the end of its output when it fails."""
    work = project_root / str(build.get("workingDirectory", "."))
    if not work.is_dir():
        raise StackwrightError(f"resources.{resource}: build.workingDirectory {work} is not a folder")
    import subprocess

    done = subprocess.run(
        str(build["command"]), shell=True, cwd=work, capture_output=True, text=True, errors="replace"
    )
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-20:]
        raise StackwrightError(
            f"resources.{resource}: the build command `{build['command']}` failed "
            f"(exit code {done.returncode})",
            details=tail,
            hint=f"run it yourself in {work} to see everything",
        )


def check_file_options(ctx: StackContext, options: list[dict[str, Any]], at: tuple[str | int, ...]) -> None:
    """Refuse, at config path `at`, what S3 would refuse only during the sync: a header it cannot serve
    from a file's metadata (only `S3_HEADERS`), an `Expires` that is not an HTTP date, a tag S3 does
    not accept (key 1-128 characters, value up to 256, letters, digits, spaces and `_.:/=+-@`)."""
    for index, option in enumerate(options):
        for number, header in enumerate(option.get("headers") or []):
            name = str(header["key"]).lower()
            if name not in S3_HEADERS:
                ctx.fail(
                    (*at, index, "headers", number),
                    f"header {header['key']!r} cannot be served from a file: S3 serves only "
                    + ", ".join(h.title() for h in S3_HEADERS),
                    hint="leave it out, or set it with a CloudFront response headers policy in `overrides`",
                )
            if name == "expires" and http_date(str(header["value"])) is None:
                ctx.fail(
                    (*at, index, "headers", number, "value"),
                    f"Expires must be an HTTP date, not {header['value']!r}",
                    hint="such as `Wed, 21 Oct 2026 07:28:00 GMT`; or use Cache-Control's max-age",
                )
        for number, tag in enumerate(option.get("tags") or []):
            key, value = str(tag["key"]), str(tag["value"])
            if not (1 <= len(key) <= 128 and len(value) <= 256 and _tag_text(key) and _tag_text(value)):
                ctx.fail(
                    (*at, index, "tags", number),
                    f"S3 does not accept the tag {key}={value!r}: keys 1-128 and values up to 256 "
                    "characters, of letters, digits, spaces and _ . : / = + - @",
                )


def _tag_text(text: str) -> bool:
    return all(c.isalnum() or c.isspace() or c in "_.:/=+-@" for c in text)


def http_date(text: str) -> Any:
    """`text` as a datetime when it is an HTTP date (RFC 9110), else None."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def refuse_published_project(ctx: StackContext, root: Path, at: tuple[str | int, ...]) -> None:
    """Refuse an upload folder that holds the project itself (its root, or a folder above it): its
    config and whatever secrets lie in it would be published."""
    project = ctx.project.root.resolve()
    if root == project or root in project.parents:
        ctx.fail(
            at,
            f"{root} holds the project itself: its config and any secret in it would be published",
            hint="point it at the folder the build writes the site to (`dist`, `build`, `out`)",
        )
