// tlsburst_handshake_bench: full TLS 1.2 handshakes per second on one core, server side, in
// memory (tlsburst's client and server in one process, the server's time counted apart), for
// ECDHE-X25519 with an RSA-2048 and with an ECDSA-P256 certificate. In the same run it times the
// public-key primitives the server needs (sign, key generation, derive) through libcrypto, and
// OpenSSL libssl's server with the same certificates and suite, and prints the ratios:
//   ours / primitive limit   (target >= 0.9)
//   ours / libssl server     (target >= 1.5)
//
//   tlsburst_handshake_bench [--seconds S] [--rounds N] [--case rsa|ecdsa|all] [--only ours] [--json FILE]
// (--only ours: just tlsburst's server, for profiling.)
// Each round measures every contender for S seconds (default 2, 3 rounds); the median is reported.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/handshake/bench_setup.hpp"
#include "bench/handshake/libssl_server.hpp"
#include "bench/handshake/ours.hpp"
#include "bench/handshake/primitives.hpp"

using namespace tlsburst::handshake;
using namespace tlsburst::handshake::bench;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Result {
  BenchCase c;
  double ours = 0, libssl = 0, limit = 0, sign_us = 0, keygen_us = 0, derive_us = 0;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  int rounds = 3;
  std::string which = "all", json, only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::string(argv[++i]);
    };
    if (a == "--seconds") seconds = std::stod(next());
    else if (a == "--rounds") rounds = std::stoi(next());
    else if (a == "--case") which = next();
    else if (a == "--json") json = next();
    else if (a == "--only") only = next();
    else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--rounds N] [--case rsa|ecdsa|all] [--json FILE]\n", argv[0]);
      return 2;
    }
  }
  std::vector<BenchCase> cases;
  if (which == "all" || which == "rsa") {
    cases.push_back({"ECDHE-X25519 RSA-2048", "server_rsa", CipherSuite::ecdhe_rsa_aes_128_gcm_sha256,
                     SignatureScheme::rsa_pss_rsae_sha256, "rsa_pss_rsae_sha256"});
  }
  if (which == "all" || which == "ecdsa") {
    cases.push_back({"ECDHE-X25519 ECDSA-P256", "server_ecdsa", CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256,
                     SignatureScheme::ecdsa_secp256r1_sha256, "ECDSA+SHA256"});
  }
  (void)pki_dir();

  std::vector<Result> results;
  for (const BenchCase& c : cases) {
    std::vector<double> ours, libssl, limit, sign, keygen, derive;
    for (int r = 0; r < rounds; ++r) {
      if (only == "ours") {
        std::fprintf(stderr, "  %s: ours %.0f/s\n", c.name.c_str(), run_ours(c, seconds).per_second);
        continue;
      }
      const PrimitiveTimes p = run_primitives(c, seconds);
      sign.push_back(p.sign_us);
      keygen.push_back(p.keygen_us);
      derive.push_back(p.derive_us);
      limit.push_back(p.limit_per_second());
      ours.push_back(run_ours(c, seconds).per_second);
      libssl.push_back(run_libssl(c, seconds).per_second);
      std::fprintf(stderr, "  %s round %d: ours %.0f/s, limit %.0f/s, libssl %.0f/s\n", c.name.c_str(), r + 1,
                   ours.back(), limit.back(), libssl.back());
    }
    if (only == "ours") continue;
    Result res{c, median(ours), median(libssl), median(limit), median(sign), median(keygen), median(derive)};
    results.push_back(res);
  }

  std::printf("\nTLS 1.2 full handshakes per second, server side, one core, in memory (%d rounds x %.1f s, medians)\n\n",
              rounds, seconds);
  std::printf("%-26s %10s %10s %10s %12s %12s   %s\n", "case", "tlsburst", "limit", "libssl", "ours/limit",
              "ours/libssl", "primitives (us): sign + keygen + derive");
  for (const Result& r : results) {
    std::printf("%-26s %10.0f %10.0f %10.0f %11.3fx %11.3fx   %.1f + %.1f + %.1f = %.1f\n", r.c.name.c_str(), r.ours,
                r.limit, r.libssl, r.ours / r.limit, r.ours / r.libssl, r.sign_us, r.keygen_us, r.derive_us,
                r.sign_us + r.keygen_us + r.derive_us);
  }
  std::printf("\ntargets: ours/limit >= 0.9, ours/libssl >= 1.5\n");
  for (const Result& r : results) {
    std::printf("  %-26s limit target %s, libssl target %s\n", r.c.name.c_str(), r.ours / r.limit >= 0.9 ? "met" : "MISSED",
                r.ours / r.libssl >= 1.5 ? "met" : "MISSED");
  }
  if (!json.empty()) {
    FILE* f = std::fopen(json.c_str(), "w");
    if (f != nullptr) {
      std::fprintf(f, "{\n  \"rounds\": %d, \"seconds\": %.2f,\n  \"cases\": [\n", rounds, seconds);
      for (size_t i = 0; i < results.size(); ++i) {
        const Result& r = results[i];
        std::fprintf(f,
                     "    {\"case\": \"%s\", \"tlsburst_per_s\": %.1f, \"limit_per_s\": %.1f, \"libssl_per_s\": %.1f, "
                     "\"sign_us\": %.2f, \"keygen_us\": %.2f, \"derive_us\": %.2f, \"ours_over_limit\": %.4f, "
                     "\"ours_over_libssl\": %.4f}%s\n",
                     r.c.name.c_str(), r.ours, r.limit, r.libssl, r.sign_us, r.keygen_us, r.derive_us, r.ours / r.limit,
                     r.ours / r.libssl, i + 1 < results.size() ? "," : "");
      }
      std::fprintf(f, "  ]\n}\n");
      std::fclose(f);
    }
  }
  return 0;
}
