"""A catalogue of N roles for the benchmark, made from the shipped roles.

Eight shipped roles say little about how a build scales, so the benchmark copies them under new
slugs and titles ("Backend Engineer, Payments") until there are N, varying each copy a little (a
sentence more or less in the longer texts, an item more or less in the longer lists) so that the
documents are not byte-identical and pages break in different places, as in a real catalogue.

The copies stay valid and consistent: a copy of a role that `extends` another extends the copy of
its parent made in the same round (or is written out merged when that copy is not in the
catalogue), and `related_roles` name only copies that exist. The result is checked with
`load_catalogue` before any case uses it, so a benchmark never times a build that fails.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.check.catalogue import load_catalogue
from pipeline.source.yaml_reader import read_yaml

AREAS = ("Payments", "Scheduling", "Dispatch", "Mobile", "Identity", "Billing", "Routing", "Search",
         "Notifications", "Integrations", "Reporting", "Inventory", "Onboarding", "Platform", "Growth",
         "Field Apps", "Data Platform", "Developer Experience", "Partner APIs", "Compliance")
"""Team names for the copies' titles: one round of copies of every shipped role per area."""

ADDED_SENTENCES = (
    "We review this regularly with the people who do the work.",
    "You will have support from an experienced colleague while you settle in.",
    "We write decisions down, so that the reasoning outlives the meeting.",
    "Expect to spend some of your time helping neighbouring teams.",
)
LONG_TEXT = 80
"""Only texts longer than this (paragraphs, answers, long list items) get a sentence more or less."""
MIN_ITEMS = 3
"""Lists are shortened only above this: the schema's largest minimum length is three."""
FIXED_KEYS = frozenset({"slug", "extends", "title", "related_roles", "compensation", "locations", "company"})
"""Top-level keys left as shipped: identity, references, pay figures and places are not prose."""


@dataclass(frozen=True)
class MadeCatalogue:
    """A content folder written for the benchmark."""

    folder: Path
    slugs: tuple[str, ...]
    independent: tuple[str, ...]
    """Slugs that neither extend nor are extended: changing one changes only its own documents."""

    @property
    def roles(self) -> int:
        return len(self.slugs)

    def role_file(self, slug: str) -> Path:
        return self.folder / "roles" / f"{slug}.yaml"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def area(round_: int) -> str:
    """The team name of a round of copies; after the list runs out, numbered ("Payments 2")."""
    name = AREAS[round_ % len(AREAS)]
    return name if round_ < len(AREAS) else f"{name} {round_ // len(AREAS) + 1}"


def _vary_text(text: str, rng: random.Random) -> str:
    """A long text with its last sentence dropped, a sentence added, or as it was."""
    choice = rng.random()
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    if choice < 0.25 and len(sentences) > 1:
        return " ".join(sentences[:-1])
    if choice < 0.5:
        return f"{text.strip()} {rng.choice(ADDED_SENTENCES)}"
    return text


def _is_prose(items: list[Any]) -> bool:
    """A list of sentences (responsibilities, skills), not of ids, places, tools or mappings: the
    only kind whose items can be dropped or added without breaking a reference or a meaning."""
    texts = [i for i in items if isinstance(i, str) and " " in i]
    return bool(items) and len(texts) == len(items) and sum(map(len, texts)) / len(texts) > LONG_TEXT / 2


def _vary_list(items: list[Any], rng: random.Random) -> list[Any]:
    """A list of prose with its last item dropped (only above MIN_ITEMS), or an item repeated with
    a sentence added, or as it was; other lists (stages, scorecard, ids) keep their items."""
    if not _is_prose(items):
        return items
    choice = rng.random()
    if choice < 0.2 and len(items) > MIN_ITEMS:
        return items[:-1]
    if choice < 0.4:
        return items + [f"{rng.choice(items).rstrip('.')}. {rng.choice(ADDED_SENTENCES)}"]
    return items


def vary(data: Any, rng: random.Random) -> Any:
    """Every long text and list under `data`, varied a little; mappings keep their keys."""
    if isinstance(data, dict):
        return {k: vary(v, rng) for k, v in data.items()}
    if isinstance(data, list):
        return [vary(v, rng) for v in _vary_list(data, rng)]
    if isinstance(data, str) and len(data) > LONG_TEXT:
        return _vary_text(data, rng)
    return data


def _shipped(content: Path, today: dt.date) -> tuple[dict[str, dict], dict[str, dict], dict[str, str | None]]:
    """Each shipped role's own file data, its merged (validated) data, and its parent's slug."""
    catalogue = load_catalogue(content, today=today)
    raw, merged, parents = {}, {}, {}
    for slug, role in catalogue.roles.items():
        raw[slug] = read_yaml(catalogue.files[slug]).data  # rolepack's reader: YAML 1.2 booleans (ON is Ontario)
        merged[slug] = role.model_dump(mode="python", exclude_none=True, exclude={"slug", "extends"})
        parents[slug] = role.extends
    return raw, merged, parents


def make_catalogue(content: Path, folder: Path, roles: int, *, today: dt.date, seed: int = 7) -> MadeCatalogue:
    """Write `roles` varied copies of the shipped roles into `folder` (with the company file), check
    that they load, and describe them. The same arguments always write the same files."""
    raw, merged, parents = _shipped(content, today)
    order = sorted(raw)
    planned = [(order[i % len(order)], i // len(order)) for i in range(roles)]  # (shipped slug, round)
    copy_of = {(base, r): f"{base}-{slugify(area(r))}" for base, r in planned}

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "roles").mkdir(parents=True)
    shutil.copy2(content / "company.yaml", folder / "company.yaml")
    if (content / "brands").is_dir():  # the company's own brands, as the shipped builds use them
        shutil.copytree(content / "brands", folder / "brands")
    in_chains: set[str] = set()
    for i, (base, r) in enumerate(planned):
        slug = copy_of[(base, r)]
        parent = copy_of.get((parents[base], r)) if parents[base] else None
        source = raw[base] if parent or not parents[base] else merged[base]  # merged: its parent is absent
        data = {k: v for k, v in source.items() if k not in ("slug", "extends")}
        data = {k: (v if k in FIXED_KEYS else vary(v, random.Random(f"{seed}:{i}:{k}"))) for k, v in data.items()}
        head: dict[str, Any] = {"slug": slug}
        if parent:
            head["extends"] = parent
            in_chains |= {slug, parent}
        data = head | data
        data["title"] = f"{merged[base]['title']}, {area(r)}"
        if "related_roles" in data:
            data["related_roles"] = [copy_of[(s, r)] for s in data["related_roles"] if (s, r) in copy_of]
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (folder / "roles" / f"{slug}.yaml").write_text(text, encoding="utf-8")

    made = load_catalogue(folder, today=today)  # ContentError (with every problem) if a copy is invalid
    slugs = tuple(made.roles)
    return MadeCatalogue(folder, slugs, tuple(s for s in slugs if s not in in_chains))


def touch_role(catalogue: MadeCatalogue, slug: str, revision: int) -> None:
    """Change one role's summary (a new text each revision), so that exactly its documents are outdated."""
    file = catalogue.role_file(slug)
    data = read_yaml(file).data
    summary = re.sub(r" \(revision \d+\)$", "", data["job_description"]["summary"])
    data["job_description"]["summary"] = f"{summary} (revision {revision})"
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
