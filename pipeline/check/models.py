"""Merged YAML data validated against a pydantic model, each problem located in the file that wrote
the value (a variant's own file, or the parent it inherited the value from).

Roles, the company file, brands and the lint rules' data files all validate this way.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.check.messages import friendly, undefined_attribute
from pipeline.problems import Problem, dotted
from pipeline.schema.values import SHAPE_TAGS, UNDEFINED_ATTRIBUTE
from pipeline.source.extends import chain_origin
from pipeline.source.yaml_reader import Located


def _problems(err: ValidationError, chain: list[Located], root: type[BaseModel]) -> list[Problem]:
    out = []
    for error in err.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if part not in SHAPE_TAGS)
        kind = error["type"]
        if kind == UNDEFINED_ATTRIBUTE:
            ctx = error["ctx"]
            for sub, name in ctx["refs"]:
                path = loc + sub
                out.append(Problem(*chain_origin(chain, path), dotted(path), undefined_attribute(name, list(ctx["known"]))))
            continue
        if kind == "missing":
            file, line, col = chain_origin(chain, loc[:-1])
        else:
            file, line, col = chain_origin(chain, loc, key=kind == "extra_forbidden")
        out.append(Problem(file, line, col, dotted(loc), friendly(error, root)))
    return out


def validate_model(model: type[BaseModel], data: Any, chain: list[Located]) -> tuple[Any, list[Problem]]:
    """Validate merged data against `model`; problems point into the file that wrote each value."""
    try:
        return model.model_validate(data), []
    except ValidationError as err:
        return None, _problems(err, chain, model)
