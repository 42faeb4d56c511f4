"""The content model of one role: everything a job description and a hiring-guide packet print.

Models are strict (no silent coercion of a list into text) and closed (an unknown key is an
error), because a typo in hiring content should surface before a candidate reads it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from pipeline.schema.company import CompanyOverride
from pipeline.schema.currencies import ISO_4217
from pipeline.schema.places import area_problem
from pipeline.schema.values import (ITEM, NESTED_ITEM, SLUG_LENGTH, SLUG_PATTERN, UNDEFINED_ATTRIBUTE, InItsOwnOrder,
                                    OneLine, RoleSlug, anchor, web_address)

def _has_words(text: str) -> str:
    """Text that is only spaces, dashes or dots prints as an empty-looking line; it is not content."""
    if not any(unicodedata.category(c)[0] in "LN" for c in text):
        raise ValueError("has no words, only spaces or punctuation; write the text, or remove the key")
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_has_words),
                 InItsOwnOrder]
"""A piece of content text; it may use the inline Markdown subset (bold, italic, links)."""

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_LENGTH)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")]
AreaCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
"""A country ("US") or a country's subdivision ("US-CO", "CA-ON"), as in ISO 3166-2."""


def _known_area(code: str) -> str:
    if (problem := area_problem(code)) is not None:
        raise ValueError(problem)
    return code


class Place(Closed):
    """A city or region as readers see it, with the codes that posting data and pay laws need."""

    name: Text = Field(description="As printed: a city, a region or a time zone.")
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2, e.g. PT, US.")
    region: RegionCode | None = Field(default=None, description="State or province (ISO 3166-2 part), e.g. TX, ON.")
    street: Text | None = None
    postal_code: Text | None = None

    @model_validator(mode="after")
    def _known_codes(self) -> Place:
        if self.region is not None and self.country is None:
            raise ValueError("a region needs its country: add `country:` (e.g. US for TX)")
        if self.country is not None:
            _known_area(self.country + (f"-{self.region}" if self.region else ""))
        return self

    @property
    def area(self) -> str | None:
        """"US-TX", "PT", or None when the place names no country."""
        if self.country is None:
            return None
        return self.country + (f"-{self.region}" if self.region else "")

    def __str__(self) -> str:
        return self.name


def _place(value: object) -> object:
    """A plain name is a place with no codes: the short form most roles are written in."""
    return {"name": value} if isinstance(value, str) else value


class Location(Closed):
    mode: Literal["remote", "hybrid", "on-site"]
    places: list[Annotated[Place, BeforeValidator(_place, json_schema_input_type=str | Place)]] = Field(
        default_factory=list, description="Cities, regions or time zones: a name, or {name, country, region}.")
    hires_in: list[Annotated[AreaCode, AfterValidator(_known_area)]] = Field(
        default_factory=list, description="Remote: the countries or regions a hire may live in (US, US-CO, PT).")
    note: Text | None = None

    @model_validator(mode="after")
    def _hires_in_remote(self) -> Location:
        if self.hires_in and self.mode != "remote":
            raise ValueError("`hires_in` says where a remote hire may live; give places their country instead")
        return self


SectionAnchor = Literal["summary", "about", "responsibilities", "qualifications", "pay", "benefits", "company",
                        "apply"]
"""The job description's own sections, in print order; a free section is placed after one of them."""


class Nested(Closed):
    """A list item with a second level under it, as the author wrote it ("Languages:" over
    "Python", "Go"): kept nested in every format rather than folded into one line."""

    text: Text
    items: list[Text] = Field(min_length=1)


def _item_shape(value: object) -> str:
    return NESTED_ITEM if isinstance(value, dict) else ITEM


Item = Annotated[Annotated[Text, Tag(ITEM)] | Annotated[Nested, Tag(NESTED_ITEM)], Discriminator(_item_shape)]
"""A list item: text, or `{text, items}` for one with a second level."""


class SubSection(Closed):
    heading: Text
    paragraphs: list[Text] = Field(default_factory=list)
    bullets: list[Item] = Field(default_factory=list)
    numbered: bool = Field(default=False, description="The bullets are steps in order (1., 2., …).")
    closing: list[Text] = Field(default_factory=list, description="Paragraphs after the bullets.")


