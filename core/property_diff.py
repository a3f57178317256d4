"""Which properties a change set changes, worked out from the deployed and the new template; and a
template with its secret values masked, for the console.

A change set says that a resource changes, rarely how. Paths read like the template:
`Properties.Environment.Variables.TABLE_NAME`, `Properties.Layers[1]`, `DeletionPolicy`. Dicts are
compared key by key and lists index by index, after setting aside the items both lists share at their
start and end, so one item put in or taken out of a list is one line, not a shifted list. Where one
side has a dict or list and the other nothing, the container's leaves are listed. An added resource
lists its values when they are at most 8 (more would drown the rest), a removed one none.

`render_text` gives, under a line per resource, `path: before → after` for a changed value, `+ path:
value` for an added one, `- path: value` for a removed one. Values are compact JSON; one over 80
characters is cut with "…" and its length noted (around the first difference when both are long).
A masked line ends in "(secret)".

Secrets: a value is shown as `****` on both sides (the line still says that it changed) when
- the last key of its path, or the `Name`/`Key` beside a `Value` (ECS and Batch environments, tags),
  looks secret: it contains PASSWORD, PASSWD, SECRET, TOKEN, PRIVATEKEY, APIKEY, ACCESSKEY, CREDENTIAL
  or AUTH, ignoring case, `_` and `-` (so environment variables under `Environment.Variables` are
  judged by their names), or PASSPHRASE, or it is an environment variable's name ending in `_KEY`
  (`STRIPE_KEY`) — unless its last word names a reference or a kind (ARN, ARNS, ID, IDS or TYPE:
  `SecretArn`, `AuthorizerId`, `AuthorizationType`, `AWS_ACCESS_KEY_ID`);
- the property is one AWS marks as secret for its resource type (`SECRET_PROPERTIES`);
- a whole dict or list is shown and a key inside it would be masked.
On those paths a value is still shown when it cannot carry a secret: a boolean, an ARN, a whole
`{{resolve:...}}` dynamic reference or a config directive that stands for a kept value
(`$Secret('db.password')`), or a `Ref`/`Fn::GetAtt`/`Fn::ImportValue` of a name. The rule
masks more than it must (an `AuthorizationScopes` list, a `TokenValidity` number) rather than less.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Condition", "Metadata")
REPLACEMENT = {"True": "yes", "False": "no", "Conditional": "maybe"}
LIMIT = 80
ADDED_LEAVES = 8
MASK = "****"
_SECRET = re.compile(r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|PRIVATEKEY|APIKEY|ACCESSKEY|CREDENTIAL|AUTH")
#: The last word of a name that makes it a reference or a kind, not a value (`SecretArn`, `AUTH_TYPE`).
_REFERENCE_WORDS = frozenset({"ARN", "ARNS", "ID", "IDS", "TYPE"})
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: An environment variable's name ending in `_KEY` (`STRIPE_KEY`): CamelCase keys (`S3Key`) are not.
_ENV_KEY = re.compile(r"^[A-Z0-9_]*[A-Z0-9]_KEY$")
#: Directive calls that stand for a value kept elsewhere: shown, as a dynamic reference is.
_DIRECTIVE_REFERENCE = re.compile(
    r"^\$(Secret|SsmParam|ResourceParam|CfResourceParam|CfStackOutput|StackOutput|CfOutput)\([^()]*\)$"
)
_SAFE_STRING = re.compile(r"\{\{resolve:[^{}]+\}\}|arn:aws[a-z-]*:[a-z0-9-]+:\S*")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_:@/+-]+")
_canonical = partial(json.dumps, sort_keys=True, default=str)

#: Properties (key paths under `Properties`; a path under one is masked too) that hold secrets.
SECRET_PROPERTIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "AWS::RDS::DBInstance": (("MasterUserPassword",), ("TdeCredentialPassword",)),
    "AWS::RDS::DBCluster": (("MasterUserPassword",),),
    "AWS::DocDB::DBCluster": (("MasterUserPassword",),),
    "AWS::DocDBElastic::Cluster": (("AdminUserPassword",),),
    "AWS::Redshift::Cluster": (("MasterUserPassword",),),
    "AWS::SecretsManager::Secret": (("SecretString",),),
    "AWS::ElastiCache::ReplicationGroup": (("AuthToken",),),
    "AWS::ElastiCache::User": (("Passwords",), ("AuthenticationMode", "Passwords")),
    "AWS::MemoryDB::User": (("AuthenticationMode", "Passwords"),),
    "AWS::ApiGateway::ApiKey": (("Value",),),
    "AWS::DirectoryService::MicrosoftAD": (("Password",),),
    "AWS::DirectoryService::SimpleAD": (("Password",),),
    "AWS::DMS::Endpoint": (("Password",),),
    "AWS::Amplify::App": (("AccessToken",), ("OauthToken",), ("BasicAuthConfig", "Password")),
}


@dataclass(frozen=True)
class PropertyChange:
    path: str
    before: str | None  # None when the property is added
    after: str | None  # None when it is removed
    masked: bool = False  # both values were replaced by "****"


@dataclass(frozen=True)
class ResourceDiff:
    action: str  # as the change set says: Add | Modify | Remove | Dynamic
    logical_id: str
    resource_type: str
    replacement: str  # yes | no | maybe | - (the change set does not say)
    properties: tuple[PropertyChange, ...]


MISSING: Any = object()  # a side on which the path does not exist (None is a value a template may hold)
#: A differing value: its path, the dict keys of the path (no list indexes), before, after, secret by name.
_Leaf = tuple[str, tuple[str, ...], Any, Any, bool]


def looks_secret(name: str) -> bool:
    upper = re.sub(r"[_\-\s.]", "", name).upper()
    words = _WORD.findall(name)
    if words and words[-1].upper() in _REFERENCE_WORDS:
        return False
    return bool(_SECRET.search(upper)) or bool(_ENV_KEY.match(name))


def resource_diffs(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], changes: Sequence[Mapping[str, Any]]
) -> list[ResourceDiff]:
    """One diff per resource change, in the change set's order; other kinds of change are skipped."""
    old, new = (r if isinstance(r := (t or {}).get("Resources"), Mapping) else {} for t in (before, after))
    diffs = []
    for change in changes:
        if change.get("Type") != "Resource":
            continue
        item = change.get("ResourceChange") or {}
        action, logical_id = str(item.get("Action", "")), str(item.get("LogicalResourceId", ""))
        resource_type = str(item.get("ResourceType", ""))
        replacement = str(item.get("Replacement") or "")
        shown = REPLACEMENT.get(replacement, replacement.lower() or "-")
        leaves: list[_Leaf] = []
        if action == "Add" and isinstance(new.get(logical_id), Mapping):
            leaves = _leaves(MISSING, new[logical_id])
            leaves = leaves if len(leaves) <= ADDED_LEAVES else []
        elif action != "Remove" and all(isinstance(r.get(logical_id), Mapping) for r in (old, new)):
            leaves = _leaves(old[logical_id], new[logical_id])
        properties = tuple(_change(leaf, resource_type) for leaf in leaves)
        diffs.append(ResourceDiff(action, logical_id, resource_type, shown, properties))
    return diffs


