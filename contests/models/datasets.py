"""Open datasets, copied from the CKAN catalogs the wards publish them in.

A Dataset is our copy of one CKAN package; contests link to it (next slice). The copy is
refreshed by importing the package again (contests.services.import_dataset), which
updates the same row, so the links stay. The catalog stays the source of truth: we keep
what an organizer, a team or a judge needs to see and follow, not the data itself.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The links we show are opened by residents' browsers: nothing but web addresses.
web_url = URLValidator(schemes=["http", "https"])


class Catalog(models.Model):
    """A CKAN site, such as 東京都オープンデータカタログサイト."""

    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(
        _("address of the catalog"),
        max_length=500,
        unique=True,
        validators=[web_url],
        # Normalised by contests.ckan.normalize_catalog_url, so one site is one row.
        help_text=_("The CKAN site's address, without /api/3/action."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("open data catalog")
        verbose_name_plural = _("open data catalogs")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # One spelling per site whoever creates the row, or "https://x.jp/" and
        # "https://x.jp" would be two catalogs with the same datasets.
        from ..ckan import CatalogError, normalize_catalog_url  # ckan imports this module

        try:
            self.base_url = normalize_catalog_url(self.base_url)
        except CatalogError:
            pass  # not a web address: clean() says so where a form asks
        super().save(*args, **kwargs)

    def clean(self):
        from ..ckan import CatalogError, normalize_catalog_url

        try:
            self.base_url = normalize_catalog_url(self.base_url)
        except CatalogError as error:
            raise ValidationError({"base_url": error.message}) from None


class Dataset(models.Model):
    """One CKAN package of a catalog, as it was when last imported."""

    catalog = models.ForeignKey(
        Catalog, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("catalog")
    )
    # The package id never changes on the catalog; its name (slug) can, so an import
    # finds the row by id and a renamed package updates the same dataset.
    ckan_id = models.CharField(_("CKAN package id"), max_length=100)
    name = models.CharField(_("CKAN name"), max_length=100, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    notes = models.TextField(_("description"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    publisher_name = models.CharField(
        _("publisher's CKAN name"),
        max_length=100,
        blank=True,
        help_text=_("The CKAN organization, to search its other datasets."),
    )
    licence_id = models.CharField(_("licence id"), max_length=100, blank=True)
    licence_title = models.CharField(_("licence"), max_length=500, blank=True)
    licence_url = models.URLField(
        _("licence link"), max_length=2000, blank=True, validators=[web_url]
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    source_url = models.URLField(_("page on the catalog"), max_length=2000, validators=[web_url])
    metadata_modified = models.DateTimeField(_("changed on the catalog"))
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "ckan_id"], name="one_dataset_per_package")
        ]
        verbose_name = _("open dataset")
        verbose_name_plural = _("open datasets")

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    """A file or API of a dataset (CKAN resource): what a team downloads."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="resources", verbose_name=_("dataset")
    )
    ckan_id = models.CharField(_("CKAN resource id"), max_length=100)
    name = models.CharField(_("name"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=2000, validators=[web_url])
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    last_modified = models.DateTimeField(_("data changed"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "ckan_id"], name="one_resource_per_ckan_resource"
            )
        ]
        verbose_name = _("dataset resource")
        verbose_name_plural = _("dataset resources")

    def __str__(self) -> str:
        return self.name or self.url
