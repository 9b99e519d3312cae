"""A PySpark job: the purchase model fitted across a cluster, every customer scored, and
the whole daily desk of a book too large for one machine.

What it does
------------
(a) **Fit.** The records are keyed by account part as in (c); each part is read as one
    book and gives its accounts' purchase histories with ``Book.purchase_summaries(now)``
    (the desk's rule K4, the very rows the agenda scores: every completed order is a
    purchase at its completion, in weeks; repeat purchases, first-to-last,
    first-to-now). The log-likelihood of the BG/NBD family and
    its gradient are sums over customers, so each Spark partition computes its
    ``retention.PurchaseModel.partial(params, ...)`` with ``mapPartitions``; the partials
    add (``reduce(operator.add)``), and ``PurchaseModel.fit_partials`` drives the crate's
    optimizer on the driver, one Spark job per evaluation (about 30 to 60 of them). The
    fit equals the single-machine ``PurchaseModel.fit`` from the same start to about 1e-9.
(b) **Score.** ``mapInPandas`` scores every customer where its rows live: P(alive), the
    expected purchases over ``--horizon`` weeks and the discounted lifetime value over 12
    months (in units of one purchase's value times ``--spend``).
(c) **Desk.** Every record is keyed by its account's part, ``Book.part_of(account_id,
    parts)`` (FNV-1a 64 of the id modulo ``parts``, documented so any engine can compute
    it; a promise event goes with its promise's account, found by a join), the records
    are partitioned by that key (one Spark partition per part), each partition reads its
    records as one book, with the purchase model of (a) given in its policy
    (``policies.desk.purchase_model = {"kind": "given", ...}``: fitted once for all
    parts, as ``src/desk/policy.rs`` asks of a host that splits a book), and writes its
    agenda. Each part's agenda lists the whole book's lines for its accounts; what only
    the whole book knows (the business-wide promise record ``promises.business``) is per
    part, and a rep's daily capacity, when a rep's accounts fall in several parts, is
    applied per part.

Input
-----
``--synthetic SEED ACCOUNTS`` builds a synthetic book with the package (for a demo);
``--records DIR`` reads a book laid out for a cluster: ``DIR/header.json`` (the book
without its record lists: ``schema_version``, ``business``, ``calendar``, ``policies``)
and one JSON Lines file (or folder of them) per list, ``DIR/accounts.jsonl``,
``DIR/people.jsonl``, ... ``DIR/promise_events.jsonl``, one record a line, in the
book's JSON contract. ``write_records(book_dict, DIR)`` writes a book in that layout.
The instant of the agenda is ``--now`` (RFC 3339; the job never reads the clock).

Running it
----------
Locally (Spark's local mode, here four worker threads)::

    pip install retention pyspark pandas pyarrow
    python examples/spark_fit.py --master "local[4]" --synthetic 7 2000 --parts 4

On a cluster, the ``retention`` wheel must be importable on every executor: install it
on the nodes' Python, or ship a packed virtual environment holding it (``venv-pack``)::

    python -m venv env && env/bin/pip install retention pandas pyarrow venv-pack
    env/bin/venv-pack -o env.tar.gz
    PYSPARK_PYTHON=./env/bin/python spark-submit --master yarn --deploy-mode cluster \\
        --archives env.tar.gz#env examples/spark_fit.py \\
        --records s3://bucket/book/ --parts 400 --now 2026-11-24T15:00:00Z \\
        --out s3://bucket/agendas/

The fit's partials are four numbers and a weight per partition, so the driver's work
is independent of the book's size; ``--parts`` sets both the fit's partitions and the
desk's parts (pick parts so that one part's book fits an executor's memory: about 12 KB
of JSON per account). With ``--out`` each part's agenda is written as JSON text
(one line per part); otherwise the job prints a summary.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
from datetime import datetime, timezone
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

import retention

LISTS = (
    "accounts",
    "people",
    "interactions",
    "surveys",
    "units",
    "orders",
    "promises",
    "promise_events",
    "reviews",
)
"""The record lists of a book, in the crate's order."""

def _instant(text: str) -> datetime:
    """An RFC 3339 instant (``Z`` or an offset) as an aware ``datetime``."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------
# Records of a book, as a cluster holds them.


def header_of(book: Dict[str, Any]) -> Dict[str, Any]:
    """The book without its record lists."""
    return {k: v for k, v in book.items() if k not in LISTS}


def records_of(book: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The book's records as ``(list name, record JSON)`` pairs."""
    return [(name, json.dumps(r)) for name in LISTS for r in book.get(name, [])]


