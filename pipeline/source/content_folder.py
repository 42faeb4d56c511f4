"""A content folder read as files: company.yaml and every roles/*.yaml with their positions, and the
`extends` graph between the roles, before anything is checked against a model.

What can go wrong here is about files and links, not content: a missing folder or file, a content
file that is a link to somewhere outside the folder (refused unread, so nothing outside can print),
YAML that does not parse, two files claiming one slug, an `extends` that names no role or runs in
a cycle. check/catalogue validates what this reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.problems import ContentError, Problem, did_you_mean, dotted, kind_of
from pipeline.schema.values import slug_problem
from pipeline.source.yaml_reader import Located, read_yaml


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


@dataclass
class ContentFiles:
    """What one read of a content folder found."""

    company: Located | None = None
    """company.yaml as read; None when it is missing, a link outside, or unreadable."""
    roles: dict[str, Located] = field(default_factory=dict)
    """Each readable role file by slug, in file-name order."""
    files: dict[str, Path] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    """Slug (file name) → the file as named, for role files that could not be read at all."""
    chains: dict[str, list[Located]] = field(default_factory=dict)
    """Each role whose `extends` resolves: its files, root ancestor first."""
    blocked: dict[str, list[str]] = field(default_factory=dict)
    """An unreadable role's slug → the roles that extend it, which could not be checked."""
    problems: list[Problem] = field(default_factory=list)


def read_content(content: Path, base: Path) -> ContentFiles:
    """Read `content/company.yaml` and `content/roles/*.yaml`, and resolve each role's `extends`."""
    found = ContentFiles()
    if not content.is_dir():
        found.problems.append(Problem(display(content, base), 1, 1, "", "there is no content folder here"))
        return found
    _read_company(content, base, found)
    _read_roles(content, base, found)
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


def _read_roles(content: Path, base: Path, found: ContentFiles) -> None:
    for path in sorted((content / "roles").glob("*.yaml")):
        if (linked := _outside(path, content, base)) is not None:
            found.problems.append(linked)
            found.unreadable[path.stem] = linked.file
            continue
        try:
            located = read_yaml(path, display(path, base))
        except ContentError as err:
            found.problems += err.problems
            found.unreadable[path.stem] = display(path, base)
            continue
        slug = located.data.get("slug") if isinstance(located.data, dict) else None
        if not isinstance(slug, str):  # the file's name is its slug: the same rule as `slug:`
            slug = path.stem
            if (why := slug_problem(slug)) is not None:
                found.problems.append(Problem(located.file, 1, 1, "", f"the file name {slug!r} {why}; rename the "
                                              "file, or give the role its `slug:`"))
                found.unreadable[slug] = located.file
                continue
        if slug in found.roles:
            found.problems.append(located_problem(located, ("slug",),
                                                  f"{slug!r} is already the slug of {found.roles[slug].file}"))
            continue
        found.roles[slug] = located
        found.files[slug] = path
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
    for slug, located in sources.items():
        parent = located.data.get("extends")
        parents[slug] = None
        if parent is None:
            continue
        if not isinstance(parent, str):
            problems.append(located_problem(located, ("extends",), f"expected the slug of a role, got {kind_of(parent)}"))
            broken.add(slug)
        elif parent in found.unreadable:
            blocked.setdefault(parent, []).append(slug)
            broken.add(slug)
        elif parent not in sources:
            hint = did_you_mean(parent, list(sources))
            problems.append(located_problem(located, ("extends",), f"extends {parent!r}, which is not a role{hint}"))
            broken.add(slug)
        else:
            parents[slug] = parent

    for slug, located in sources.items():
        ancestry, loop = _ancestry(slug, parents)
        if loop is not None:
            problems.append(located_problem(located, ("extends",), _cycle_message(slug, loop)))
            continue
        if slug in broken:
            continue
        if broken.intersection(ancestry):
            root = next((blocked_by for blocked_by, children in blocked.items()
                         if set(children).intersection(ancestry)), None)
            if root is not None:
                blocked[root].append(slug)
                continue
            problems.append(located_problem(located, ("extends",),
                                            f"extends '{parents[slug]}', whose own `extends` is broken"))
            continue
        found.chains[slug] = [sources[s] for s in ancestry]
