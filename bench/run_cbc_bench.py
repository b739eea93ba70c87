#!/usr/bin/env python3
"""Runs the TLS 1.2 CBC-HMAC cases of tlsburst_record_bench (issue 3) and prints the comparison table.

    python3 bench/run_cbc_bench.py --build build                 # burst 32, 1 KB and 16 KB, auto path
    python3 bench/run_cbc_bench.py --build build --sizes 64,256,1024,4096,16384 --repetitions 5

Contenders (bench/record/record_bench_cbc.cpp): ours (MAC-then-encrypt), ours-etm (RFC 7366),
openssl-stitched (AES-CBC-HMAC-SHA1/-SHA256 EVP, TLS mode), openssl-mte (plain per-record HMAC then
AES-CBC; its open has no Lucky Thirteen countermeasure), cryptodev-chain (DPDK crypto_aesni_mb auth +
cipher chains; its open is not constant-time). Rates are medians over repetitions of CPU-time based
records/s. "OpenSSL best" is the faster of openssl-stitched and openssl-mte. Targets (issue 3, one
core, burst 32): seal >= 2.5x OpenSSL best at 1 KB and 16 KB, open >= 2x OpenSSL best at 1 KB. This is a
measurement: it exits 0 whether or not the targets are met, non-zero only when the binary fails.
"""

import argparse
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITES = ["TLS1.2-AES-128-CBC-SHA", "TLS1.2-AES-256-CBC-SHA", "TLS1.2-AES-128-CBC-SHA256",
          "TLS1.2-AES-256-CBC-SHA256", "TLS1.2-AES-256-CBC-SHA384"]
CONTENDERS = ["ours", "ours-etm", "openssl-stitched", "openssl-mte", "cryptodev-chain"]
NAME_RE = re.compile(r"^record/(?P<contender>[^/]+)/(?P<suite>[^/]+)/(?P<arch>[^/]+)/(?P<direction>seal|open)"
                     r"/size:(?P<size>\d+)/burst:(?P<burst>\d+)$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--sizes", default="1024,16384")
    ap.add_argument("--burst", type=int, default=32)
    ap.add_argument("--arch", default="auto")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--min-time", default="0.3")
    ap.add_argument("--out", default=None, help="write the raw JSON here")
    args = ap.parse_args()

    build = args.build if os.path.isabs(args.build) else os.path.join(TOP, args.build)
    exe = os.path.join(build, "bench/record/tlsburst_record_bench")
    if not os.access(exe, os.X_OK):
        sys.exit(f"error: {exe} not found (ninja -C {build})")
    sizes = [int(s) for s in args.sizes.split(",")]
    suites = "|".join(s.replace(".", r"\.") for s in SUITES)
    contenders = "|".join(CONTENDERS)
    filt = (rf"^record/({contenders})/({suites})/{args.arch}/(seal|open)/size:({'|'.join(map(str, sizes))})"
            rf"/burst:{args.burst}$")
    cmd = [exe, f"--benchmark_filter={filt}", f"--benchmark_repetitions={args.repetitions}",
           f"--benchmark_min_time={args.min_time}", "--benchmark_report_aggregates_only=true",
           "--benchmark_format=json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(f"error: {exe} exited {p.returncode}")
    data = json.loads(p.stdout)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(data, f, indent=1)

    rate = {}
    errors = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        m = NAME_RE.match(name)
        if not m:
            continue
        key = (m["contender"], m["suite"], m["direction"], int(m["size"]))
        if b.get("error_occurred"):
            errors[key] = b.get("error_message", "error")
            continue
        if b.get("aggregate_name", "median") != "median":
            continue
        rate[key] = b["items_per_second"]

    ctx = data.get("context", {})
    print(f"# CBC record benchmark: burst {args.burst}, arch {args.arch}, ipsec-mb {ctx.get('ipsec_mb_version')} "
          f"(detected {ctx.get('ipsec_mb_detected_arch')}), {ctx.get('openssl_version')}, "
          f"{ctx.get('num_cpus')} CPUs, median of {args.repetitions}")
    print("# rates in k records/s (Gbps of plaintext in parentheses)")
    header = ["suite", "dir", "size"] + CONTENDERS + ["ours/stitched", "ours/OpenSSL best", "ours/cryptodev", "target"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    verdicts = []
    for suite in SUITES:
        for direction in ("seal", "open"):
            for size in sizes:
                cells = [suite, direction, str(size)]
                for c in CONTENDERS:
                    r = rate.get((c, suite, direction, size))
                    if r is None:
                        e = errors.get((c, suite, direction, size))
                        cells.append("err" if e else "-")
                    else:
                        cells.append(f"{r / 1e3:.0f} ({r * size * 8e-9:.1f})")
                ours = rate.get(("ours", suite, direction, size))
                best = max([rate.get((c, suite, direction, size), 0) for c in ("openssl-stitched", "openssl-mte")])
                dev = rate.get(("cryptodev-chain", suite, direction, size))
                ratio = ours / best if ours and best else None
                stitched = rate.get(("openssl-stitched", suite, direction, size))
                cells.append(f"{ours / stitched:.2f}x" if ours and stitched else "-")
                cells.append(f"{ratio:.2f}x" if ratio else "-")
                cells.append(f"{ours / dev:.2f}x" if ours and dev else "-")
                need = 2.5 if direction == "seal" and size in (1024, 16384) else 2.0 if size == 1024 else None
                if need and ratio:
                    ok = ratio >= need
                    cells.append(f">= {need}x: {'MET' if ok else 'NOT MET'}")
                    verdicts.append((suite, direction, size, ratio, need, ok))
                else:
                    cells.append("")
                print("| " + " | ".join(cells) + " |")
    for key, msg in sorted(errors.items()):
        print(f"error: {'/'.join(map(str, key))}: {msg}")
    met = sum(1 for v in verdicts if v[5])
    print(f"# targets met: {met} of {len(verdicts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
