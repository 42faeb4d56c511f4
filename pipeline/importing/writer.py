"""The role file as an author would write it: the schema line, keys in the usual order, block text.

Long text is folded (`>-`) and text with line breaks is literal (`|-`), list items are indented
under their key, and the top-level parts are set apart by blank lines, as in
content/roles/backend-engineer.yaml. PyYAML still chooses quoting, so every value reads back as
written; `role_yaml` checks that it does.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from pipeline.source.scaffold import CONFIRM, SCHEMA_LINE

FOLD_AFTER = 100
WIDTH = 100
_SPACED = ("job_description", "responsibilities", "qualifications", "compensation")


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > FOLD_AFTER else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


_CONFIRM_NOTES = {
    "mode": "the posting does not say: on-site, hybrid or remote?",
    "as_of": "the posting does not date its pay: when were these figures set?",
    "min": "the posting states only the maximum: write the minimum",
    "max": "the posting states only the minimum: write the maximum",
}
"""The comment beside a CONFIRM that is not a top-level key, by its key."""


def _key(line: str) -> str:
    found = re.match(r"^\s*(?:-\s+)?([a-z_]+):", line)
    return found[1] if found else ""


def role_yaml(role: dict[str, Any], *, header: list[str], comments: dict[str, str]) -> str:
    """The text of a role file: schema line, `header` comment lines, then `role`.

    `comments` are written beside top-level keys (`employment_type: <<CONFIRM>>  # the posting does not say …`);
    every other CONFIRM gets the comment its key has in _CONFIRM_NOTES.
    """
    body = yaml.dump(role, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH)
    if yaml.safe_load(body) != role:
        raise ValueError("the role does not read back as it was written")  # a PyYAML style choice gone wrong
    lines = []
    for line in body.splitlines():
        key = re.match(r"^([a-z_]+):", line)
        if key and key[1] in _SPACED:
            lines.append("")
        if key and key[1] in comments:
            line = f"{line}  # {comments[key[1]]}"
        elif CONFIRM in line:
            line = f"{line}  # {_CONFIRM_NOTES.get(_key(line), 'the posting does not state this: write what is true')}"
        lines.append(line)
    return "\n".join([SCHEMA_LINE, *(f"# {h}" for h in header), *lines]) + "\n"
