"""What a dynamic reference stands for, read from the engine's own Secrets Manager and Parameter Store,
following CloudFormation's forms: `secretsmanager:secret-id:SecretString:json-key:version-stage:version-id`
(a name or an ARN), `ssm:name[:version]` and `ssm-secure:name[:version]`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reference:
    service: str  # secretsmanager | ssm | ssm-secure
    key: str  # what follows `service:` in the reference

    @property
    def text(self) -> str:
        return f"{{{{resolve:{self.service}:{self.key}}}}}" if self.service else self.key

    @property
    def name(self) -> str:
        """The secret or parameter it reads (an ARN keeps its colons)."""
        if self.service == "secretsmanager":
            parts = self.key.split(":")
            return ":".join(parts[:7]) if self.key.startswith("arn:") else parts[0]
        name, _, version = self.key.rpartition(":")
        return name if version.isdigit() and name else self.key


class Unresolved(Exception):
    """A reference the engine cannot answer; the message says why, the hint how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def lookup(clients: Any, reference: Reference) -> str:
    """The value the reference stands for, read from the engine. Raises `Unresolved`."""
    from botocore.exceptions import ClientError

    if "${" in reference.key or not reference.service:
        raise Unresolved(
            f"{reference.text!r} is (part of) a dynamic reference built from other values (Fn::Sub, "
            "Fn::Join), which the local engine cannot resolve before deploying",
            "name the secret or parameter literally",
        )
    if reference.service == "secretsmanager":
        return _secret(clients, reference)
    try:
        answer = clients.client("ssm").get_parameter(
            Name=reference.key, WithDecryption=reference.service == "ssm-secure"
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("ParameterNotFound", "ParameterVersionNotFound"):
            raise Unresolved(
                f"parameter {reference.key!r} does not exist in the local engine",
                f"create it in the engine: aws --endpoint-url {_endpoint(clients)} ssm put-parameter "
                f"--name {reference.name} --type String --value ...",
            ) from None
        raise
    return str(answer["Parameter"]["Value"])


def _secret(clients: Any, reference: Reference) -> str:
    from botocore.exceptions import ClientError

    name = reference.name
    rest = reference.key[len(name) + 1 :].split(":") if len(reference.key) > len(name) else []
    if len(rest) > 4 or rest[0:1] not in ([], [""], ["SecretString"]):
        raise Unresolved(
            f"{reference.text} is not a secretsmanager dynamic reference CloudFormation understands",
            "the form is {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}",
        )
    _, json_key, stage, version_id = [*rest, "", "", "", ""][:4]
    options = {"VersionStage": stage} if stage else {"VersionId": version_id} if version_id else {}
    try:
        answer = clients.client("secretsmanager").get_secret_value(SecretId=name, **options)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            what = f" has no version {stage or version_id!r}" if options else " does not exist"
            raise Unresolved(
                f"secret {name!r}{what} in the local engine",
                f"create it with `stackwright local secret {name}` (the value is read from stdin), or "
                f"through the Secrets Manager API at {_endpoint(clients)}",
            ) from None
        raise
    if "SecretString" not in answer:
        raise Unresolved(f"secret {name!r} holds binary data", "CloudFormation reads SecretString only")
    value = str(answer["SecretString"])
    if not json_key:
        return value
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Unresolved(
            f"secret {name!r} is not a JSON object, so it has no key {json_key!r}",
            f'store it as JSON, e.g. {{"{json_key}": "..."}}',
        )
    if json_key not in data:
        raise Unresolved(
            f"secret {name!r} has no key {json_key!r}",
            "its keys: " + ", ".join(sorted(map(str, data))) if data else "it is an empty JSON object",
        )
    found = data[json_key]
    return found if isinstance(found, str) else json.dumps(found)


def _endpoint(clients: Any) -> str:
    return str(getattr(getattr(clients, "endpoint", None), "endpoint_url", None) or "the engine's endpoint")
