"""Who approved which content of a role, and when (`content/approvals.yaml`, written by `rolepack approve`).

Each approval names the role, the person, their part in hiring (hiring-manager, recruiter, legal …),
the day, and the digest of what they saw: the role with the roles it extends and the company text it
prints. An edit to any of those changes the digest, so the approval no longer covers the role.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pipeline.schema.role import Slug

Part = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)
    role: Slug
    by: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
    part: Part = Field(alias="as", description="Their part in hiring, e.g. hiring-manager, recruiter.")
    on: dt.date
    digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{20,64}$")]
    fields: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")],
                 Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")]] = Field(
        default_factory=dict, description="A short digest of each part it covered (each top-level field of the "
                                          "role, and `company`), so `status` can name what changed since.")


class Approvals(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    approvals: list[Approval] = Field(default_factory=list)
