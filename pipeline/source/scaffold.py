"""`rolepack new`: a new role file made from a template, so it starts complete and valid.

Scaffolding is content, not code: `content/archetypes/role.yaml` is a whole role whose text is
marked with PLACEHOLDER, and only its slug and title are filled in here. The checker warns about
every role that still holds the marker, so `rolepack validate --strict` fails on an unfinished one.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from pipeline.problems import did_you_mean, listed
from pipeline.problems import ContentError
from pipeline.schema.role import Slug
from pipeline.source.yaml_reader import read_yaml

PLACEHOLDER = "<<REPLACE>>"
CONFIRM = "<<CONFIRM>>"
"""What `rolepack import` writes for a fact the posting does not state (its employment type, where
the job is, its pay): a person writes what is true; until then the role does not validate."""
ARCHETYPE = Path("archetypes") / "role.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/role.schema.json"

_SLUG = TypeAdapter(Slug)


class ScaffoldError(Exception):
    """The role cannot be created; the message says why, in words for the author."""


def title_from_slug(slug: str) -> str:
    return " ".join(word.capitalize() for word in slug.split("-"))


def _plain(text: str) -> str:
    """`text` as a YAML value that reads back as the same text (`yes` or `2024` get quotes)."""
    return text if yaml.safe_load(f"v: {text}")["v"] == text else f'"{text}"'


def fill_archetype(template: str, slug: str) -> str:
    """The archetype's text with its top-level `slug:` and `title:` lines set for `slug`."""
    filled = template
    for key, value in (("slug", slug), ("title", title_from_slug(slug))):
        filled, found = re.subn(rf"^{key}:.*$", f"{key}: {_plain(value)}", filled, count=1, flags=re.MULTILINE)
        if not found:
            raise ScaffoldError(f"the archetype has no top-level `{key}:` line to fill in")
    return filled


def variant_text(slug: str, parent: str) -> str:
    """A role that extends `parent` and writes only its own slug and title."""
    return "\n".join([
        SCHEMA_LINE,
        f"# A variant of {parent}: every key not written here comes from that role. Mappings merge",
        f"# key by key; a list written here replaces the whole list of {parent}.",
        f"slug: {_plain(slug)}",
        f"extends: {_plain(parent)}",
        f"title: {_plain(title_from_slug(slug))}",
        "",
    ])


def _role_slugs(roles: Path) -> dict[str, Path]:
    """Each role file's slug (its `slug:`, or else its file name), unreadable files included."""
    slugs: dict[str, Path] = {}
    for path in sorted(roles.glob("*.yaml")):
        try:
            declared = read_yaml(path).data.get("slug")
        except ContentError:
            declared = None
        slugs.setdefault(declared if isinstance(declared, str) else path.stem, path)
    return slugs


def scaffold(content: Path, slug: str, from_role: str | None) -> Path:
    """Create `content/roles/<slug>.yaml` from the archetype, or extending `from_role`; return its path."""
    try:
        _SLUG.validate_python(slug)
    except ValidationError:
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens, "
                            "at most 64 characters, like platform-engineer") from None
    if not content.is_dir():
        raise ScaffoldError(f"there is no content folder at {content}")
    roles = content / "roles"
    target = roles / f"{slug}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another slug, or edit that file")
    known = _role_slugs(roles)
    if slug in known:
        raise ScaffoldError(f"the slug '{slug}' is already used by {known[slug]}")

    if from_role is None:
        archetype = content / ARCHETYPE
        if not archetype.is_file():
            raise ScaffoldError(f"there is no role archetype at {archetype} to copy")
        text = fill_archetype(archetype.read_text(encoding="utf-8"), slug)
    elif from_role not in known:
        hint = did_you_mean(from_role, list(known)) or f" (roles: {listed(list(known), 'none yet')})"
        raise ScaffoldError(f"there is no role '{from_role}' to extend{hint}")
    else:
        text = variant_text(slug, from_role)

    roles.mkdir(exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{target} already exists; choose another slug, or edit that file") from None
    return target
