from django.core.management.base import BaseCommand

from search.backends.base import get_backend
from search.documents import all_documents


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database. On Elasticsearch it fills a new index "
        "and then swaps the alias, so searches keep working throughout."
    )

    def handle(self, *args, **options):
        count = get_backend().rebuild(all_documents())
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents."))
