"""Each container's image: an artifact to build (custom Dockerfile, Python buildpack) or a prebuilt one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from stackwright import Artifact, Resource, StackContext

from .image_build import BASE_IMAGE_ENV, DEFAULT_PYTHON

TEMPLATE = Path(__file__).parent / "templates" / "python.Dockerfile.j2"


def image_for(
    ctx: StackContext, resource: Resource, container: dict[str, Any], path: tuple[Any, ...], port: int
) -> Any:
    """The `Image` value for a container definition; registers an artifact when the image is built."""
    packaging = container["packaging"]
    kind = packaging["type"]
    props = packaging.get("properties") or {}
    where = (*path, "packaging")
    if kind == "prebuilt-image":
        return props["image"]
    job = f"{resource.name}-{container['name']}".lower()
    architecture = (resource.properties.get("resources") or {}).get("architecture", "x86_64")
    options: dict[str, Any] = {"type": kind, "architecture": architecture, "packaging": props}
    details: dict[str, Any] = {"stack": ctx.stack_name}
    if kind == "custom-dockerfile":
        context = ctx.project.root / str(props["buildContextPath"])
        if not context.is_dir():
            ctx.fail(
                (*where, "properties", "buildContextPath"),
                f"build context {props['buildContextPath']!r} is not a folder",
            )
        dockerfile = context / str(props.get("dockerfilePath") or "Dockerfile")
        if not dockerfile.is_file():
            ctx.fail(
                (*where, "properties", "dockerfilePath" if "dockerfilePath" in props else "buildContextPath"),
                f"Dockerfile {dockerfile.relative_to(ctx.project.root).as_posix()!r} does not exist",
            )
        details["dockerfile"] = dockerfile
        root = context
    else:
        from stackwright import MANIFESTS, collect, manifest_problem, shipped_anyway

        entry = ctx.project.root / str(props["entryfilePath"])
        if not entry.is_file():
            ctx.fail(
                (*where, "properties", "entryfilePath"),
                f"entry file {props['entryfilePath']!r} does not exist",
            )
        if not entry.resolve().is_relative_to(ctx.project.root.resolve()):
            ctx.fail(
                (*where, "properties", "entryfilePath"),
                f"entry file {props['entryfilePath']!r} is outside the project ({ctx.project.root}): the "
                "folder holding it would be packaged",
                hint="keep the code in the folder of the config file (or below it), or move the config up",
            )
        if entry.suffix != ".py":
            ctx.fail(
                (*where, "properties", "entryfilePath"),
                f"the image buildpack for {entry.suffix or 'extension-less'} entry files is not supported by "
                "the installed plugins yet",
                hint="use a Python entry file, or custom-dockerfile",
            )
        root = entry.parent
        problem = manifest_problem(ctx.project.root, props)
        if problem:
            ctx.fail((*where, "properties", "languageSpecificConfig", "packageManagerFile"), problem)
        sources = collect(ctx.project.root, root, props, MANIFESTS)
        language = props.get("languageSpecificConfig") or {}
        python = str(language.get("pythonVersion") or DEFAULT_PYTHON)
        details.update(
            sources=[*sources.files, *((f"manifest:{n}", p) for n, p in sources.manifests)],
            manifest_dir=sources.manifest_dir,
            manifest_names=[Path(n).name for n, _ in sources.manifests],
            entry=entry.name,
            python=python,
            port=port,
            withheld=sources.withheld,
            outside=sources.outside,
            shipped=shipped_anyway(ctx.project.root, props),
        )
        options.update(
            python=python,
            entry=entry.name,
            port=port,
            base=os.environ.get(BASE_IMAGE_ENV) or f"python:{python}-slim",
            template=hashlib.sha256(TEMPLATE.read_bytes()).hexdigest(),
        )
    artifact = ctx.add_artifact(
        Artifact(
            resource=resource.name,
            kind="image",
            packaging=packaging,
            root=root,
            job=job,
            options=options,
            details=details,
        )
    )
    return artifact.image_location()
