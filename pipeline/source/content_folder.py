"""A content folder read as files: company.yaml and every roles/*.yaml, and the `extends` graph
between the roles, before anything is checked against a model.

What can go wrong here is about files and links, not content: a missing folder or file, a content
file that is a link to somewhere outside the folder (refused unread, so nothing outside can print),
YAML that does not parse, two files claiming one slug, an `extends` that names no role or runs in
a cycle. check/catalogue validates what this reads.

Linking needs only a few facts of each role file (its slug, what it extends, where those are
written), and they depend on nothing but the file's name and bytes. So a role file is read to its
digest, and parsed only when its facts are not already known for that digest (`known`, the
validation cache): linking a catalogue whose files did not change parses none of them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline.problems import ContentError, Problem, did_you_mean, dotted, kind_of
from pipeline.schema.values import slug_problem
from pipeline.source.regular_files import NotAFile, TooLarge, read_regular
from pipeline.source.yaml_reader import MAX_BYTES, Located, parse_yaml, read_yaml


def display(path: Path, base: Path) -> str:
    """`path` relative to `base`, by its own name: a link is named as the link, not as its target."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _outside(path: Path, folder: Path, base: Path) -> Problem | None:
    """A content file that is a link to a file outside the content folder (/etc/passwd, another
    team's checkout): refused unread, named as the link, so nothing outside the folder can print."""
    try:
        target = path.resolve()
    except (RuntimeError, OSError):  # a link that loops: reading it says so
        return None
    if target.is_relative_to(folder.resolve()):
        return None
    return Problem(display(path, base), 1, 1, "", f"is a link to {target}, outside the content folder "
                                                  f"{display(folder, base)}; content files must be files inside it")


