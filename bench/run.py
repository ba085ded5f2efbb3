"""The benchmark: trygg-search beside plain whoosh and SQLite FTS5, on synthetic corpora.

    python bench/run.py                    # 10k and 100k paragraphs (about 25 minutes on 2 cores)
    python bench/run.py --sizes 2000       # a quick look
    python bench/run.py --hostile          # hostile text parsed at 1 MB, a § with 100,000 matches, a 50 MB file
    python bench/run.py --opensearch dev   # OpenSearch beside them (a one-node cluster started here)
    python bench/run.py --opensearch dev --sizes 1000000 --systems trygg-search OpenSearch

For each size: ingest (paragraphs/s, peak memory, index size), search latency
(p50/p95 over a fixed mix of 33 queries with snippets, in-process, after a
warm-up), the cold command line (a whole fresh process, median of repeated
runs) and batch case lookups per second.  Medians and same-run ratios only:
the machines are shared and noisy.  Results also go to bench/out/results-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from systems import SYSTEMS, paragraphs  # noqa: E402

OUT = HERE / "out"
TARGETS = {  # at 100k paragraphs (issue 6)
    "ingest paragraphs/s": (">=", 1200),
    "ingest peak MB": ("<=", 500),
    "search p50 ms": ("<=", 10),
    "search p95 ms": ("<=", 50),
    "cold CLI ms": ("<=", 200),
}

QUERIES = [
    {"q": "narkotika"}, {"q": "våld"}, {"q": "trygghet"}, {"q": "GVI"}, {"q": "samverkan"}, {"q": "kommunen"},
    {"q": "brottsförebyggande"}, {"q": "skolattacker"}, {"q": "polisen"}, {"q": "ungdomar"},
    {"q": "narkotika polisen"}, {"q": "våld nära relation"}, {"q": "kommunen samverkan polis"},
    {"q": "trygghet skola"}, {"q": "GVI OR EST"}, {"q": "narkotika OR droger"}, {"q": "skola OR fritid"},
    {"q": '"nära relation"'}, {"q": '"öppen narkotikahantering"'}, {"q": '"Örebro kommun"'},
    {"q": "brotts*"}, {"q": "trygg*"}, {"q": "narko*"}, {"q": "narkotika NOT polisen"},
    {"q": "narkotika", "committee": "Socialnämnden"}, {"q": "våld", "from": "2015-01-01", "to": "2018-12-31"},
    {"q": "samverkan", "participant": "Anna Andersson"},
    {"q": "trygghet", "committee": "Kommunstyrelsen", "from": "2020-01-01"},
    {"q": "information", "case": "Ks 920/2025"}, {"q": "lägesbild", "from": "2024-01-01"},
    {"q": "kriminalitet ungdomar", "committee": "Kommunstyrelsens trygghetsutskott"},
    {"q": "beslut"}, {"q": "förslag till beslut"},
]


def ingest_child(system: str, corpus: str, index: str) -> None:
    """Run in a child process so that its peak memory is its own, and its workers' beside it."""
    import threading

    stop, peaks, together = threading.Event(), {}, [0.0]
    watcher = threading.Thread(target=watch_descendants, args=(stop, peaks, together), daemon=True)
    watcher.start()
    started = time.perf_counter()
    n = SYSTEMS[system]().ingest(Path(corpus), Path(index))
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    # The peak of this process and of each process it started (ingest's workers), added up: at most
    # what they held at once, pages they share counted in each.
    peak_sum = own_peak_mb() + sum(peaks.values())
    # What they held at once, pages they share counted once (proportional set size, sampled), where
    # Linux tells it: the memory the ingest takes from the machine.
    print(json.dumps({"paragraphs": n, "seconds": seconds, "peak_mb": together[0] or peak_sum,
                      "peak_sum_mb": peak_sum}))


