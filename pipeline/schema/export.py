"""JSON Schemas of the content files, so editors can complete and check YAML as it is typed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pipeline.schema import Brand, CompanyFile, Role
from pipeline.schema.settings import Settings

MODELS: dict[str, type[BaseModel]] = {"role": Role, "company": CompanyFile, "brand": Brand, "settings": Settings}


def json_schema(kind: str) -> dict[str, Any]:
    """The schema for `kind` (role, company or brand); KeyError for anything else."""
    schema = MODELS[kind].model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{kind}.schema.json", **schema}
