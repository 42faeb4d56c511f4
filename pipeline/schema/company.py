"""Shared company text that every role prints, and the part of it a role may override.

`company.yaml` may give each text once (in the company's `language`) or once per language; a role
prints the version in its own language. The file is `CompanyFile`; what a document prints is the
`Company` it resolves to in one language, so layouts and writers never see more than one language.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from annotated_types import MinLen

from pydantic import BaseModel, ConfigDict, Discriminator, EmailStr, Field, StringConstraints, Tag

from pipeline.schema.values import ONE_LANGUAGE, PER_LANGUAGE, InItsOwnOrder, OneLine, base_language, web_address

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), InItsOwnOrder]
Line = Annotated[Text, OneLine]
"""Text that goes into email headers (the sender's name, the subject), where a line break would end it."""
Website = Annotated[str, StringConstraints(pattern=r"^https://\S+$"), web_address("https")]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
Register = Literal["formal", "informal"]
"""How documents address the reader: German Sie or du, Spanish usted or tú, French vous or tu."""



def _shape(value: Any) -> str:
    return PER_LANGUAGE if isinstance(value, dict) else ONE_LANGUAGE


def localised(kind: Any) -> Any:
    """`kind` written once (in the company's language) or as a mapping from language tag to `kind`."""
    return Annotated[Annotated[kind, Tag(ONE_LANGUAGE)] | Annotated[dict[LanguageTag, kind], Tag(PER_LANGUAGE)],
                     Discriminator(_shape)]


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
    """The company's text in one language: what a document prints."""

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
    address: Register = Field(default="formal", description="How this language's documents address the reader.")


class ContactFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line
    email: EmailStr
    role: localised(Line) | None = None


class InterviewerGuidanceFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    dos: localised(Annotated[list[Text], MinLen(1)])
    donts: localised(Annotated[list[Text], MinLen(1)])


TRANSLATED: tuple[tuple[str, ...], ...] = (
    ("about",), ("benefits",), ("equal_opportunity",), ("accommodations",), ("pay_note",), ("contact", "role"),
    ("interviewer_guidance", "dos"), ("interviewer_guidance", "donts"))
"""Every field of company.yaml that is text a reader reads, and so has a version per language."""


class CompanyFile(BaseModel):
    """content/company.yaml: each text once, or once per language."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line
    language: LanguageTag = Field(default="en", description="The language of every text written without language keys.")
    registers: dict[LanguageTag, Register] = Field(
        default_factory=dict, alias="register", description="Per language, formal (Sie, usted, vous: the default) or informal (du, tú, tu).")
    website: Website | None = None
    about: localised(list[Text]) = Field(default_factory=list, description="Paragraphs about the company.")
    benefits: localised(list[Text]) = Field(default_factory=list)
    equal_opportunity: localised(Text)
    accommodations: localised(Text) | None = Field(default=None, description="How to ask for interview adjustments.")
    pay_note: localised(Text) | None = Field(default=None, description="How pay bands are set, printed under every pay table.")
    contact: ContactFile
    interviewer_guidance: InterviewerGuidanceFile | None = None
    headcount: int | None = Field(default=None, gt=0, description="Employees worldwide: pay-transparency laws apply above a size.")

    def _value(self, path: tuple[str, ...]) -> Any:
        value: Any = self
        for name in path:
            value = getattr(value, name, None) if value is not None else None
        return value

    def _key(self, value: Any, language: str) -> str | None:
        """The language key of `value` a role in `language` prints: its own tag, else its base
        language, else None (the role's language has no version)."""
        if not isinstance(value, dict):
            return "" if base_language(self.language) == base_language(language) else None
        if language in value:
            return language
        return next((key for key in value if base_language(key) == base_language(language)), None)

    def origin(self, path: tuple[str, ...], language: str) -> tuple[str, ...]:
        """Where in company.yaml the text at `path` that a role in `language` prints is written."""
        value = self._value(path)
        key = self._key(value, language) if isinstance(value, dict) else ""
        if isinstance(value, dict) and key is None:
            key = self._fallback_key(value)
        return path + ((key,) if key else ())

    def _fallback_key(self, value: dict[str, Any]) -> str:
        return self._key(value, self.language) or next(iter(value))

    def _pick(self, value: Any, language: str) -> Any:
        if not isinstance(value, dict):
            return value
        key = self._key(value, language)
        return value[key if key is not None else self._fallback_key(value)]

    def untranslated(self, language: str) -> list[tuple[str, ...]]:
        """The text fields that have no version in `language` (the paths of those written at all)."""
        return [path for path in TRANSLATED
                if (value := self._value(path)) not in (None, [], {}) and self._key(value, language) is None]

    def in_language(self, language: str) -> Company:
        """What a role in `language` prints: each text's version in that language (a text with none
        falls back to the company's own language, and `untranslated` names it)."""
        guidance = self.interviewer_guidance
        return Company(
            name=self.name, website=self.website, headcount=self.headcount,
            about=self._pick(self.about, language), benefits=self._pick(self.benefits, language),
            equal_opportunity=self._pick(self.equal_opportunity, language),
            accommodations=self._pick(self.accommodations, language), pay_note=self._pick(self.pay_note, language),
            contact=Contact(name=self.contact.name, email=self.contact.email,
                            role=self._pick(self.contact.role, language)),
            interviewer_guidance=None if guidance is None else InterviewerGuidance(
                dos=self._pick(guidance.dos, language), donts=self._pick(guidance.donts, language)),
            address=self.register_for(language))

    def register_for(self, language: str) -> Register:
        return self.registers.get(language) or self.registers.get(base_language(language)) or "formal"


class CompanyOverride(BaseModel):
    """A role's own version of any company field, in the role's language; the rest comes from company.yaml."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: Line | None = None
    website: Website | None = None
    about: list[Text] | None = None
    benefits: list[Text] | None = None
    equal_opportunity: Text | None = None
    accommodations: Text | None = None
    pay_note: Text | None = None
    contact: Contact | None = None