def write_records(book: Dict[str, Any], folder: str) -> None:
    """Writes ``book`` (a dict of the JSON contract) as ``header.json`` and one JSON
    Lines file per list, the layout ``--records`` reads."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "header.json"), "w", encoding="utf-8") as f:
        json.dump(header_of(book), f)
    for name in LISTS:
        with open(os.path.join(folder, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for r in book.get(name, []):
                f.write(json.dumps(r) + "\n")


def read_records(sc: Any, folder: str) -> Tuple[Dict[str, Any], Any]:
    """The header and an RDD of ``(list name, record JSON)`` from ``folder``."""
    header = json.loads("".join(sc.textFile(os.path.join(folder, "header.json")).collect()))
    rdds = [
        sc.textFile(os.path.join(folder, f"{name}.jsonl")).map(lambda line, n=name: (n, line))
        for name in LISTS
    ]
    return header, sc.union(rdds).filter(lambda kv: kv[1].strip() != "")


# ---------------------------------------------------------------------------------------
# (a) The purchase model, fitted from partials.


def purchase_rows(header: Dict[str, Any], records: Any, parts: int, now: datetime) -> Any:
    """An RDD of ``(account, (frequency, recency, T))``, one per account with a purchase:
    each part of the records (``keyed_by_part``) read as one book with ``header``, and
    its histories from the package (``Book.purchase_summaries``, the desk's rule K4)."""
    text = json.dumps(header)

    def histories(items: Iterator[Tuple[int, Tuple[str, str]]]) -> Iterator[Any]:
        part = part_book(text, items)
        if part is None:
            return
        for account, f, r, t in retention.Book.from_dict(part[1]).purchase_summaries(now):
            yield account, (float(f), r, t)

    return keyed_by_part(records, parts).partitionBy(parts, lambda p: p).mapPartitions(histories)


def partial_at(params: Sequence[float], variant: str) -> Any:
    """The function a partition runs: its rows' ``LikelihoodPartial`` at ``params``."""

    def run(rows: Iterator[Tuple[str, Tuple[float, float, float]]]) -> Iterator[Any]:
        cols = np.array([r[1] for r in rows], dtype=float).reshape(-1, 3)
        yield retention.PurchaseModel.partial(
            list(params), cols[:, 0], cols[:, 1], cols[:, 2], variant=variant
        )

    return run


def fit(
    rows: Any,
    variant: str = "modified_bg_nbd",
    penalizer: float = 0.01,
    start: Optional[Sequence[float]] = None,
) -> retention.FitReport:
    """Fits the purchase model over an RDD of ``(account, (frequency, recency, T))``:
    each evaluation is one Spark job summing the partitions' partials. ``start``
    defaults to ``default_start(rows)``."""
    rows = rows.cache()
    if start is None:
        start = default_start(rows)

    def partials(params: List[float]) -> retention.LikelihoodPartial:
        return rows.mapPartitions(partial_at(params, variant)).reduce(operator.add)

    options = retention.FitOptions(penalizer=penalizer, time_unit="weeks")
    return retention.PurchaseModel.fit_partials(partials, start, variant=variant, options=options)


def default_start(rows: Any) -> List[float]:
    """The crate's default start: ``[1, mean T / mean frequency, 1, 1]`` (alpha clamped
    to [e^-10, e^10])."""
    n, x, t = rows.map(lambda r: (1.0, r[1][0], r[1][2])).reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2])
    )
    alpha = t / x if x > 0 and t > 0 else 1.0
    return [1.0, float(min(max(alpha, np.exp(-10.0)), np.exp(10.0))), 1.0, 1.0]


# ---------------------------------------------------------------------------------------
# (b) Every customer scored where its rows live.


