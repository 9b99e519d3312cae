"""Shared fixtures: the repository's sample data and the Rust outputs to compare with.

The Rust side's outputs come from the repository's examples, never from the clock:

- ``RETENTION_QUICKSTART_JSON``: the path of ``cargo run --example quickstart -- --json``
  (the sample book's agenda at the quickstart's fixed instant, Tuesday 24 November 2026,
  09:00 in Chicago);
- ``RETENTION_CDNOW_FIT_JSON``: the path of ``cargo run --example cdnow_fit`` (the model
  fits on the CDNOW sample and the per-customer results).

``.ci/run`` writes both files and sets the variables. When a variable is not set, the
fixture runs the example itself with ``cargo`` from the repository root.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]

# The quickstart's instant (`sample_now` in examples/quickstart.rs).
QUICKSTART_NOW = datetime(2026, 11, 24, 15, 0, 0, tzinfo=timezone.utc)


def _rust_output(variable: str, args: List[str]) -> bytes:
    path = os.environ.get(variable)
    if path:
        return Path(path).read_bytes()
    return subprocess.run(
        ["cargo", "run", "--quiet", *args], cwd=ROOT, check=True, capture_output=True
    ).stdout


@pytest.fixture(scope="session")
def hvac_json() -> str:
    """The sample book, examples/data/hvac.json."""
    return (ROOT / "examples" / "data" / "hvac.json").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def quickstart_json() -> bytes:
    """What `cargo run --example quickstart -- --json` prints, byte for byte."""
    return _rust_output("RETENTION_QUICKSTART_JSON", ["--example", "quickstart", "--", "--json"])


@pytest.fixture(scope="session")
def rust_fits() -> dict:
    """What `cargo run --example cdnow_fit` prints, read as JSON (floats exact)."""
    return json.loads(_rust_output("RETENTION_CDNOW_FIT_JSON", ["--example", "cdnow_fit"]))


@pytest.fixture(scope="session")
def cdnow() -> Dict[str, np.ndarray]:
    """The CDNOW sample of tests/data/cdnow_summary.txt as columns, in the file's order:
    frequency, recency, T and monetary_value (0 for customers without a repeat purchase).
    """
    x: List[float] = []
    t_x: List[float] = []
    age: List[float] = []
    spend: List[float] = []
    text = (ROOT / "tests" / "data" / "cdnow_summary.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        t, rest = line.split(":", 1)
        for token in rest.split():
            if token.startswith("z"):
                n = int(token[1:])
                x += [0.0] * n
                t_x += [0.0] * n
                age += [float(t)] * n
                spend += [0.0] * n
            else:
                f, r, z = token.split(",")
                x.append(float(int(f)))
                t_x.append(float(r))
                age.append(float(t))
                spend.append(float(z))
    return {
        "frequency": np.array(x),
        "recency": np.array(t_x),
        "T": np.array(age),
        "monetary_value": np.array(spend),
    }
