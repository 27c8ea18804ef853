"""The `kinomost` console script: Kinomost's own commands first, any Django command passes through."""

import os
import sys

KINOMOST_COMMANDS = {
    "serve": "serve the web site and API (embedded server)",
    "demo": "load the demo scenario (idempotent); --scale generates a large library",
    "orgs": "organisations: create, list",
    "users": "people: create members of an organisation",
    "apikeys": "API keys of an organisation: create, list, revoke",
    "import-works": "import works from CSV or XLSX (all or nothing, with a report)",
    "export-works": "export an organisation's works as CSV or XLSX",
    "export-mec": "write one MEC (MovieLabs metadata) XML file per work, for platforms and operators",
    "import-mec": "create or update works from MEC XML files (all or nothing, with a report)",
    "import-avails": "import EMA avails (xlsx 1.7.3-1.9, XML 2.x) into the rights ledger",
    "export-avails": "export grants as EMA avails (v1.9 xlsx or XML 2.5)",
    "search": "search the catalogue from any script",
    "reindex": "rebuild the search index",
    "deals": "exchange deals: list an organisation's, refresh (lapse offers, expire deals, reminders)",
    "quotas": "quota counters (used / limit) per territory; define rules",
    "i18n-compile": "compile the interface translations",
    "ingest": "ingest a master (and dubs, subtitles) into encrypted adaptive HLS",
    "worker": "run ingest jobs; start more on any machine sharing the database and storage",
    "storefront": "the storefront's visibility set: rebuild [--platform ORG/SLUG]",
    "playback-fold": "fold heartbeats (Redis) into playback sessions; end sessions whose licence lapsed",
    "demo-cinema": "the demo storefront (after demo): rights, a viewer, short masters queued for ingest",
    "royalties": "royalty statements (json, xlsx, pdf), usage import from other platforms, closing a period",
    "fx": "import exchange rates (CSV date,base,quote,rate,source)",
    "demo-royalties": "the demo's money (after demo-cinema): a quarter of simulated viewing and charges, an imported usage report",
}


def _print_help() -> None:
    print("usage: kinomost COMMAND [options]\n")
    print("Kinomost commands:")
    for name, summary in KINOMOST_COMMANDS.items():
        print(f"  {name:<14} {summary}")
    print("\nEvery Django management command passes through too (kinomost migrate, kinomost shell, …).")
    print("kinomost COMMAND --help shows a command's options; kinomost help --all lists Django's commands.")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    if len(argv) < 2 or argv[1] in {"-h", "--help"} or argv[1:] == ["help"]:
        _print_help()
        return
    if argv[1:3] == ["help", "--all"]:
        argv = argv[:2]
    from django.core.management import execute_from_command_line

    argv[0] = "kinomost"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
