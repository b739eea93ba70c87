// The engine under concurrency: several submitter threads (each its own Client and ControlPlane)
// push seal and open requests for their connections through two workers while a control thread
// rekeys, removes and re-creates those connections' sessions. Every completion is checked:
//   - seals open with the OpenSSL reference under a key the session may have had when the record
//     was submitted (never older than the last rekey that had returned before submission, never
//     newer than the last that had begun by the end of the submit call), with consecutive sequence
//     numbers per key, restarting at 0 after a rekey;
//   - opens of records the test sealed with the peer keys (rekeyed by the submitter itself, as on
//     a received KeyUpdate) release the right plaintext;
//   - per session, completions come back in submission order, each exactly once;
//   - requests rejected as stale only for sessions whose removal had begun by the end of the submit
//     call, and always for those whose removal had returned before it, and for forged handles.
// Also run under ThreadSanitizer (suite 'concurrency').
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "engine/core/client.hpp"
#include "engine/core/control_plane.hpp"
#include "engine/core/engine.hpp"
#include "tests/engine/engine_test_support.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::DirectionKeys;
using record::RecordOpKind;
using record::Suite;
using Clock = std::chrono::steady_clock;

class StressEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    // An explicit lcore map (the -l/--lcores path): main lcore floating, workers on CPUs 0 and 1.
    init_test_eal(test_eal_args("engine_stress", {"--lcores=0@(0-1),1@0,2@1"}));
  }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new StressEnvironment);

constexpr uint32_t max_epochs = 256;
constexpr Suite stress_suites[] = {
    Suite::tls13_aes_128_gcm_sha256, Suite::tls13_chacha20_poly1305_sha256, Suite::tls13_aes_256_gcm_sha384,
    Suite::tls12_aes_128_gcm,        Suite::tls12_chacha20_poly1305,        Suite::tls12_aes_128_cbc_sha256,
};

double stress_seconds() {
  const char* v = std::getenv("TLSBURST_STRESS_SECONDS");
  return v != nullptr ? std::atof(v) : 4.0;
}

// One session of a connection. The control thread writes seal_keys[e] before announcing epoch e
// in seal_pending (release); readers only look at keys up to what they loaded (acquire).
struct Incarnation {
  SessionHandle handle;
  Suite suite{};
  std::vector<DirectionKeys> seal_keys = std::vector<DirectionKeys>(max_epochs);
  std::atomic<uint32_t> seal_pending{0};  // highest epoch whose rekey call has begun
  std::atomic<uint32_t> seal_epoch{0};    // highest epoch whose rekey call has returned
  std::atomic<bool> remove_begun{false};
  std::atomic<bool> removed{false};
  DirectionKeys initial_open;             // written before the incarnation is published

  // Owner (submitter) only:
  std::vector<DirectionKeys> open_keys;
  uint64_t open_seq = 0;
  uint64_t next_submit = 0;
  uint64_t next_complete = 0;
  uint32_t last_seal_epoch = 0;
  int64_t last_seal_seq = -1;
};

struct Connection {
  std::atomic<Incarnation*> current{nullptr};
  uint32_t owner = 0;
};

struct Pending {
  Incarnation* inc = nullptr;  // nullptr: a forged handle, must be rejected
  uint64_t counter = 0;
  uint32_t seal_epoch_lo = 0;   // seal_epoch before submission: no older key may be used
  uint32_t seal_epoch_hi = 0;   // seal_pending after submission: no newer key may be used
  bool removed_before = false;  // remove() had returned before submission: must be rejected
  bool remove_begun_after = false;  // remove() had not begun by then: must not be rejected
  RecordOpKind kind = RecordOpKind::seal;
  Bytes plaintext;
  ContentType type = ContentType::application_data;
};

struct Totals {
  std::atomic<uint64_t> seals{0}, opens{0}, stale{0}, forged{0}, rekeys{0}, open_rekeys{0}, removals{0},
      submitted{0}, completed{0}, failures{0};
};

class StressTest : public ::testing::Test {
 protected:
  static constexpr uint32_t num_submitters = 3;
  static constexpr uint32_t connections_per_submitter = 6;

  void fail(const std::string& what) {
    if (totals.failures.fetch_add(1) < 20) ADD_FAILURE() << what;
  }

  std::unique_ptr<Incarnation> make_incarnation(ControlPlane& cp, std::mt19937_64& rng) {
    auto inc = std::make_unique<Incarnation>();
    inc->suite = stress_suites[rng() % std::size(stress_suites)];
    inc->seal_keys[0] = random_keys(inc->suite, rng(), rng() % 2 == 0);
    inc->initial_open = random_keys(inc->suite, rng(), rng() % 2 == 0);
    auto h = cp.create_session(SessionKeys{inc->seal_keys[0], inc->initial_open});
    if (!h) {
      fail("create_session: " + h.error().message);
      return nullptr;
    }
    inc->handle = *h;
    return inc;
  }

