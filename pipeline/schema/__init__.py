"""The models of rolepack's inputs and their JSON Schema."""

from pipeline.schema.brand import Brand
from pipeline.schema.company import Company, CompanyFile, CompanyOverride
from pipeline.schema.role import Role

__all__ = ["Brand", "Company", "CompanyFile", "CompanyOverride", "Role"]
