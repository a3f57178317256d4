"""The extensions phase on CloudFormation: activate public registry types, register private ones, skip
what is already in place.

A public third-party type is in place when `DescribeType` finds it activated in the account (at the asked
major version, if one is given). A private type is in place when the version the plugin ships is the one
recorded at its last registration (`stackwright/extensions.json` in the deployment bucket): registering
is slow, so it happens only when the plugin's version moves. Shapes follow the CloudFormation API
reference (ActivateType, DescribeType, RegisterType, DescribeTypeRegistration, SetTypeDefaultVersion).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from stackwright import ExtensionStatus, ProviderExtension, StackContext, StackwrightError

RECORD_KEY = "stackwright/extensions.json"
#: Seconds between DescribeTypeRegistration polls, and the most to wait (AWS's waiter: 30 s x 120).
REGISTRATION_POLL = 5.0
REGISTRATION_TIMEOUT = 3600.0
#: How often an activation refused for its execution role is tried (IAM is eventually consistent: a new
#: role may not be assumable for some seconds), REGISTRATION_POLL apart.
ROLE_TRIES = 6


def ensure(
    ctx: StackContext,
    extensions: list[ProviderExtension],
    on_done: Callable[[ExtensionStatus], None] | None = None,
) -> list[ExtensionStatus]:
    from .extension_setup import keep_secret

    cf = ctx.clients.client("cloudformation")
    record = _read_record(ctx)
    before = json.dumps(record, sort_keys=True)
    secrets = {secret.name: secret for extension in extensions for secret in extension.secrets}
    for secret in secrets.values():
        keep_secret(ctx, secret)

    def one(extension: ProviderExtension) -> ExtensionStatus:
        if extension.mode == "register":
            status = _register(ctx, cf, extension, record)
        else:
            status = _activate(ctx, cf, extension, record)
        if on_done:
            on_done(status)
        return status

    workers = min(int(ctx.settings.get("extension_workers", 4)), len(extensions) or 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="extension") as pool:
        statuses = list(pool.map(one, extensions))
    if json.dumps(record, sort_keys=True) != before:
        _write_record(ctx, record)
    return statuses


def _failed(extension: ProviderExtension, action: str, error: Exception) -> StackwrightError:
    by = f" (needed by plugin {extension.plugin!r})" if extension.plugin else ""
    return StackwrightError(
        f"could not {action} the CloudFormation extension {extension.type_name}{by}: {error}",
        hint="check that the type is published in this region and that the credentials may "
        "activate and register CloudFormation types",
    )


def _activate(
    ctx: StackContext, cf: Any, extension: ProviderExtension, record: dict[str, Any]
) -> ExtensionStatus:
    """Activate a public type unless the record (or, without one, DescribeType) shows it active at the
    asked major version with the same execution role."""
    from botocore.exceptions import ClientError

    from .extension_setup import ensure_role, role_digest, role_name

    wanted = extension.major_version
    role = role_digest(ctx, extension)
    known = record.get(extension.type_name) or {}
    if known.get("activated") and known.get("major") == wanted and known.get("role", "") == role:
        return ExtensionStatus(extension.type_name, "in-place", str(known.get("arn", "")), "recorded")
    try:
        found = cf.describe_type(Type="RESOURCE", TypeName=extension.type_name)
    except cf.exceptions.TypeNotFoundException:
        found = None
    except ClientError as error:
        raise _failed(extension, "look up", error) from None
    if found is not None and found.get("IsActivated", True):
        version = str(found.get("PublicVersionNumber") or "")
        ours = str(found.get("ExecutionRoleArn") or "").endswith(f"/{role_name(extension.type_name)}")
        if (wanted is None or version.split(".")[0] == str(wanted)) and (not role or ours):
            if role:
                ensure_role(ctx, extension)  # its policy may have changed with the plugin
            arn = str(found.get("Arn", ""))
            record[extension.type_name] = {"activated": True, "major": wanted, "arn": arn, "role": role}
            return ExtensionStatus(extension.type_name, "in-place", arn, version)
    request: dict[str, Any] = {
        "Type": "RESOURCE",
        "TypeName": extension.type_name,
        "PublisherId": extension.publisher_id,
        "AutoUpdate": True,
    }
    if wanted is not None:
        request["MajorVersion"] = wanted
    role_arn = ensure_role(ctx, extension)
    if role_arn:
        request["ExecutionRoleArn"] = role_arn
    pause = float(ctx.settings.get("poll_interval", REGISTRATION_POLL))
    for attempt in range(ROLE_TRIES):
        try:
            arn = str(cf.activate_type(**request)["Arn"])
            break
        except ClientError as error:
            # a role IAM has just made takes a few seconds to be assumable everywhere
            said = str(error.response.get("Error", {}).get("Message", "")).lower()
            if not (role_arn and "role" in said and attempt + 1 < ROLE_TRIES):
                raise _failed(extension, "activate", error) from None
            time.sleep(pause)
    record[extension.type_name] = {"activated": True, "major": wanted, "arn": arn, "role": role}
    return ExtensionStatus(extension.type_name, "activated", arn, f"publisher {extension.publisher_id}")


def _register(
    ctx: StackContext, cf: Any, extension: ProviderExtension, record: dict[str, Any]
) -> ExtensionStatus:
    from botocore.exceptions import ClientError

    from .extension_setup import ensure_role

    known = record.get(extension.type_name) or {}
    if extension.version and known.get("version") == extension.version:
        return ExtensionStatus(extension.type_name, "in-place", str(known.get("arn", "")), extension.version)
    package = _package_url(ctx, extension)
    request: dict[str, Any] = {
        "Type": "RESOURCE",
        "TypeName": extension.type_name,
        "SchemaHandlerPackage": package,
    }
    role_arn = ensure_role(ctx, extension)
    if role_arn:
        request["ExecutionRoleArn"] = role_arn
    try:
        token = cf.register_type(**request)["RegistrationToken"]
        pause = float(ctx.settings.get("poll_interval", REGISTRATION_POLL))
        deadline = time.monotonic() + REGISTRATION_TIMEOUT
        while True:
            progress = cf.describe_type_registration(RegistrationToken=token)
            if progress["ProgressStatus"] == "COMPLETE":
                break
            if progress["ProgressStatus"] == "FAILED" or time.monotonic() > deadline:
                raise StackwrightError(
                    f"registering the CloudFormation extension {extension.type_name} failed: "
                    + " ".join(str(progress.get("Description") or "no reason given").split())
                )
            time.sleep(pause)
        version_arn = str(progress["TypeVersionArn"])
        cf.set_type_default_version(Arn=version_arn)
        _deregister_older(cf, extension, version_arn)
    except ClientError as error:
        raise _failed(extension, "register", error) from None
    record[extension.type_name] = {"version": extension.version, "arn": str(progress.get("TypeArn", ""))}
    return ExtensionStatus(extension.type_name, "registered", version_arn, extension.version)


def _deregister_older(cf: Any, extension: ProviderExtension, kept: str) -> None:
    """Deregister every version of the private type but `kept` (the new default): a private type holds
    at most 50 versions (CloudFormation quotas), and an old handler has no use."""
    request: dict[str, Any] = {
        "Type": "RESOURCE",
        "TypeName": extension.type_name,
        "DeprecatedStatus": "LIVE",
    }
    while True:
        page = cf.list_type_versions(**request)
        for version in page.get("TypeVersionSummaries", []):
            if version.get("Arn") and version["Arn"] != kept:
                cf.deregister_type(Arn=version["Arn"])
        if not page.get("NextToken"):
            return
        request["NextToken"] = page["NextToken"]


def _package_url(ctx: StackContext, extension: ProviderExtension) -> str:
    """The handler package as an s3:// URL; a local file is uploaded to the deployment bucket first."""
    package = extension.schema_handler_package
    if not package and extension.package_builder is not None:
        package = extension.package_builder()
    if package.startswith("s3://"):
        return package
    path = Path(package)
    bucket = ctx.state.bucket if ctx.state else None
    if not path.is_file() or not bucket:
        raise StackwrightError(
            f"the handler package of {extension.type_name} ({package}) "
            + ("does not exist" if not path.is_file() else "needs the deployment bucket, which is missing")
        )
    key = f"stackwright/extensions/{extension.type_name.replace('::', '-')}/{extension.version or 'x'}.zip"
    ctx.clients.client("s3").put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
    return f"s3://{bucket}/{key}"


