from django.core.management.base import BaseCommand

from search import vocabulary
from search.backends.base import get_backend
from search.documents import all_documents


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database. On Elasticsearch it fills a new index "
        "and then swaps the alias, so searches keep working throughout."
    )

    def handle(self, *args, **options):
        words = vocabulary.Rebuild()
        count = get_backend().rebuild(words.watch(all_documents()))
        learnt = words.save()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents ({learnt} words)."))
