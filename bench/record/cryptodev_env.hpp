// The DPDK side of the benchmark, set up once in main() before benchmark::Initialize: EAL, one
// crypto_aesni_mb virtual device with one queue pair, and the pools the cryptodev contender draws
// sessions, crypto ops and mbufs from. When any of it fails the reason is kept and only the
// cryptodev benchmarks are skipped (each says why).
#pragma once

#include <rte_crypto.h>

#include <cstdint>
#include <string>
#include <string_view>

struct rte_mempool;

namespace tlsburst::bench {

struct CryptodevEnv {
  // Crypto op private area: the 12-byte nonce (16 reserved) then the TLS 1.2 AAD (16 reserved).
  static constexpr uint16_t iv_offset = sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op);
  static constexpr uint16_t aad_offset = iv_offset + 16;
  static constexpr uint16_t op_priv_len = 32;
  static constexpr uint32_t num_ops = 1024;
  static constexpr uint32_t num_mbufs = 16383;  // >= the most slots any RecordRing has
  static constexpr uint16_t num_descriptors = 2048;

  uint8_t dev_id = 0;
  uint16_t qp_id = 0;
  rte_mempool* session_pool = nullptr;
  rte_mempool* op_pool = nullptr;
  rte_mempool* mbuf_pool = nullptr;
};

// Initialises EAL with no hugepages, no PCI probing and the main lcore on `cpu`, then the device.
// Returns false (reason in cryptodev_env_error()) on any failure.
bool cryptodev_env_init(const char* program, int cpu);

// The environment, or nullptr when cryptodev_env_init() failed or was not called.
const CryptodevEnv* cryptodev_env();
std::string_view cryptodev_env_error();

// Stops the device and releases EAL (end of main).
void cryptodev_env_shutdown();

}  // namespace tlsburst::bench
