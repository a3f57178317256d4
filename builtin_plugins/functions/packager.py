"""The packager for Lambda zips: digest from the inputs, build only when asked."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from stackwright import (
    MANIFESTS,
    NODE_MANIFESTS,
    Artifact,
    Sources,
    collect,
    digest_named,
    included_files,
    prebuilt,
    shipped_anyway,
)

from .artifact import BUILDPACK, VCS_DIRS


class LambdaPackager:
    """Python and Node buildpacks and custom artifacts. `use_cache=False` reinstalls dependencies.
    `memo` (one per compile) keeps what functions sharing a folder would otherwise each find again: the
    folder's files and their digest (a thousand functions in one folder walk and hash it once)."""

    def __init__(self, use_cache: bool = True, memo: dict[str, Any] | None = None) -> None:
        self.use_cache = use_cache
        self.memo: dict[str, Any] = {} if memo is None else memo

    def _sources(self, artifact: Artifact) -> Sources:
        known = artifact.details.get("sources")
        if isinstance(known, Sources):
            return known
        project_root: Path = artifact.details["project_root"]
        props = artifact.packaging.get("properties") or {}
        if artifact.packaging_type != BUILDPACK:
            sources = prebuilt(project_root, artifact.root, VCS_DIRS)
            artifact.details.update(
                sources=sources,
                withheld=list(sources.withheld),
                outside=list(sources.outside),
                ship_hint="to ship them, zip the folder yourself and set packagePath to the .zip",
            )
            return sources
        python = artifact.packaging_type == BUILDPACK and Path(artifact.details["entry"]).suffix == ".py"
        key = json.dumps(["sources", str(project_root), str(artifact.root), props, python], default=str)
        if key not in self.memo:
            manifests = MANIFESTS if python else NODE_MANIFESTS
            self.memo[key] = (
                shipped_anyway(project_root, props),
                collect(project_root, artifact.root, props, manifests),
            )
        shipped, sources = self.memo[key]
        assert isinstance(sources, Sources)
        artifact.details["shipped"] = shipped
        artifact.details["sources"] = sources
        artifact.details["withheld"] = list(sources.withheld)
        artifact.details["outside"] = list(sources.outside)
        artifact.details["python"] = python
        return sources

    def digest(self, artifact: Artifact) -> str:
        root = artifact.root
        if artifact.packaging_type != BUILDPACK:
            files = [(root.name, root)] if root.is_file() else self._sources(artifact).files
            return digest_named(files, artifact.options)
        entry = Path(artifact.details["entry"])
        if entry.suffix != ".py":
            props = artifact.packaging.get("properties") or {}
            artifact.details["shipped"] = shipped_anyway(Path(artifact.details["project_root"]), props)
            included: list[tuple[str, Path | bytes]] = [
                (f"include:{name}", path) for name, path in included_files(artifact.root, props)
            ]
            inputs = self._bundle_inputs(artifact)
            if inputs is None:  # no esbuild: packaging says so; the digest stands for the entry alone
                return digest_named([("entry", entry), *included], {**artifact.options, "esbuild": None})
            return digest_named([*inputs, *included], artifact.options)
        sources = self._sources(artifact)
        manifests: list[tuple[str, Path | bytes]] = [
            (f"manifest:{name}", path) for name, path in sources.manifests
        ]
        if artifact.details.get("python"):
            from stackwright import pydeps

            listed = next((Path(n).name for n, _ in sources.manifests if n.endswith(".txt")), None)
            manifests += pydeps.requirements_input(sources.manifest_dir, listed or "requirements.txt")
        inputs = [*sources.files, *manifests]
        key = json.dumps(["digest", [(n, str(v)) for n, v in inputs], artifact.options], default=str)
        if key not in self.memo:
            self.memo[key] = digest_named(inputs, artifact.options)
        return str(self.memo[key])

    @staticmethod
    def _bundle_inputs(artifact: Artifact) -> list[tuple[str, Path | bytes]] | None:
        """What esbuild reads for the bundle, named relative to the project (see `node_inputs`); None
        when esbuild is not installed (the build then says so, and the digest covers the project)."""
        from stackwright import StackwrightError

        from .builders import find_esbuild
        from .node_inputs import bundle_inputs

        entry, project_root = Path(artifact.details["entry"]), Path(artifact.details["project_root"])
        try:
            esbuild = find_esbuild(entry.parent, project_root)
        except StackwrightError:
            return None
        try:
            runtime, tsconfig = str(artifact.options["runtime"]), artifact.options.get("tsConfigPath")
            paths = bundle_inputs(
                esbuild, entry, project_root, runtime, project_root / tsconfig if tsconfig else None
            )
        except StackwrightError as error:
            raise StackwrightError(
                f"function {artifact.name!r}: {error.message}", details=error.details
            ) from None
        # named relative to the project, also outside it (`../shared/util.ts`): the same on every checkout
        return [(Path(os.path.relpath(path, project_root)).as_posix(), path) for path in paths]

    def build(self, artifact: Artifact, output_dir: Path) -> Path:
        """The zip at `output_dir/{digest}.zip`. Raises StackwrightError, naming the function, when it
        cannot be built."""
        from stackwright import StackwrightError

        try:
            return self._build(artifact, output_dir)
        except StackwrightError as error:
            if error.message.startswith("function "):
                raise
            message = f"function {artifact.name!r}: {error.message}"
            raise StackwrightError(message, hint=error.hint, details=error.details) from None

    def _build(self, artifact: Artifact, output_dir: Path) -> Path:
        from .builders import build_custom, build_node, build_python  # only a build needs them

        out = output_dir / f"{artifact.digest}.zip"
        if artifact.packaging_type != BUILDPACK:
            files = None if artifact.root.is_file() else self._sources(artifact).files
            build_custom(artifact, artifact.root, out, files)
            return out
        entry = Path(artifact.details["entry"])
        if entry.suffix == ".py":
            sources = self._sources(artifact)
            artifact.details["installed"] = build_python(artifact, sources, out, self.use_cache)
        else:
            props = artifact.packaging.get("properties") or {}
            extra = included_files(artifact.root, props)
            build_node(artifact, entry, artifact.details["project_root"], out, extra)
        return out
