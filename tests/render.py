"""The renderers live in `orchestration.synth.render`; re-exported here for the tests."""

from orchestration.synth.render import (  # noqa: F401
    LAYOUTS,
    blocks,
    last_filled,
    render_docx,
    render_html,
    render_pdf,
    spans,
)
