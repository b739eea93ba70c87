// tlsburst's server in memory against tlsburst's client: full handshakes, server time apart.
#pragma once

#include "bench/handshake/bench_setup.hpp"

namespace tlsburst::handshake::bench {

Rate run_ours(const BenchCase& c, double seconds);

}  // namespace tlsburst::handshake::bench
