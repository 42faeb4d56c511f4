"""A brand is data: colours, fonts, logo and page set-up, checked before any of it reaches CSS."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
FontFamily = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 ]{1,40}$")]
AssetName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+\.(svg|png)$")]


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
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    colours: Colours
    fonts: Fonts
    logo: AssetName
    logo_alt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    page_size: Literal["A4", "Letter"] = "A4"
    margins_mm: Margins = Margins()
    footer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    site_url: Annotated[str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$")] | None = Field(
        default=None, description="Where the careers site is published, e.g. https://example.com/careers/.")
