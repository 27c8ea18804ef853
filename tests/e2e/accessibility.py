"""axe-core (npm `axe-core`, from node_modules after `make bootstrap`) run on a page: the
violations of impact serious or critical, as "rule: target" lines a person can act on."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[str]:
    """Inject axe (the page's context must bypass CSP: axe is a test tool, never served) and run
    it on the whole document; WCAG 2.x A and AA rules."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make bootstrap installs axe-core)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}))
        .violations.map(v => ({id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""")
    return [f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}" for v in result if v["impact"] in BLOCKING]
