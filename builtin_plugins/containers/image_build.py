"""Container images: digest from exactly the build context Docker is sent (docker-py's `.dockerignore`
rules, the Dockerfile always), build through the Docker API only when that digest has no image yet."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from stackwright import Artifact, StackwrightError, digest_named, docker_client

BASE_IMAGE_ENV = "STACKWRIGHT_BUILDPACK_BASE_IMAGE"
DEFAULT_PYTHON = "3.12"
LOG_TAIL = 30


def dockerignore(context: Path) -> list[str]:
    path = context / ".dockerignore"
    if not path.is_file():
        return []
    return [
        line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]


def context_files(context: Path, dockerfile: Path | None = None) -> list[tuple[str, Path | bytes]]:
    """The files Docker sends for this build context: docker-py's own `.dockerignore` matching (the
    library that sends them), with the Dockerfile always included as Docker does. Folders such as
    `dist/`, `build/` or `node_modules/` count like any other unless `.dockerignore` leaves them out.
    A symbolic link is sent as a link, not followed: it counts by its target's name (`bytes`)."""
    from docker.utils.build import exclude_paths

    relative = os.path.relpath(dockerfile, context) if dockerfile else "Dockerfile"
    paths = exclude_paths(str(context), dockerignore(context), dockerfile=relative)
    files: list[tuple[str, Path | bytes]] = []
    for name in sorted(paths):
        path = context / name
        if path.is_symlink():
            files.append((Path(name).as_posix(), f"symlink:{os.readlink(path)}".encode()))
        elif path.is_file():
            files.append((Path(name).as_posix(), path))
    return files


class ImagePackager:
    """custom-dockerfile and stacktape-image-buildpack (Python) images."""

    def digest(self, artifact: Artifact) -> str:
        if artifact.packaging_type == "custom-dockerfile":
            dockerfile = Path(artifact.details["dockerfile"])
            inside = dockerfile.resolve().is_relative_to(artifact.root.resolve())
            context = context_files(artifact.root, dockerfile if inside else None)
            if not inside:
                context.append(("dockerfile:" + dockerfile.name, dockerfile))
            return digest_named(context, artifact.options)
        files: list[tuple[str, Path | bytes]] = list(artifact.details["sources"])
        from stackwright import pydeps

        manifest_dir = artifact.details.get("manifest_dir")
        listed = next((n for n in artifact.details.get("manifest_names") or [] if n.endswith(".txt")), None)
        files += pydeps.requirements_input(
            Path(manifest_dir) if manifest_dir else None, listed or "requirements.txt"
        )
        return digest_named(files, artifact.options)

    def local_ref(self, artifact: Artifact) -> str:
        return f"stackwright/{artifact.details['stack']}-{artifact.name}:{artifact.digest[:40]}"

    def build(self, artifact: Artifact, output_dir: Path) -> None:
        import tempfile

        client = docker_client()
        reference = self.local_ref(artifact)
        try:
            image = client.images.get(reference)
            artifact.details.update(image=reference, cached=True, size=int(image.attrs.get("Size", 0)))
            return None
        except Exception as error:  # docker.errors.ImageNotFound: build it
            if type(error).__name__ != "ImageNotFound":
                raise
        if artifact.packaging_type == "custom-dockerfile":
            self._build(artifact, client, artifact.root, Path(artifact.details["dockerfile"]), reference)
        else:
            with tempfile.TemporaryDirectory(prefix="stackwright-image-") as folder:
                dockerfile = self._buildpack_context(artifact, Path(folder))
                self._build(artifact, client, Path(folder), dockerfile, reference)
        image = client.images.get(reference)
        artifact.details.update(image=reference, cached=False, size=int(image.attrs.get("Size", 0)))
        return None

    def _build(
        self, artifact: Artifact, client: Any, context: Path, dockerfile: Path, reference: str
    ) -> None:
        props = artifact.packaging.get("properties") or {}
        args = {a["argName"]: str(a["value"]) for a in props.get("buildArgs") or []}
        log: list[str] = []
        try:
            relative = os.path.relpath(dockerfile, context)
            stream = client.api.build(
                path=str(context),
                dockerfile=relative,
                tag=reference,
                buildargs=args,
                target=props.get("target"),
                platform="linux/arm64" if artifact.options.get("architecture") == "arm64" else "linux/amd64",
                network_mode="host",
                rm=True,
                forcerm=True,
                decode=True,
                labels={"stackwright.digest": artifact.digest},
            )
            for chunk in stream:
                if "stream" in chunk:
                    log += [line for line in chunk["stream"].splitlines() if line.strip()]
                if "error" in chunk:
                    raise StackwrightError(
                        f"building image {artifact.name!r} failed: {chunk['error'].strip()}",
                        details=log[-LOG_TAIL:],
                    )
        except StackwrightError:
            raise
        except Exception as error:
            raise StackwrightError(
                f"building image {artifact.name!r} failed: {error}", details=log[-LOG_TAIL:]
            ) from None

    def _buildpack_context(self, artifact: Artifact, folder: Path) -> Path:
        import shutil
        import zipfile

        from jinja2 import Environment, PackageLoader
        from stackwright import pydeps

        details = artifact.details
        (folder / "app").mkdir()
        for name, path in details["sources"]:
            if name.startswith("manifest:"):
                continue
            target = folder / "app" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        requirements = (
            pydeps.requirements_text(details["manifest_dir"], details["manifest_names"])
            if details.get("manifest_dir")
            else ""
        )
        excluded = [
            str(d) for d in (artifact.packaging.get("properties") or {}).get("excludeDependencies") or []
        ]
        layer, _ = pydeps.dependency_zip(
            requirements, f"python{details['python']}", str(artifact.options["architecture"]), excluded, True
        )
        if layer:
            with zipfile.ZipFile(layer) as archive:
                archive.extractall(folder / "deps")
        template = Environment(
            loader=PackageLoader("stackwright.builtin_plugins.containers", "templates"),
            keep_trailing_newline=True,
            autoescape=False,
        ).get_template("python.Dockerfile.j2")
        base = os.environ.get(BASE_IMAGE_ENV) or f"python:{details['python']}-slim"
        props = artifact.packaging.get("properties") or {}
        (folder / "Dockerfile").write_text(
            template.render(
                base_image=base,
                has_dependencies=layer is not None,
                entry=details["entry"],
                custom_commands=props.get("customDockerBuildCommands") or [],
                port=details.get("port", 3000),
            )
        )
        return folder / "Dockerfile"
