// OpenSSL libssl's TLS 1.2 server in memory (memory BIOs) against a libssl client, with the same
// certificate, suite, group and signature scheme: full handshakes (no tickets, no session cache),
// server time apart.
#pragma once

#include "bench/handshake/bench_setup.hpp"

namespace tlsburst::handshake::bench {

Rate run_libssl(const BenchCase& c, double seconds);

}  // namespace tlsburst::handshake::bench
