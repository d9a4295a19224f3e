"""Benchmark suite of issue 7: speed against scipy / scikit-learn, estimator accuracy.

Usage (``make bench`` runs the first line)::

    .venv/bin/python benchmarks/run.py                 # speed + accuracy + build + nbval
    .venv/bin/python benchmarks/run.py --no-build --no-nbval
    .venv/bin/python benchmarks/run.py --quick --out /tmp/bench.json   # smoke test

Writes ``benchmarks/results/latest.json`` (machine-readable, with the machine
it ran on) and ``benchmarks/results/latest.md`` (the summary table), then
re-executes the book's appendix that shows them, prints the ratios, and
exits with status 1 when a goal is missed. A run with ``--out`` elsewhere
leaves the stored results and the appendix alone; ``--quick`` and
``--no-accuracy`` runs are incomplete and must use it. The book build and
the nbval run are timed for information only (no goal).
"""

from __future__ import annotations

import os

# One thread everywhere (torch, BLAS, OpenMP): the goals are per-core
# comparisons on a shared machine. Set before numpy/torch are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime as _dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import accuracy  # noqa: E402
import site_weight  # noqa: E402
import speed  # noqa: E402
from machine import cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "latest.json"
APPENDIX = ROOT / "book" / "appendix_performance.ipynb"


def _git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine_info():
    import scipy
    import sklearn

    return dict(
        cpu_model=cpu_model(),
        cpu_count=os.cpu_count(),
        cpus_usable=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        platform=platform.platform(),
        python=platform.python_version(),
        numpy=np.__version__,
        scipy=scipy.__version__,
        sklearn=sklearn.__version__,
        torch=torch.__version__,
        torch_threads=torch.get_num_threads(),
        cuda_available=torch.cuda.is_available(),
        date=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        git_commit=_git("rev-parse", "--short", "HEAD"),
        load_average_start=list(os.getloadavg()),
    )


def timed_subprocess(cmd, timeout, env=None):
    """Run ``cmd`` in the repository root; informational wall time and status."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              env=None if env is None else {**os.environ, **env})
        status, tail = proc.returncode, (proc.stdout + proc.stderr)[-2000:]
    except subprocess.TimeoutExpired:
        status, tail = "timeout", f"stopped after {timeout} s"
    return dict(command=" ".join(map(str, cmd)), seconds=time.perf_counter() - start,
                returncode=status, ok=status == 0, output_tail=tail)


def book_build(timeout):
    # Into a temporary folder, so that a benchmark never clobbers _build/.
    with tempfile.TemporaryDirectory() as tmp:
        jb = str(Path(sys.executable).with_name("jupyter-book"))
        return timed_subprocess([jb, "build", ".", "-W", "-n", "--keep-going",
                                 "--path-output", tmp], timeout)


def nbval_run(timeout):
    return timed_subprocess(
        [sys.executable, "-m", "pytest", "book", "--ignore=book/assignments", "--nbval",
         "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "-p", "no:doctest", "-n", "2", "--dist", "loadfile", "-q"], timeout,
        env={"CUDA_VISIBLE_DEVICES": ""})  # as make notebooks: the stored outputs are CPU results


def refresh_appendix():
    """Re-execute the appendix that shows ``latest.json``, so its stored outputs
    (which nbval compares in ``make test``) are this run's results."""
    cmd = [sys.executable, str(ROOT / "tools" / "execute.py"), str(APPENDIX)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"re-executing {APPENDIX.name} failed:\n{proc.stdout}{proc.stderr}")
    print(f"re-executed {APPENDIX.relative_to(ROOT)} with the new results")


def fmt_ratio(x):
    return f"{x:.3f}" if x >= 0.1 else f"1/{1 / x:.0f}"


