#include <array>

#include "bench/record/contender.hpp"

namespace tlsburst::bench {

namespace {

bool aead_only(record::Suite s) { return record::is_aead(s); }

constexpr std::array<ContenderInfo, 6> contender_table{{
    // The record layer, with both AEAD kernel choices (RecordProcessorOptions::gcm_kernel and
    // chacha_kernel set to the same value).
    {"ours-direct", true, aead_only, make_ours_direct},
    {"ours-burst", true, aead_only, make_ours_burst},
    // ipsec-mb called directly, one record at a time: the per-core limit of the library.
    {"raw-direct", true, aead_only, make_raw_direct},
    {"raw-job", true, aead_only, make_raw_job},
    // What TLS libraries do: OpenSSL EVP, one context per session, per-record IV/AAD/update/final.
    {"openssl", false, aead_only, make_openssl_evp},
    // What DPDK users pick: cryptodev with the crypto_aesni_mb PMD, enqueue/dequeue bursts.
    {"cryptodev", false, aead_only, make_cryptodev},
}};

}  // namespace

std::span<const ContenderInfo> contenders() { return contender_table; }

}  // namespace tlsburst::bench
