"""The official EMA/MovieLabs XML Schemas as a test oracle: `validate_avails_xml(data)` lists what
the schema of the document's declared avails version says is wrong with it (empty = valid).

The schemas and the conformance samples live outside the repository, in the shared folder
(`shared/conformance/avails/`, see its README): beside the checkout (`../shared`) or beside the
folder of worktrees (`../../shared`). Tests that need them skip, naming where they looked.

Run as a script it counts the schema errors of what Kinomost writes, the figures docs/avails.md
reports (a fresh SQLite database in a temporary folder; nothing else is touched):

    PYTHONPATH=src:. .venv/bin/python -m tests.rights.avails_schema
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_CANDIDATES = [REPO.parent / "shared", REPO.parent.parent / "shared"]
SHARED = next((folder for folder in _CANDIDATES if folder.is_dir()), _CANDIDATES[0])
SAMPLES = SHARED / "conformance" / "avails"
SCHEMAS = SAMPLES / "xsd"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"conformance samples not found in {' or '.join(str(c / 'conformance' / 'avails') for c in _CANDIDATES)}"
)
needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(),
    reason=f"avails XML Schemas not found in {' or '.join(str(c / 'conformance' / 'avails' / 'xsd') for c in _CANDIDATES)}",
)
#: Every sample that is meant to be valid (the README); Avails_withErrors.xml is invalid on purpose.
VALID_SAMPLES = [
    "Movies_v1.7.3.xlsx",
    "Movies_v1.8.xlsx",
    "Movies_v1.9.xlsx",
    "TV_v1.8.xlsx",
    "TV_v1.9.xlsx",
    "Bonus_v1.9.xlsx",
    "Avails_noErrors_v2.4.xml",
    "Avails_Volume_no-err_v2.4.xml",
    "TPT-test_v1.9_v2.5.xml",
]
_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/avails/v(2(?:\.\d+)+)/avails$")


@lru_cache(maxsize=None)
def _schema(version: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"avails-v{version}.xsd")))


def validate_avails_xml(data: bytes) -> list[str]:
    """Every error the declared version's schema finds, as "line N: message"; [] when valid."""
    from lxml import etree

    root = etree.fromstring(data)
    match = _NAMESPACE.match(etree.QName(root).namespace or "")
    if match is None or not (SCHEMAS / f"avails-v{match.group(1)}.xsd").is_file():
        return [f"line {root.sourceline}: the root {root.tag} declares no avails version we have a schema for"]
    schema = _schema(match.group(1))
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def written_xml(rows) -> bytes:
    from kinomost.rights.avails.export import write_xml

    out = io.BytesIO()
    write_xml(rows, out)
    return out.getvalue()


def round_trip_xml(name: str) -> bytes:
    """A sample read (either encoding) and written as XML."""
    from kinomost.rights.avails.xlsx import read_xlsx
    from kinomost.rights.avails.xml import read_xml

    return written_xml((read_xlsx if name.endswith(".xlsx") else read_xml)(SAMPLES / name).rows)


def demo_exports() -> dict[str, bytes]:
    """The XML export of every (licensor, licensee) pair with grants in the database, from the
    licensor's side: what a demo organisation can download."""
    from kinomost.parties.models import Organisation
    from kinomost.rights.avails.from_ledger import export_avails
    from kinomost.rights.models import AtomKind, Term

    pairs = (
        Term.objects.filter(kind=AtomKind.GRANT, contract__licensor__isnull=False, contract__licensee__isnull=False)
        .values_list("contract__licensor", "contract__licensee")
        .distinct()
    )
    orgs = Organisation.objects.in_bulk({org for pair in pairs for org in pair})
    return {
        f"{orgs[licensor].slug} -> {orgs[licensee].slug}": export_avails(orgs[licensor], "xml", licensee=orgs[licensee]).data
        for licensor, licensee in sorted(set(pairs))
    }


def _count(label: str, data: bytes) -> int:
    errors = validate_avails_xml(data)
    avails = data.count(b"<avails:Avail>")
    print(f"  {label}: {avails} Avails, {len(errors)} schema errors")
    return len(errors)


def main() -> None:
    """Schema errors of the demo's exports and of every sample's round trips."""
    import os
    import tempfile

    os.environ["KINOMOST_DATA_DIR"] = tempfile.mkdtemp(prefix="avails-schema-")
    os.environ.pop("KINOMOST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kinomost.core.errors import DomainError
    from kinomost.parties.services import create_organisation
    from kinomost.rights.avails.from_ledger import export_avails
    from kinomost.rights.avails.records import import_avails, read_avails

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    print("demo: the XML export of every licensor's grants to each licensee")
    demo_total = sum(_count(label, data) for label, data in demo_exports().items())
    print("samples: read and written as XML")
    read_total = 0
    for name in VALID_SAMPLES:
        try:
            read_total += _count(name, round_trip_xml(name))
        except DomainError as exc:
            print(f"  {name}: refused: {exc.message}")
    print("samples: imported into a fresh organisation, exported from the ledger as XML")
    ledger_total = 0
    for number, name in enumerate(VALID_SAMPLES):
        org = create_organisation(slug=f"schema-count-{number}", name=f"Schema count {number}", kind="platform", country="RU")
        data = (SAMPLES / name).read_bytes()
        import_avails(org, data, name)
        for licensor in sorted({row.licensor for row in read_avails(data, name).rows}) or ["(no rows)"]:
            try:
                ledger_total += _count(f"{name} from {licensor}", export_avails(org, "xml", licensor=licensor).data)
            except DomainError as exc:
                print(f"  {name} from {licensor}: refused: {exc.message}")
    print(f"total: demo {demo_total}, read -> write {read_total}, import -> ledger -> export {ledger_total}")


if __name__ == "__main__":
    main()