class FreeSection(Closed):
    """A section the model has no field for ("Why this role is open", "Our stack"), kept as written."""

    heading: Text
    after: SectionAnchor = Field(default="about", description="The job description section it follows.")
    paragraphs: list[Text] = Field(default_factory=list)
    bullets: list[Item] = Field(default_factory=list)
    numbered: bool = Field(default=False, description="The bullets are steps in order (1., 2., …).")
    closing: list[Text] = Field(default_factory=list, description="Paragraphs after the bullets.")
    subsections: list[SubSection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> FreeSection:
        if not (self.paragraphs or self.bullets or self.closing or self.subsections):
            raise ValueError("a section needs paragraphs, bullets or subsections under its heading")
        return self


class JobDescription(Closed):
    """The candidate-facing posting: only what a job description cannot do without is required."""

    summary: Text | None = Field(default=None, description="One sentence under the title: what the job is for.")
    about_the_role: list[Text] = Field(min_length=1, description="Paragraphs.")
    key_responsibilities: list[Item] = Field(min_length=1, description="What you will do.")
    perks: list[Item] = Field(default_factory=list, description="Role-specific perks; company benefits are added.")
    how_to_apply: Text | None = None
    show_nice_to_have: bool = Field(default=True, description="Print qualifications.nice_to_have in the posting.")
    sections: list[FreeSection] = Field(default_factory=list, description="The role's own sections.")


Education = Literal["high school", "associate degree", "bachelor degree", "professional certificate",
                    "postgraduate degree"]
"""The credential categories Google reads in a JobPosting's educationRequirements (developers.google.com/
search/docs/appearance/structured-data/job-posting, checked 2026-12-07)."""


class Qualifications(Closed):
    """What you will bring: at least one requirement or skill."""

    prerequisites: list[Item] = Field(default_factory=list)
    hard_skills: list[Item] = Field(default_factory=list)
    soft_skills: list[Item] = Field(default_factory=list)
    nice_to_have: list[Item] = Field(default_factory=list)
    experience_months: int | None = Field(default=None, ge=1, le=600, description=(
        "The least relevant experience the role asks for, in months (24 for two years); printed, and "
        "given to search engines."))
    education: Education | None = Field(default=None, description="The least education the role asks for.")
    experience_instead_of_education: bool = Field(default=False, description=(
        "true: experience can stand in for the education asked for (printed as such)."))

    @model_validator(mode="after")
    def _asks_for_something(self) -> Qualifications:
        if not (self.prerequisites or self.hard_skills or self.soft_skills):
            raise ValueError("say what the role needs: at least one of prerequisites, hard_skills or soft_skills")
        if self.experience_instead_of_education and self.education is None:
            raise ValueError("`experience_instead_of_education` needs the `education` it stands in for")
        return self


class SalarySource(Closed):
    name: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$"), web_address("http", "https")] | None = None
    as_of: dt.date = Field(description="The date the figures describe (a survey's reference date).")
    published: dt.date | None = Field(
        default=None, description="When the source released them; their age is counted from here.")
    note: Text | None = None

    @model_validator(mode="after")
    def _published_after_reference(self) -> SalarySource:
        if self.published is not None and self.published < self.as_of:
            raise ValueError(f"published ({self.published}) is before as_of ({self.as_of}), the date the figures describe")
        return self

    @property
    def dated(self) -> dt.date:
        """The figures' age runs from their release: the newest survey is current data, whatever it describes."""
        return self.published or self.as_of


PAY_LIMIT = 10**12
"""A trillion in any currency and period: above any salary (a yearly pay in dong or rupiah is in the
hundreds of millions), and far below the 28 digits past which money formatting breaks."""


class PayBand(Closed):
    level: Text
    years: Text | None = Field(default=None, description="Typical years of experience, e.g. '2–5'.")
    min: int = Field(gt=0, le=PAY_LIMIT, description="A figure of 0 is a placeholder, not pay.")
    max: int = Field(gt=0, le=PAY_LIMIT)

    @model_validator(mode="after")
    def _ordered(self) -> PayBand:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is more than max ({self.max})")
        return self


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Period = Literal["year", "month", "week", "day", "hour"]


class Bands(Closed):
    """Pay bands in one currency with their source: what a pay table prints."""

    currency: Currency | None = None
    period: Period = "year"
    source: SalarySource | None = None
    levels: list[PayBand] = Field(default_factory=list)
    explanation: Text | None = Field(default=None, description="How the bands are set; else the company's pay_note.")
    posted_levels: list[Text] = Field(default_factory=list,
                                      description="The levels a posting advertises (default: all); its range spans them.")

    @property
    def posted(self) -> list[PayBand]:
        """The bands a job posting states: the chosen levels, or all of them."""
        if not self.posted_levels:
            return list(self.levels)
        return [band for band in self.levels if band.level in self.posted_levels]

    @model_validator(mode="after")
    def _posted_levels_exist(self) -> Bands:
        known = [band.level for band in self.levels]
        unknown = [name for name in self.posted_levels if name not in known]
        if unknown:
            raise ValueError(f"posted_levels names levels that are not in `levels`: {', '.join(unknown)} "
                             f"(the levels are: {', '.join(known) or 'none'})")
        return self

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, currency: str | None) -> str | None:
        if currency is not None and currency not in ISO_4217:
            raise ValueError(f"'{currency}' is not an ISO 4217 currency code")
        return currency


