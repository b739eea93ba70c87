#include "bench/record/cryptodev_env.hpp"

#include <rte_cryptodev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <optional>
#include <string>
#include <vector>

namespace tlsburst::bench {

namespace {

std::optional<CryptodevEnv> g_env;
std::string g_error = "cryptodev_env_init() was not called";
bool g_eal_up = false;

bool fail(std::string why) {
  g_error = std::move(why);
  return false;
}

std::string rte_reason() { return std::string(rte_strerror(rte_errno)); }

}  // namespace

bool cryptodev_env_init(const char* program, int cpu) {
  // DPDK 22.11 refuses --in-memory together with --no-huge (--no-huge implies legacy memory), so
  // the equivalent no-hugepage set-up is --no-huge --no-shconf. --no-pci keeps EAL off the
  // machine's NICs.
  std::vector<std::string> args = {program,   "--no-huge", "--no-shconf", "--no-pci",
                                   "--no-telemetry", "-l", std::to_string(cpu), "--vdev",
                                   "crypto_aesni_mb", "--log-level=lib.eal:warning"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(args.size()), argv.data()) < 0) {
    return fail("rte_eal_init failed: " + rte_reason());
  }
  g_eal_up = true;

  CryptodevEnv env;
  const int dev = rte_cryptodev_get_dev_id("crypto_aesni_mb");
  if (dev < 0) return fail("no crypto_aesni_mb device (is the DPDK ipsec-mb crypto PMD installed?)");
  env.dev_id = static_cast<uint8_t>(dev);
  int socket = static_cast<int>(rte_socket_id());
  if (socket < 0) socket = 0;  // SOCKET_ID_ANY

  struct rte_cryptodev_config conf = {};
  conf.socket_id = socket;
  conf.nb_queue_pairs = 1;
  if (rte_cryptodev_configure(env.dev_id, &conf) < 0) return fail("rte_cryptodev_configure failed");

  const unsigned session_len = rte_cryptodev_sym_get_private_session_size(env.dev_id);
  env.session_pool = rte_cryptodev_sym_session_pool_create("bench_sess", 64, session_len, 0, 0, socket);
  if (env.session_pool == nullptr) return fail("session pool: " + rte_reason());

  struct rte_cryptodev_qp_conf qp_conf = {};
  qp_conf.nb_descriptors = CryptodevEnv::num_descriptors;
  qp_conf.mp_session = env.session_pool;
  if (rte_cryptodev_queue_pair_setup(env.dev_id, env.qp_id, &qp_conf, socket) < 0) {
    return fail("rte_cryptodev_queue_pair_setup failed");
  }
  if (rte_cryptodev_start(env.dev_id) < 0) return fail("rte_cryptodev_start failed");

  env.op_pool = rte_crypto_op_pool_create("bench_ops", RTE_CRYPTO_OP_TYPE_SYMMETRIC, CryptodevEnv::num_ops, 0,
                                          CryptodevEnv::op_priv_len, socket);
  if (env.op_pool == nullptr) return fail("crypto op pool: " + rte_reason());
  // Header-only mbufs: the record bytes are the RecordRing's, attached as external buffers.
  env.mbuf_pool = rte_pktmbuf_pool_create("bench_mbufs", CryptodevEnv::num_mbufs, 0, 0, 0, socket);
  if (env.mbuf_pool == nullptr) return fail("mbuf pool: " + rte_reason());

  g_env = env;
  g_error.clear();
  return true;
}

const CryptodevEnv* cryptodev_env() { return g_env ? &*g_env : nullptr; }

std::string_view cryptodev_env_error() { return g_error; }

void cryptodev_env_shutdown() {
  if (g_env) rte_cryptodev_stop(g_env->dev_id);
  g_env.reset();
  if (g_eal_up) rte_eal_cleanup();
  g_eal_up = false;
}

}  // namespace tlsburst::bench
