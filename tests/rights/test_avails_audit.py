"""The audit trail of an avails import: the titles it catalogues are one event that lists them,
while the catalogue's own import still records each work it creates."""

import datetime as dt
from io import BytesIO

from kinomost.catalog.io import bulk
from kinomost.catalog.models import Work
from kinomost.catalog.services import WorkInput
from kinomost.core.models import AuditEvent
from kinomost.rights.avails import records
from kinomost.rights.avails.export import write_xlsx
from kinomost.rights.avails.model import AvailRow


def _file(alids) -> bytes:
    out = BytesIO()
    write_xlsx(
        [
            AvailRow(
                licensor="Rus Media Group",
                work_type="Movie",
                alid=alid,
                territory="RU",
                title_alias=alid.title(),
                license_type="SVOD",
                format_profile="HD",
                start=dt.date(2027, 1, 1),
                end=dt.date(2029, 1, 1),
            )
            for alid in alids
        ],
        out,
    )
    return out.getvalue()


def test_works_created_by_an_avails_file_are_one_audit_event_naming_each(org_b):
    result = records.import_avails(org_b, _file(["md:alid:a", "md:alid:b"]), "avails.xlsx")

    created = set(Work.objects.filter(owner=org_b).values_list("pk", flat=True))
    assert result.works_created == 2 and len(created) == 2
    events = AuditEvent.objects.filter(organisation_id=org_b.pk, action="works.created_in_bulk")
    assert [(set(e.data["works"]), e.data["source"]) for e in events] == [(created, "avails.xlsx")]
    assert not AuditEvent.objects.filter(organisation_id=org_b.pk, action="work.created").exists()


def test_the_catalogue_bulk_path_still_audits_each_work(org_b):
    works = bulk.create_fresh(org_b, [WorkInput(ref=f"w{i}", kind="feature", original_title=f"W {i}") for i in range(3)])

    events = AuditEvent.objects.filter(organisation_id=org_b.pk, action="work.created")
    assert sorted(int(e.object_id) for e in events) == sorted(w.pk for w in works)
