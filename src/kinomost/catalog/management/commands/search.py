import json

from django.core.management.base import BaseCommand, CommandError

from kinomost.catalog import search
from kinomost.catalog.models import Work
from kinomost.catalog.selectors import display_title, with_localizations, work_summary
from kinomost.core.errors import DomainError
from kinomost.parties.context import Actor
from kinomost.parties.selectors import organisation_by_slug


class Command(BaseCommand):
    help = 'Search the catalogue from any script: kinomost search "QUERY" [--lang ru] [--json] [--limit N] [--org SLUG]'

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--lang", default="en", help="language to show titles in (ru, zh-Hans, en …)")
        parser.add_argument("--json", action="store_true", help="print the API's JSON")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--org", help="search as this organisation (its own and listed works); default: everything")

    def handle(self, *args, query, lang, limit, org, **opts):
        try:
            actor = Actor(organisation=organisation_by_slug(org), role="read_only") if org else None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        hits = search.search_works(query, actor=actor, limit=limit, language=lang)
        works = {w.pk: w for w in with_localizations(Work.objects.filter(pk__in=[h.work_id for h in hits]))}
        ordered = [works[h.work_id] for h in hits if h.work_id in works]
        if opts["json"]:
            results = [work_summary(w) for w in ordered]
            self.stdout.write(json.dumps({"results": results}, ensure_ascii=False, indent=2))
            return
        if not ordered:
            self.stdout.write("nothing found")
        for hit, work in zip([h for h in hits if h.work_id in works], ordered):
            self.stdout.write(f"{hit.score:4.2f}  {work.ref:<14} {work.kind:<11} {work.year or '':<5} {display_title(work, lang)}")
