"""Model rows to the API's dicts, field by field: nothing is exposed by accident."""

from django.urls import reverse
from django.utils.translation import get_language

from marketplace.models import WorkStyle


def english() -> bool:
    return (get_language() or "ja").startswith("en")


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if path.startswith("/") else path


def ward(obj) -> dict:
    return {
        "code": obj.code,
        "name": obj.name_en if english() else obj.name_ja,
        "name_ja": obj.name_ja,
        "name_kana": obj.name_kana,
        "name_en": obj.name_en,
    }


def category(obj) -> dict:
    return {"code": obj.code, "name": obj.name, "name_ja": obj.name_ja, "name_en": obj.name_en}


def theme(obj) -> dict:
    return {"slug": obj.slug, "name": obj.label, "name_ja": obj.name, "name_en": obj.name_en}


def task(request, obj, *, detail: bool = False) -> dict:
    organization = obj.organization
    data = {
        "id": obj.pk,
        "url": absolute(request, reverse("marketplace:task_detail", args=[obj.pk])),
        "title": obj.title,
        "status": obj.status,
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "kind": organization.kind,
            "ward": ward(organization.ward),
        },
        "ward": ward(obj.ward),
        "category": category(obj.category),
        "skills": [category(skill) for skill in obj.skills.all()],
        "work_style": obj.work_style,
        "remote_ok": obj.work_style in WorkStyle.remote_ok(),
        "hours_per_week": obj.hours_per_week,
        "duration_weeks": obj.duration_weeks,
        "people_wanted": obj.people_wanted,
        "apply_deadline": obj.apply_deadline,
        "published_at": obj.published_at,
    }
    if detail:
        data |= {
            "description": obj.description,
            "deliverable": obj.deliverable,
            "tags": sorted(tag.name for tag in obj.tags.all()),
        }
    return data


def dataset(request, obj, *, detail: bool = False, contests: list[int] = ()) -> dict:
    resources = list(obj.resources.all())
    data = {
        "id": obj.pk,
        "url": absolute(request, reverse("contests:dataset_detail", args=[obj.pk])),
        "title": obj.title,
        "publisher": obj.publisher or obj.publisher_name,
        "catalog": {"name": obj.catalog.name, "url": obj.catalog.base_url},
        "source_url": obj.source_url,
        "licence": {"id": obj.licence_id, "title": obj.licence_title, "url": obj.licence_url},
        "formats": sorted({r.format.strip() for r in resources if r.format.strip()}),
        "metadata_modified": obj.metadata_modified,
    }
    if detail:
        data |= {
            "notes": obj.notes,
            "tags": [str(tag) for tag in obj.tags] if isinstance(obj.tags, list) else [],
            "resources": [
                {
                    "name": r.name,
                    "format": r.format,
                    "url": r.url,
                    "size": r.size,
                    "last_modified": r.last_modified,
                }
                for r in resources
            ],
            "contests": list(contests),
        }
    return data


TIMELINE = [
    "announced_at",
    "entry_opens_at",
    "entry_closes_at",
    "building_starts_at",
    "submission_deadline",
    "screening_at",
    "final_presentation_at",
    "results_at",
    "support_ends_at",
]


def contest(request, page, *, contest_id: int, team_count: int, detail: bool = False) -> dict:
    prizes = list(page.prizes.all())
    data = {
        "id": contest_id,
        "url": absolute(request, page.get_url(request) or ""),
        "title": page.title,
        "summary": page.summary,
        "language": page.locale.language_code,
        "state": page.state_at(),
        "ward": ward(page.ward),
        "themes": [theme(t) for t in page.themes.all()],
        "timeline": {name: getattr(page, name) for name in TIMELINE},
        "total_prize_money_jpy": sum(p.amount * p.winners for p in prizes),
        "team_count": team_count,
    }
    if detail:
        data |= {
            "eligibility_area": page.eligibility_area,
            "team_size_max": page.team_size_max,
            "prizes": [
                {
                    "name": p.name,
                    "amount_jpy": p.amount,
                    "winners": p.winners,
                    "audience_vote": p.audience,
                }
                for p in prizes
            ],
            "datasets": [link.dataset_id for link in page.canonical.dataset_links.all()],
        }
    return data
