"""Pages change in Wagtail's editor, not through a service: reindex on its signals."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from search.index import update_on_commit


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    update_on_commit(instance)
