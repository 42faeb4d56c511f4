"""A brand is data: colours, fonts, logo and page set-up, checked before any of it reaches CSS."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from pipeline.schema.values import web_address


def _written_as(pattern: str, form: str) -> BeforeValidator:
    """The field's pattern checked first, with the form it asks for said in words (the pattern itself
    still makes the JSON Schema): a value that would break out of CSS is refused by name."""
    def check(value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            raise ValueError(f"must be {form}; got {value!r}")
        return value

    return BeforeValidator(check)


def _no_control_characters(text: str) -> str:
    """Brand text goes into CSS strings, page footers and Word headers, none of which holds a control character."""
    if (char := next((c for c in text if unicodedata.category(c) == "Cc"), None)) is not None:
        raise ValueError(f"holds the control character U+{ord(char):04X}; delete it")
    return text


_COLOUR = r"#[0-9a-fA-F]{6}"
_FAMILY = r"[A-Za-z0-9 ]{1,40}"
Colour = Annotated[str, StringConstraints(pattern=f"^{_COLOUR}$"), _written_as(_COLOUR, "a colour written #rrggbb (like #16324f)")]
FontFamily = Annotated[str, StringConstraints(pattern=f"^{_FAMILY}$"), _written_as(
    _FAMILY, "the name of a bundled font family: letters, digits and spaces (like Noto Sans)")]
AssetName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.(svg|png)$")]
BrandText = AfterValidator(_no_control_characters)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Colours(Closed):
    primary: Colour = Field(description="Headings, rules, the cover band.")
    accent: Colour = Field(description="Links, highlights, table header fill.")
    text: Colour = "#1f2933"
    muted: Colour = "#5f6b7a"
    surface: Colour = Field(default="#f3f5f8", description="Shaded boxes and zebra rows.")


class Fonts(Closed):
    body: FontFamily
    heading: FontFamily
    fallbacks: list[FontFamily] = Field(default_factory=list, description="For text outside the main fonts' scripts.")
    base_size_pt: float = Field(default=10.0, ge=7, le=14)


class Margins(Closed):
    top: float = Field(default=22, ge=5, le=60)
    right: float = Field(default=20, ge=5, le=60)
    bottom: float = Field(default=22, ge=5, le=60)
    left: float = Field(default=20, ge=5, le=60)


class Brand(Closed):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), BrandText]
    colours: Colours
    fonts: Fonts
    logo: AssetName | None = Field(default=None, description=(
        "The company's logo, a file in the brand folder. Without one the documents carry the company's name alone."))
    logo_alt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), BrandText] | None = Field(
        default=None, description="What the logo shows, for screen readers; required with a logo.")
    page_size: Literal["A4", "Letter"] = "A4"
    margins_mm: Margins = Margins()
    footer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), BrandText] = ""
    agency: bool = Field(default=False, description=(
        "True for a recruiting partner printing for a client: its documents say 'with <brand name>' after "
        "the company's name. Otherwise a brand is the company's own look and carries the company's name."))
    site_url: Annotated[str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$"),
                        web_address("https")] | None = Field(
        default=None, description="Where the careers site is published, e.g. https://example.com/careers/.")

    @model_validator(mode="after")
    def _logo_described(self) -> Brand:
        """A picture without words is invisible to a screen reader, and words without a picture describe nothing."""
        if (self.logo is None) != (self.logo_alt is None):
            raise ValueError("give logo and logo_alt together (logo_alt says what the logo shows), or neither")
        return self
