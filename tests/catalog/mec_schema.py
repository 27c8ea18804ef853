"""The official mdmec XML Schema as a test oracle, after tests/rights/avails_schema.py:
`validate_mec_xml(data)` lists what the schema of the document's declared mdmec version says is
wrong with it (empty = valid). The schemas live in the shared folder; tests needing them skip."""

from __future__ import annotations

import re
from functools import lru_cache

from tests.rights.avails_schema import SCHEMAS, needs_schemas  # noqa: F401  (one place that finds them)

_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/mdmec/v(2(?:\.\d+)+)$")


@lru_cache(maxsize=None)
def _schema(version: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"mdmec-v{version}.xsd")))


def validate_mec_xml(data: bytes) -> list[str]:
    """Every error the declared version's schema finds, as "line N: message"; [] when valid."""
    from lxml import etree

    root = etree.fromstring(data)
    match = _NAMESPACE.match(etree.QName(root).namespace or "")
    if match is None or not (SCHEMAS / f"mdmec-v{match.group(1)}.xsd").is_file():
        return [f"line {root.sourceline}: the root {root.tag} declares no mdmec version we have a schema for"]
    schema = _schema(match.group(1))
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