def watch_descendants(stop, peaks: dict[int, float], together: list[float]) -> None:
    """Until ``stop``: the peak resident memory (MB) of every process descended from this one, by pid,
    and in ``together[0]`` the peak of the proportional set sizes of this process and of those, added up
    (a page they share counted once), read from /proc every quarter of a second (nothing where there is
    no /proc)."""
    me = os.getpid()
    while not stop.wait(0.25):
        parents = {}
        try:
            names = os.listdir("/proc")
        except OSError:
            return
        for name in names:
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                        parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    pass
        mine, grown = {me}, True
        while grown:
            grown = False
            for pid, parent in parents.items():
                if parent in mine and pid not in mine:
                    mine.add(pid)
                    grown = True
        for pid in mine - {me}:
            try:
                with open(f"/proc/{pid}/status", encoding="ascii") as f:
                    hwm = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
                peaks[pid] = max(peaks.get(pid, 0.0), hwm)
            except (OSError, StopIteration, ValueError):
                pass
        pss = 0.0
        for pid in mine:
            try:
                with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
                    pss += next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
            except (OSError, StopIteration, ValueError):
                pass
        together[0] = max(together[0], pss)


def own_peak_mb() -> float:
    """This process's peak resident memory since its exec.  Not ru_maxrss: Linux keeps in it the high
    water mark of the memory the process was forked with, here the benchmark's own (its corpus list)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


LOOKUP_PASSES = 5


def bench_size(size: int, rounds: int, cold_runs: int, systems: list[str]) -> dict:
    corpus = OUT / f"corpus-{size}"
    if not corpus.exists():
        print(f"generating {size} paragraphs ...", file=sys.stderr)
        generate(corpus, size)
    case_numbers = sorted({row[3] for row in paragraphs(corpus) if row[3]})
    rng = random.Random(size)
    batch = [rng.choice(case_numbers) for _ in range(200)]
    results = {}
    for name in systems:
        index = OUT / f"index-{size}-{name.replace(' ', '-')}"
        shutil.rmtree(index, ignore_errors=True)
        print(f"[{size}] {name}: ingest ...", file=sys.stderr)
        child = subprocess.run([sys.executable, __file__, "_ingest", name, str(corpus), str(index)],
                               capture_output=True, text=True, check=True)
        ing = json.loads(child.stdout.strip().splitlines()[-1])
        system = SYSTEMS[name]()
        system.open(index)
        print(f"[{size}] {name}: search ...", file=sys.stderr)
        for spec in QUERIES:  # warm-up
            system.search(spec)
        latencies = []
        for _ in range(rounds):
            for spec in QUERIES:
                t = time.perf_counter()
                system.search(spec)
                latencies.append((time.perf_counter() - t) * 1000)
        passes = []  # the batch read LOOKUP_PASSES times: its median rate (one pass takes milliseconds)
        for _ in range(LOOKUP_PASSES):
            t = time.perf_counter()
            if hasattr(system, "cases"):  # a batch as `case -` reads one: the lines at hand together
                system.cases(batch)
            else:
                for number in batch:
                    system.case(number)
            passes.append(len(batch) / (time.perf_counter() - t))
        cases_per_s = statistics.median(passes)
        cold = []
        # as an installed package runs: its modules compiled once (pip writes the bytecode at install;
        # PYTHONDONTWRITEBYTECODE in a developer's shell would compile them again on every run)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(system.cli(index, "narkotika"), capture_output=True, check=True, env=env)
        for _ in range(cold_runs):
            t = time.perf_counter()
            subprocess.run(system.cli(index, "narkotika"), capture_output=True, check=True, env=env)
            cold.append((time.perf_counter() - t) * 1000)
        results[name] = {
            "ingest paragraphs/s": ing["paragraphs"] / ing["seconds"],
            "ingest peak MB": ing["peak_mb"],
            "ingest peak MB, sum of own peaks": ing.get("peak_sum_mb", ing["peak_mb"]),
            "index MB": system.size_mb(index) if hasattr(system, "size_mb") else du(index),
            "search p50 ms": percentile(latencies, 0.5),
            "search p95 ms": percentile(latencies, 0.95),
            "cold CLI ms": statistics.median(cold),
            "case lookups/s": cases_per_s,
            "paragraphs": ing["paragraphs"],
        }
        # after each system: a long run stopped later keeps what it measured
        (OUT / f"results-{size}.json").write_text(json.dumps(results, indent=1))
    return results


PARSE_TARGET = 5.0  # seconds: any 1 MB of text parses in less


def bench_parse_hostile(runs: int = 3) -> str:
    """The parser over 1 MB of each text no protocol has but any file may (tests/hostile.py): median
    seconds of ``runs`` parses in this process, against the target.  Linear time is what keeps each
    under it; a pattern that backtracks over its input, or a chain searched among all earlier
    candidates, takes minutes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.hostile import MB, texts

    from trygg_search.protocol import parse_meeting

    parse_meeting("§ 1 Budget\nText.\n")  # the lexicons loaded before the clock runs
    rows = []
    for name, text in texts(MB).items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            parse_meeting(text)
            times.append(time.perf_counter() - t)
        rows.append((name, statistics.median(times)))
        print(f"[hostile] parse {name}: {rows[-1][1]:.2f} s", file=sys.stderr)
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"hostile text, 1 MB each: parse seconds (median of {runs})", "-" * (width + 30)]
    lines += [f"{label:<{width}}{value:>8.2f}   < {PARSE_TARGET:g} {'met' if value < PARSE_TARGET else 'MISSED'}"
              for label, value in rows]
    return "\n".join(lines)


