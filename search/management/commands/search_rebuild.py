from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index and the vocabulary of its suggestions from the database. "
        "On Elasticsearch it fills a new index and then swaps the alias, so searches keep "
        "working throughout."
    )

    def handle(self, *args, **options):
        count, learnt = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents ({learnt} words)."))