def _read_record(ctx: StackContext) -> dict[str, Any]:
    bucket = ctx.state.bucket if ctx.state else None
    if not bucket:
        return {}
    s3 = ctx.clients.client("s3")
    try:
        data = json.loads(s3.get_object(Bucket=bucket, Key=RECORD_KEY)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _write_record(ctx: StackContext, record: dict[str, Any]) -> None:
    bucket = ctx.state.bucket if ctx.state else None
    if bucket:
        ctx.clients.client("s3").put_object(
            Bucket=bucket, Key=RECORD_KEY, Body=json.dumps(record, indent=1).encode()
        )


def describe(ctx: StackContext, type_names: list[str]) -> list[ExtensionStatus]:
    """Each type's registry state, read only: DescribeType's default (private) or public version and
    ARN, with the version stackwright recorded at its last registration."""
    from botocore.exceptions import ClientError

    cf = ctx.clients.client("cloudformation")
    record = _read_record(ctx)
    out = []
    for name in type_names:
        try:
            found = cf.describe_type(Type="RESOURCE", TypeName=name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in (
                "TypeNotFoundException",
                "CFNRegistryException",
            ):
                out.append(
                    ExtensionStatus(name, "missing", detail="not activated or registered in this region")
                )
                continue
            raise StackwrightError(f"cannot read the CloudFormation extension {name}: {error}") from None
        recorded = record.get(name) or {}
        public = found.get("PublicVersionNumber") or found.get("LatestPublicVersion")
        version = str(public or found.get("DefaultVersionId") or "")
        if found.get("IsActivated") or public:
            detail = f"public, activated (publisher {found.get('PublisherId', '?')})"
            if found.get("AutoUpdate"):
                detail += ", minor versions updated automatically"
        else:
            detail = "private, registered" + (
                f" from plugin version {recorded['version']}" if recorded.get("version") else ""
            )
        out.append(ExtensionStatus(name, "in-place", str(found.get("Arn", "")), detail, version))
    return out
