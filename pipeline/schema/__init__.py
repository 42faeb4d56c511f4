"""The models of rolepack's inputs and their JSON Schema.

The models are loaded when first asked for (PEP 562): a command that reads only rolepack.yaml
(`pipeline.schema.settings`), such as a build that finds nothing changed, does not pay for
building the role's and the company's validators."""

from __future__ import annotations

import importlib

_HOME = {"Brand": "brand", "Company": "company", "CompanyFile": "company", "CompanyOverride": "company",
         "Role": "role"}

__all__ = ["Brand", "Company", "CompanyFile", "CompanyOverride", "Role"]


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"pipeline.schema.{_HOME[name]}"), name)
    raise AttributeError(f"module 'pipeline.schema' has no attribute {name!r}")
