// A running engine with one control plane, one client and a pool of request mbufs, per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/core/client.hpp"
#include "engine/core/control_plane.hpp"
#include "engine/core/engine.hpp"
#include "tests/engine/engine_test_support.hpp"

namespace tlsburst::engine::test {

// Data room for the largest record either direction produces (16 KB plaintext + CBC overhead).
inline constexpr uint16_t big_data_room = 18 * 1024 + RTE_PKTMBUF_HEADROOM;

class EngineFixture {
 public:
  void start(EngineConfig config = {}, ClientConfig client_config = {}, uint32_t num_mbufs = 1024,
             uint16_t data_room = big_data_room) {
    auto e = Engine::start(config);
    ASSERT_TRUE(e.ok()) << e.error().message;
    engine = std::move(e.value());
    auto cp = ControlPlane::create(*engine);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    control = std::move(cp.value());
    auto c = Client::create(*engine, client_config);
    ASSERT_TRUE(c.ok()) << c.error().message;
    client = std::move(c.value());
    static int serial = 0;
    pool = make_pool("test_pool_" + std::to_string(serial++), num_mbufs, data_room);
    ASSERT_NE(pool, nullptr);
  }

  void stop() {
    client.reset();
    control.reset();
    if (engine) engine->stop();
    engine.reset();
    if (pool != nullptr) {
      EXPECT_EQ(rte_mempool_avail_count(pool), pool->size) << "mbufs leaked by the test or the engine";
      free_request_pool(pool);
      pool = nullptr;
    }
  }

  ~EngineFixture() { stop(); }

  std::unique_ptr<Engine> engine;
  std::unique_ptr<ControlPlane> control;
  std::unique_ptr<Client> client;
  rte_mempool* pool = nullptr;
};

// Frees every mbuf of `v`.
inline void free_all(const std::vector<rte_mbuf*>& v) {
  for (rte_mbuf* m : v) rte_pktmbuf_free(m);
}

}  // namespace tlsburst::engine::test