class LocalPay(Bands):
    """The bands for hires in some countries or regions, in their currency: a posting for Toronto
    states Canadian dollars, whatever the company's home bands are."""

    areas: list[Annotated[AreaCode, AfterValidator(_known_area)]] = Field(
        min_length=1, description="The countries or regions these bands are for (CA, CA-ON, PT).")
    currency: Currency
    source: SalarySource
    levels: list[PayBand] = Field(min_length=1)

    def covers(self, area: str) -> bool:
        """Whether the bands are for `area` ("CA-ON" is covered by CA and by CA-ON)."""
        return any(area == code or area.startswith(code + "-") for code in self.areas)


class MinimumPay(Closed):
    """The lowest pay a collective agreement or the law sets for the job, and whether the employer
    pays more: Austria's Equal Treatment Act (GlBG § 9(2)) asks every job advertisement to state both."""

    amount: int = Field(gt=0, le=PAY_LIMIT)
    currency: Currency
    period: Period = "month"
    basis: Text = Field(description="The collective agreement and grade, or the law, that sets it.")
    pays_more: bool = Field(description="true: the employer is willing to pay more than the minimum.")

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, currency: str) -> str:
        if currency not in ISO_4217:
            raise ValueError(f"'{currency}' is not an ISO 4217 currency code")
        return currency


class Compensation(Bands):
    minimum: MinimumPay | None = Field(default=None, description=(
        "The collective-agreement or statutory minimum for the job (Austria asks every advertisement for it)."))
    disclosed: bool = Field(default=True, description="false: the posting states no pay (some laws require a range).")
    equity: Text | None = None
    bonus: Text | None = None
    local: list[LocalPay] = Field(default_factory=list,
                                  description="Bands for hires in other countries or regions, in their currency.")

    def for_area(self, area: str | None) -> Bands:
        """The bands that apply to a hire in `area`: the most specific local bands, else these."""
        if area:
            matching = [pay for pay in self.local if pay.covers(area)]
            if matching:
                return max(matching, key=lambda pay: max(len(c) for c in pay.areas if area.startswith(c)))
        return self

    @model_validator(mode="after")
    def _complete_when_disclosed(self) -> Compensation:
        if self.disclosed:
            missing = [name for name in ("currency", "source") if getattr(self, name) is None]
            if not self.levels:
                missing.append("levels")
            if missing:
                raise ValueError(f"pay that is disclosed needs {', '.join(missing)}; "
                                 "or write `disclosed: false` to state no pay")
        elif self.levels or self.local:
            raise ValueError("`disclosed: false` with pay levels: remove the levels, or disclose them")
        return self


AttributeId = Slug


class InterviewStage(Closed):
    id: Slug | None = Field(default=None, description=(
        "Names the stage's interview kit and scorecard (`<role>-interview-kit-<id>.pdf`); defaults to its "
        "name in lower case with dashes. Set it to keep filled scorecards readable when the name changes."))
    name: Text
    minutes: int = Field(gt=0, le=480)
    who: Text
    focus: list[AttributeId] = Field(min_length=1, description="Scorecard attributes this stage assesses.")
    description: Text | None = None

    @property
    def key(self) -> str:
        """The stage's stable name in file names and form fields."""
        return self.id or anchor(self.name)[:64].rstrip("-")


class Question(Closed):
    question: Text
    attribute: AttributeId
    good_answer: Text = Field(description="What a strong answer shows.")
    red_flags: list[Text] = Field(min_length=1)
    kind: Literal["technical", "behavioural", "scenario", "system-design", "values"] = "technical"


class Anchors(Closed):
    """What each point of the 4-point scale looks like; there is no neutral middle on purpose."""

    strong_no: Text = Field(description="1: clear evidence against.")
    lean_no: Text = Field(description="2: some evidence, not enough.")
    lean_yes: Text = Field(description="3: meets the bar.")
    strong_yes: Text = Field(description="4: well above the bar.")


