"""JSON Schema of the `bucket` type's properties (Stacktape's property names and enums)."""

from __future__ import annotations

import copy
from typing import Any

from stackwright import schema

from .descriptions import BUCKET_TEXTS, DEFINITION_TEXTS, HOSTING_TEXTS

_obj, _strings, _tagged = schema.obj, schema.strings, schema.tagged


STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE"]
HEADER_PRESETS = [
    "static-website",
    "single-page-app",
    "astro-static-website",
    "gatsby-static-website",
    "nuxt-static-website",
    "sveltekit-static-website",
]


def _tags() -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": "#/$defs/KeyValuePair"}}


def _lifecycle_rule(days: str, storage_class: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {days: {"type": "number", "minimum": 1}}
    if storage_class:
        props["storageClass"] = {"type": "string", "enum": STORAGE_CLASSES}
    props |= {"prefix": {"type": "string"}, "tags": _tags()}
    return _obj(props, days, *(["storageClass"] if storage_class else []))


_CDN: dict[str, Any] = schema.SHARED_DEFINITIONS["CdnConfiguration"]

_OWN_DEFINITIONS: dict[str, Any] = {
    "KeyValuePair": _obj({"key": {"type": "string"}, "value": {"type": "string"}}, "key", "value"),
    "DirectoryUploadFilter": _obj(
        {
            "includePattern": {"type": "string"},
            "excludePattern": {"type": "string"},
            "headers": _tags(),
            "tags": _tags(),
        },
        "includePattern",
    ),
    "BucketLifecycleRule": {
        "anyOf": [
            _tagged(
                "expiration",
                _lifecycle_rule("daysAfterUpload"),
                summary="delete objects some days after upload.",
            ),
            _tagged(
                "non-current-version-expiration",
                _lifecycle_rule("daysAfterVersioned"),
                summary="delete old versions some days after they are replaced.",
            ),
            _tagged(
                "class-transition",
                _lifecycle_rule("daysAfterUpload", storage_class=True),
                summary="move objects to another storage class some days after upload.",
            ),
            _tagged(
                "non-current-version-class-transition",
                _lifecycle_rule("daysAfterVersioned", storage_class=True),
                summary="move old versions to another storage class.",
            ),
            _tagged(
                "abort-incomplete-multipart-upload",
                _lifecycle_rule("daysAfterInitiation"),
                summary="discard unfinished multipart uploads.",
            ),
        ]
    },
    "BucketCdnConfiguration": {
        **_CDN,
        "properties": {
            "rewriteRoutesForSinglePageApp": {"type": "boolean"},
            "disableUrlNormalization": {"type": "boolean"},
            **copy.deepcopy(_CDN["properties"]),
        },
    },
}

DEFINITIONS: dict[str, Any] = {
    "DomainConfiguration": schema.SHARED_DEFINITIONS["DomainConfiguration"],
    "EnvironmentVar": schema.SHARED_DEFINITIONS["EnvironmentVar"],
    **_OWN_DEFINITIONS,
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "bucket": _obj(
        {
            "directoryUpload": _obj(
                {
                    "directoryPath": {"type": "string"},
                    "fileOptions": {"type": "array", "items": {"$ref": "#/$defs/DirectoryUploadFilter"}},
                    "excludeFilesPatterns": _strings(),
                    "headersPreset": {"type": "string", "enum": HEADER_PRESETS},
                    "disableS3TransferAcceleration": {"type": "boolean"},
                },
                "directoryPath",
            ),
            "accessibility": _obj(
                {
                    "accessibilityMode": {
                        "type": "string",
                        "enum": ["private", "public-read", "public-read-write"],
                    },
                    "accessPolicyStatements": {
                        "type": "array",
                        "items": _obj(
                            {
                                "Principal": {},
                                "Sid": {"type": "string"},
                                "Effect": {"type": "string"},
                                "Action": _strings(),
                                "Condition": {},
                                "Resource": _strings(),
                            },
                            "Principal",
                            "Resource",
                        ),
                    },
                },
                "accessibilityMode",
            ),
            "cors": _obj(
                {
                    "enabled": {"type": "boolean"},
                    "corsRules": {
                        "type": "array",
                        "items": _obj(
                            {
                                "allowedOrigins": _strings(),
                                "allowedHeaders": _strings(),
                                "allowedMethods": {
                                    "type": "array",
                                    "items": {
                                        "type": "string",
                                        "enum": ["*", "DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"],
                                    },
                                },
                                "exposedResponseHeaders": _strings(),
                                "maxAge": {"type": "number"},
                            }
                        ),
                    },
                },
                "enabled",
            ),
            "versioning": {"type": "boolean"},
            "encryption": {"type": "boolean"},
            "lifecycleRules": {"type": "array", "items": {"$ref": "#/$defs/BucketLifecycleRule"}},
            "enableEventBusNotifications": {"type": "boolean"},
            "cdn": {"$ref": "#/$defs/BucketCdnConfiguration"},
        }
    ),
}

_BUILD = _obj({"command": {"type": "string"}, "workingDirectory": {"type": "string"}}, "command")

SCHEMAS["hosting-bucket"] = _obj(
    {
        "uploadDirectoryPath": {"type": "string"},
        "build": _BUILD,
        "dev": copy.deepcopy(_BUILD),
        "excludeFilesPatterns": _strings(),
        "hostingContentType": {"type": "string", "enum": HEADER_PRESETS},
        "customDomains": {"type": "array", "items": {"$ref": "#/$defs/DomainConfiguration"}},
        "disableUrlNormalization": {"type": "boolean"},
        "edgeFunctions": _obj(
            {
                "onRequest": {"type": "string"},
                "onResponse": {"type": "string"},
                "onOriginRequest": {"type": "string"},
                "onOriginResponse": {"type": "string"},
            }
        ),
        "errorDocument": {"type": "string"},
        "indexDocument": {"type": "string"},
        "injectEnvironment": {"type": "array", "items": {"$ref": "#/$defs/EnvironmentVar"}},
        "writeDotenvFilesTo": {"type": "string"},
        "useFirewall": {"type": "string"},
        "fileOptions": {"type": "array", "items": {"$ref": "#/$defs/DirectoryUploadFilter"}},
        "routeRewrites": {"type": "array", "items": {"type": "object"}},
    },
    "uploadDirectoryPath",
)

REQUIRES_PROPERTIES: dict[str, bool] = {"bucket": False, "hosting-bucket": True}

for _name, _texts in DEFINITION_TEXTS.items():
    schema.describe(DEFINITIONS[_name], _texts)
schema.describe(SCHEMAS["bucket"], BUCKET_TEXTS)
schema.describe(SCHEMAS["hosting-bucket"], HOSTING_TEXTS)

#: Properties the schema accepts (so Stacktape configs validate) but no compiler handles yet.
_EDGE = "remove it: edge functions are not supported yet"
_REWRITES = "remove it: route rewrites to other origins are not supported yet"
_FIREWALL = "remove it: a web application firewall is not supported yet"
schema.refuse(
    DEFINITIONS["BucketCdnConfiguration"],
    {
        "cachingOptions": "remove it: objects are cached by path, for as long as their Cache-Control says "
        "(six months without one)",
        "forwardingOptions": "remove it: requests reach the bucket without cookies, headers or query strings",
        "routeRewrites": _REWRITES,
        "edgeFunctions": _EDGE,
        "useFirewall": _FIREWALL,
    },
)
schema.refuse(
    SCHEMAS["bucket"],
    {
        "directoryUpload.disableS3TransferAcceleration": (
            "stackwright uploads without S3 Transfer Acceleration: remove it or set it to true",
            (True,),
        )
    },
)
schema.refuse(
    SCHEMAS["hosting-bucket"],
    {
        "edgeFunctions": _EDGE,
        "routeRewrites": _REWRITES,
        "useFirewall": _FIREWALL,
        "dev": "remove it: run your dev server yourself (stackwright has no dev mode)",
    },
)
