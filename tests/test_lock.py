"""The lock pins every package by name and version, and only packages from the registry:
a newcomer's machine has no path of ours, and the project itself is installed editable."""
import re
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def test_every_line_of_the_lock_is_a_pinned_registry_package():
    lines = [line for line in LOCK.read_text().splitlines() if line and not line.startswith("#")]
    assert len(lines) > 50
    assert [line for line in lines if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+!\-]+", line)] == []
    assert not any(line.lower().startswith(("inti-cities", "pip==")) for line in lines)