class ScorecardAttribute(Closed):
    id: AttributeId
    name: Text
    anchors: Anchors
    weight: float | None = Field(default=None, gt=0, le=100, description=(
        "How much this attribute counts in the debrief's weighted summary; without weights every "
        "attribute counts the same. The summary informs the discussion; it does not decide."))


class InterviewGuide(Closed):
    stages: list[InterviewStage] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    scorecard: list[ScorecardAttribute] = Field(min_length=2)

    @model_validator(mode="after")
    def _attributes_exist(self) -> InterviewGuide:
        known = [a.id for a in self.scorecard]
        refs = [(("stages", i, "focus", j), f) for i, s in enumerate(self.stages) for j, f in enumerate(s.focus)]
        refs += [(("questions", i, "attribute"), q.attribute) for i, q in enumerate(self.questions)]
        keys = [stage.key for stage in self.stages]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                raise PydanticCustomError(
                    "duplicate_stage", "stage {n} is named like stage {m} ({key!r}), so their kits and scorecards "
                    "would share one name; give one of them its own `id:`",
                    {"n": i + 1, "m": keys.index(key) + 1, "key": key})
        undefined = tuple((where, name) for where, name in refs if name not in known)
        if undefined:
            # One error for the guide, carrying each reference's own place so that the checker can
            # point at every one of them rather than at the `interview` key.
            raise PydanticCustomError(
                UNDEFINED_ATTRIBUTE, "names scorecard attributes that are not defined: {names}",
                {"names": ", ".join(sorted({name for _, name in undefined})), "refs": undefined, "known": tuple(known)})
        return self


class FaqEntry(Closed):
    question: Text
    answer: Text


class ToolCategory(Closed):
    category: Text
    tools: list[Text] = Field(min_length=1)


def _known_code(table: str) -> Callable[[str], str]:
    """A validator: the code must be in the official list `table` (schema/occupations)."""
    def check(code: str) -> str:
        from pipeline.schema import occupations

        known = {"onet": occupations.onet, "isco": occupations.isco, "esco": occupations.esco}[table]()
        if code not in known:
            names = {"onet": "an O*NET-SOC 2019 occupation", "isco": "an ISCO-08 group", "esco": "an ESCO occupation"}
            raise ValueError(f"'{code}' is not {names[table]} (rolepack checks against the official list in "
                             f"pipeline/schema/data/)")
        return code
    return check