def located_problem(located: Located, path: tuple[str | int, ...], message: str, **kw: object) -> Problem:
    return Problem(located.file, *located.where(path), dotted(path), message, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RoleFile:
    """What linking needs of one role file: a pure function of its name and bytes."""

    file: str
    """The file as named to the author (relative to where rolepack runs)."""
    digest: str
    slug: str | None = None
    """Its `slug:` when that is text; else the file's name is the slug."""
    slug_at: tuple[int, int] = (1, 1)
    extends: str | None = None
    extends_at: tuple[int, int] = (1, 1)
    extends_kind: str | None = None
    """What `extends:` holds when it is there but not text (`a list`): an error."""
    draft: bool = False
    """Its own file says `state: draft`."""
    problems: tuple[Problem, ...] = ()
    """Why it could not be read; nothing else is known of it then."""

    @property
    def links(self) -> bool:
        """Whether it names a parent (or tries to): its check waits until every file is linked."""
        return self.extends is not None or self.extends_kind is not None


def role_file(located: Located, digest: str) -> RoleFile:
    data = located.data
    slug, parent = data.get("slug"), data.get("extends")
    return RoleFile(located.file, digest, slug if isinstance(slug, str) else None, located.where(("slug",)),
                    parent if isinstance(parent, str) else None, located.where(("extends",)),
                    None if parent is None or isinstance(parent, str) else kind_of(parent),
                    data.get("state") == "draft")


def _raw(path: Path, file: str) -> tuple[bytes | None, tuple[Problem, ...]]:
    try:
        return read_regular(path, MAX_BYTES), ()
    except TooLarge as err:
        return None, (Problem(file, 1, 1, "", str(err)),)
    except NotAFile as err:
        return None, (Problem(file, 1, 1, "", f"cannot be read: {err}"),)


def read_role(path: Path, file: str) -> tuple[str, Located | None, tuple[Problem, ...]]:
    """(digest of the bytes, the file parsed, why it cannot be read): the one way a role file is read."""
    raw, problems = _raw(path, file)
    return _parse(raw, file, problems)


def _parse(raw: bytes | None, file: str, problems: tuple[Problem, ...],
           digest: str | None = None) -> tuple[str, Located | None, tuple[Problem, ...]]:
    if raw is None:
        return "", None, problems
    digest = digest or hashlib.sha256(raw).hexdigest()
    try:
        return digest, parse_yaml(raw, file), ()
    except ContentError as err:
        return digest, None, tuple(err.problems)


class Known(Protocol):
    """What an earlier run learnt of role files (the validation cache), so that an unchanged file
    is neither parsed nor, when its status says it was not touched, even read."""

    def unchanged(self, file: str, info: os.stat_result) -> RoleFile | None:
        """Its facts, when the file's status is the one recorded with them."""

    def facts(self, file: str, digest: str) -> RoleFile | None:
        """Its facts, when its bytes have this digest."""

    def seen(self, file: str, info: os.stat_result, facts: RoleFile) -> None:
        """The file, with this status, has these facts."""


class _NothingKnown:
    def unchanged(self, file: str, info: os.stat_result) -> None:
        return None

    def facts(self, file: str, digest: str) -> None:
        return None

    def seen(self, file: str, info: os.stat_result, facts: RoleFile) -> None:
        pass


Parsed = Callable[[str, RoleFile, Located], None]
"""Told of each role file that had to be parsed, with its slug, while the parse is at hand."""


@dataclass
class ContentFiles:
    """What one read of a content folder found."""

    company: Located | None = None
    """company.yaml as read; None when it is missing, a link outside, or unreadable."""
    roles: dict[str, RoleFile] = field(default_factory=dict)
    """Each readable role file by slug, in file-name order."""
    files: dict[str, Path] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    """Slug (file name) → the file as named, for role files that could not be read at all."""
    chains: dict[str, list[str]] = field(default_factory=dict)
    """Each role whose `extends` resolves: the slugs of its files, root ancestor first."""
    blocked: dict[str, list[str]] = field(default_factory=dict)
    """An unreadable role's slug → the roles that extend it, which could not be checked."""
    problems: list[Problem] = field(default_factory=list)


def read_content(content: Path, base: Path, *, known: Known | None = None, parsed: Parsed | None = None) -> ContentFiles:
    """Read `content/company.yaml` and `content/roles/*.yaml`, and resolve each role's `extends`."""
    found = ContentFiles()
    if not content.is_dir():
        found.problems.append(Problem(display(content, base), 1, 1, "", "there is no content folder here"))
        return found
    _read_company(content, base, found)
    _read_roles(content, base, found, known or _NothingKnown(), parsed)
    _resolve_extends(found)
    return found


def _read_company(content: Path, base: Path, found: ContentFiles) -> None:
    company_file = content / "company.yaml"
    if not os.path.lexists(company_file):  # a folder, a FIFO or a broken link there is read, and says what it is
        found.problems.append(Problem(display(company_file, base), 1, 1, "", "the shared company file is missing"))
    elif (linked := _outside(company_file, content, base)) is not None:
        found.problems.append(linked)
    else:
        try:
            found.company = read_yaml(company_file, display(company_file, base))
        except ContentError as err:
            found.problems += err.problems


def _facts(path: Path, file: str, known: Known) -> tuple[RoleFile, Located | None]:
    try:
        info = path.stat()
    except OSError:
        info = None  # reading it says why it cannot be read
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES \
            and (facts := known.unchanged(file, info)) is not None:
        return facts, None
    raw, problems = _raw(path, file)
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
    if digest is not None and (facts := known.facts(file, digest)) is not None:
        located = None
    else:
        digest, located, problems = _parse(raw, file, problems, digest)
        if located is None:
            return RoleFile(file, digest, problems=problems), None
        facts = role_file(located, digest)
    if info is not None:
        known.seen(file, info, facts)
    return facts, located


def _read_roles(content: Path, base: Path, found: ContentFiles, known: Known, parsed: Parsed | None) -> None:
    folder = content / "roles"
    resolved = folder.resolve()
    inside = resolved.is_relative_to(content.resolve())
    try:  # each file is named through its folder's resolved name: one resolve, not thousands
        shown = resolved.relative_to(base.resolve())
    except ValueError:
        shown = None
    for path in sorted(folder.glob("*.yaml"), key=lambda path: path.name):  # one folder: by name, as Path orders them
        if (path.is_symlink() or not inside) and (linked := _outside(path, content, base)) is not None:
            found.problems.append(linked)
            found.unreadable[path.stem] = linked.file
            continue
        file = str(shown / path.name) if shown is not None else str(path)
        facts, located = _facts(path, file, known)
        if facts.problems:
            found.problems += facts.problems
            found.unreadable[path.stem] = facts.file
            continue
        slug = facts.slug
        if slug is None:  # the file's name is its slug: the same rule as `slug:`
            slug = path.stem
            if (why := slug_problem(slug)) is not None:
                found.problems.append(Problem(facts.file, 1, 1, "", f"the file name {slug!r} {why}; rename the "
                                              "file, or give the role its `slug:`"))
                found.unreadable[slug] = facts.file
                continue
        if slug in found.roles:
            found.problems.append(Problem(facts.file, *facts.slug_at, "slug",
                                          f"{slug!r} is already the slug of {found.roles[slug].file}"))
            continue
        found.roles[slug] = facts
        found.files[slug] = path
        if located is not None and parsed is not None:
            parsed(slug, facts, located)
    if not (content / "roles").is_dir():
        found.problems.append(Problem(display(content / "roles", base), 1, 1, "", "the roles folder is missing"))


def _ancestry(slug: str, parents: dict[str, str | None]) -> tuple[list[str], list[str] | None]:
    """The slugs from the root ancestor down to `slug`, and the loop if the chain runs into one."""
    seen = [slug]
    while (parent := parents.get(seen[-1])) is not None:
        if parent in seen:
            return list(reversed(seen)), seen[seen.index(parent):] + [parent]
        seen.append(parent)
    return list(reversed(seen)), None


def _cycle_message(slug: str, loop: list[str]) -> str:
    if loop == [slug, slug]:
        return "a role cannot extend itself"
    shown = " -> ".join(loop)
    if slug in loop:
        return f"extends forms a cycle: {shown}"
    return f"extends '{loop[0]}', which is part of a cycle: {shown}"


def _resolve_extends(found: ContentFiles) -> None:
    sources, problems, blocked = found.roles, found.problems, found.blocked
    parents: dict[str, str | None] = {}
    broken: set[str] = set()  # an `extends` that names no role: merging would only add noise

    def at_extends(facts: RoleFile, message: str) -> Problem:
        return Problem(facts.file, *facts.extends_at, "extends", message)

    for slug, facts in sources.items():
        parent = facts.extends
        parents[slug] = None
        if facts.extends_kind is not None:
            problems.append(at_extends(facts, f"expected the slug of a role, got {facts.extends_kind}"))
            broken.add(slug)
        elif parent is None:
            continue
        elif parent in found.unreadable:
            blocked.setdefault(parent, []).append(slug)
            broken.add(slug)
        elif parent not in sources:
            hint = did_you_mean(parent, list(sources))
            problems.append(at_extends(facts, f"extends {parent!r}, which is not a role{hint}"))
            broken.add(slug)
        else:
            parents[slug] = parent

    for slug, facts in sources.items():
        ancestry, loop = _ancestry(slug, parents)
        if loop is not None:
            problems.append(at_extends(facts, _cycle_message(slug, loop)))
            continue
        if slug in broken:
            continue
        if broken.intersection(ancestry):
            root = next((blocked_by for blocked_by, children in blocked.items()
                         if set(children).intersection(ancestry)), None)
            if root is not None:
                blocked[root].append(slug)
                continue
            problems.append(at_extends(facts, f"extends '{parents[slug]}', whose own `extends` is broken"))
            continue
        found.chains[slug] = ancestry
