"""Pydantic's error records rewritten as plain English for a recruiter editing YAML."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from pipeline.problems import did_you_mean, kind_of

_PATTERNS = {
    "slug": "must use only lowercase letters, digits and single hyphens (like `backend-engineer`)",
    "extends": "must be a role slug (lowercase letters, digits and hyphens)",
    "related_roles": "must be a role slug (lowercase letters, digits and hyphens)",
    "id": "must be lowercase letters, digits and hyphens (like `system-design`)",
    "focus": "must be a scorecard attribute id (lowercase letters, digits and hyphens)",
    "attribute": "must be a scorecard attribute id (lowercase letters, digits and hyphens)",
    "currency": "must be a three-letter ISO 4217 code such as USD or EUR",
    "url": "must be an http:// or https:// address",
    "website": "must be an https:// address",
    "language": "must be a language tag such as `en` or `en-GB`",
    "logo": "must be the file name of an .svg or .png in the brand folder",
}


_MAPPINGS = {
    "register": "one register per language, like `register: {fr: informal}` (formal is the default)",
}
"""Keys whose mapping a writer may not guess the shape of: the message shows one."""


def undefined_attribute(name: str, known: list[str]) -> str:
    hint = did_you_mean(name, known) or f" (the scorecard defines: {', '.join(known)})"
    return f"'{name}' is not an attribute in interview.scorecard{hint}"


def friendly(error: ErrorDetails, root: type[BaseModel]) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc = error["loc"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    got = kind_of(value)
    if kind == "missing":
        return f"missing required key '{loc[-1]}'"
    if kind == "extra_forbidden":
        known = field_names(root, loc[:-1])
        hint = did_you_mean(str(loc[-1]), known) or (f"; known keys: {', '.join(sorted(known))}" if known else "")
        return f"unknown key '{loc[-1]}'{hint}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {got}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected {_MAPPINGS.get(name, 'a mapping of keys')}, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"expected a date written as YYYY-MM-DD, got {got if not isinstance(value, str) else repr(value)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}; got {value!r}"
    if kind == "string_pattern_mismatch":
        return f"{_PATTERNS.get(name, 'does not have the expected form')}; got {value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} items, got {ctx.get('actual_length')}"
    if kind == "greater_than" and name in ("min", "max") and value == 0:
        return "a pay figure of 0 is a placeholder, not pay; write the band's real figure"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {"greater_than_equal": "at least", "greater_than": "more than",
                "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {word} {bound}; got {value!r}"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", error["msg"]))
        return message.removeprefix("Value error, ")
    return error["msg"][:1].lower() + error["msg"][1:]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType) or origin is not None:
        for arg in typing.get_args(annotation):
            out += _models_in(arg)
    return out


def field_names(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc`, found by walking the model's fields."""
    models = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for model in models:
            info = model.model_fields.get(str(part))
            if info is not None:
                nxt += _models_in(info.annotation)
        models = nxt
    return sorted({name for model in models for name in model.model_fields})
