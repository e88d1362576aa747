"""Where the tests find the repository, the bundled curriculum and the sample content."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
SAMPLE_CONTENT = REPO / "tests" / "data" / "sample_content"
