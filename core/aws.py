"""The one place boto3 clients are made: region, profile, retries, and the local engine's endpoint.

Tests never reach AWS: the local target sends every client to the embedded engine, and a test may
install its own `maker` (botocore's Stubber) for what the engine cannot do.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.errors import StackwrightError

USER_AGENT = "stackwright"
#: The operations a read-only `Clients` lets through: AWS names reads Describe*, List*, Get*, Head*,
#: BatchGet*, Lookup*, Search*, Query and Scan.
READ_OPERATION = re.compile(r"^(Describe|List|Get|Head|BatchGet|Lookup|Search)[A-Z]|^(Query|Scan)$")
#: Operations named like reads that make something: Cognito identities, and credentials or tokens minted
#: for the caller (STS, ECR, Redshift, CodeArtifact, RDS-style auth tokens).
NOT_READS = frozenset(
    {
        "GetId",
        "GetOpenIdToken",
        "GetOpenIdTokenForDeveloperIdentity",
        "GetCredentialsForIdentity",
        "GetSessionToken",
        "GetFederationToken",
        "GetAuthorizationToken",
        "GetClusterCredentials",
        "GetClusterCredentialsWithIAM",
        "GetLoginPassword",
    }
)


@dataclass(frozen=True)
class Endpoint:
    """Where clients go: a region, and either boto3's credential chain (with an optional `profile`) or an
    AWS-compatible `endpoint_url` with `static_credentials` (access key id, secret)."""

    region: str = "us-east-1"
    profile: str | None = None
    endpoint_url: str | None = None
    static_credentials: tuple[str, str] | None = None
    #: Attempts per call (botocore's adaptive retry mode: throttling and connection errors are retried
    #: with backoff), and the connect/read timeouts in seconds. AWS gets patient values; an endpoint on
    #: this machine is known dead at once, so a target there sets few attempts and a short connect.
    attempts: int = 10
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    #: After one call timed out (connect or read), fail every later call of the command at once rather
    #: than wait out each one's timeouts: for a target on this machine, where a timeout means it is
    #: suspended or hung, not a slow network.
    fail_fast: bool = False


#: Error codes by which AWS says something about the account or the credentials, not about the
#: request a plugin made: a user error wherever it comes from.
ENVIRONMENT_CODES: dict[str, str] = {
    "AccessDenied": "the credentials lack a permission this command needs",
    "AccessDeniedException": "the credentials lack a permission this command needs",
    "UnauthorizedOperation": "the credentials lack a permission this command needs",
    "ExpiredToken": "the credentials have expired: sign in again",
    "ExpiredTokenException": "the credentials have expired: sign in again",
    "RequestExpired": "the credentials have expired, or this machine's clock is wrong",
    "InvalidClientTokenId": "the credentials are not valid for this account",
    "SignatureDoesNotMatch": "the secret key does not match the access key",
    "NoSuchBucket": "the stack's deployment bucket was deleted outside stackwright: recreate it with "
    "the name shown, or delete the stack in the AWS console and deploy again",
}


def target_error(error: BaseException) -> StackwrightError | None:
    """The user error for what the target says about itself rather than about a request: a lost
    connection (botocore's `ConnectionError` and `HTTPClientError` families: refused, reset, timed out),
    an account/credentials error code (ENVIRONMENT_CODES), or an answer the client cannot parse; None
    for any other exception. These are the target's state, not plugin bugs."""
    import sys

    if "botocore" not in sys.modules:  # nothing made a client: it cannot be the target's answer
        return None
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(error, ConnectionError | HTTPClientError):
        from botocore.exceptions import ReadTimeoutError

        slow = (
            "it took the connection but did not answer in time. "
            if isinstance(error, ReadTimeoutError)
            else ""
        )
        return StackwrightError(
            f"lost the connection to the target: {error}",
            hint=f"{slow}Run the command again once the target answers: a deploy carries on from the "
            "state the stack is in. For the local engine, `stackwright local status` tells whether it "
            "runs, is suspended or hung; an engine that ended took what it held with it",
        )
    if isinstance(error, ClientError):
        hint = ENVIRONMENT_CODES.get(str(error.response.get("Error", {}).get("Code", "")))
        if hint:
            return StackwrightError(f"the target refused: {error}", hint=hint)
    from botocore.parsers import ResponseParserError

    if isinstance(error, ResponseParserError):  # AWS answers in its documented shapes; an emulator may not
        return StackwrightError(
            f"the target answered in a form the AWS client cannot read: {str(error).splitlines()[0]}",
            hint="from the local engine this is a change it refused without saying why; what it cannot do "
            "is listed under 'The local engine' in docs/how-to/deploy.md",
        )
    return None


def credentials_configured() -> bool:
    """Whether boto3 would find credentials without asking the network (env, files, SSO config)."""
    if (
        os.environ.get("AWS_ACCESS_KEY_ID")
        or os.environ.get("AWS_PROFILE")
        or os.environ.get("AWS_WEB_IDENTITY_TOKEN_FILE")
    ):
        return True
    home = Path.home() / ".aws"
    return (home / "credentials").exists() or (home / "config").exists()


@dataclass
class Clients:
    """Makes and caches boto3 clients for one endpoint. `maker` replaces boto3 (used with Stubber)."""

    endpoint: Endpoint = field(default_factory=Endpoint)
    maker: Callable[[str], Any] | None = None
    #: For targets that keep images outside ECR (the local engine): returns the registry's host:port.
    registry: Callable[[], str] | None = None
    _clients: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _session: Any = None
    #: The timeout that tripped `Endpoint.fail_fast`, raised again by every later call.
    _timed_out: BaseException | None = None
    #: Refuse every call that is not a read (`READ_OPERATION`), for the console: set it, and each client
    #: made before or after raises StackwrightError before a write is sent.
    read_only: bool = False

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                made = self.maker(service) if self.maker else self._make(service)
                if self.maker:  # `_make` guards the clients it makes itself
                    made.meta.events.register("before-call", self._refuse_writes)
                self._clients[service] = made
            return self._clients[service]

    def _refuse_writes(self, model: Any = None, **_: Any) -> None:
        name = str(getattr(model, "name", ""))
        if self.read_only and (not READ_OPERATION.match(name) or name in NOT_READS):
            service = str(getattr(getattr(model, "service_model", None), "service_name", ""))
            raise StackwrightError(f"refused {service} {name}: this command only reads from the target")

    def _make(self, service: str, attempts: int | None = None) -> Any:
        import boto3
        from botocore.config import Config

        if self._session is None:
            if self.endpoint.static_credentials:
                key, secret = self.endpoint.static_credentials
                self._session = boto3.session.Session(
                    aws_access_key_id=key, aws_secret_access_key=secret, region_name=self.endpoint.region
                )
            else:
                try:
                    self._session = boto3.session.Session(
                        profile_name=self.endpoint.profile, region_name=self.endpoint.region
                    )
                except Exception as error:  # botocore.exceptions.ProfileNotFound and friends
                    raise StackwrightError(
                        f"cannot use AWS profile {self.endpoint.profile!r}: {error}"
                    ) from None
        config = Config(
            retries={"mode": "adaptive", "max_attempts": attempts or self.endpoint.attempts},
            user_agent_extra=USER_AGENT,
            max_pool_connections=32,
            connect_timeout=self.endpoint.connect_timeout,
            read_timeout=self.endpoint.read_timeout,
        )
        client = self._session.client(service, endpoint_url=self.endpoint.endpoint_url, config=config)
        client.meta.events.register("before-call", self._refuse_writes)
        if self.endpoint.fail_fast:
            client.meta.events.register("needs-retry", self._note_timeout)
            client.meta.events.register("before-call", self._refuse_after_timeout)
            client.meta.events.register("before-send", self._refuse_after_timeout)  # and its retries
        return client

    def _note_timeout(self, caught_exception: BaseException | None = None, **_: Any) -> None:
        from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

        if isinstance(caught_exception, ReadTimeoutError | ConnectTimeoutError):
            self._timed_out = caught_exception

    def _refuse_after_timeout(self, **_: Any) -> None:
        if self._timed_out is not None:
            raise self._timed_out

    def account_id(self) -> str:
        """The account the credentials belong to (STS GetCallerIdentity, with few retries)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            # Few retries: this is the first call, and a wrong setup should fail in seconds, not minutes.
            sts = self.maker("sts") if self.maker else self._make("sts", attempts=2)
            return str(sts.get_caller_identity()["Account"])
        except (BotoCoreError, ClientError) as error:
            raise StackwrightError(
                f"cannot reach AWS with the configured credentials: {error}",
                hint="configure credentials (aws configure, AWS_PROFILE) or deploy locally with --local",
            ) from None