class Occupation(Closed):
    """What the job is in the official classifications, for search engines (occupationalCategory)
    and statistics: an O*NET-SOC 2019 code, an ISCO-08 code, or both, and optionally the ESCO
    occupation. `rolepack import` proposes codes from the title for a person to confirm."""

    onet: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}\.\d{2}$"), AfterValidator(_known_code("onet"))] | None = (
        Field(default=None, description="O*NET-SOC 2019, e.g. 15-1252.00 (Software Developers)."))
    isco: Annotated[str, StringConstraints(pattern=r"^\d{1,4}$"), AfterValidator(_known_code("isco"))] | None = Field(
        default=None, description="ISCO-08 at any level, quoted, e.g. \"2512\" (Software developers).")
    esco: Annotated[str, StringConstraints(pattern=r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$"),
                    AfterValidator(_known_code("esco"))] | None = Field(
        default=None, description="An ESCO occupation URI, e.g. http://data.europa.eu/esco/occupation/….")

    @model_validator(mode="after")
    def _consistent(self) -> Occupation:
        if self.onet is None and self.isco is None and self.esco is None:
            raise ValueError("name at least one code: onet, isco or esco")
        if self.esco is not None and self.isco is not None:
            from pipeline.schema.occupations import esco

            label, group = esco()[self.esco]
            if not group.startswith(self.isco):
                raise ValueError(f"the ESCO occupation '{label}' is in ISCO-08 group {group}, not in {self.isco}")
        return self


LinkedInFunction = Literal[
    "acct", "adm", "advr", "anls", "art", "bd", "cnsl", "cust", "dist", "dsgn", "edu", "eng", "fin", "genb", "hcpr",
    "hr", "it", "lgl", "mgmt", "mnfc", "mrkt", "othr", "pr", "prch", "prdm", "prjm", "prod", "qa", "rsch", "sale",
    "sci", "stra", "supl", "trng", "wrt"]
"""LinkedIn's job function codes (learn.microsoft.com/linkedin/shared/references/reference-tables/
job-function-codes, as its feeds take them, checked 2026-12-07): eng is Engineering, it Information Technology."""


class LinkedIn(Closed):
    """What LinkedIn's job feed asks for that a posting does not otherwise say (its Basic Jobs XML
    feed guide, learn.microsoft.com/linkedin/talent/job-postings/xml-feeds-development-guide, checked
    2026-12-07). Only the `linkedin` feed reads it. LinkedIn requires the company page's id from an
applicant tracking system and matches an employer's own feed by the company's name, so it is
optional here; with it, LinkedIn files the jobs under the right page for certain."""

    company_id: int | None = Field(default=None, gt=0, description=(
        "The company page's id on LinkedIn: the number in the page's admin address (LinkedIn asks it of ATSs)."))
    industry_codes: list[Annotated[int, Field(gt=0)]] = Field(
        default_factory=list, description="LinkedIn industry codes of the employer, e.g. 4 (Software Development).")
    job_functions: list[LinkedInFunction] = Field(
        default_factory=list, description="LinkedIn job function codes, e.g. eng, it.")
    experience_level: Literal["internship", "entry-level", "associate", "mid-senior", "director", "executive"] | None = (
        Field(default=None, description="The level LinkedIn files the job under."))


class Posting(Closed):
    """When and how the role is advertised: what job boards and search engines need beyond the text."""

    posted: dt.date | None = Field(default=None, description="The day the posting goes live (datePosted).")
    closes: dt.date | None = Field(default=None, description="The last day to apply (validThrough).")
    identifier: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")] | None = Field(
        default=None, description="The requisition id; defaults to the slug.")
    apply_url: Annotated[str, StringConstraints(pattern=r"^https://\S+$"), web_address("https")] | None = Field(
        default=None, description="Where candidates apply; without it they apply as how_to_apply says.")
    direct_apply: bool = Field(default=False, description="true when apply_url takes the application itself.")
    existing_vacancy: bool | None = Field(
        default=None, description="Whether a position is open now, or the posting builds a pool (Ontario asks).")
    ai_screening: Text | None = Field(
        default=None, description="How AI is used to screen, assess or select applicants, or that it is not.")
    linkedin: LinkedIn | None = Field(default=None, description="What LinkedIn's job feed needs (`--format linkedin`).")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Posting:
        if self.posted and self.closes and self.closes <= self.posted:
            raise ValueError(f"the closing date ({self.closes}) must come after the posting date ({self.posted})")
        if self.direct_apply and not self.apply_url:
            raise ValueError("`direct_apply: true` needs the `apply_url` that takes the application")
        return self


State = Literal["draft", "review", "approved", "closed"]


def state_on(state: State, closes: dt.date | None, day: dt.date) -> State:
    """The state on `day`: a posting whose closing date has passed is closed, whatever it says."""
    if state in ("approved", "review") and closes is not None and closes < day:
        return "closed"
    return state


class Role(Closed):
    """A complete role, after `extends` has been merged."""

    slug: Annotated[Slug, RoleSlug] | None = Field(default=None, description=(
        "Defaults to the file name. Not one of rolepack's own names: site, index, assets, feeds, drafts."))
    extends: Slug | None = Field(default=None, description="Slug of a role this one varies.")
    state: State = Field(default="approved", description=(
        "draft: unfinished, never built or published and never blocking other roles; review: complete, "
        "awaiting approval, printed but not published; approved: published; closed: off the careers site "
        "and feeds, its job page says the position is closed. A variant does not inherit it."))
    title: Annotated[Text, OneLine]
    department: Annotated[Text, OneLine] | None = None
    occupation: Occupation | None = Field(default=None, description=(
        "The job's O*NET-SOC, ISCO-08 and/or ESCO code (occupationalCategory); `rolepack import` proposes them."))
    employment_type: Literal["full-time", "part-time", "contract", "temporary", "internship"]
    locations: list[Location] = Field(min_length=1)
    reviewed: dt.date | None = Field(default=None, description="When the hiring team last reviewed this role; dates the documents.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    posting: Posting = Field(default_factory=Posting, description="Dates and links for the job posting.")
    job_description: JobDescription
    responsibilities: list[Text] = Field(default_factory=list, description="What the hiring manager can expect them to handle.")
    qualifications: Qualifications
    compensation: Compensation | None = None
    interview: InterviewGuide | None = Field(default=None, description="Without it, the role gets no hiring guide.")
    faq: list[FaqEntry] = Field(default_factory=list)
    team_sizing: list[Text] = Field(default_factory=list)
    tools: list[ToolCategory] = Field(default_factory=list)
    related_roles: list[Slug] = Field(default_factory=list)
    company: CompanyOverride | None = None

    def state_on(self, day: dt.date) -> State:
        return state_on(self.state, self.posting.closes, day)
