"""What each output is made from, as one digest: the build decides "up to date" from these alone.

Like Make or Bazel, an output's key is computed from its declared inputs before any work is
done: the role as validated (its file and every parent it extends, merged), the company text,
the titles of related roles, the layout templates its kind includes, the stylesheets (for
formats that use them), the brand's files, the options that change its bytes, and the engine
(rolepack's code, library versions, bundled fonts). No template is rendered to decide.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2
from jinja2 import meta

from pipeline.check.catalogue import Catalogue
from pipeline.render.formats import Format
from pipeline.export.engine import engine_fingerprint
from pipeline.render.private_folder import kept_pickle, own_folder
from pipeline.source.digests import tree_digest

def _referenced(env: jinja2.Environment, name: str, seen: set[str]) -> None:
    if name in seen:
        return
    seen.add(name)
    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    for child in _children(env, source):
        _referenced(env, child, seen)


def _children(env: jinja2.Environment, source: str) -> list[str]:
    """The templates `source` extends, includes or imports by name. Parsing a job description's
    five templates for them took 41 ms of every build that decides what is outdated, so the answer
    is kept in this user's private folder under the source's digest (an edited template is parsed again)."""
    kept = (own_folder("jinja", f"references-{jinja2.__version__}")
            / f"{hashlib.sha256(source.encode('utf-8')).hexdigest()}.pickle")
    names = kept_pickle(kept, lambda: sorted(child for child in meta.find_referenced_templates(env.parse(source))
                                             if child is not None),
                        lambda found: isinstance(found, list) and all(isinstance(n, str) for n in found))
    return names  # type: ignore[return-value]


class Inputs:
    """The digests of one build's inputs, each computed once for the whole build."""

    def __init__(self, catalogue: Catalogue, layouts: Path) -> None:
        self.catalogue = catalogue
        self.layouts = layouts
        self.engine = engine_fingerprint(layouts)
        self._memo: dict[tuple[str, str], str] = {}

    def _once(self, kind: str, name: str, compute) -> str:
        if (kind, name) not in self._memo:
            self._memo[kind, name] = compute()
        return self._memo[kind, name]

    def layout(self, template: str | None) -> str:
        """The template and every template it extends, includes or imports, and the catalogues."""
        def compute() -> str:
            from pipeline.render.html import environment

            if not template:
                return ""
            env = environment(self.layouts)
            names: set[str] = set()
            _referenced(env, template, names)
            digest = hashlib.sha256()
            for name in sorted(names):
                digest.update(name.encode() + b"\0" + (self.layouts / name).read_bytes())
            digest.update(tree_digest(self.layouts / "locales").encode())
            return digest.hexdigest()
        return self._once("layout", template or "", compute)

    def brand(self, folder: Path) -> str:
        return self._once("brand", str(folder), lambda: tree_digest(folder))

    def stylesheets(self) -> str:
        return self._once("css", "", lambda: tree_digest(self.layouts / "css"))

    def site(self) -> str:
        """Every role and the company text: what a page listing the whole catalogue is made from."""
        def compute() -> str:
            digest = hashlib.sha256()
            for slug in sorted(self.catalogue.roles):
                digest.update(f"{slug}\0{self.role(slug, 'job-description')}\0".encode())
            return digest.hexdigest()
        return self._once("site", "", compute)

    def role(self, slug: str, kind: str) -> str:
        """The role (its files, or as validated when it has no kept check), its company text, and
        for the hiring guide (the only kind that lists them) the titles of its related roles."""
        def compute() -> str:
            catalogue = self.catalogue
            if slug in catalogue.sources and slug in catalogue.facts:  # the same files make the same role
                facts = catalogue.facts[slug]
                made_from, language, related = catalogue.sources[slug], facts.language, [s for s, _ in facts.related]
            else:  # a complete draft a drafts build prints
                role = catalogue.roles[slug]
                made_from, language, related = role.model_dump(mode="json"), role.language, role.related_roles
            titles = {s: catalogue.title(s) for s in related if s in catalogue.roles} if kind == "hiring-guide" else {}
            body = {"role": made_from, "company": self.company(language), "related": titles}
            return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return self._once("role", f"{slug}\0{kind}", compute)

    def company(self, language: str) -> str:
        """The company text in one language; a role's own versions of it are in the role's files."""
        return self._once("company", language, lambda: hashlib.sha256(json.dumps(
            self.catalogue.company.in_language(language).model_dump(mode="json"), sort_keys=True,
            ensure_ascii=False).encode()).hexdigest())

    def key(self, *, slug: str, kind: str, writer: Format, path: str, layout: str | None, brand_folder: Path,
            issued: str, options: dict[str, str], lists_roles: bool = True) -> str:
        """Everything this output depends on; the same key means the same bytes. A site page (no
        slug) that lists the roles depends on every role; one that does not, on none."""
        content = self.role(slug, kind) if slug else (self.site() if lists_roles else "")
        chosen = self._once("options", f"{writer.name}\0{sorted(options.items())}", lambda: json.dumps(
            {k: options.get(k, "") for k in writer.options}, sort_keys=True))
        parts = [self.engine, path, kind, writer.name, issued, content, self.layout(layout),
                 self.brand(brand_folder), self.stylesheets() if writer.uses_stylesheets else "", chosen]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()