def bench_hostile(cold_runs: int) -> str:
    """Input no protocol should have but any may: a § with 100,000 matches of the query word, and
    one 50 MB file (a year of meetings in one text).  trygg-search alone; medians."""
    from generate import ROOT as REPO, Bigrams, meeting

    out = OUT / "hostile"
    shutil.rmtree(out, ignore_errors=True)
    many = out / "many"
    many.mkdir(parents=True)
    (many / "many.txt").write_text("Lägesbild\n\n" + "narkotika handel. " * 100_000 + "\n", encoding="utf-8")
    big = out / "big"
    big.mkdir()
    rng = random.Random(50)
    model = Bigrams([p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt"))])
    cases: list[str] = []
    with open(big / "year.txt", "w", encoding="utf-8") as f:
        number = 1
        while f.tell() < 50 * 2**20:
            count = rng.randint(6, 14)
            f.write(meeting(rng, model, number, count, cases) + "\n")
            number += count
    rows = []
    for name, corpus in (("a § with 100,000 matches", many), ("a 50 MB file", big)):
        index = out / f"index-{corpus.name}"
        print(f"[hostile] {name}: ingest ...", file=sys.stderr)
        child = subprocess.run([sys.executable, __file__, "_ingest", "trygg-search", str(corpus), str(index)],
                               capture_output=True, text=True, check=True)
        ing = json.loads(child.stdout.strip().splitlines()[-1])
        rows.append((f"{name}: ingest s", ing["seconds"]))
        rows.append((f"{name}: ingest peak MB", ing["peak_mb"]))
        rows.append((f"{name}: documents", ing["paragraphs"]))
        system = SYSTEMS["trygg-search"]()
        system.open(index)
        system.search({"q": "narkotika"})
        latencies = []
        for _ in range(5):
            t = time.perf_counter()
            system.search({"q": "narkotika"})
            latencies.append((time.perf_counter() - t) * 1000)
        rows.append((f"{name}: search ms", statistics.median(latencies)))
        cold = []
        for _ in range(cold_runs):
            t = time.perf_counter()
            subprocess.run(system.cli(index, "narkotika"), capture_output=True, check=True)
            cold.append((time.perf_counter() - t) * 1000)
        rows.append((f"{name}: cold CLI ms", statistics.median(cold)))
    width = max(len(label) for label, _ in rows) + 2
    lines = ["hostile input (trygg-search)", "-" * (width + 12)]
    lines += [f"{label:<{width}}{value:>12.1f}" for label, value in rows]
    return "\n".join(lines)


RATIO = {"plain whoosh": "÷ whoosh", "sqlite fts5": "÷ fts5", "OpenSearch": "÷ OpenS."}


def table(size: int, results: dict) -> str:
    names = list(results)
    ours = results[names[0]]
    head = f"{'at ' + format(size, ',') + ' paragraphs':<22}" + "".join(f"{n:>15}" for n in names)
    head += "".join(f"{RATIO.get(n, n):>10}" for n in names[1:]) + "   target"
    lines = [head, "-" * len(head)]
    for metric in ["ingest paragraphs/s", "ingest peak MB", "index MB", "search p50 ms", "search p95 ms",
                   "cold CLI ms", "case lookups/s"]:
        row = f"{metric:<22}" + "".join(f"{results[n][metric]:>15.1f}" for n in names)
        row += "".join(f"{ours[metric] / results[n][metric]:>10.2f}" if results[n][metric] else f"{'-':>10}"
                       for n in names[1:])
        if metric in TARGETS:
            op, value = TARGETS[metric]
            ok = ours[metric] >= value if op == ">=" else ours[metric] <= value
            row += f"   {op} {value} {'met' if ok else 'MISSED'}"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_ingest":
        ingest_child(*sys.argv[2:5])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the query mix")
    ap.add_argument("--cold-runs", type=int, default=7)
    ap.add_argument("--hostile", action="store_true", help="only the hostile-input tables")
    ap.add_argument("--parse-only", action="store_true", help="with --hostile: only the parse table")
    ap.add_argument("--systems", nargs="+", choices=list(SYSTEMS), help="which systems (default: all; OpenSearch "
                    "with --opensearch only)")
    ap.add_argument("--opensearch", metavar="URL|dev", help="the cluster for the OpenSearch column; 'dev' starts "
                    "one node here (scripts/opensearch_dev.py, heap --opensearch-heap) and stops it after")
    ap.add_argument("--opensearch-heap", default="4g")
    ap.add_argument("--opensearch-nodes", type=int, default=1, metavar="N",
                    help="with --opensearch dev: a cluster of N nodes, each index in N shards (no replicas)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.hostile:
        print(bench_parse_hostile())
        if not args.parse_only:
            print()
            print(bench_hostile(min(args.cold_runs, 5)))
        return
    systems = args.systems or [n for n in SYSTEMS if n != "OpenSearch" or args.opensearch]
    dev = None
    if "OpenSearch" in systems:
        if not args.opensearch:
            ap.error("the OpenSearch column needs --opensearch URL (or dev)")
        if args.opensearch == "dev":
            sys.path.insert(0, str(HERE.parent / "scripts"))
            import opensearch_dev as dev

            state = dev.start(args.opensearch_nodes, 9290, OUT / "opensearch", heap=args.opensearch_heap)
            os.environ["TRYGG_BENCH_OPENSEARCH"] = state["url"]
            if args.opensearch_nodes > 1:  # each node holds a shard of the index
                os.environ.setdefault("TRYGG_SEARCH_SHARDS", str(args.opensearch_nodes))
        else:
            os.environ["TRYGG_BENCH_OPENSEARCH"] = args.opensearch
        os.environ.setdefault("TRYGG_SEARCH_REPLICAS", "0")  # no replica to wait for, nor to write twice
    try:
        for size in args.sizes:
            results = bench_size(size, args.rounds, args.cold_runs, systems)
            (OUT / f"results-{size}.json").write_text(json.dumps(results, indent=1))
            print(table(size, results))
            print()
    finally:
        if dev is not None:
            dev.stop(OUT / "opensearch")


if __name__ == "__main__":
    main()
