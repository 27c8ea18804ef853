from django.core.management.base import BaseCommand
from tqdm import tqdm

from kinomost.catalog.search import reindex_all
from kinomost.catalog.search.people import reindex_people


class Command(BaseCommand):
    help = "Rebuild the search index of every work and the name index of every person."

    def handle(self, *args, **opts):
        bar = tqdm(total=None, unit="works", desc="reindex")

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        written = reindex_all(progress)
        bar.close()
        self.stdout.write(f"{written} search keys written, {reindex_people()} people indexed")
