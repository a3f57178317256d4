"""Container images in the stack's repository: ECR on AWS; on the local target, the local registry plus a
record in the engine's ECR, so `describe_images` sees what was pushed. Tags: `{job}--{digest}--{version}`."""

from __future__ import annotations

import json
import threading
from typing import Any

from stackwright import IMAGE_REPOSITORY_ID, Artifact, StackContext, StackwrightError, docker_client

MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"
)


class ImageStore:
    def __init__(self, ctx: StackContext, repository: str) -> None:
        self.ctx = ctx
        self.ecr = ctx.clients.client("ecr")
        self.repository = repository
        self._tags: list[str] | None = None
        self._lock = threading.Lock()

    def tags(self) -> list[str]:
        with self._lock:
            if self._tags is None:
                found: list[str] = []
                for page in self.ecr.get_paginator("list_images").paginate(repositoryName=self.repository):
                    found += [i["imageTag"] for i in page.get("imageIds", []) if i.get("imageTag")]
                self._tags = found
            return self._tags

    def find(self, artifact: Artifact) -> str | None:
        prefix = f"{artifact.name}--{artifact.digest}--"
        versions = sorted(tag.removeprefix(prefix) for tag in self.tags() if tag.startswith(prefix))
        return versions[0] if versions else None

    def upload(self, artifact: Artifact) -> int:
        image = artifact.details.get("image")
        if not image:
            raise StackwrightError(f"image {artifact.name!r} was not built")
        client = docker_client()
        tag = artifact.image_tag
        registry = self.ctx.clients.registry() if self.ctx.clients.registry else None
        if registry is None:
            registry = self._login(client)
        target = f"{registry}/{self.repository}"
        client.images.get(image).tag(target, tag=tag)
        for line in client.api.push(target, tag=tag, stream=True, decode=True):
            if "error" in line:
                raise StackwrightError(f"pushing {artifact.name!r} to {target} failed: {line['error']}")
        if self.ctx.clients.registry:
            self._record(registry, tag)
        with self._lock:
            if self._tags is not None:
                self._tags.append(tag)
        return int(artifact.details.get("size", 0))

    def _login(self, client: Any) -> str:
        import base64

        data = self.ecr.get_authorization_token()["authorizationData"][0]
        user, password = base64.b64decode(data["authorizationToken"]).decode().split(":", 1)
        endpoint = str(data["proxyEndpoint"])
        client.login(username=user, password=password, registry=endpoint)
        return endpoint.removeprefix("https://")

    def _record(self, registry: str, tag: str) -> None:
        """Tell the engine's ECR about the image the local registry now holds."""
        import urllib.request

        request = urllib.request.Request(
            f"http://{registry}/v2/{self.repository}/manifests/{tag}", headers={"Accept": MANIFEST_TYPES}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            manifest = response.read().decode()
            media_type = response.headers.get("Content-Type", "").split(";")[0]
        self.ecr.put_image(
            repositoryName=self.repository,
            imageManifest=manifest,
            imageTag=tag,
            **({"imageManifestMediaType": media_type} if media_type else {}),
        )
        json.loads(manifest)  # a registry that answered something else fails here, loudly

    def delete(self, artifact: Artifact) -> None:
        self.ecr.batch_delete_image(
            repositoryName=self.repository, imageIds=[{"imageTag": artifact.image_tag}]
        )


def image_store_for(ctx: StackContext) -> ImageStore | None:
    if ctx.aws is None or ctx.state is None:
        return None
    repository = ctx.state.resources.get(IMAGE_REPOSITORY_ID)
    if not repository:
        return None
    store = ctx.memo.get("image-store")
    if not isinstance(store, ImageStore) or store.repository != repository:
        store = ctx.memo["image-store"] = ImageStore(ctx, repository)
    return store
