"""Shared company text that every role prints, and the part of it a role may override."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from pipeline.schema.values import OneLine, web_address

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[Text, OneLine]
"""Text that goes into email headers (the sender's name, the subject), where a line break would end it."""
Website = Annotated[str, StringConstraints(pattern=r"^https://\S+$"), web_address("https")]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line
    email: EmailStr
    role: Line | None = None


class InterviewerGuidance(BaseModel):
    """Rules every interviewer follows, printed in every hiring guide."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    dos: list[Text] = Field(min_length=1)
    donts: list[Text] = Field(min_length=1)


class Company(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line
    website: Website | None = None
    about: list[Text] = Field(default_factory=list, description="Paragraphs about the company.")
    benefits: list[Text] = Field(default_factory=list)
    equal_opportunity: Text
    accommodations: Text | None = Field(default=None, description="How to ask for interview adjustments.")
    pay_note: Text | None = Field(default=None, description="How pay bands are set, printed under every pay table.")
    contact: Contact
    interviewer_guidance: InterviewerGuidance | None = None
    headcount: int | None = Field(default=None, gt=0, description="Employees worldwide: pay-transparency laws apply above a size.")


class CompanyOverride(BaseModel):
    """A role's own version of any company field; the rest comes from company.yaml."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line | None = None
    website: Website | None = None
    about: list[Text] | None = None
    benefits: list[Text] | None = None
    equal_opportunity: Text | None = None
    accommodations: Text | None = None
    pay_note: Text | None = None
    contact: Contact | None = None
