"""Times the BG/NBD fit, P(alive) and expected purchases on CDNOW: this package against
the ``lifetimes`` library, in the same run, on the same data.

Not a test: it reads the clock and prints what it saw. Run it in a virtual environment
that has this package (built with ``--release``: a debug build is many times slower),
numpy and, for the comparison, ``lifetimes``::

    python -m venv /tmp/bench && . /tmp/bench/bin/activate
    pip install maturin numpy lifetimes
    (cd bindings/python && maturin develop --release)
    python bindings/python/bench/bench_lifetimes.py [--repeat 7]

Both libraries get the 2,357 customers of tests/data/cdnow_summary.txt (times in weeks,
recency to two decimals). Each timing is the median of ``--repeat`` runs (P(alive) and
expected purchases: of ``--repeat`` batches of 20 calls, divided by 20). Without
``lifetimes`` installed, the script times this package alone and says so.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import numpy as np

import retention

ROOT = Path(__file__).resolve().parents[3]


def cdnow() -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """frequency, recency and T of the CDNOW sample, in the file's order."""
    x: List[float] = []
    t_x: List[float] = []
    age: List[float] = []
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
            else:
                f, r, _ = token.split(",")
                x.append(float(f))
                t_x.append(float(r))
                age.append(float(t))
    return np.array(x), np.array(t_x), np.array(age)


def median_seconds(run: Callable[[], object], repeat: int, batch: int = 1) -> float:
    """The median over `repeat` timings of `batch` calls, per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(batch):
            run()
        times.append((time.perf_counter() - start) / batch)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timings per measurement")
    args = parser.parse_args()

    x, t_x, age = cdnow()
    ours = retention.BetaGeoFitter().fit(x, t_x, age)
    timings: Dict[str, Dict[str, float]] = {"retention": {}, "lifetimes": {}}
    timings["retention"]["fit"] = median_seconds(
        lambda: retention.BetaGeoFitter().fit(x, t_x, age), args.repeat
    )
    timings["retention"]["p_alive"] = median_seconds(
        lambda: ours.conditional_probability_alive(x, t_x, age), args.repeat, 20
    )
    timings["retention"]["expected_52"] = median_seconds(
        lambda: ours.conditional_expected_number_of_purchases_up_to_time(52, x, t_x, age),
        args.repeat,
        20,
    )

    try:
        import lifetimes  # type: ignore[import-not-found]
    except ImportError as e:
        lifetimes = None
        print(f"lifetimes is not installed ({e}): timing this package alone")

    if lifetimes is not None:
        theirs = lifetimes.BetaGeoFitter().fit(x, t_x, age)
        timings["lifetimes"]["fit"] = median_seconds(
            lambda: lifetimes.BetaGeoFitter().fit(x, t_x, age), args.repeat
        )
        timings["lifetimes"]["p_alive"] = median_seconds(
            lambda: theirs.conditional_probability_alive(x, t_x, age), args.repeat, 20
        )
        timings["lifetimes"]["expected_52"] = median_seconds(
            lambda: theirs.conditional_expected_number_of_purchases_up_to_time(52, x, t_x, age),
            args.repeat,
            20,
        )
        print(f"lifetimes {lifetimes.__version__}, numpy {np.__version__}")
        print("parameters (retention | lifetimes):")
        for k, v in ours.params_.items():
            print(f"  {k:<6} {v:.9f} | {float(theirs.params_[k]):.9f}")
        p_ours = ours.conditional_probability_alive(x, t_x, age)
        p_theirs = np.asarray(theirs.conditional_probability_alive(x, t_x, age))
        print(f"  P(alive): largest difference {np.max(np.abs(p_ours - p_theirs)):.2e}")

    print(f"\nCDNOW, {len(x)} customers, median of {args.repeat}:")
    print(f"{'':<28}{'retention':>12}{'lifetimes':>12}{'ratio':>9}")
    for key, label in [
        ("fit", "BG/NBD fit"),
        ("p_alive", "P(alive), all customers"),
        ("expected_52", "E[purchases in 52 weeks]"),
    ]:
        a = timings["retention"][key]
        b = timings["lifetimes"].get(key)
        their = f"{b * 1e3:>10.3f}ms" if b is not None else f"{'-':>12}"
        ratio = f"{b / a:>8.1f}x" if b is not None else f"{'-':>9}"
        print(f"{label:<28}{a * 1e3:>10.3f}ms{their}{ratio}")


if __name__ == "__main__":
    main()