def summary_markdown(res):
    m = res["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {m['date']} on {m['cpu_model']} ({m['cpu_count']} cores, "
        f"load average at start {m['load_average_start'][0]:.2f}), Python {m['python']}, "
        f"numpy {m['numpy']}, scipy {m['scipy']}, scikit-learn {m['sklearn']}, "
        f"torch {m['torch']} ({m['torch_threads']} thread), commit {m['git_commit']}.",
        "",
        "## Speed (medians of interleaved repeats)",
        "",
        "| work | ours (ms) | theirs (ms) | ratio | goal | values agree | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for c in res["speed"]:
        if "error" in c:
            lines.append(f"| {c['id']} | | | | | | {c['error']} |")
            continue
        lines.append(
            f"| {c['work']} | {c['ours_ms']:.1f} | {c['theirs_ms']:.1f} | "
            f"{fmt_ratio(c['ratio'])} | {fmt_ratio(c['goal'])} | "
            f"{c['value_max_abs_diff']:.1e} (tol {c['value_tol']:.0e}) | "
            f"{'yes' if c['met'] else '**no**'} |"
        )
    g = res.get("gpu", dict(skipped=True, reason="not run (--no-gpu)"))
    lines += ["", "GPU batched entropy: " + (
        f"skipped ({g['reason']})." if g.get("skipped")
        else f"{g['ours_ms']:.2f} ms on {g['device']}.")]
    if "accuracy" in res:
        a = res["accuracy"]
        lines += [
            "",
            f"## Accuracy: X, Y Gaussian, rho = {a['rho']}, truth {a['truth_bits']:.4f} bits, "
            f"{a['seeds']} seeds",
            "",
            "| estimator | " + " | ".join(f"bias n={n}" for n in a["ns"]) + " | "
            + " | ".join(f"RMSE n={n}" for n in a["ns"]) + " |",
            "|---|" + "---:|" * (2 * len(a["ns"])),
        ]
        for e in a["estimators"]:
            lines.append(
                f"| {e['label']} | " + " | ".join(f"{b:+.4f}" for b in e["bias"]) + " | "
                + " | ".join(f"{r:.4f}" for r in e["rmse"]) + " |"
            )
        ksg = next(e for e in a["estimators"] if e["id"] == "ksg_3")
        lines += ["", f"KSG goals (|bias| <= {ksg['goal_max_abs_bias']}, RMSE <= "
                      f"{' / '.join(map(str, ksg['goal_max_rmse']))}): "
                      f"{'met' if ksg['met'] else '**missed**'}."]
    if res.get("site_weight"):
        w = res["site_weight"]
        lines += ["", "## Site: chapter page weight and cold load (issue 15)", "",
                  w["table"]]
    info = [(k, res[k]) for k in ("book_build", "nbval") if res.get(k)]
    if info:
        lines += ["", "## Informational (no goal)", ""]
        for name, r in info:
            lines.append(f"* {name}: {r['seconds']:.0f} s, status {r['returncode']} "
                         f"(`{r['command']}`)")
    lines += ["", f"All goals met: {'yes' if res['all_goals_met'] else '**no**'}.", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON path")
    ap.add_argument("--quick", action="store_true", help="3 repeats, 20 seeds (smoke test)")
    ap.add_argument("--seeds", type=int, default=1000,
                    help="seeds per n for the accuracy table (at least 200)")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--no-build", action="store_true", help="skip the timed book build")
    ap.add_argument("--no-nbval", action="store_true", help="skip the timed nbval run")
    ap.add_argument("--no-site", action="store_true",
                    help="skip the page weight of the built site (benchmarks/site_weight.py)")
    ap.add_argument("--timeout", type=int, default=240, help="seconds for the build / nbval")
    ap.add_argument("--cases", default=None,
                    help="comma-separated speed case ids to run (default: all), e.g. "
                         "entropy_vector,entropy_batch; a partial run, so pass --out")
    ap.add_argument("--no-gpu", action="store_true", help="skip the GPU entropy case")
    args = ap.parse_args(argv)
    if args.seeds < 200 and not args.quick:
        ap.error(f"--seeds must be at least 200 (issue 7), got {args.seeds}")
    if (args.quick or args.no_accuracy or args.cases) and args.out.resolve() == DEFAULT_OUT:
        # The stored results are what the book's appendix shows: only a full run replaces them.
        ap.error(f"--quick and --no-accuracy runs are incomplete; pass --out PATH "
                 f"(not {DEFAULT_OUT.relative_to(ROOT)}, which the book's appendix shows)")

    res = dict(machine=machine_info(), speed=[])
    print(f"machine: {res['machine']['cpu_model']}, {res['machine']['cpu_count']} cores, "
          f"load {res['machine']['load_average_start'][0]:.2f}", flush=True)
    res["cold_start"] = cold = speed.cold_start(runs=3 if args.quick else 7)
    print(f"  cold start       import infocourse {cold['import_s']:.3f} s (goal <= "
          f"{cold['goals']['import_s']}), first entropy(65,536) {cold['first_call_ms']:.1f} ms "
          f"(goal <= {cold['goals']['first_call_ms']:.0f}), torch imported: "
          f"{cold['torch_imported']}  {'ok' if cold['met'] else 'MISSED'}", flush=True)
    wanted = None if args.cases is None else set(args.cases.split(","))
    for make in speed.CASES:
        if wanted is not None and make.__name__.lstrip("_") not in wanted:
            continue
        c = speed.run_case(make, quick=args.quick)
        res["speed"].append(c)
        if "error" in c:
            print(f"  {c['id']:<16} {c['error']}  MISSED", flush=True)
        else:
            print(f"  {c['id']:<16} ours {c['ours_ms']:8.1f} ms  theirs {c['theirs_ms']:8.1f} ms"
                  f"  ratio {fmt_ratio(c['ratio']):>6} (goal <= {fmt_ratio(c['goal'])})"
                  f"  |diff| {c['value_max_abs_diff']:.1e}  {'ok' if c['met'] else 'MISSED'}",
                  flush=True)
    if not args.no_gpu:
        res["gpu"] = speed.gpu_entropy(quick=args.quick)
        print("  gpu entropy: " + (res["gpu"]["reason"] if res["gpu"]["skipped"]
                                   else f"{res['gpu']['ours_ms']:.2f} ms"), flush=True)

    goals = [c["met"] for c in res["speed"]] + [cold["met"]]
    if not args.no_accuracy:
        start = time.perf_counter()
        res["accuracy"] = accuracy.run(seeds=20 if args.quick else args.seeds)
        a = res["accuracy"]
        print(f"accuracy ({a['seeds']} seeds, {time.perf_counter() - start:.0f} s), "
              f"truth {a['truth_bits']:.4f} bits:", flush=True)
        for e in a["estimators"]:
            print(f"  {e['id']:<16} bias " + " ".join(f"{b:+.4f}" for b in e["bias"])
                  + "  rmse " + " ".join(f"{r:.4f}" for r in e["rmse"])
                  + (f"  {'ok' if e['met'] else 'MISSED'}" if "met" in e else ""), flush=True)
            if "met" in e:
                goals.append(e["met"])
    if not args.no_build:
        res["book_build"] = book_build(args.timeout)
        print(f"book build: {res['book_build']['seconds']:.0f} s "
              f"(status {res['book_build']['returncode']})", flush=True)
    if not args.no_nbval:
        res["nbval"] = nbval_run(args.timeout)
        print(f"nbval: {res['nbval']['seconds']:.0f} s (status {res['nbval']['returncode']})",
              flush=True)
    if not args.no_site:
        if (site_weight.HTML / "index.html").is_file():
            site_out = args.out.with_name("site.json")
            site_weight.main(["--out", str(site_out)])
            res["site_weight"] = json.loads(site_out.read_text())
            res["site_weight"]["table"] = site_out.with_suffix(".md").read_text().strip()
            goals.append(res["site_weight"]["met"])
        else:
            print("site weight: skipped, no built book in _build/html (make build)", flush=True)
    res["machine"]["load_average_end"] = list(os.getloadavg())
    res["quick"] = args.quick
    res["all_goals_met"] = bool(all(goals))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(summary_markdown(res))
    print(f"wrote {args.out} and {args.out.with_suffix('.md')}")
    if args.out.resolve() == DEFAULT_OUT:
        refresh_appendix()
    print("all goals met" if res["all_goals_met"] else "GOALS MISSED")
    return 0 if res["all_goals_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
