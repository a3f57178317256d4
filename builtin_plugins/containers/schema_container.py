"""JSON Schema of what one container is: its image packaging, logging, health check, mounts, dependencies.

Packaging has Stacktape's five types, discriminated by `type`: `stacktape-image-buildpack`,
`external-buildpack`, `prebuilt-image`, `custom-dockerfile` and `nixpacks`. Batch jobs accept the same
types with slightly fewer properties (no `entryPoint`, no registry credentials). `ContainerLogging`
refers to `LogForwarding`, which `schema` takes from the `api` plugin's definitions.
"""

from __future__ import annotations

from typing import Any

from stackwright import schema

_obj, _strings, _tagged = schema.obj, schema.strings, schema.tagged
RETENTION_DAYS = schema.RETENTION_DAYS


def _stp_buildpack() -> dict[str, Any]:
    return _obj(
        {
            "languageSpecificConfig": {"$ref": "#/$defs/ImageLanguageSpecificConfig"},
            "requiresGlibcBinaries": {"type": "boolean"},
            "customDockerBuildCommands": _strings(),
            "entryfilePath": {"type": "string"},
            "includeFiles": _strings(),
            "excludeFiles": _strings(),
            "excludeDependencies": _strings(),
        },
        "entryfilePath",
    )


def _external_buildpack() -> dict[str, Any]:
    return _obj(
        {
            "builder": {"type": "string"},
            "buildpacks": _strings(),
            "sourceDirectoryPath": {"type": "string"},
            "command": _strings(),
        },
        "sourceDirectoryPath",
    )


def _nixpacks() -> dict[str, Any]:
    return _obj(
        {
            "sourceDirectoryPath": {"type": "string"},
            "buildImage": {"type": "string"},
            "providers": _strings(),
            "startCmd": {"type": "string"},
            "startRunImage": {"type": "string"},
            "startOnlyIncludeFiles": _strings(),
            "phases": {"type": "array", "items": {"$ref": "#/$defs/NixpacksPhase"}},
        },
        "sourceDirectoryPath",
    )


#: What each packaging type is, shown when completing its `type:`.
PACKAGING_SUMMARIES = {
    "stacktape-image-buildpack": "build an image from an entry file and its dependencies, no Dockerfile.",
    "external-buildpack": "build an image with Cloud Native Buildpacks.",
    "prebuilt-image": "run an image that is already in a registry.",
    "custom-dockerfile": "build an image from your Dockerfile.",
    "nixpacks": "build an image with Nixpacks.",
}


def _pack(type_name: str, props: dict[str, Any]) -> dict[str, Any]:
    return _tagged(type_name, props, summary=PACKAGING_SUMMARIES[type_name])


def _custom_dockerfile(entry_point: bool) -> dict[str, Any]:
    props: dict[str, Any] = {"entryPoint": _strings()} if entry_point else {}
    props |= {
        "dockerfilePath": {"type": "string"},
        "buildContextPath": {"type": "string"},
        "buildArgs": {"type": "array", "items": {"$ref": "#/$defs/DockerBuildArg"}},
        "command": _strings(),
    }
    return _obj(props, "buildContextPath")