def score(
    spark: Any, rows: Any, model: retention.PurchaseModel, horizon: float, spend: float
) -> Any:
    """A DataFrame of ``account, frequency, recency, T, p_alive, expected_purchases,
    clv``, computed per partition with ``mapInPandas``."""
    frame = spark.createDataFrame(
        rows.map(lambda r: (r[0], r[1][0], r[1][1], r[1][2])),
        "account string, frequency double, recency double, T double",
    )
    variant, params = model.variant, model.params

    def scored(batches: Iterator[Any]) -> Iterator[Any]:
        m = retention.PurchaseModel(variant, **params)
        for df in batches:
            f, r, t = (df[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
            out = df.copy()
            out["p_alive"] = m.p_alive(f, r, t)
            out["expected_purchases"] = m.expected_purchases(horizon, f, r, t)
            out["clv"] = m.customer_lifetime_value(f, r, t, np.full(len(f), spend))
            yield out

    schema = (
        "account string, frequency double, recency double, T double, "
        "p_alive double, expected_purchases double, clv double"
    )
    return frame.mapInPandas(scored, schema)


# ---------------------------------------------------------------------------------------
# (c) The daily desk, one book per part.


def given(header: Dict[str, Any], model: retention.PurchaseModel) -> Dict[str, Any]:
    """The header with the desk's purchase model given (fitted once for all parts)."""
    h = json.loads(json.dumps(header))
    desk = h.setdefault("policies", {}).setdefault("desk", {})
    desk["purchase_model"] = {"kind": "given", "variant": model.variant, "params": model.params}
    return h


def keyed_by_part(records: Any, parts: int) -> Any:
    """The records as ``(part, (list name, record JSON))``: each record by its account's
    ``Book.part_of``, a promise event by its promise's account (a join)."""

    def account_of(kv: Tuple[str, str]) -> Tuple[int, Tuple[str, str]]:
        r = json.loads(kv[1])
        account = r["id"] if kv[0] == "accounts" else r["account"]
        return retention.Book.part_of(account, parts), kv

    direct = records.filter(lambda kv: kv[0] != "promise_events").map(account_of)
    promise_account = records.filter(lambda kv: kv[0] == "promises").map(
        lambda kv: (json.loads(kv[1])["id"], json.loads(kv[1])["account"])
    )
    events = (
        records.filter(lambda kv: kv[0] == "promise_events")
        .map(lambda kv: (json.loads(kv[1])["promise"], kv))
        .join(promise_account)
        .map(lambda p: (retention.Book.part_of(p[1][1], parts), p[1][0]))
    )
    return direct.union(events)


def part_book(
    header_json: str, items: Iterator[Tuple[int, Tuple[str, str]]]
) -> Optional[Tuple[int, Dict[str, Any]]]:
    """One Spark partition's records (all of one part) as ``(part, book dict)`` with the
    header ``header_json``; ``None`` for an empty partition."""
    book: Dict[str, Any] = json.loads(header_json)
    lists: Dict[str, List[Any]] = {name: [] for name in LISTS}
    part = None
    for p, (name, record) in items:
        part = p
        lists[name].append(json.loads(record))
    if part is None:
        return None
    book.update(lists)
    return part, book


def agendas(header: Dict[str, Any], records: Any, parts: int, now: datetime) -> Any:
    """An RDD of ``(part, agenda JSON)``: the records partitioned by part (Spark
    partition ``i`` holds part ``i``), each part read as one book with ``header``."""
    text = json.dumps(header)

    def desk(items: Iterator[Tuple[int, Tuple[str, str]]]) -> Iterator[Tuple[int, str]]:
        part = part_book(text, items)
        if part is not None:
            yield part[0], retention.Book.from_dict(part[1]).agenda(now).to_json()

    return keyed_by_part(records, parts).partitionBy(parts, lambda p: p).mapPartitions(desk)


# ---------------------------------------------------------------------------------------


def main(argv: Optional[Sequence[str]] = None) -> None:
    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--master", help='Spark master, such as "local[4]" (spark-submit sets it)')
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--synthetic", nargs=2, type=int, metavar=("SEED", "ACCOUNTS"))
    src.add_argument("--records", metavar="DIR")
    ap.add_argument("--parts", type=int, default=4)
    ap.add_argument("--now", default="2026-11-24T15:00:00Z")
    ap.add_argument("--variant", default="modified_bg_nbd")
    ap.add_argument("--penalizer", type=float, default=0.01)
    ap.add_argument("--horizon", type=float, default=52.0, help="weeks ahead")
    ap.add_argument("--spend", type=float, default=1.0, help="value of one purchase")
    ap.add_argument("--out", help="folder for the agendas (JSON text, one line a part)")
    args = ap.parse_args(argv)

    builder = SparkSession.builder.appName("retention-spark-fit")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    now = _instant(args.now)
    if args.synthetic:
        book = retention.synthetic_book(args.synthetic[0], args.synthetic[1], now).to_dict()
        header, records = header_of(book), sc.parallelize(records_of(book), args.parts)
    else:
        header, records = read_records(sc, args.records)

    rows = purchase_rows(header, records, args.parts, now).repartition(args.parts)
    report = fit(rows, args.variant, args.penalizer)
    model = report.model
    print("fitted", model, "on", report.customers, "customers in", report.evaluations, "evaluations")
    scores = score(spark, rows, model, args.horizon, args.spend)
    scores.show(5)
    result = agendas(given(header, model), records, args.parts, now)
    if args.out:
        result.map(lambda p: json.dumps({"part": p[0], "agenda": json.loads(p[1])})).saveAsTextFile(
            args.out
        )
    else:
        for part, agenda in sorted(result.collect()):
            a = json.loads(agenda)
            print(f"part {part}: {a['read']['accounts']} accounts, {len(a['at_risk'])} at risk")
    spark.stop()


if __name__ == "__main__":
    main()
