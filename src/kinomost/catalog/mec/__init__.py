"""MovieLabs Common Metadata, MEC profile (mdmec:CoreMetadata): one XML file per work.

`writer` turns a work into a MEC document, `reader` turns MEC documents back into work inputs,
`importing` applies them to a catalogue (all or nothing), `exporting` picks the works a caller
may export. `terms` owns the vocabulary both directions share. See docs/metadata.md.
"""

from kinomost.catalog.mec.exporting import export_mec, mec_filename, offer_mec_zip  # noqa: F401
from kinomost.catalog.mec.importing import MecImportResult, import_mec  # noqa: F401
