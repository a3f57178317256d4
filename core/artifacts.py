"""Artifacts: what a deploy builds and uploads (Lambda zips, container images), named by content digest."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from stackwright.errors import StackwrightError

#: What an artifact is: `lambda-zip` and `image` for the built-ins, or a plugin's own kind. Packagers
#: and stores are chosen by kind; built files are cached per kind and digest.
ArtifactKind = str

#: Logical ids of the bootstrap resources that hold artifacts (fixed: renaming them replaces them).
DEPLOYMENT_BUCKET_ID = "StpDeploymentBucket"
IMAGE_REPOSITORY_ID = "StpContainerRepository"

#: Folders that never belong in an artifact's inputs.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "node_modules",
        ".stackwright",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
    }
)
#: Output folders of builds and tools, skipped only at the top of a code folder: deeper down a folder of
#: that name may be a package the code imports (`myapp/build/`).
ROOT_EXCLUDED_DIRS = frozenset({"venv", "dist", "build", ".aws-sam", ".serverless", ".stacktape", "cdk.out"})


@dataclass
class Artifact:
    """One thing to build and store. `digest` is set from the inputs before anything is built.

    resource: the config resource it belongs to; job: the packaging job name (a resource may have several,
    one per container); packaging: the config's packaging block (`type` and `properties`); options: what
    the digest covers besides files; details: the packager's own notes (not part of the digest);
    after_deploy: the artifact goes into a resource of the stack itself (a hosting bucket's files), so no
    artifact store holds it: the upload phase skips it, and the type that owns it sends it once the stack
    is deployed (its `stackwright_after_phase` for `Phase.DEPLOY`) or as its hot-swap.
    """

    resource: str
    kind: ArtifactKind
    packaging: dict[str, Any]
    root: Path
    job: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    version: str = "v000001"
    path: Path | None = None
    details: dict[str, Any] = field(default_factory=dict)
    after_deploy: bool = False

    @property
    def name(self) -> str:
        return self.job or self.resource

    @property
    def packaging_type(self) -> str:
        return str(self.packaging.get("type", ""))

    @property
    def s3_key(self) -> str:
        """`{kind}/{digest}.zip`: one object per content, shared by every artifact (of any resource and
        any version) with that digest."""
        return f"{self.kind}/{self.digest}.zip"

    @property
    def image_tag(self) -> str:
        return f"{self.name}--{self.digest}--{self.version}"

    def code_location(self) -> dict[str, Any]:
        """Where a Lambda zip lives, for a template's `Code` property. The same dict is returned each
        time and kept current by `refresh()`, so a template holding it follows the artifact's version."""
        location = self.details.setdefault("code_location", {})
        location.update({"S3Bucket": {"Ref": DEPLOYMENT_BUCKET_ID}, "S3Key": self.s3_key})
        return location  # type: ignore[no-any-return]

    def image_location(self) -> dict[str, Any]:
        """The image URI in the stack's repository, for a task definition's `Image` (kept current like
        `code_location`)."""
        location = self.details.setdefault("image_location", {})
        location["Fn::Sub"] = [
            "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Repository}:" + self.image_tag,
            {"Repository": {"Ref": IMAGE_REPOSITORY_ID}},
        ]
        return location  # type: ignore[no-any-return]

    def refresh(self) -> None:
        """Update every location handed out for this artifact (after its version or digest changed)."""
        if "code_location" in self.details:
            self.code_location()
        if "image_location" in self.details:
            self.image_location()


class Packager(Protocol):
    """Builds one kind of artifact. Returned by the `stackwright_get_packager` hook."""

    def digest(self, artifact: Artifact) -> str:
        """A digest of every input that affects the built artifact, computed without building."""

    def build(self, artifact: Artifact, output_dir: Path) -> Path | None:
        """Build the artifact: a file (zip) into `output_dir`, returned; or an image, returned as None with
        `artifact.details["image"]` set (and `["cached"]` when it was already built)."""


class ArtifactStore(Protocol):
    """Where built artifacts are kept. Returned by the `stackwright_get_artifact_store` hook."""

    def find(self, artifact: Artifact) -> str | None:
        """The deployment version under which an artifact with this digest is stored, or None. A store
        that holds one object per digest whatever the version (the deployment bucket) returns the
        artifact's own `version` when it holds the digest."""

    def upload(self, artifact: Artifact) -> int:
        """Store the built artifact (`artifact.path`) under `artifact.version`; return the bytes sent."""

    def delete(self, artifact: Artifact) -> None:
        """Remove the stored artifact (used when the deploy that uploaded it failed)."""


def iter_files(
    root: Path,
    excluded: Iterable[str] = EXCLUDED_DIRS,
    prune: Callable[[Path], bool] | None = None,
    root_excluded: Iterable[str] | None = None,
) -> Iterator[Path]:
    """Every file under `root` in a stable order, skipping `excluded` folder names at any depth,
    `root_excluded` ones right under `root` (by default `ROOT_EXCLUDED_DIRS` when `excluded` is the
    default, else none), and any folder or file for
    which `prune(path)` is true (neither followed nor checked: what `excludeFiles` leaves out). Symbolic
    links are followed, to folders as to files, so the zip, its digest and `excludeFiles` all see the tree
    the code imports. Raises StackwrightError naming a link that points nowhere, one that leads back
    into its own folder (a loop), or a file that is not a regular one (a pipe, socket or device)."""
    skip = frozenset(excluded)
    top = frozenset(
        root_excluded
        if root_excluded is not None
        else ROOT_EXCLUDED_DIRS
        if excluded is EXCLUDED_DIRS
        else ()
    )
    start = Path(root)
    for folder, dirs, files in os.walk(start, followlinks=True):
        here = Path(folder)
        ancestors = {os.path.realpath(p) for p in (here, *here.parents)}
        kept = []
        for name in sorted(dirs):
            path = here / name
            if name in skip or (here == start and name in top) or (prune is not None and prune(path)):
                continue
            if path.is_symlink() and os.path.realpath(path) in ancestors:
                raise StackwrightError(
                    f"{path} is a symbolic link to {os.readlink(path)}, a folder that holds it (a loop)",
                    hint="point the link elsewhere, remove it, or leave it out with excludeFiles",
                )
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if prune is not None and prune(path):
                continue
            if path.is_symlink() and not path.exists():
                target = os.readlink(path)
                loop = os.path.realpath(path) == str(path.absolute()) or _loops(path)
                raise StackwrightError(
                    f"{path} is a symbolic link to {target}, "
                    + ("which leads back to itself (a loop)" if loop else "which does not exist"),
                    hint="fix or remove the link, or leave it out with excludeFiles",
                )
            if not path.is_file():  # a named pipe, a socket or a device: reading it could never end
                raise StackwrightError(
                    f"{path} is not a regular file (a pipe, socket or device, or a link to one), so it "
                    "cannot be packaged",
                    hint="remove it, or leave it out with excludeFiles",
                )
            yield path


def _loops(path: Path) -> bool:
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13: "Symlink loop"
        return True
    except OSError as error:
        return error.errno == 40  # ELOOP
    return False


def digest_inputs(files: Iterable[Path], root: Path, options: dict[str, Any]) -> str:
    """sha256 over each file's path relative to `root`, mode bit and content, plus the options."""
    return digest_named(((path.relative_to(root).as_posix(), path) for path in files), options)


def digest_named(files: Iterable[tuple[str, Path | bytes]], options: dict[str, Any]) -> str:
    """sha256 over (name, executable bit, content) of each file, in the given order, plus the options as
    canonical JSON. Names, not absolute paths, so the digest is the same on every machine. An entry may
    give its content as bytes instead of a path (a symbolic link sent as a link: its target)."""
    h = hashlib.sha256()
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    stamps: dict[str, tuple[int, int]] = {}
    for rel, path in files:
        h.update(b"\0" + rel.encode() + b"\0")
        if isinstance(path, bytes):
            h.update(b"l" + hashlib.sha256(path).digest())
            continue
        h.update(b"x" if os.access(path, os.X_OK) else b"-")
        content, stamps[str(path)] = _stamped_digest(path)
        h.update(content)
    digest = h.hexdigest()
    _DIGEST_INPUTS[digest] = stamps  # the latest computation of this digest is what a build reads
    return digest


_FILE_DIGESTS: dict[tuple[str, int, int], bytes] = {}
#: What each digest `digest_named` made in this process was computed from: digest → file → (mtime in
#: ns, size), so that a build can tell whether a file changed since (`changed_since_digest`).
_DIGEST_INPUTS: dict[str, dict[str, tuple[int, int]]] = {}


def file_digest(path: Path) -> bytes:
    """sha256 of a file's content, remembered for this process while its size and mtime are unchanged
    (many functions sharing one code folder hash each file once)."""
    return _stamped_digest(path)[0]


def _stamped_digest(path: Path) -> tuple[bytes, tuple[int, int]]:
    """The file's sha256 and the (mtime in ns, size) it is the content of: read again when the file
    changed while it was being read."""
    while True:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        known = _FILE_DIGESTS.get(key)
        if known is not None:
            return known, key[1:]
        h = hashlib.sha256()
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                h.update(chunk)
        after = path.stat()
        if (after.st_mtime_ns, after.st_size) == key[1:]:
            _FILE_DIGESTS[key] = h.digest()
            return h.digest(), key[1:]


def changed_since_digest(digest: str) -> list[str]:
    """The files `digest` was computed from (in this process, by `digest_named`) that changed or went
    since: a build made from them now would not be what `digest` names. [] when nothing changed, or
    when the digest was not made here."""
    changed = []
    for path, stamp in _DIGEST_INPUTS.get(digest, {}).items():
        try:
            now = os.stat(path)
        except OSError:
            changed.append(path)
            continue
        if (now.st_mtime_ns, now.st_size) != stamp:
            changed.append(path)
    return changed
