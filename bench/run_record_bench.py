#!/usr/bin/env python3
"""Runs tlsburst_record_bench and reports medians, ratios, targets and a plot.

    python3 bench/run_record_bench.py --build build --quick     # about a minute
    python3 bench/run_record_bench.py --build build             # every case (about 40 minutes)

Writes bench/results/record.json (medians and every repetition; --out), record.log next to it (the
binary's console output) and bench/results/record.png (records/s against record size, log-log,
one line per contender, one subplot per suite and direction). Prints a table of records/s and
Gbps with the ratios ours/raw, ours/cryptodev and ours/OpenSSL, the direct-vs-burst kernel
comparison, and the targets with MET / NOT MET. It is a measurement, not a test: it exits 0
whether or not the targets are met, and non-zero only when the binary fails.

"ours" in ratios and targets is the record layer with its default kernels (RecordProcessorOptions
as the binary reports them); "raw" is the faster of raw-direct and raw-job (the library's limit).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
DEBIAN_PYTHON = "/usr/bin/python3"


def ensure_matplotlib():
    """matplotlib comes from Debian (python3-matplotlib). When this interpreter does not see it
    (a pyenv or venv python3 first on PATH), re-run the script under Debian's python3."""
    try:
        import matplotlib  # noqa: F401
        return True
    except ImportError:
        pass
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and os.path.exists(DEBIAN_PYTHON):
        probe = subprocess.run([DEBIAN_PYTHON, "-c", "import matplotlib"], capture_output=True)
        if probe.returncode == 0 and not os.environ.get("TLSBURST_BENCH_REEXEC"):
            os.environ["TLSBURST_BENCH_REEXEC"] = "1"
            os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print("warning: matplotlib not available (apt-get install python3-matplotlib); no plot", file=sys.stderr)
    return False


HAVE_MPL = ensure_matplotlib()

NAME_RE = re.compile(r"^record/(?P<contender>[^/]+)/(?P<suite>[^/]+)/(?P<arch>[^/]+)/(?P<direction>seal|open)"
                     r"/size:(?P<size>\d+)/burst:(?P<burst>\d+)$")

CONTENDERS = ["ours-direct", "ours-burst", "raw-direct", "raw-job", "openssl", "cryptodev"]
SUITES = ["TLS1.2-AES-128-GCM", "TLS1.2-AES-256-GCM", "TLS1.2-CHACHA20-POLY1305",
          "TLS1.3-AES-128-GCM-SHA256", "TLS1.3-AES-256-GCM-SHA384", "TLS1.3-CHACHA20-POLY1305-SHA256"]
QUICK_SUITES = ["TLS1.2-AES-128-GCM", "TLS1.3-AES-128-GCM-SHA256",
                "TLS1.2-CHACHA20-POLY1305", "TLS1.3-CHACHA20-POLY1305-SHA256"]
AES128_GCM = ["TLS1.2-AES-128-GCM", "TLS1.3-AES-128-GCM-SHA256"]
CHACHA = ["TLS1.2-CHACHA20-POLY1305", "TLS1.3-CHACHA20-POLY1305-SHA256"]
SIZES = [64, 256, 1024, 4096, 16384]
TARGET_BURST = 32
TARGET_ARCH = "auto"


def quick_filter():
    suites = "|".join(s.replace(".", r"\.") for s in QUICK_SUITES)  # POSIX ERE: escape only dots
    return rf"^record/[^/]+/({suites})/auto/(seal|open)/size:[0-9]+/burst:32$"


def find_binary(build):
    build = build if os.path.isabs(build) else os.path.join(TOP, build)
    for rel in ("bench/record/tlsburst_record_bench", "bench/tlsburst_record_bench"):
        path = os.path.join(build, rel)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    sys.exit(f"error: tlsburst_record_bench not found under {build} (build it: ninja -C {build})")


