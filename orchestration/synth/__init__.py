"""Synthetic template A disclosures with their ground truth (`yusuan synth`).

`model` draws the corpus (departments, projects and figures drifting over the years), `write`
lays each document out as the Nangong sample's text layer, `render` turns that text into PDF,
DOCX or HTML, and `corpus` writes the files, a sources file and truth.json.
"""

from orchestration.synth.corpus import synthesize

__all__ = ["synthesize"]
