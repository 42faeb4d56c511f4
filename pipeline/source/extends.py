"""`extends`: a role file that varies another names it and writes only what differs.

Mappings merge key by key; lists and text replace the parent's whole, because a half-merged list
of responsibilities would be impossible to read from the file.
"""

from __future__ import annotations

from typing import Any

from pipeline.source.yaml_reader import DataPath, Located

NOT_INHERITED = ("slug", "extends", "state")


def merge_data(parent: Any, child: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            out[key] = merge_data(parent[key], value) if key in parent else value
        return out
    return child


def chain_origin(chain: list[Located], path: DataPath, *, key: bool = False) -> tuple[str, int, int]:
    """The file and position that supplied `path` in a merged role (the child wins)."""
    for located in reversed(chain):
        table = located.keys if key else located.values
        if path in table:
            return (located.file, *table[path])
    # Not set anywhere exactly: point at the nearest ancestor in the role's own file.
    return (chain[-1].file, *chain[-1].where(path, key=key))


def merge_chain(chain: list[Located]) -> dict[str, Any]:
    """Merge a role's ancestry, root first, into the data of the last (the role itself)."""
    data: dict[str, Any] = {}
    for located in chain[:-1]:
        data = merge_data(data, {k: v for k, v in located.data.items() if k not in NOT_INHERITED})
    return merge_data(data, chain[-1].data)
