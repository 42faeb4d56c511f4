"""A content folder's own settings (`rolepack.yaml`): the rules its team accepts, and its defaults.

A team that knowingly keeps something a rule warns about (salary data older than a year, because no
newer public release exists) says so once, with its reason, instead of passing --allow on every
command; the commands then print the reason once as a note, not the warnings.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    allow: dict[RuleId, Reason] = Field(
        default_factory=dict, description="Rule → why its findings are accepted, e.g. stale-pay: no newer data is published.")
    brands: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$")]] = Field(
        default_factory=list, description="The brands `build` makes when none is named (default: all).")
    formats: list[Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]] = Field(
        default_factory=list, description="The formats `build` makes when none is named (default: pdf).")
    kinds: list[Annotated[str, StringConstraints(pattern=r"^[a-z-]+$")]] = Field(
        default_factory=list, description=("The documents `build` makes when none is named, e.g. [job-description, "
                                           "hiring-guide, interview-kit] (default: the job description and the hiring guide)."))
    out: Annotated[str, StringConstraints(min_length=1)] | None = Field(
        default=None, description="The output folder when --out is not given (default: build).")
    approvals: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]] = Field(
        default_factory=list, description=("The parts in hiring whose approval a role needs before it is published, "
                                           "e.g. [hiring-manager, recruiter] (default: none)."))