DEFINITIONS: dict[str, Any] = {
    "ContainerPackaging": {
        "anyOf": [
            _pack("stacktape-image-buildpack", _stp_buildpack()),
            _pack("external-buildpack", _external_buildpack()),
            _pack(
                "prebuilt-image",
                _obj(
                    {
                        "repositoryCredentialsSecretArn": {"type": "string"},
                        "entryPoint": _strings(),
                        "image": {"type": "string"},
                        "command": _strings(),
                    },
                    "image",
                ),
            ),
            _pack("custom-dockerfile", _custom_dockerfile(entry_point=True)),
            _pack("nixpacks", _nixpacks()),
        ]
    },
    "BatchJobPackaging": {
        "anyOf": [
            _pack("stacktape-image-buildpack", _stp_buildpack()),
            _pack("external-buildpack", _external_buildpack()),
            _pack("prebuilt-image", _obj({"image": {"type": "string"}, "command": _strings()}, "image")),
            _pack("custom-dockerfile", _custom_dockerfile(entry_point=False)),
            _pack("nixpacks", _nixpacks()),
        ]
    },
    "DockerBuildArg": _obj({"argName": {"type": "string"}, "value": {"type": "string"}}, "argName", "value"),
    "NixpacksPhase": _obj(
        {
            "name": {"type": "string"},
            "cmds": _strings(),
            "nixPkgs": _strings(),
            "nixLibs": _strings(),
            "nixOverlay": _strings(),
            "nixpkgsArchive": {"type": "string"},
            "aptPkgs": _strings(),
            "cacheDirectories": _strings(),
            "onlyIncludeFiles": _strings(),
        },
        "name",
    ),
    # Not discriminated: which branch applies follows from the entry file's language.
    "ImageLanguageSpecificConfig": {
        "anyOf": [
            _obj(
                {
                    "tsConfigPath": {"type": "string"},
                    "emitTsDecoratorMetadata": {"type": "boolean"},
                    "dependenciesToExcludeFromBundle": _strings(),
                    "outputModuleFormat": {"type": "string", "enum": ["cjs", "esm"]},
                    "nodeVersion": {"type": "number", "enum": [16, 17, 18, 19, 20, 21, 22, 23, 24]},
                    "disableSourceMaps": {"type": "boolean"},
                    "outputSourceMapsTo": {"type": "string"},
                    "dependenciesToExcludeFromDeploymentPackage": _strings(),
                }
            ),
            _obj(
                {
                    "packageManagerFile": {"type": "string"},
                    "packageManager": {"type": "string", "const": "uv"},
                    "uvOptionalDependencies": _strings(),
                    "uvWithGroups": _strings(),
                    "uvWithoutGroups": _strings(),
                    "uvOnlyGroups": _strings(),
                    "pythonVersion": {
                        "type": "number",
                        "enum": [2.7, 3.6, 3.7, 3.8, 3.9, 3.11, 3.12, 3.13, 3.14],
                    },
                    "runAppAs": {"type": "string", "enum": ["ASGI", "WSGI"]},
                    "minify": {"type": "boolean"},
                }
            ),
            _obj(
                {
                    "useMaven": {"type": "boolean"},
                    "packageManagerFile": {"type": "string"},
                    "javaVersion": {"type": "number", "enum": [8, 11, 17, 19]},
                }
            ),
            _obj({"phpVersion": {"type": "number", "enum": [8.2, 8.3]}}),
            _obj({"projectFile": {"type": "string"}, "dotnetVersion": {"type": "number", "enum": [6, 8]}}),
            {"type": "object", "additionalProperties": False},
            _obj({"rubyVersion": {"type": "number", "enum": [3.2, 3.3]}}),
        ]
    },
    "ContainerLogging": _obj(
        {
            "disabled": {"type": "boolean"},
            "retentionDays": {"type": "number", "enum": RETENTION_DAYS},
            "logForwarding": {"$ref": "#/$defs/LogForwarding"},
        }
    ),
    "ContainerHealthCheck": _obj(
        {
            "healthCheckCommand": _strings(),
            "intervalSeconds": {"type": "number"},
            "timeoutSeconds": {"type": "number"},
            "retries": {"type": "number"},
            "startPeriodSeconds": {"type": "number"},
        },
        "healthCheckCommand",
    ),
    "ContainerEfsMount": _tagged(
        "efs",
        _obj(
            {
                "efsFilesystemName": {"type": "string"},
                "rootDirectory": {"type": "string"},
                "mountPath": {"type": "string"},
            },
            "efsFilesystemName",
            "mountPath",
        ),
    ),
    "ContainerDependency": _obj(
        {
            "containerName": {"type": "string"},
            "condition": {"type": "string", "enum": ["START", "COMPLETE", "SUCCESS", "HEALTHY"]},
        },
        "containerName",
        "condition",
    ),
}
