"""Open datasets: importing a CKAN package, and searching a catalog for one to import.

The catalog is asked first and everything it sent is checked (contests.ckan) before a
single row is written; the rows are then written in one transaction. So a bad address,
a 404, `"success": false`, malformed JSON, a time-out or an unusable resource leaves
the database as it was, and importing again updates the same Dataset row, which keeps
every link to it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core.activity import log_action
from search.index import update_on_commit as reindex_on_commit

from .. import ckan
from ..ckan import CatalogError
from ..models import Catalog, Dataset, Resource


@dataclass(frozen=True)
class SearchHit:
    """A package found on a catalog, light enough for an organizer to pick from."""

    ckan_id: str
    name: str
    title: str
    publisher: str
    licence_title: str
    formats: tuple[str, ...]
    resource_count: int
    metadata_modified: datetime
    page_url: str  # what import_dataset takes to import it
    dataset_pk: int | None  # already imported as this Dataset


class SearchResults(list):
    """The hits of one page (a list), with `total`: the catalog's count of all hits."""

    def __init__(self, hits, *, total: int, catalog_url: str):
        super().__init__(hits)
        self.total = total
        self.catalog_url = catalog_url


def _catalog_url(reference: ckan.PackageReference, catalog: Catalog | None) -> str:
    if catalog is None:
        if reference.catalog_url is None:
            raise CatalogError(
                CatalogError.BAD_URL,
                _(
                    "Choose the catalog, or paste the address of the dataset's page "
                    "(https://…/dataset/…)."
                ),
            )
        return ckan.normalize_catalog_url(reference.catalog_url)
    if reference.catalog_url is not None:
        pasted = ckan.normalize_catalog_url(reference.catalog_url)
        if pasted != ckan.normalize_catalog_url(catalog.base_url):
            # Importing it into the other catalog would give it a wrong page and id space.
            raise CatalogError(
                CatalogError.BAD_URL,
                _("This address is on %(host)s, not on the catalog %(catalog)s.")
                % {"host": ckan.catalog_label(pasted), "catalog": catalog.name},
            )
    return ckan.normalize_catalog_url(catalog.base_url)


def import_dataset(actor, url_or_id: str, catalog: Catalog | None = None) -> Dataset:
    """Import a CKAN package as a Dataset, or bring an imported one up to date.

    `url_or_id` is a dataset page's address (its catalog comes with it, and is added
    when new) or a package id or name on `catalog`. Raises NotAllowed, CatalogError
    (`code` and a message to show) with nothing written, or returns the Dataset.
    """
    policy.check(actor, "contests.import_dataset")
    reference = ckan.parse_package_reference(url_or_id)
    catalog_url = _catalog_url(reference, catalog)
    # The network call stays outside the transaction: no lock waits on a slow catalog.
    package = ckan.package_show(catalog_url, reference.id_or_name)
    try:
        return _store(actor, catalog_url, package, catalog)
    except IntegrityError:
        # Two organizers importing one new package at once: the second insert loses
        # (one_dataset_per_package) and everything it wrote is rolled back; again, it
        # finds the first one's row and updates it.
        return _store(actor, catalog_url, package, catalog)


@transaction.atomic
def _store(actor, catalog_url: str, package: ckan.Package, catalog: Catalog | None) -> Dataset:
    if catalog is None:
        catalog, catalog_created = Catalog.objects.get_or_create(
            base_url=catalog_url, defaults={"name": ckan.catalog_label(catalog_url)}
        )
        if catalog_created:
            log_action(actor, "contests.catalog_added", catalog, base_url=catalog_url)
    dataset = (
        Dataset.objects.select_for_update().filter(catalog=catalog, ckan_id=package.ckan_id).first()
    )
    created = dataset is None
    if created:
        dataset = Dataset(catalog=catalog, ckan_id=package.ckan_id)
    dataset.name = package.name
    dataset.title = package.title
    dataset.notes = package.notes
    dataset.publisher = package.publisher
    dataset.publisher_name = package.publisher_name
    dataset.licence_id = package.licence_id
    dataset.licence_title = package.licence_title
    dataset.licence_url = package.licence_url
    dataset.tags = list(package.tags)
    dataset.source_url = package.page_url(catalog_url)
    dataset.metadata_modified = package.metadata_modified
    dataset.imported_at = timezone.now()
    # contests.ckan checked the package already; this is the last word of the model.
    _clean(dataset, catalog_url, exclude=["catalog"])
    dataset.save()

    # Resources are matched by CKAN id: an updated file keeps its row (and anything that
    # will point at it), a new one is added, one the catalog dropped is deleted.
    existing = {resource.ckan_id: resource for resource in dataset.resources.all()}
    added = updated = 0
    for item in package.resources:
        resource = existing.pop(item.ckan_id, None)
        if resource is None:
            resource = Resource(dataset=dataset, ckan_id=item.ckan_id)
            added += 1
        else:
            updated += 1
        resource.name = item.name
        resource.format = item.format
        resource.url = item.url
        resource.size = item.size
        resource.last_modified = item.last_modified
        resource.position = item.position
        _clean(resource, catalog_url, exclude=["dataset"])
        resource.save()
    removed = [resource.pk for resource in existing.values()]
    Resource.objects.filter(pk__in=removed).delete()

    log_action(
        actor,
        "contests.dataset_imported" if created else "contests.dataset_updated",
        dataset,
        catalog=catalog_url,
        ckan_id=package.ckan_id,
        metadata_modified=package.metadata_modified.isoformat(),
        resources_added=added,
        resources_updated=updated,
        resources_removed=len(removed),
    )
    reindex_on_commit(dataset)
    return dataset


def _clean(obj, catalog_url: str, *, exclude: list[str]) -> None:
    try:
        # Uniqueness is the database's to refuse (see import_dataset): a check here
        # would be one more query per row and still race.
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise CatalogError(
            CatalogError.MALFORMED,
            _("%(catalog)s sent a value that cannot be stored (%(detail)s); nothing was imported.")
            % {"catalog": ckan.catalog_label(catalog_url), "detail": "; ".join(error.messages)},
        ) from None


def search_catalog(
    actor,
    catalog: Catalog | str,
    q: str = "",
    organization: str = "",
    *,
    rows: int = 20,
    start: int = 0,
) -> SearchResults:
    """Packages on `catalog` (a Catalog or a catalog's address) matching the words `q`
    in the CKAN organization `organization`, for an organizer to pick one to import
    (by its `page_url`). Raises NotAllowed, CatalogError, or ValidationError for an
    organization name that cannot be one."""
    # Checked before the request: our server fetches what the person asks for.
    policy.check(actor, "contests.search_catalog")
    catalog_url = catalog.base_url if isinstance(catalog, Catalog) else catalog
    catalog_url = ckan.normalize_catalog_url(catalog_url)
    page = ckan.package_search(catalog_url, q, organization, rows=rows, start=start)
    imported = dict(
        Dataset.objects.filter(
            catalog__base_url=catalog_url, ckan_id__in=[p.ckan_id for p in page.packages]
        ).values_list("ckan_id", "pk")
    )
    hits = [
        SearchHit(
            ckan_id=package.ckan_id,
            name=package.name,
            title=package.title,
            publisher=package.publisher,
            licence_title=package.licence_title,
            formats=tuple(dict.fromkeys(r.format.upper() for r in package.resources if r.format)),
            resource_count=len(package.resources),
            metadata_modified=package.metadata_modified,
            page_url=package.page_url(catalog_url),
            dataset_pk=imported.get(package.ckan_id),
        )
        for package in page.packages
    ]
    return SearchResults(hits, total=page.count, catalog_url=catalog_url)
