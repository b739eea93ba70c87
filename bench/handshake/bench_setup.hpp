// Shared set-up of the handshake benchmark: the certificates (generated once per run by
// tests/handshake/make_test_pki.sh), the two measured configurations, and a timer for the
// server's share of an in-memory handshake.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>

#include "handshake/crypto/signature_scheme.hpp"
#include "handshake/tls12/cipher_suite.hpp"

namespace tlsburst::handshake::bench {

// Generates the certificates into a temporary directory (removed at exit); returns it.
const std::string& pki_dir();
inline std::string pki_path(const std::string& f) { return pki_dir() + "/" + f; }

struct BenchCase {
  std::string name;         // e.g. "ECDHE-X25519 RSA-2048"
  std::string credential;   // server_rsa / server_ecdsa (.pem chain, .key)
  CipherSuite suite;
  SignatureScheme scheme;   // what the server signs ServerKeyExchange with
  std::string openssl_sigalg;  // the same scheme in OpenSSL's notation
};

// CPU time of the calling thread, in seconds (time the thread was descheduled does not count,
// so other load on the machine does not inflate the measurement).
double thread_cpu_seconds();

// Accumulates the calling thread's CPU time spent inside the server's calls. The cost of reading
// the clock itself (calibrated once) is subtracted per measured call.
class ServerTimer {
 public:
  template <class F>
  auto time(F&& f) {
    const double start = thread_cpu_seconds();
    ++_num_calls;
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      _total += thread_cpu_seconds() - start;
    } else {
      auto r = f();
      _total += thread_cpu_seconds() - start;
      return r;
    }
  }
  double seconds() const;

 private:
  double _total = 0;
  uint64_t _num_calls = 0;
};

struct Rate {
  double per_second = 0;  // handshakes (or operations) per second of server CPU
  uint64_t count = 0;
};

}  // namespace tlsburst::handshake::bench
