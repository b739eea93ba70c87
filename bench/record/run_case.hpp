// The body of every record benchmark: set up the ring and the contender, run the timed loop over
// the ring a burst at a time, then check the contender's output against the reference backend.
//
// What is timed, identically for every contender: run() on one burst, i.e. per record the TLS
// framing (header, nonce, AAD, tag check, TLS 1.3 inner type) and the AEAD itself, in place in
// the ring slot. Not timed: building and pre-sealing the ring, and -- for open, each time the
// whole ring has been opened -- restoring the ciphertext from the pristine copy (memcpy under
// PauseTiming) and rewinding the sequence number. Seal just rewinds the sequence number when the
// ring wraps (it re-seals whatever bytes are in the slots) so no key reaches its usage limit.
#pragma once

#include <benchmark/benchmark.h>

#include "bench/record/bench_case.hpp"
#include "bench/record/contender.hpp"

namespace tlsburst::bench {

void run_case(benchmark::State& state, const BenchCase& c, const ContenderInfo& info);

}  // namespace tlsburst::bench
