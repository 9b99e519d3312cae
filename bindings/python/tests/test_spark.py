"""The PySpark job of ``examples/spark_fit.py`` in Spark's local mode on four partitions:
its fit equals the single-machine fit to 1e-9, its scores equal the package's, and the
union of its parts' agendas equals the one-machine agenda of a synthetic book.

Skipped, with a message, only where pyspark is not installed or no Java runtime is
found (Spark needs one: ``java -version``).
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest

import retention

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "spark_fit.py"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
PARTS = 4

if shutil.which("java") is None:
    pytest.skip("Spark needs Java, and no `java` is on PATH", allow_module_level=True)
pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")


def _load_job() -> Any:
    spec = importlib.util.spec_from_file_location("spark_fit", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["spark_fit"] = module
    spec.loader.exec_module(module)
    return module


job = _load_job()


@pytest.fixture(scope="module")
def spark() -> Any:
    from pyspark.sql import SparkSession

    # The workers run this interpreter (the one with the package), not `python3`.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master(f"local[{PARTS}]")
        .appName("retention-test-spark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(PARTS))
        .config("spark.default.parallelism", str(PARTS))
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    # The workers import the job's functions from the script, as a cluster's would.
    s.sparkContext.addPyFile(str(EXAMPLE))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def book() -> Dict[str, Any]:
    return retention.synthetic_book(11, 600, NOW).to_dict()


@pytest.fixture(scope="module")
def fitted(spark: Any, book: Dict[str, Any]) -> Any:
    records = spark.sparkContext.parallelize(job.records_of(book), PARTS)
    rows = job.purchase_rows(job.header_of(book), records, PARTS, NOW).repartition(PARTS)
    assert rows.getNumPartitions() == PARTS
    report = job.fit(rows, "modified_bg_nbd", 0.01)
    local = sorted(rows.collect())
    return report, rows, local


def test_the_parts_purchase_histories_are_the_whole_books(
    fitted: Any, book: Dict[str, Any]
) -> None:
    _, _, local = fitted
    whole = retention.Book.from_dict(book).purchase_summaries(NOW)
    assert len(whole) > 100
    assert local == sorted((a, (float(f), r, t)) for a, f, r, t in whole)


def test_the_spark_fit_equals_the_single_machine_fit(fitted: Any) -> None:
    report, rows, local = fitted
    cols = np.array([r[1] for r in local], dtype=float)
    # Each of the four partitions contributed rows.
    assert all(n > 0 for n in rows.glom().map(len).collect())
    start = [1.0, float(cols[:, 2].mean() / cols[:, 0].mean()), 1.0, 1.0]
    whole = retention.PurchaseModel.fit(
        cols[:, 0],
        cols[:, 1],
        cols[:, 2],
        "modified_bg_nbd",
        retention.FitOptions(penalizer=0.01, time_unit="weeks"),
        start=start,
    )
    got, want = report.model.params, whole.model.params
    for k in want:
        assert abs(got[k] - want[k]) <= 1e-9 * abs(want[k]), (k, got[k], want[k])
    assert report.customers == len(local) == whole.customers


def test_mapinpandas_scores_every_customer_as_the_package_does(spark: Any, fitted: Any) -> None:
    report, rows, local = fitted
    model = report.model
    got = job.score(spark, rows, model, 52.0, 30.0).toPandas().sort_values("account")
    assert list(got["account"]) == [a for a, _ in local]
    f, r, t = (got[c].to_numpy() for c in ("frequency", "recency", "T"))
    assert np.array_equal(got["p_alive"].to_numpy(), model.p_alive(f, r, t))
    assert np.array_equal(got["expected_purchases"].to_numpy(), model.expected_purchases(52.0, f, r, t))
    clv = model.customer_lifetime_value(f, r, t, np.full(len(f), 30.0))
    assert np.array_equal(got["clv"].to_numpy(), clv)
    assert (clv > 0).all()


def _strip(value: Any) -> Any:
    """An agenda item without the positions of records in the book (``index``, ``indices``,
    ``path``), which differ between a part and the whole book."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("index", "indices", "path")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def lines(agenda: Dict[str, Any]) -> List[str]:
    """What an agenda says per account, as sorted lines: every touch (with its rep),
    cadence note, order line, promise line (overdue, due soon, broken, changed, phone-tag
    chain), customer at risk and opportunity, each the item's whole JSON less the book
    positions (``_strip``). Left out is only what needs the whole book: the
    business-wide promise record (``promises.business``) and the counts, compared as
    sums."""
    out = []
    for group in agenda["touches"]:
        for item in group["items"]:
            out.append(json.dumps(["touch", group.get("rep"), _strip(item)], sort_keys=True))
    for key in ("cadence_notes", "orders", "at_risk", "opportunities"):
        for item in agenda[key]:
            out.append(json.dumps([key, _strip(item)], sort_keys=True))
    for key in ("overdue", "due_soon", "broken", "changed", "tag_chains"):
        for item in agenda["promises"][key]:
            out.append(json.dumps(["promises." + key, _strip(item)], sort_keys=True))
    return sorted(out)


