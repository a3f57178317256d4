"""Which files of a code folder go into an artifact (zip or image), and which files decide its
dependencies: `collect` applies Stacktape's `includeFiles`/`excludeFiles` and finds the manifests."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackwright.artifacts import EXCLUDED_DIRS, ROOT_EXCLUDED_DIRS, iter_files

MANIFESTS = ("requirements.txt", "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile.lock")
NODE_MANIFESTS = (
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "tsconfig.json",
)
SKIPPED_SUFFIXES = (".pyc", ".pyo")
#: Files that look like secrets or local credentials (by name, in any case): never packaged from a code
#: folder unless `includeFiles` names them. `package` and `deploy` say which were left out.
SECRET_NAMES = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".npmrc",
    ".pypirc",
    ".netrc",
    ".git-credentials",
    ".envrc",
    ".dockercfg",
    ".docker-config.json",
    "*.tfstate",
    "*.tfstate.backup",
    "credentials.json",
    "service-account*.json",
)
#: Folders that hold credentials by their place rather than their name (`.aws/credentials`,
#: `.docker/config.json`, `.ssh/deploy_key`, `.config/gcloud/...`): every file under them is withheld.
SECRET_DIRS = (".aws", ".ssh", ".docker", ".kube", ".gnupg", ".azure", ".config/gcloud")
#: The config file itself, at the project root: it may hold values that are not meant for the code.
CONFIG_NAMES = tuple(
    f"{stem}.{ext}" for stem in ("stackwright", "stacktape") for ext in ("yml", "yaml", "json")
)


def _name(pattern: str) -> str:
    """A file-name glob as a regular expression that matches within one path component."""
    translated = fnmatch.translate(pattern)  # `(?s:...)\Z`
    return translated[len("(?s:") : -len(")\\Z")].replace(".*", "[^/]*")


#: One pattern for all of the above, matched against a lower-cased project-relative path.
_WITHHELD = re.compile(
    "|".join(
        [
            *(f"(?:^|/){_name(pattern)}$" for pattern in SECRET_NAMES),
            *(f"(?:^|/){re.escape(folder)}/" for folder in SECRET_DIRS),
            r"(?:^|/)\.env(?:\.[^/]*)?/",  # a folder named like a dotenv file (`.env.d/prod`)
        ]
    )
)


def withheld(relative: str) -> bool:
    """Whether the file at project-relative path `relative` is left out of code zips by default (a
    secrets-looking name, a file in a credentials folder, or the config file at the project root)."""
    # lower-cased: `.ENV` is `.env` on a case-insensitive file system
    return relative in CONFIG_NAMES or _WITHHELD.search(relative.lower()) is not None


def _secret(path: Path, relative: str, real_root: Path, folders: dict[str, str]) -> bool:
    """`withheld` for a file by its path in the project or, when a symbolic link leads to it, by where it
    really is (`src/creds -> ../.aws` holds `.aws/credentials`). `folders` caches each folder's real
    path, so only files that are links themselves cost a lookup of their own."""
    if withheld(relative):
        return True
    parent = os.path.dirname(path)
    real_parent = folders.get(parent)
    if real_parent is None:
        real_parent = folders[parent] = os.path.realpath(parent)
    real = os.path.realpath(path) if os.path.islink(path) else os.path.join(real_parent, path.name)
    if real == str(path.absolute()):
        return False
    inside = os.path.relpath(real, real_root)
    return not inside.startswith("..") and withheld(inside.replace(os.sep, "/"))


@dataclass
class Sources:
    """`files`: (name in the zip, path on disk); `manifests`: dependency files, by name relative to the
    project root (for the digest), and the folder holding them; `withheld`: project-relative paths of
    files left out as secrets-looking (see `withheld`); `outside`: `link -> target` of the symbolic links
    left out because they lead outside the project root."""

    files: list[tuple[str, Path]] = field(default_factory=list)
    manifests: list[tuple[str, Path]] = field(default_factory=list)
    manifest_dir: Path | None = None
    withheld: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def _matches(relative: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative, p.rstrip("/") + "/*") for p in patterns
    )


def collect(
    project_root: Path, code_root: Path, props: dict[str, Any], manifest_names: tuple[str, ...]
) -> Sources:
    """The code root's files plus `includeFiles`, minus `excludeFiles` (globs relative to the project root),
    and the nearest folder at or above the code root (up to the project root) holding a manifest.
    Symbolic links that lead outside the project root are not followed (`includeFiles` may name what
    they lead to). `languageSpecificConfig.packageManagerFile` (relative to the project root), when
    given, is the manifest instead (with the lock files beside it); it must exist."""
    exclude = [str(p) for p in props.get("excludeFiles") or []]
    sources = Sources()
    seen: set[str] = set()
    real_root = Path(os.path.realpath(project_root))
    folders: dict[str, str] = {}

    def pruned(path: Path) -> bool:
        relative = _relative(path, project_root)
        # a folder whose every file is excluded is not entered, so links inside it are not followed
        if exclude and (
            _matches(relative, exclude) or (path.is_dir() and _matches(relative + "/\0", exclude))
        ):
            return True
        if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(real_root):
            sources.outside.append(f"{relative} -> {os.readlink(path)}")
            return True
        return False

    for path in iter_files(code_root, prune=pruned):
        name = path.relative_to(code_root).as_posix()
        relative = _relative(path, project_root)
        if path.suffix in SKIPPED_SUFFIXES or _matches(relative, exclude):
            continue
        if _secret(path, relative, real_root, folders):
            sources.withheld.append(relative)
            continue
        sources.files.append((name, path))
        seen.add(name)
    for name, file in included_files(project_root, props):  # named by the config: packaged as asked
        if name not in seen:
            sources.files.append((name, file))
            seen.add(name)
            if name in sources.withheld:
                sources.withheld.remove(name)
            sources.outside = [o for o in sources.outside if o.split(" -> ")[0] != name]
    given = (props.get("languageSpecificConfig") or {}).get("packageManagerFile")
    if given:  # named by the config: used as given, with the lock files beside it
        manifest = project_root / str(given)
        found = [(manifest.name, manifest)] + [
            (n, manifest.parent / n)
            for n in manifest_names
            if n != manifest.name and n.endswith(".lock") and (manifest.parent / n).is_file()
        ]
        sources.manifests = [(_relative(p, project_root), p) for _, p in found]
        sources.manifest_dir = manifest.parent
    folder = code_root
    while not given:
        found = [(n, folder / n) for n in manifest_names if (folder / n).is_file()]
        if found:
            sources.manifests = [(_relative(p, project_root), p) for _, p in found]
            sources.manifest_dir = folder
            break
        if folder == project_root or project_root not in folder.parents:
            break
        folder = folder.parent
    sources.files.sort()
    return sources


#: What `languageSpecificConfig.packageManagerFile` may name for Python code: a requirements file
#: (any `*.txt`) or `pyproject.toml`.
PYTHON_MANIFEST_KINDS = ("*.txt", "pyproject.toml")


def manifest_problem(project_root: Path, props: dict[str, Any]) -> str | None:
    """What is wrong with `languageSpecificConfig.packageManagerFile` in packaging `props` (a Python
    manifest, relative to the project root), or None when it is fine or not given."""
    given = (props.get("languageSpecificConfig") or {}).get("packageManagerFile")
    if not given:
        return None
    path = project_root / str(given)
    if not path.is_file():
        return f"packageManagerFile {given!r} does not exist (looked for {path})"
    if not path.resolve().is_relative_to(project_root.resolve()):
        return f"packageManagerFile {given!r} is outside the project ({project_root})"
    if path.name == "pyproject.toml":
        import tomllib

        from stackwright.pydeps import UNREAD_HINT, unread_dependencies

        try:
            problem = unread_dependencies(tomllib.loads(path.read_text()))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            return f"packageManagerFile {given!r} is not valid TOML: {error}"
        if problem:
            return f"packageManagerFile {given!r}: {problem}; {UNREAD_HINT}"
    if not any(fnmatch.fnmatch(path.name, kind) for kind in PYTHON_MANIFEST_KINDS):
        return f"packageManagerFile {given!r} is not a requirements file (*.txt) or pyproject.toml" + (
            "; export a Pipfile with `pipenv requirements > requirements.txt`"
            if path.name == "Pipfile"
            else ""
        )
    return None


def included_files(project_root: Path, props: dict[str, Any]) -> list[tuple[str, Path]]:
    """Stacktape's `includeFiles` (globs relative to the project root) minus `excludeFiles`: (name at its
    project-relative path, path on disk), in a stable order."""
    exclude = [str(p) for p in props.get("excludeFiles") or []]

    def excluded(path: Path) -> bool:
        relative = _relative(path, project_root)
        return _matches(relative, exclude) or (path.is_dir() and _matches(relative + "/\0", exclude))

    found: dict[str, Path] = {}
    for pattern in props.get("includeFiles") or []:
        for path in sorted(project_root.glob(str(pattern))):
            inside = list(iter_files(path, prune=excluded if exclude else None)) if path.is_dir() else []
            for file in [path] if path.is_file() else inside:
                name = _relative(file, project_root)
                parts = Path(name).parts
                if not _matches(name, exclude) and not (
                    set(parts) & EXCLUDED_DIRS or parts[0] in ROOT_EXCLUDED_DIRS
                ):
                    found.setdefault(name, file)
    return sorted(found.items())


def shipped_anyway(project_root: Path, props: dict[str, Any]) -> list[str]:
    """What `includeFiles` ships that a code folder would leave out, when a wildcard or a folder
    matched it rather than its own name: secrets-looking files (`assets/.env`) and files reached through
    a symbolic link that leads outside the project (`assets/key -> /home/ana/.ssh/id_rsa`). Sorted."""
    named = {str(p).strip("/") for p in props.get("includeFiles") or []}
    real_root = Path(os.path.realpath(project_root))
    found = []
    for name, path in included_files(project_root, props):
        if name in named:
            continue
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(real_root):
            found.append(f"{name} -> {real}")
        elif _secret(path, name, real_root, {}):
            found.append(name)
    return found


def prebuilt(project_root: Path, folder: Path, excluded: tuple[str, ...]) -> Sources:
    """The files of a prebuilt (`custom-artifact`) folder, zipped as they are but for the `excluded`
    folder names, secrets-looking files (`withheld`) and symbolic links that lead outside both the
    project root and the folder (`outside`). `files` name each file relative to `folder`."""
    sources = Sources()
    allowed = [Path(os.path.realpath(project_root)), Path(os.path.realpath(folder))]

    def pruned(path: Path) -> bool:
        if path.is_symlink():
            real = Path(os.path.realpath(path))
            if not any(real.is_relative_to(root) for root in allowed):
                sources.outside.append(f"{_relative(path, project_root)} -> {os.readlink(path)}")
                return True
        return False

    real_root, folders = allowed[0], dict[str, str]()
    for path in iter_files(folder, excluded=excluded, prune=pruned):
        relative = _relative(path, project_root)
        if _secret(path, relative, real_root, folders):
            sources.withheld.append(relative)
        else:
            sources.files.append((path.relative_to(folder).as_posix(), path))
    return sources


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
