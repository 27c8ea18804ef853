"""Short ways to make what the tests need — one module, imported by any test folder (no test
imports another folder's conftest.py). Fixtures shared across folders (org_a, org_b, org_c …)
are in tests/conftest.py; these are plain functions with the defaults most tests need."""

from decimal import Decimal

from kinomost.catalog.services import WorkInput, save_work
from kinomost.cinema import ffmpeg
from kinomost.exchange.proposals import ProposalInput
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

# ---------------------------------------------------------------- people

PASSWORD = "correct horse battery staple"

# ---------------------------------------------------------------- catalogue and rights


def make_work(org, ref, kind="feature", parent_ref=None):
    return save_work(org, WorkInput(ref=ref, kind=kind, titles={"en": ref.title()}, parent_ref=parent_ref))[0]


def hold(
    org, works, territories="WORLD", media="all", start="2026-01-01", end=None, exclusive=True, sublicensable=True, ref="ACQ-1", **extra
):
    term = TermInput(
        works=works, territories=territories, media=media, start=start, end=end, exclusive=exclusive, sublicensable=sublicensable, **extra
    )
    return ledger.record_holding(org, term, contract=ContractInput(reference=ref))


def give(
    licensor,
    licensee,
    works,
    territories="CN",
    media="svod",
    start="2027-01-01",
    end="2030-01-01",
    exclusive=True,
    ref="LIC-1",
    sublicensable=False,
    **extra,
):
    term = TermInput(
        works=works, territories=territories, media=media, start=start, end=end, exclusive=exclusive, sublicensable=sublicensable, **extra
    )
    return ledger.grant(licensor, licensee, term, contract=ContractInput(reference=ref))


# ---------------------------------------------------------------- exchange

CN_SVOD = {"territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01", "exclusive": True}


def proposal(works, terms=None, **money):
    return ProposalInput(
        works=works,
        terms=terms or [CN_SVOD],
        currency=money.pop("currency", "USD"),
        fee_per_work=money.pop("fee_per_work", Decimal("1000")),
        **money,
    )


# ---------------------------------------------------------------- media

SUBTITLES_RU = "1\n00:00:01,000 --> 00:00:03,000\nПривет, мир\n\n2\n00:00:05,000 --> 00:00:07,500\n<i>Кино</i>\n"


def make_clip(path, *, seconds=10, size="320x180", languages=("rus", "eng")):
    """A generated master: test pattern video and one sine tone per audio language."""
    args = ["-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}"]
    for i, _lang in enumerate(languages):
        args += ["-f", "lavfi", "-i", f"sine=frequency={440 + 220 * i}:duration={seconds}"]
    args += ["-map", "0:v"] + [x for i in range(len(languages)) for x in ("-map", f"{i + 1}:a")]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    for i, lang in enumerate(languages):
        args += [f"-metadata:s:a:{i}", f"language={lang}"]
    ffmpeg.run([*args, str(path)])
    return path