def list_tests(binary, bench_filter):
    out = subprocess.run([binary, "--benchmark_list_tests=true", f"--benchmark_filter={bench_filter}"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        sys.exit(f"error: {binary} --benchmark_list_tests failed ({out.returncode})")
    return [line for line in out.stdout.splitlines() if NAME_RE.match(line)]


def run_binary(binary, bench_filter, repetitions, min_time, log_path, num_tests):
    """Runs the benchmarks, streams progress, returns the parsed JSON output."""
    fd, json_path = tempfile.mkstemp(prefix="record_bench_", suffix=".json")
    os.close(fd)
    cmd = [binary, f"--benchmark_filter={bench_filter}", f"--benchmark_repetitions={repetitions}",
           f"--benchmark_min_time={min_time}", "--benchmark_display_aggregates_only=true",
           f"--benchmark_out={json_path}", "--benchmark_out_format=json"]
    print("running:", " ".join(cmd), flush=True)
    started = time.time()
    done = 0
    step = max(1, num_tests // 20)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in proc.stdout:
            log.write(line)
            first = line.split(" ", 1)[0]
            if first.endswith("_median") or (repetitions == 1 and NAME_RE.match(first)):
                done += 1
                if done % step == 0 or done == num_tests:
                    print(f"  [{done}/{num_tests}] {time.time() - started:6.0f} s  {first}", flush=True)
            elif "ERROR OCCURRED" in line or "cryptodev benchmarks will be skipped" in line:
                print("  " + line.rstrip(), flush=True)
        rc = proc.wait()
    if rc != 0:
        sys.exit(f"error: the benchmark binary failed with exit code {rc}; see {log_path}")
    try:
        with open(json_path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: no JSON output from the benchmark binary ({e}); see {log_path}")
    finally:
        os.unlink(json_path)
    print(f"finished {num_tests} benchmarks in {time.time() - started:.0f} s", flush=True)
    return data


def collect(data):
    """Medians per benchmark from the per-repetition entries (does not rely on aggregates)."""
    runs = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        name = b.get("run_name", b["name"])
        m = NAME_RE.match(name)
        if not m:
            continue
        r = runs.setdefault(name, {"name": name, **m.groupdict(), "records_per_second": [], "gbps": [],
                                   "error": None})
        if b.get("error_occurred"):
            r["error"] = b.get("error_message", "error")
            continue
        r["records_per_second"].append(b.get("records_per_second", b.get("items_per_second", 0.0)))
        r["gbps"].append(b.get("Gbps", 0.0))
    results = []
    for r in runs.values():
        r["size"] = int(r["size"])
        r["burst"] = int(r["burst"])
        ok = r["records_per_second"] and r["error"] is None
        r["records_per_second_median"] = statistics.median(r["records_per_second"]) if ok else None
        r["gbps_median"] = statistics.median(r["gbps"]) if ok else None
        results.append(r)
    return results


class Index:
    def __init__(self, results, context):
        self.by_key = {(r["contender"], r["suite"], r["arch"], r["direction"], r["size"], r["burst"]): r
                       for r in results}
        self.gcm_kernel = context.get("ours_default_gcm_kernel", "direct")
        self.chacha_kernel = context.get("ours_default_chacha_kernel", "burst")

    def rps(self, contender, suite, direction, size, burst=TARGET_BURST, arch=TARGET_ARCH):
        r = self.by_key.get((contender, suite, arch, direction, size, burst))
        return r["records_per_second_median"] if r else None

    def gbps(self, contender, suite, direction, size, burst=TARGET_BURST, arch=TARGET_ARCH):
        r = self.by_key.get((contender, suite, arch, direction, size, burst))
        return r["gbps_median"] if r else None

    def ours_name(self, suite):
        kernel = self.chacha_kernel if "CHACHA" in suite else self.gcm_kernel
        return f"ours-{kernel}"

    def ours(self, suite, direction, size, burst=TARGET_BURST, arch=TARGET_ARCH):
        return self.rps(self.ours_name(suite), suite, direction, size, burst, arch)

    def raw(self, suite, direction, size, burst=TARGET_BURST, arch=TARGET_ARCH):
        vals = [v for v in (self.rps(c, suite, direction, size, burst, arch) for c in ("raw-direct", "raw-job"))
                if v is not None]
        return max(vals) if vals else None


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(x):
    return f"{x:6.2f}" if x is not None else "     -"


def fmt_cell(rps, gbps):
    if rps is None:
        return f"{'-':>14}"
    return f"{rps / 1e6:7.2f}M {gbps:5.1f}G" if gbps is not None else f"{rps / 1e6:7.2f}M {'':6}"


def print_table(idx, results):
    suites = [s for s in SUITES if any(r["suite"] == s for r in results)]
    bursts = sorted({r["burst"] for r in results})
    print("\n== medians (arch auto): Mrecords/s and Gbps of plaintext; ours = default kernel "
          f"(GCM: {idx.gcm_kernel}, ChaCha20: {idx.chacha_kernel}); raw = max(raw-direct, raw-job)")
    head = f"{'suite':<32}{'dir':<5}{'size':>6}{'burst':>6} " + " ".join(f"{c:>14}" for c in CONTENDERS)
    head += f" {'o/raw':>6} {'o/cdev':>6} {'o/ossl':>6}"
    print(head)
    print("-" * len(head))
    for suite in suites:
        for direction in ("seal", "open"):
            for size in SIZES:
                for burst in bursts:
                    cells = [fmt_cell(idx.rps(c, suite, direction, size, burst), idx.gbps(c, suite, direction, size, burst))
                             for c in CONTENDERS]
                    if all(c.strip() == "-" for c in cells):
                        continue
                    ours = idx.ours(suite, direction, size, burst)
                    line = f"{suite:<32}{direction:<5}{size:>6}{burst:>6} " + " ".join(cells)
                    line += " " + " ".join(fmt_ratio(x) for x in (
                        ratio(ours, idx.raw(suite, direction, size, burst)),
                        ratio(ours, idx.rps("cryptodev", suite, direction, size, burst)),
                        ratio(ours, idx.rps("openssl", suite, direction, size, burst))))
                    print(line)


def print_kernels(idx, results):
    suites = [s for s in SUITES if any(r["suite"] == s for r in results)]
    bursts = sorted({r["burst"] for r in results})
    print("\n== record layer kernels (arch auto): ours-direct vs ours-burst, Mrecords/s")
    print(f"{'suite':<32}{'dir':<5}{'size':>6}{'burst':>6} {'direct':>9} {'burst':>9} {'faster':>8} {'by':>7}")
    for suite in suites:
        for direction in ("seal", "open"):
            for size in SIZES:
                for burst in bursts:
                    d = idx.rps("ours-direct", suite, direction, size, burst)
                    b = idx.rps("ours-burst", suite, direction, size, burst)
                    if d is None or b is None:
                        continue
                    faster = "direct" if d >= b else "burst"
                    by = max(d, b) / min(d, b)
                    print(f"{suite:<32}{direction:<5}{size:>6}{burst:>6} {d / 1e6:9.2f} {b / 1e6:9.2f} {faster:>8} {by:6.2f}x")


def print_archs(idx, results):
    archs = [a for a in ("sse", "avx", "avx2", "avx512") if any(r["arch"] == a for r in results)]
    if not archs:
        return
    suites = [s for s in SUITES if any(r["suite"] == s for r in results)]
    print(f"\n== per ipsec-mb path (burst {TARGET_BURST}): ours (default kernel) Mrecords/s / ours:raw")
    print(f"{'suite':<32}{'dir':<5}{'size':>6} " + " ".join(f"{a:>15}" for a in archs))
    for suite in suites:
        for direction in ("seal", "open"):
            for size in SIZES:
                cells = []
                for a in archs:
                    o = idx.ours(suite, direction, size, arch=a)
                    r = ratio(o, idx.raw(suite, direction, size, arch=a))
                    cells.append(f"{o / 1e6:7.2f} / {r:5.2f}" if o is not None and r is not None else f"{'-':>15}")
                if any(c.strip() != "-" for c in cells):
                    print(f"{suite:<32}{direction:<5}{size:>6} " + " ".join(cells))


def evaluate_targets(idx):
    """Each target: (description, value, threshold, worst size) -> MET / NOT MET / NOT MEASURED."""
    lines = []

    def add(desc, pairs, threshold):
        # pairs: [(size, value or None)]; the target holds when every value reaches the threshold.
        missing = [s for s, v in pairs if v is None]
        if missing:
            lines.append((desc, None, threshold, None, "NOT MEASURED"))
            return
        size, worst = min(pairs, key=lambda p: p[1])
        lines.append((desc, worst, threshold, size, "MET" if worst >= threshold else "NOT MET"))

    for suite in AES128_GCM:
        for direction in ("seal", "open"):
            tag = f"{suite} {direction}"
            add(f"{tag}: ours/raw >= 0.90 at 64 B", [(64, ratio(idx.ours(suite, direction, 64), idx.raw(suite, direction, 64)))], 0.90)
            add(f"{tag}: ours/raw >= 0.97 at 16 KB",
                [(16384, ratio(idx.ours(suite, direction, 16384), idx.raw(suite, direction, 16384)))], 0.97)
            add(f"{tag}: ours/cryptodev >= 1.0 at every size",
                [(s, ratio(idx.ours(suite, direction, s), idx.rps("cryptodev", suite, direction, s))) for s in SIZES], 1.0)
            add(f"{tag}: ours/OpenSSL >= 5 at 64 B",
                [(64, ratio(idx.ours(suite, direction, 64), idx.rps("openssl", suite, direction, 64)))], 5.0)
    for suite in CHACHA:
        for direction in ("seal", "open"):
            pairs = []
            for s in SIZES:
                base = [v for v in (idx.raw(suite, direction, s), idx.rps("openssl", suite, direction, s)) if v is not None]
                pairs.append((s, ratio(idx.ours(suite, direction, s), max(base)) if len(base) == 2 else None))
            add(f"{suite} {direction}: ours >= 1.0 x max(raw, OpenSSL) at every size", pairs, 1.0)
    return lines


def print_targets(lines, idx):
    print(f"\n== targets (medians, burst {TARGET_BURST}, arch {TARGET_ARCH}; ours = default kernel: "
          f"GCM {idx.gcm_kernel}, ChaCha20 {idx.chacha_kernel}; raw = max(raw-direct, raw-job))")
    for desc, value, threshold, size, verdict in lines:
        detail = f"worst {value:.3f} at {size} B" if value is not None else "missing data"
        print(f"  {verdict:<12} {desc:<72} ({detail})")
    met = sum(1 for line in lines if line[4] == "MET")
    print(f"  {met} of {len(lines)} targets met")


def plot(results, path, idx):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    burst = TARGET_BURST if any(r["burst"] == TARGET_BURST for r in results) else max(r["burst"] for r in results)
    suites = [s for s in SUITES if any(r["suite"] == s for r in results)]
    fig, axes = plt.subplots(len(suites), 2, figsize=(13, 3.6 * len(suites)), squeeze=False)
    styles = {"ours-direct": ("tab:blue", "-", "o"), "ours-burst": ("tab:cyan", "-", "s"),
              "raw-direct": ("tab:green", "--", "^"), "raw-job": ("tab:olive", "--", "v"),
              "openssl": ("tab:red", ":", "D"), "cryptodev": ("tab:purple", "-.", "x")}
    for row, suite in enumerate(suites):
        for col, direction in enumerate(("seal", "open")):
            ax = axes[row][col]
            for c in CONTENDERS:
                pts = [(s, idx.rps(c, suite, direction, s, burst)) for s in SIZES]
                pts = [(s, v) for s, v in pts if v is not None]
                if not pts:
                    continue
                color, ls, marker = styles[c]
                label = c + (" (default)" if c == idx.ours_name(suite) else "")
                ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, linestyle=ls, marker=marker, label=label)
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xticks(SIZES)
            ax.set_xticklabels([str(s) for s in SIZES])
            ax.set_title(f"{suite} {direction} (burst {burst}, arch auto)", fontsize=10)
            ax.set_xlabel("record plaintext bytes")
            ax.set_ylabel("records/s")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="meson build directory (default: build)")
    ap.add_argument("--quick", action="store_true",
                    help="subset in about a minute: arch auto, burst 32, AES-128-GCM and ChaCha20 of TLS 1.2/1.3")
    ap.add_argument("--repetitions", type=int, default=3, help="repetitions per benchmark; medians reported (default 3)")
    ap.add_argument("--min-time", type=float, default=None,
                    help="seconds per repetition (default 0.03 quick, 0.1 full)")
    ap.add_argument("--filter", default=None, help="benchmark regex (overrides --quick's selection)")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "record.json"))
    ap.add_argument("--plot", default=os.path.join(HERE, "results", "record.png"))
    args = ap.parse_args()

    binary = find_binary(args.build)
    bench_filter = args.filter or (quick_filter() if args.quick else "^record/")
    min_time = args.min_time if args.min_time is not None else (0.03 if args.quick else 0.1)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    log_path = os.path.splitext(os.path.abspath(args.out))[0] + ".log"

    tests = list_tests(binary, bench_filter)
    if not tests:
        sys.exit(f"error: no benchmark matches {bench_filter!r}")
    data = run_binary(binary, bench_filter, args.repetitions, min_time, log_path, len(tests))
    context = data.get("context", {})
    results = collect(data)
    idx = Index(results, context)
    targets = evaluate_targets(idx)

    errors = [r for r in results if r["error"]]
    if errors:
        print(f"\n{len(errors)} benchmarks skipped or failed:")
        shown = {}
        for r in errors:
            shown.setdefault(r["error"], []).append(r["name"])
        for msg, names in shown.items():
            print(f"  {len(names):4d} x {msg}  (e.g. {names[0]})")

    print_table(idx, results)
    print_kernels(idx, results)
    print_archs(idx, results)
    print_targets(targets, idx)

    with open(args.out, "w") as f:
        json.dump({
            "context": context,
            "settings": {"filter": bench_filter, "repetitions": args.repetitions, "min_time": min_time,
                         "quick": args.quick, "binary": binary},
            "results": sorted(results, key=lambda r: r["name"]),
            "targets": [{"target": d, "worst": v, "threshold": t, "worst_size": s, "verdict": verdict}
                        for d, v, t, s, verdict in targets],
        }, f, indent=1)
    print(f"\nresults: {args.out}\nlog:     {log_path}")
    if HAVE_MPL:
        plot(results, args.plot, idx)
        print(f"plot:    {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
