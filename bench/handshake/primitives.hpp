// The public-key work a TLS 1.2 ECDHE server must do per full handshake, timed directly through
// libcrypto: one signature (ServerKeyExchange), one X25519 key generation, one X25519 derivation
// (with the peer's key imported). Their summed time is the limit no server can beat on one core.
#pragma once

#include "bench/handshake/bench_setup.hpp"

namespace tlsburst::handshake::bench {

struct PrimitiveTimes {
  double sign_us = 0;
  double keygen_us = 0;
  double derive_us = 0;
  double total_us() const { return sign_us + keygen_us + derive_us; }
  double limit_per_second() const { return 1e6 / total_us(); }
};

PrimitiveTimes run_primitives(const BenchCase& c, double seconds);

}  // namespace tlsburst::handshake::bench
