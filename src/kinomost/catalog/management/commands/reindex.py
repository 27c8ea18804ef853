from django.core.management.base import BaseCommand
from tqdm import tqdm

from kinomost.catalog.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of every work."

    def handle(self, *args, **opts):
        bar = tqdm(total=None, unit="works", desc="reindex")

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        written = reindex_all(progress)
        bar.close()
        self.stdout.write(f"{written} search keys written")