  void control_loop(ControlPlane& cp, std::atomic<bool>& stop) {
    std::mt19937_64 rng(99);
    while (!stop.load(std::memory_order_acquire)) {
      Connection& c = connections[rng() % connections.size()];
      Incarnation* inc = c.current.load(std::memory_order_relaxed);  // only this thread writes it
      const uint32_t action = static_cast<uint32_t>(rng() % 100);
      if (action < 75) {
        const uint32_t e = inc->seal_epoch.load(std::memory_order_relaxed) + 1;
        if (e < max_epochs) {
          inc->seal_keys[e] = random_keys(inc->suite, rng(), inc->seal_keys[0].encrypt_then_mac);
          inc->seal_pending.store(e, std::memory_order_release);
          if (Status s = cp.rekey(inc->handle, Direction::seal, inc->seal_keys[e]); !s) {
            fail("rekey: " + s.error().message);
          }
          inc->seal_epoch.store(e, std::memory_order_release);
          totals.rekeys.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (action < 90) {
        inc->remove_begun.store(true, std::memory_order_release);
        if (Status s = cp.remove(inc->handle); !s) fail("remove: " + s.error().message);
        inc->removed.store(true, std::memory_order_release);
        totals.removals.fetch_add(1, std::memory_order_relaxed);
        auto fresh = make_incarnation(cp, rng);
        if (!fresh) return;
        Incarnation* p = fresh.get();
        {
          std::lock_guard lock(incarnations_mutex);
          incarnations.push_back(std::move(fresh));
        }
        c.current.store(p, std::memory_order_release);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }

  // Checks one completion against what was submitted.
  void verify(rte_mbuf* m, Pending& p, uint32_t self) {
    const RequestMeta& meta = request_meta(m);
    if (p.inc == nullptr) {
      if (meta.reject != RejectReason::stale_session) fail("forged handle not rejected");
      totals.forged.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    Incarnation& inc = *p.inc;
    if (p.counter != inc.next_complete) {
      fail("submitter " + std::to_string(self) + ": completion " + std::to_string(p.counter) + " came when " +
           std::to_string(inc.next_complete) + " was due (lost, duplicated or reordered)");
    }
    inc.next_complete = p.counter + 1;
    if (meta.reject == RejectReason::stale_session) {
      if (!p.remove_begun_after) fail("session rejected as stale although its removal began after submission");
      totals.stale.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (p.removed_before) {
      fail("request submitted after remove() returned was processed");
      return;
    }
    if (!meta.ok()) {
      fail(std::string("request failed: ") + std::string(record::status_name(meta.status)) + " / " +
           std::string(reject_name(meta.reject)) + " suite " + std::string(record::suite_name(inc.suite)) +
           " kind " + (p.kind == RecordOpKind::open ? "open" : "seal") + " len " + std::to_string(p.plaintext.size()) +
           " type " + std::to_string(int(p.type)) + " open epochs " + std::to_string(inc.open_keys.size()) +
           " etm " + std::to_string(inc.initial_open.encrypt_then_mac) + " seq " + std::to_string(meta.seq));
      return;
    }
    const Bytes out = mbuf_bytes(m);
    if (p.kind == RecordOpKind::open) {
      if (out != p.plaintext || meta.type != p.type) fail("open released the wrong plaintext");
      totals.opens.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    const uint32_t hi = p.seal_epoch_hi;
    int found = -1;
    for (uint32_t k = p.seal_epoch_lo; k <= hi && found < 0; ++k) {
      auto opened = reference_open(inc.seal_keys[k], meta.seq, out);
      if (opened && opened->plaintext == p.plaintext && opened->type == p.type) found = static_cast<int>(k);
    }
    if (found < 0) {
      fail("sealed record opens under no key of epochs " + std::to_string(p.seal_epoch_lo) + ".." +
           std::to_string(hi) + " (seq " + std::to_string(meta.seq) + ", suite " +
           std::string(record::suite_name(inc.suite)) + ")");
      return;
    }
    const uint32_t k = static_cast<uint32_t>(found);
    if (k < inc.last_seal_epoch) fail("sealed with an older key than an earlier record");
    const int64_t want_seq = k == inc.last_seal_epoch ? inc.last_seal_seq + 1 : 0;
    if (static_cast<int64_t>(meta.seq) != want_seq) {
      fail("seal sequence " + std::to_string(meta.seq) + ", expected " + std::to_string(want_seq));
    }
    inc.last_seal_epoch = k;
    inc.last_seal_seq = static_cast<int64_t>(meta.seq);
    totals.seals.fetch_add(1, std::memory_order_relaxed);
  }

  void submitter_loop(uint32_t self, std::atomic<bool>& stop) {
    auto client = Client::create(*engine, ClientConfig{256});
    auto cp = ControlPlane::create(*engine);
    if (!client || !cp) {
      fail("client/control plane creation failed");
      return;
    }
    rte_mempool* pool = make_pool("stress_pool_" + std::to_string(self), 1024, 17 * 1024 + RTE_PKTMBUF_HEADROOM);
    if (pool == nullptr) return;
    std::mt19937_64 rng(1000 + self);
    std::vector<Connection*> mine;
    for (Connection& c : connections) {
      if (c.owner == self) mine.push_back(&c);
    }
    std::deque<rte_mbuf*> unsubmitted;
    std::vector<rte_mbuf*> burst;
    rte_mbuf* done[64];
    uint64_t num_in_flight = 0;
    for (;;) {
      const bool stopping = stop.load(std::memory_order_acquire);
      if (stopping && unsubmitted.empty() && num_in_flight == 0) break;
      // The owner rekeys the open direction now and then, as on a received KeyUpdate: records it
      // seals for the peer from now on use the new keys. Only between submissions: records sealed
      // under the old keys must all be submitted before the rekey, as in a TLS record stream.
      if (!stopping && unsubmitted.empty() && rng() % 100 == 0) {
        Connection& c = *mine[rng() % mine.size()];
        Incarnation* inc = c.current.load(std::memory_order_acquire);
        if (inc->open_keys.empty()) inc->open_keys.push_back(inc->initial_open);
        DirectionKeys next = random_keys(inc->suite, rng(), inc->initial_open.encrypt_then_mac);
        if (Status s = cp.value()->rekey(inc->handle, Direction::open, next); s) {
          inc->open_keys.push_back(next);
          inc->open_seq = 0;
          totals.open_rekeys.fetch_add(1, std::memory_order_relaxed);
        } else if (!inc->remove_begun.load(std::memory_order_acquire)) {
          fail("open rekey of a live session failed: " + s.error().message);
        }
      }
      if (!stopping && unsubmitted.size() < 64) {
        const uint32_t n = 1 + static_cast<uint32_t>(rng() % 24);
        for (uint32_t i = 0; i < n; ++i) {
          Connection& c = *mine[rng() % mine.size()];
          Incarnation* inc = c.current.load(std::memory_order_acquire);
          if (inc->open_keys.empty()) inc->open_keys.push_back(inc->initial_open);
          auto* p = new Pending();
          const uint32_t roll = static_cast<uint32_t>(rng() % 100);
          SessionHandle h = inc->handle;
          if (roll < 2) {
            // A forged handle: the right slot with a generation that is not (yet) the slot's.
            h = SessionHandle::make(inc->handle.core(), inc->handle.slot(),
                                    inc->handle.generation() + 0x40000000u);
            p->inc = nullptr;
          } else {
            p->inc = inc;
            p->counter = inc->next_submit++;
            p->seal_epoch_lo = inc->seal_epoch.load(std::memory_order_acquire);
            p->removed_before = inc->removed.load(std::memory_order_acquire);
          }
          const size_t len = rng() % 50 == 0 ? 16384 - (rng() % 64) : rng() % 1500;
          p->plaintext.resize(len);
          for (auto& b : p->plaintext) b = static_cast<uint8_t>(rng());
          p->type = rng() % 8 == 0 ? ContentType::handshake : ContentType::application_data;
          rte_mbuf* m;
          if (p->inc != nullptr && roll < 50) {
            p->kind = RecordOpKind::open;
            // Explicit nonce / IV: the sequence number, then the submitter id (never repeats per key).
            Bytes iv(16, static_cast<uint8_t>(self));
            record::store_be64(iv.data(), inc->open_seq);
            m = make_mbuf(pool, reference_seal(inc->open_keys.back(), inc->open_seq++, p->type, p->plaintext, iv));
          } else {
            p->kind = RecordOpKind::seal;
            m = make_mbuf(pool, p->plaintext);
          }
          if (m == nullptr) {
            // Pool empty: undo (nothing of it reached the engine).
            if (p->inc != nullptr) {
              --inc->next_submit;
              if (p->kind == RecordOpKind::open) --inc->open_seq;
            }
            delete p;
            break;
          }
          set_request(m, h, p->kind, p->type, reinterpret_cast<uint64_t>(p));
          unsubmitted.push_back(m);
        }
      }
      burst.assign(unsubmitted.begin(), unsubmitted.end());
      const uint32_t accepted = client.value()->submit(burst);
      for (uint32_t i = 0; i < accepted; ++i) {
        // What the control thread had begun by the time the request was in the ring bounds what
        // the worker may have applied before it.
        auto* p = reinterpret_cast<Pending*>(request_meta(unsubmitted.front()).user_tag);
        if (p->inc != nullptr) {
          p->seal_epoch_hi = p->inc->seal_pending.load(std::memory_order_acquire);
          p->remove_begun_after = p->inc->remove_begun.load(std::memory_order_acquire);
        }
        unsubmitted.pop_front();
      }
      num_in_flight += accepted;
      totals.submitted.fetch_add(accepted, std::memory_order_relaxed);
      const uint32_t got = client.value()->poll(done);
      for (uint32_t i = 0; i < got; ++i) {
        auto* p = reinterpret_cast<Pending*>(request_meta(done[i]).user_tag);
        verify(done[i], *p, self);
        delete p;
        rte_pktmbuf_free(done[i]);
      }
      num_in_flight -= got;
      totals.completed.fetch_add(got, std::memory_order_relaxed);
      if (got == 0 && accepted == 0) std::this_thread::yield();
    }
    cp.value().reset();
    client.value().reset();
    if (rte_mempool_avail_count(pool) != pool->size) fail("submitter pool leaked mbufs");
    free_request_pool(pool);
  }

  std::unique_ptr<Engine> engine;
  std::deque<Connection> connections;
  std::mutex incarnations_mutex;
  std::vector<std::unique_ptr<Incarnation>> incarnations;
  Totals totals;
};

TEST_F(StressTest, ConcurrentSubmittersAndKeyChangesOnTwoWorkers) {
  EngineConfig config;
  config.sessions_per_core = 4096;
  auto e = Engine::start(config);
  ASSERT_TRUE(e.ok()) << e.error().message;
  engine = std::move(e.value());
  ASSERT_EQ(engine->num_cores(), 2u);
  auto cp = ControlPlane::create(*engine);
  ASSERT_TRUE(cp.ok());
  std::mt19937_64 rng(5);
  for (uint32_t s = 0; s < num_submitters; ++s) {
    for (uint32_t i = 0; i < connections_per_submitter; ++i) {
      Connection& c = connections.emplace_back();
      c.owner = s;
      auto inc = make_incarnation(*cp.value(), rng);
      ASSERT_NE(inc, nullptr);
      c.current.store(inc.get(), std::memory_order_release);
      incarnations.push_back(std::move(inc));
    }
  }

  std::atomic<bool> stop_control{false}, stop_submit{false};
  std::vector<std::thread> submitters;
  for (uint32_t s = 0; s < num_submitters; ++s) {
    submitters.emplace_back([this, s, &stop_submit] { submitter_loop(s, stop_submit); });
  }
  std::thread control([&] { control_loop(*cp.value(), stop_control); });
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(stress_seconds()));
  stop_control.store(true, std::memory_order_release);
  control.join();
  stop_submit.store(true, std::memory_order_release);
  for (auto& t : submitters) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();

  cp.value().reset();
  engine->stop();
  const StatsSnapshot s = engine->total_stats();
  std::printf("stress: %.1f s, %llu requests: %llu seals and %llu opens verified, %llu stale rejects, "
              "%llu forged handles rejected; %llu seal rekeys, %llu open rekeys, %llu removals\n",
              secs, (unsigned long long)totals.completed.load(), (unsigned long long)totals.seals.load(),
              (unsigned long long)totals.opens.load(), (unsigned long long)totals.stale.load(),
              (unsigned long long)totals.forged.load(), (unsigned long long)totals.rekeys.load(),
              (unsigned long long)totals.open_rekeys.load(), (unsigned long long)totals.removals.load());
  engine->print_stats(stdout);
  EXPECT_EQ(totals.failures.load(), 0u);
  EXPECT_EQ(totals.submitted.load(), totals.completed.load()) << "requests lost";
  EXPECT_EQ(s.records_sealed, totals.seals.load());
  EXPECT_EQ(s.records_opened, totals.opens.load());
  EXPECT_EQ(s.rejects[static_cast<size_t>(RejectReason::stale_session)], totals.stale.load() + totals.forged.load());
  EXPECT_EQ(s.errors(), totals.stale.load() + totals.forged.load()) << "record-layer errors";
  // Both workers did work and the interesting events all happened.
  EXPECT_GT(engine->stats(0).records(), 0u);
  EXPECT_GT(engine->stats(1).records(), 0u);
  EXPECT_GT(totals.seals.load(), 100u);
  EXPECT_GT(totals.opens.load(), 100u);
  EXPECT_GT(totals.rekeys.load(), 10u);
  EXPECT_GT(totals.open_rekeys.load(), 2u);
  EXPECT_GT(totals.removals.load(), 2u);
  EXPECT_GT(totals.forged.load(), 0u);
}

}  // namespace
}  // namespace tlsburst::engine::test
