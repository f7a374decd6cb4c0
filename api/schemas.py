"""What the public API answers with: public facts only, never a person.

No field names a user, an e-mail address, a user id or a resident; an organization is
named as its task page names it (name, kind, ward). Descriptions are English msgids
(gettext_noop): the OpenAPI document is English, the docs page shows them translated.
"""

from datetime import date, datetime

from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema

# --- Shared ----------------------------------------------------------------------------


class WardOut(Schema):
    code: str = Field(
        description=N_("全国地方公共団体コード: six digits including the check digit."),
        examples=["131067"],
    )
    name: str = Field(description=N_("Name in the language of the response."), examples=["台東区"])
    name_ja: str = Field(description=N_("Name in Japanese."), examples=["台東区"])
    name_kana: str = Field(description=N_("Reading of the Japanese name."), examples=["たいとうく"])
    name_en: str = Field(description=N_("Name in English."), examples=["Taito"])


class CategoryOut(Schema):
    code: str = Field(description=N_("Code of the skill category."), examples=["sns"])
    name: str = Field(description=N_("Name in the language of the response."), examples=["SNS運用"])
    name_ja: str = Field(description=N_("Name in Japanese."), examples=["SNS運用"])
    name_en: str = Field(description=N_("Name in English."), examples=["Social media"])


class ThemeOut(Schema):
    slug: str = Field(description=N_("Code of the contest theme."), examples=["bicycles"])
    name: str = Field(description=N_("Name in the language of the response."))
    name_ja: str = Field(description=N_("Name in Japanese."), examples=["放置自転車対策"])
    name_en: str = Field(description=N_("Name in English (may be empty)."))


class ErrorOut(Schema):
    detail: str = Field(description=N_("What went wrong."), examples=["Not Found"])


class ValidationErrorOut(Schema):
    detail: list[dict] = Field(description=N_("Each parameter that was not accepted, and why."))


class Page(Schema):
    count: int = Field(ge=0, description=N_("How many rows match the filters, on every page."))
    limit: int = Field(ge=1, description=N_("Rows per page, as asked."))
    offset: int = Field(ge=0, description=N_("Rows skipped, as asked."))


# --- Tasks -----------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int = Field(description=N_("Organization id (its page on the site)."))
    name: str = Field(description=N_("Name of the organization."))
    kind: str = Field(
        description=N_("Kind of organization: sme, shotengai, npo or other."),
        examples=["shotengai"],
    )
    ward: WardOut


class TaskOut(Schema):
    id: int = Field(description=N_("Task id."))
    url: str = Field(description=N_("The task's page on the site."))
    title: str
    status: str = Field(
        description=N_("open, matched, in_progress or completed (lists show open tasks only)."),
        examples=["open"],
    )
    organization: OrganizationOut
    ward: WardOut = Field(description=N_("Ward the task is for."))
    category: CategoryOut
    skills: list[CategoryOut] = Field(description=N_("Skills wanted."))
    work_style: str = Field(
        description=N_("remote, onsite or either (remote or on site)."), examples=["remote"]
    )
    remote_ok: bool = Field(description=N_("True when the task can be done remotely."))
    hours_per_week: int = Field(ge=1, le=40, description=N_("Hours a week the task asks for."))
    duration_weeks: int = Field(ge=1, description=N_("How many weeks it lasts."))
    people_wanted: int = Field(ge=1)
    apply_deadline: date = Field(description=N_("Last day to apply (Japan time)."))
    published_at: datetime | None = Field(description=N_("When it went on the board."))


class TaskDetailOut(TaskOut):
    description: str = Field(description=N_("What the organization needs help with."))
    deliverable: str = Field(description=N_("What the result will be."))
    tags: list[str] = Field(description=N_("Free keywords."))


class TaskList(Page):
    items: list[TaskOut]


# --- Datasets --------------------------------------------------------------------------


class CatalogOut(Schema):
    name: str = Field(description=N_("The CKAN catalog the dataset comes from."))
    url: str = Field(description=N_("Address of the catalog."))


class ResourceOut(Schema):
    name: str
    format: str = Field(description=N_("File format as the catalog names it."), examples=["CSV"])
    url: str = Field(description=N_("Where to download it (on the catalog's side)."))
    size: int | None = Field(description=N_("Size in bytes, when the catalog says."))
    last_modified: datetime | None


class LicenceOut(Schema):
    id: str = Field(examples=["cc-by"])
    title: str
    url: str


class DatasetOut(Schema):
    id: int = Field(description=N_("Dataset id."))
    url: str = Field(description=N_("The dataset's page on the site."))
    title: str
    publisher: str = Field(description=N_("Who publishes it (as the catalog says)."))
    catalog: CatalogOut
    source_url: str = Field(description=N_("The dataset's page on the catalog."))
    licence: LicenceOut
    formats: list[str] = Field(description=N_("Formats of its files."))
    metadata_modified: datetime = Field(description=N_("Last changed on the catalog."))


class DatasetDetailOut(DatasetOut):
    notes: str = Field(description=N_("Description from the catalog."))
    tags: list[str]
    resources: list[ResourceOut]
    contests: list[int] = Field(description=N_("Ids of the published contests that use it."))


class DatasetList(Page):
    items: list[DatasetOut]


# --- Contests --------------------------------------------------------------------------


class PrizeOut(Schema):
    name: str
    amount_jpy: int = Field(ge=0, description=N_("Prize money per winner, in whole yen."))
    winners: int = Field(ge=1)
    audience_vote: bool = Field(description=N_("Decided by the audience vote."))


class TimelineOut(Schema):
    announced_at: datetime | None
    entry_opens_at: datetime
    entry_closes_at: datetime
    building_starts_at: datetime | None
    submission_deadline: datetime
    screening_at: datetime | None
    final_presentation_at: datetime | None
    results_at: datetime
    support_ends_at: datetime | None


class ContestOut(Schema):
    id: int = Field(description=N_("Contest id (the same in every language)."))
    url: str = Field(description=N_("The contest's page on the site, in the response language."))
    title: str
    summary: str
    language: str = Field(description=N_("Language of title and summary."), examples=["ja"])
    state: str = Field(
        description=N_("upcoming, entry_open, building, judging or finished (read off the clock)."),
        examples=["entry_open"],
    )
    ward: WardOut = Field(description=N_("Ward that runs the contest."))
    themes: list[ThemeOut]
    timeline: TimelineOut = Field(description=N_("Moments in UTC (ISO 8601)."))
    total_prize_money_jpy: int = Field(ge=0, description=N_("All prize money, in whole yen."))
    team_count: int = Field(ge=0, description=N_("Teams entered (not withdrawn)."))


class ContestDetailOut(ContestOut):
    eligibility_area: str = Field(
        description=N_("Who may enter: anyone, wards (the 23 wards) or ward (this ward only).")
    )
    team_size_max: int = Field(ge=1)
    prizes: list[PrizeOut]
    datasets: list[int] = Field(description=N_("Ids of the open datasets linked to the contest."))


class ContestList(Page):
    items: list[ContestOut]
