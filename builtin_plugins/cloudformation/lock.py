"""The deploy lock of a stack: one object in its deployment bucket, written with S3 conditional writes.

`stackwright/lock.json` holds who deploys (user, host, process, command) and when the lock was taken.
Taking it is a PutObject with `If-None-Match: *` (it fails with 412 when the object exists); the holder
renews it every `LEASE / 3` seconds with `If-Match` on its own ETag, so the object's LastModified says
the holder is alive. A lock not renewed for `LEASE` seconds (by S3's clock), or held by a process that
is gone from this machine, is stale: it is taken over with `If-Match` on the stale ETag, so of two
deploys taking over the same stale lock only one wins.
(S3 conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html)
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from stackwright import StackContext, StackwrightError

KEY = "stackwright/lock.json"
#: Seconds without a renewal after which a lock is stale (`ctx.settings["lock_lease"]` overrides).
LEASE = 60.0


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _holder(command: str) -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return {
        "id": uuid.uuid4().hex,
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "pidns": _pid_namespace(),
        "command": command,
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def describe(holder: dict[str, Any]) -> str:
    """`user@host (pid N, deploy, since 2026-12-01T02:00:00+00:00)`."""
    return (
        f"{holder.get('user', '?')}@{holder.get('host', '?')} "
        f"(pid {holder.get('pid', '?')}, {holder.get('command', '?')}, since {holder.get('since', '?')})"
    )


def _pid_namespace() -> str:
    """This process's PID namespace and boot ("" where it cannot be told): two containers may share a
    host name, and process ids are only comparable within one namespace of one boot."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        return f"{boot}:{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        return ""


def _gone(holder: dict[str, Any]) -> bool:
    """Whether the holder is a process of this machine, in this PID namespace, that no longer runs."""
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return False
    here = _pid_namespace()
    if not here or holder.get("pidns") != here:
        return False
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs, as another user
        return False
    return False


class Lock:
    """A held lock; `renew()` keeps it, `release()` gives it up."""

    def __init__(self, s3: Any, bucket: str, holder: dict[str, Any], etag: str) -> None:
        self.s3, self.bucket, self.holder, self.etag = s3, bucket, holder, etag
        self.lost: dict[str, Any] | None = None

    def is_lost(self) -> bool:
        """Whether another deploy took the lock over (as a renewal or a check found)."""
        return self.lost is not None

    def renew(self) -> None:
        from botocore.exceptions import ClientError

        try:
            put = self.s3.put_object(Bucket=self.bucket, Key=KEY, Body=_body(self.holder), IfMatch=self.etag)
        except ClientError as error:
            if _code(error) in ("PreconditionFailed", "412"):
                current = _read(self.s3, self.bucket)[0]
                if current and current.get("id") != self.holder["id"]:
                    self.lost = current
            return  # gone (the stack is being deleted) or unreachable: the next renewal tries again
        self.etag = str(put["ETag"])

    def verify(self, stack: str) -> None:
        """Raise StackwrightError if another deploy took the lock over (this process was stalled past
        the lease): what this deploy would write next could overwrite that one's."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            current = _read(self.s3, self.bucket)[0]
        except (BotoCoreError, ClientError):
            return  # cannot tell; the renewals say when it is lost
        if current is None or current.get("id") != self.holder["id"]:
            # taken over, or taken over and released since (the other deploy is done): either way the
            # stack may have moved on without this deploy
            self.lost = current or {}
            taker = describe(current) if current else "another deploy (done since)"
            raise StackwrightError(
                f"this deploy lost the deploy lock of {stack} to {taker}: it was not renewed for the lease "
                "(was this process suspended?), so it stops before changing anything more",
                hint="deploy again: it starts from what the stack runs now",
            )

    def release(self) -> None:
        """Delete the lock if it is still this one (a conditional delete on its ETag)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.s3.delete_object(Bucket=self.bucket, Key=KEY, IfMatch=self.etag)
        except ClientError as error:
            if _code(error) in ("PreconditionFailed", "NoSuchKey", "412", "404"):
                return  # another deploy holds it now
            try:  # an endpoint without conditional deletes: compare, then delete
                current, _, _ = _read(self.s3, self.bucket)
                if current and current.get("id") == self.holder["id"]:
                    self.s3.delete_object(Bucket=self.bucket, Key=KEY)
            except (BotoCoreError, ClientError):
                pass  # the lease runs out on its own
        except BotoCoreError:
            pass


def _body(holder: dict[str, Any]) -> bytes:
    return json.dumps(holder, indent=1).encode()


def _read(s3: Any, bucket: str) -> tuple[dict[str, Any] | None, str, float]:
    """The lock's holder, ETag, and seconds since its last write by S3's clock (None when free)."""
    from botocore.exceptions import ClientError

    try:
        got = s3.get_object(Bucket=bucket, Key=KEY)
    except ClientError as error:
        if _code(error) in ("NoSuchKey", "404"):
            return None, "", 0.0
        raise
    try:
        holder = json.loads(got["Body"].read())
    except ValueError:
        holder = {}
    now = datetime.now(UTC)
    date = got.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    if date:
        with suppress(TypeError, ValueError):
            parsed = parsedate_to_datetime(date)
            now = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    modified = got.get("LastModified") or now
    age = (now - modified).total_seconds()
    return holder if isinstance(holder, dict) else {}, str(got["ETag"]), age


#: Seconds before the first look again at a lock another deploy holds; then 1.5 times longer each time,
#: up to 2 s (one S3 GetObject per look).
FIRST_LOOK = 0.2


def acquire(ctx: StackContext, bucket: str, command: str) -> Lock:
    """Take the stack's deploy lock, waiting while another deploy holds it (`ctx.settings["wait"]`
    false: refuse at once). Raises StackwrightError naming the holder when refusing."""
    from botocore.exceptions import ClientError

    s3 = ctx.clients.client("s3")
    lease = float(ctx.settings.get("lock_lease") or LEASE)
    holder = _holder(command)
    told, delay = "", FIRST_LOOK
    while True:
        try:
            put = s3.put_object(
                Bucket=bucket, Key=KEY, Body=_body(holder), IfNoneMatch="*", ContentType="application/json"
            )
            return Lock(s3, bucket, holder, str(put["ETag"]))
        except ClientError as error:
            if _code(error) not in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409"):
                raise _refused(ctx, bucket, error) from None
        try:
            current, etag, age = _read(s3, bucket)
        except ClientError as error:
            raise _refused(ctx, bucket, error) from None
        if current is None:
            continue  # released in between
        stale = "its process is gone" if _gone(current) else ""
        stale = stale or (f"not renewed for {age:.0f} s" if age > lease else "")
        if stale:
            try:
                put = s3.put_object(
                    Bucket=bucket, Key=KEY, Body=_body(holder), IfMatch=etag, ContentType="application/json"
                )
            except ClientError as error:
                if _code(error) in ("PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey"):
                    continue  # another deploy took it over first
                raise _refused(ctx, bucket, error) from None
            ctx.report.warn(
                f"took over the deploy lock of {ctx.stack_name} from {describe(current)}: {stale}"
            )
            return Lock(s3, bucket, holder, str(put["ETag"]))
        if not ctx.settings.get("wait", True):
            raise StackwrightError(
                f"stack {ctx.stack_name} is being deployed by {describe(current)}",
                hint="wait for it to finish, or run without --no-wait to wait",
            )
        if told != current.get("id"):
            told, delay = str(current.get("id")), FIRST_LOOK
            ctx.report.note(f"waiting for the deploy of {ctx.stack_name} by {describe(current)} to finish")
        time.sleep(min(delay, 2.0, lease / 10))
        delay *= 1.5  # a hot-swap holds the lock for a second, a deploy for minutes: look often at first


def _refused(ctx: StackContext, bucket: str, error: Any) -> StackwrightError:
    return StackwrightError(
        f"cannot take the deploy lock of {ctx.stack_name} in its bucket {bucket}: {error}",
        hint="the deploy needs s3:GetObject, s3:PutObject and s3:DeleteObject on the deployment bucket",
    )


@contextmanager
def held(ctx: StackContext, command: str) -> Iterator[None]:
    """Hold the stack's deploy lock around the block (nothing to lock before the stack has a bucket)."""
    bucket = ctx.state.bucket if ctx.state else None
    if not bucket:
        yield
        return
    lock = acquire(ctx, bucket, command)
    lease = float(ctx.settings.get("lock_lease") or LEASE)
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(lease / 3):
            try:
                lock.renew()
            except Exception:  # a failed renewal is retried; the lease covers a few misses
                continue
            if lock.is_lost():
                ctx.memo["lock-lost"] = True  # nothing this deploy sent may be removed now
                return

    renewer = threading.Thread(target=keep, name="deploy-lock", daemon=True)
    renewer.start()

    def check() -> None:  # before writes others may depend on
        try:
            lock.verify(ctx.stack_name)
        except StackwrightError:
            ctx.memo["lock-lost"] = True  # what this deploy sent may share keys with the taker's: keep it
            raise

    ctx.memo["lock-check"] = check
    try:
        yield
    finally:
        ctx.memo.pop("lock-check", None)
        stop.set()
        renewer.join(timeout=5)
        if lock.lost:
            ctx.report.warn(
                f"the deploy lock of {ctx.stack_name} was taken over by {describe(lock.lost)} during this "
                "command (it was not renewed in time)"
            )
        lock.release()