def _agendas(spark: Any, book: Dict[str, Any], model: Any) -> Any:
    """The parts' agendas from the Spark job and the one-machine agenda of the same book,
    both with the model fitted once (given in the policy)."""
    header = job.given(job.header_of(book), model)
    records = spark.sparkContext.parallelize(job.records_of(book), PARTS)
    parts = {p: json.loads(a) for p, a in job.agendas(header, records, PARTS, NOW).collect()}
    assert sorted(parts) == list(range(PARTS))
    whole = json.loads(retention.Book.from_dict(dict(book, policies=header["policies"])).agenda(NOW).to_json())
    assert whole["purchase_model"]["kind"] == "given"
    for p, a in parts.items():
        assert a["purchase_model"] == whole["purchase_model"]
        assert all(retention.Book.part_of(r["account"], PARTS) == p for r in a["at_risk"])
    return list(parts.values()), whole


def test_the_union_of_the_parts_agendas_is_the_one_machine_agenda(
    spark: Any, fitted: Any, book: Dict[str, Any]
) -> None:
    """Exact, line for line, when no rep reaches the daily capacity (the synthetic
    book's 40 touches a rep a day is lifted): a rep's capacity is the one rule that
    needs all of the rep's accounts together, and the job applies it per part."""
    uncapped = json.loads(json.dumps(book))
    uncapped["policies"]["cadence"]["caps"]["daily_capacity_per_rep"] = 1_000_000
    split, whole = _agendas(spark, uncapped, fitted[0].model)
    got = sorted(line for a in split for line in lines(a))
    want = lines(whole)
    assert len(want) > 1000
    assert got == want
    # Some customers are scored with the given model's P(alive) (K4).
    assert any(s["code"] == "risk.low_p_alive" for r in whole["at_risk"] for s in r["signals"])
    for key in whole["read"]:
        assert sum(a["read"][key] for a in split) == whole["read"][key], key
    for band in whole["risk_bands"]:
        assert sum(a["risk_bands"][band] for a in split) == whole["risk_bands"][band], band
    assert sum(a["touches_later"] for a in split) == whole["touches_later"]


def test_with_a_reps_capacity_every_line_but_the_touches_and_moves_is_the_same(
    spark: Any, fitted: Any, book: Dict[str, Any]
) -> None:
    split, whole = _agendas(spark, book, fitted[0].model)
    # The capacity's doing: the touches planned today, and the notes of touches it
    # moved to a later day (`cadence.moved`).
    keep = lambda line: not line.startswith('["touch"') and '"cadence.moved"' not in line  # noqa: E731
    got = sorted(line for a in split for line in lines(a) if keep(line))
    want = [line for line in lines(whole) if keep(line)]
    assert len(want) > 500 and got == want
    # Each part plans up to the capacity for each rep, so the union plans more.
    touches = lambda a: sum(len(g["items"]) for g in a["touches"])  # noqa: E731
    assert sum(touches(a) for a in split) > touches(whole)


def test_the_job_runs_end_to_end_from_the_command_line(tmp_path: Path) -> None:
    """The script as a user runs it: a synthetic book, four local partitions, agendas
    written to a folder (one line a part)."""
    out = tmp_path / "agendas"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--master", f"local[{PARTS}]", "--synthetic", "3", "200",
         "--parts", str(PARTS), "--out", str(out)],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "fitted PurchaseModel" in done.stdout
    written = [json.loads(line) for f in sorted(out.glob("part-*")) for line in f.read_text().splitlines()]
    assert sorted(w["part"] for w in written) == list(range(PARTS))
    assert sum(w["agenda"]["read"]["accounts"] for w in written) == 200
