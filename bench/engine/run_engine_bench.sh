#!/bin/sh
# Runs the engine benchmark and keeps its report in bench/results/.
#
#   bench/engine/run_engine_bench.sh [BUILD_DIR] [-- benchmark options]
#
# BUILD_DIR defaults to build/. Benchmark options (after --): --seconds S, --sizes 64,1024,16384,
# --suite NAME, --inflight N, --sessions N, --submitter idle|normal, --installs N,
# --latency-samples N, --quick, --only direct|manual|1w|2w|installs. EAL runs without hugepages
# with two worker lcores placed by hwloc. Run it on an otherwise idle machine: the figures are
# per worker CPU-second, but the 2-worker run shares the CPUs with the submitting thread.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
bin="$here/$build/bench/engine/tlsburst-engine-bench"
[ -x "$bin" ] || { echo "no $bin: build first (ninja -C $build)" >&2; exit 1; }
mkdir -p "$here/bench/results"
out="$here/bench/results/engine_bench_$(date +%Y%m%d_%H%M%S).txt"
{
  echo "# $(date -u) $(uname -r) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bin" -- "$@"
} 2>&1 | tee "$out"
echo "report: $out"