def template_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The resource changes between two templates, in the shape of a change set's `Changes` (`Type`
    "Resource", `ResourceChange` with `Action` Add | Modify | Remove, `LogicalResourceId`,
    `ResourceType`; no `Replacement`: only CloudFormation knows it), for `resource_diffs` when no change
    set is made (the console's pending diff). Added first, then modified, then removed, each by id."""
    old, new = (r if isinstance(r := (t or {}).get("Resources"), Mapping) else {} for t in (before, after))
    changes = []
    for action, ids in (
        ("Add", sorted(k for k in new if k not in old)),
        ("Modify", sorted(k for k in new if k in old and not _same(old[k], new[k]))),
        ("Remove", sorted(k for k in old if k not in new)),
    ):
        for logical_id in ids:
            body = new.get(logical_id) if action != "Remove" else old.get(logical_id)
            kind = str(body.get("Type", "")) if isinstance(body, Mapping) else ""
            changes.append(
                {
                    "Type": "Resource",
                    "ResourceChange": {
                        "Action": action,
                        "LogicalResourceId": logical_id,
                        "ResourceType": kind,
                    },
                }
            )
    return changes


def masked_template(template: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `template` with every value the diff would mask replaced by `****` (the rules above, for
    each resource's properties and attributes), the `Default` of `NoEcho` parameters, and outputs whose
    name looks secret. The input is not changed."""
    import copy

    out = copy.deepcopy(dict(template))
    for body in (out.get("Resources") or {}).values():
        if not isinstance(body, dict):
            continue
        marked = SECRET_PROPERTIES.get(str(body.get("Type", "")), ())
        for name in ("Properties", *ATTRIBUTES):
            if name in body:
                body[name] = _masked(body[name], (name,), looks_secret(name), marked)
    for parameter in (out.get("Parameters") or {}).values():
        noecho = isinstance(parameter, dict) and str(parameter.get("NoEcho", "")).lower() == "true"
        if noecho and "Default" in parameter:
            parameter["Default"] = MASK
    for key, output in (out.get("Outputs") or {}).items():
        if isinstance(output, dict) and looks_secret(str(key)) and not _harmless(output.get("Value")):
            output["Value"] = MASK
    return out


def masked_values(value: Any) -> Any:
    """A copy of any config or template fragment with the values under secret-looking names masked (the
    name rules above, without the per-type ones); a config is shown this way."""
    return _masked(value, (), False, ())


def _masked(value: Any, keys: tuple[str, ...], secret: bool, marked: tuple[tuple[str, ...], ...]) -> Any:
    by_type = keys[:1] == ("Properties",) and any(keys[1 : len(k) + 1] == k for k in marked)
    if (secret or by_type) and not _harmless(value):
        return MASK
    if _kind(value) == "dict":
        paired = any(looks_secret(str(value.get(n, ""))) for n in ("Name", "Key", "name"))
        return {
            k: _masked(
                v, (*keys, str(k)), looks_secret(str(k)) or (paired and k in ("Value", "value")), marked
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_masked(v, keys, False, marked) for v in value]
    return value


def _secret_key(key: Any, paired: bool) -> bool:
    return looks_secret(str(key)) or (paired and key in ("Value", "value"))


def render_text(diffs: Sequence[ResourceDiff]) -> list[str]:
    """Lines to print under the table of changes: only resources with property changes."""
    lines = []
    for diff in diffs:
        if not diff.properties:
            continue
        note = {"yes": " (replaced)", "maybe": " (may be replaced)"}.get(diff.replacement, "")
        lines.append(f"  {diff.logical_id}{note}")
        for p in diff.properties:
            tail = " (secret)" if p.masked else ""
            if p.before is None or p.after is None:
                sign, value = ("+", p.after) if p.before is None else ("-", p.before)
                lines.append(f"    {sign} {p.path}: {value}{tail}")
            else:
                lines.append(f"    {p.path}: {p.before} → {p.after}{tail}")
    return lines


def to_records(diffs: Sequence[ResourceDiff]) -> list[dict[str, Any]]:
    """JSON records: the fields of each diff, its property changes as a list of records."""
    return [{**asdict(d), "properties": [asdict(p) for p in d.properties]} for d in diffs]


def _leaves(before: Any, after: Any) -> list[_Leaf]:
    """The differing leaves of two resources (either may be MISSING): properties, then attributes."""
    out: list[_Leaf] = []
    sides = [(r.get("Properties", MISSING) if isinstance(r, Mapping) else MISSING) for r in (before, after)]
    _walk("Properties", ("Properties",), sides[0], sides[1], False, out)
    for name in ATTRIBUTES:
        old, new = (r.get(name, MISSING) if isinstance(r, Mapping) else MISSING for r in (before, after))
        if name == "DependsOn":  # one name or several, in no particular order: one value (a tuple)
            names = ([v] if isinstance(v, str) else v for v in (old, new))
            old, new = (tuple(sorted(map(str, v))) if isinstance(v, list) else v for v in names)
        _walk(name, (name,), old, new, looks_secret(name), out)
    return out


def _walk(path: str, keys: tuple[str, ...], old: Any, new: Any, secret: bool, out: list[_Leaf]) -> None:
    kinds = {_kind(v) for v in (old, new) if v is not MISSING}
    if len(kinds) != 1 or "" in kinds:  # scalars, intrinsic functions, a container against something else
        if not _same(old, new):
            out.append((path, keys, old, new, secret))
    elif (old is MISSING and not new) or (new is MISSING and not old):
        out.append((path, keys, old, new, secret))  # an empty dict or list added or removed
    elif "dict" in kinds:
        olds, news = ({} if v is MISSING else v for v in (old, new))
        paired = any(looks_secret(str(d.get(n, ""))) for d in (olds, news) for n in ("Name", "Key", "name"))
        for key in [*news, *(k for k in olds if k not in news)]:
            child = f"{path}.{key}" if _PLAIN_KEY.fullmatch(str(key)) else f"{path}[{json.dumps(str(key))}]"
            hidden = looks_secret(str(key)) or (paired and key in ("Value", "value"))
            _walk(child, (*keys, str(key)), olds.get(key, MISSING), news.get(key, MISSING), hidden, out)
    else:  # lists: the items both share at the start and at the end are set aside, the rest paired up
        olds, news = ([] if v is MISSING else v for v in (old, new))
        start = end = 0
        while start < min(len(olds), len(news)) and _same(olds[start], news[start]):
            start += 1
        while end < min(len(olds), len(news)) - start and _same(olds[-1 - end], news[-1 - end]):
            end += 1
        for index in range(start, max(len(olds), len(news)) - end):
            was = olds[index] if index < len(olds) - end else MISSING
            now = news[index] if index < len(news) - end else MISSING
            _walk(f"{path}[{index}]", keys, was, now, secret, out)


def _kind(value: Any) -> str:
    """How to walk a value: "dict", "list", or "" for one value (an intrinsic function is one value)."""
    if isinstance(value, list):
        return "list"
    if not isinstance(value, Mapping):
        return ""
    intrinsic = len(value) == 1 and any(k in ("Ref", "Condition") or str(k).startswith("Fn::") for k in value)
    return "" if intrinsic else "dict"


def _same(a: Any, b: Any) -> bool:
    return a is b if MISSING in (a, b) else _canonical(a) == _canonical(b)


def _change(leaf: _Leaf, resource_type: str) -> PropertyChange:
    path, keys, before, after, secret = leaf
    marked = SECRET_PROPERTIES.get(resource_type, ())
    by_type = keys[:1] == ("Properties",) and any(keys[1 : len(k) + 1] == k for k in marked)
    sides = [v for v in (before, after) if v is not MISSING]
    if (secret or by_type or any(map(_hides_secret, sides))) and not all(map(_harmless, sides)):
        hidden = [None if v is MISSING else MASK for v in (before, after)]
        return PropertyChange(path, hidden[0], hidden[1], True)
    old, new = (None if v is MISSING else _render(v) for v in (before, after))
    start = 0
    if old is not None and new is not None and len(old) > LIMIT and len(new) > LIMIT:
        same = (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
        first = next(same, min(len(old), len(new)))
        start = max(0, first - 20) if first > LIMIT - 10 else 0
    return PropertyChange(path, _cut(old, start), _cut(new, start))


def _hides_secret(value: Any) -> bool:
    """Whether a dict or list shown whole holds a value that would be masked on its own."""
    if isinstance(value, Mapping):
        named = any(looks_secret(str(value.get(n, ""))) for n in ("Name", "Key", "name"))
        return named or any(looks_secret(str(k)) or _hides_secret(v) for k, v in value.items())
    return _kind(value) == "list" and any(_hides_secret(v) for v in value)


def _harmless(value: Any) -> bool:
    """Values that cannot carry a secret: a flag, an ARN, a dynamic reference, a reference by name."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, str):
        return bool(_SAFE_STRING.fullmatch(value) or _DIRECTIVE_REFERENCE.fullmatch(value.strip()))
    if isinstance(value, Mapping) and len(value) == 1:
        name, arg = next(iter(value.items()))
        if name in ("Ref", "Fn::ImportValue"):
            return isinstance(arg, str)
        if name == "Fn::GetAtt":
            return isinstance(arg, str) or (_kind(arg) == "list" and all(isinstance(a, str) for a in arg))
    return False


def _render(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    # control and format characters (escape sequences, bidirectional overrides) never reach a terminal
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


def _cut(text: str | None, start: int = 0) -> str | None:
    if text is None or len(text) <= LIMIT:
        return text
    start = min(start, len(text) - LIMIT)
    head, tail = ("…" if start else ""), ("…" if start + LIMIT < len(text) else "")
    return f"{head}{text[start : start + LIMIT]}{tail} ({len(text)} characters)"
