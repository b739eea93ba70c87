#include "engine/core/control_plane.hpp"

#include <rte_ring.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "engine/core/engine.hpp"
#include "engine/record/direction_state.hpp"

namespace tlsburst::engine {

namespace {

std::atomic<uint32_t> g_control_serial{0};

using Clock = std::chrono::steady_clock;

}  // namespace

Result<std::unique_ptr<ControlPlane>> ControlPlane::create(Engine& engine, const ControlPlaneConfig& config) {
  if (config.messages_per_core == 0) return make_error(Alert::internal_error, "control plane: no messages");
  // Keys must be expanded for the path the workers run.
  auto mgr = record::ImbManager::create(engine.arch());
  if (!mgr) return mgr.error();
  const uint32_t serial = g_control_serial.fetch_add(1);
  std::vector<PerCore> cores(engine.num_cores());
  for (uint32_t c = 0; c < engine.num_cores(); ++c) {
    PerCore& pc = cores[c];
    auto ring = Ring::create("tlsburst_cp_" + std::to_string(serial) + "_" + std::to_string(c),
                             config.messages_per_core, RingProducers::single);
    if (!ring) return ring.error();
    pc.reply = std::move(ring.value());
    pc.storage.reset(new (std::nothrow) ControlMessage[config.messages_per_core]);
    if (!pc.storage) return make_error(Alert::internal_error, "control plane: out of memory");
    pc.num_messages = config.messages_per_core;
    pc.free.reserve(config.messages_per_core);
    for (uint32_t i = config.messages_per_core; i > 0; --i) {
      pc.storage[i - 1].reply = pc.reply.get();
      pc.free.push_back(&pc.storage[i - 1]);
    }
  }
  return std::unique_ptr<ControlPlane>(new ControlPlane(engine, config, std::move(mgr.value()), std::move(cores)));
}

ControlPlane::ControlPlane(Engine& engine, const ControlPlaneConfig& config, record::ImbManager mgr,
                           std::vector<PerCore> cores)
    : _engine(engine), _config(config), _mgr(std::move(mgr)), _cores(std::move(cores)) {}

ControlPlane::~ControlPlane() {
  // Messages still in a ring point at our storage: wait for them before freeing it.
  const auto deadline = Clock::now() + std::chrono::milliseconds(_config.timeout_ms);
  for (uint32_t c = 0; c < _cores.size(); ++c) {
    while (outstanding(c) != 0) {
      if (_engine.config().launch == WorkerLaunch::manual) _engine.poll(c);
      reclaim(c);
      if (outstanding(c) == 0) break;
      if (Clock::now() > deadline) {
        // The worker is gone or stuck; leaking beats a use after free.
        (void)_cores[c].storage.release();
        break;
      }
      std::this_thread::yield();
    }
  }
}

uint32_t ControlPlane::outstanding(uint32_t core) const noexcept {
  const PerCore& pc = _cores[core];
  return pc.num_messages - static_cast<uint32_t>(pc.free.size());
}

void ControlPlane::reclaim(uint32_t core) noexcept {
  PerCore& pc = _cores[core];
  void* back[64];
  for (;;) {
    const unsigned n = rte_ring_sc_dequeue_burst(pc.reply.get(), back, 64, nullptr);
    for (unsigned i = 0; i < n; ++i) {
      auto* msg = static_cast<ControlMessage*>(back[i]);
      pc.free.push_back(msg);
    }
    if (n < 64) return;
  }
}

Result<ControlMessage*> ControlPlane::take_message(uint32_t core) {
  PerCore& pc = _cores[core];
  if (pc.free.empty()) reclaim(core);
  if (pc.free.empty()) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(_config.timeout_ms);
    while (pc.free.empty()) {
      if (_engine.config().launch == WorkerLaunch::manual) _engine.poll(core);
      reclaim(core);
      if (!pc.free.empty()) break;
      if (Clock::now() > deadline) {
        return make_error(Alert::internal_error, "control plane: core " + std::to_string(core) +
                                                     " returns no control messages (stalled?)");
      }
      std::this_thread::yield();
    }
  }
  ControlMessage* msg = pc.free.back();
  pc.free.pop_back();
  msg->applied = false;
  msg->applied_tsc = 0;
  msg->sequence = pc.next_sequence++;
  return msg;
}

void ControlPlane::give_back(uint32_t core, ControlMessage* msg) noexcept {
  record::wipe(msg->seal);
  record::wipe(msg->open);
  _cores[core].free.push_back(msg);
}

Status ControlPlane::send(uint32_t core, ControlMessage* msg) {
  rte_ring* input = _engine.input(core);
  const InputEntry entry = InputEntry::control(msg);
  if (input_enqueue(input, &entry, 1) == 1) return Status::success();
  const auto deadline = Clock::now() + std::chrono::milliseconds(_config.timeout_ms);
  for (;;) {
    if (_engine.config().launch == WorkerLaunch::manual) _engine.poll(core);
    if (input_enqueue(input, &entry, 1) == 1) return Status::success();
    if (Clock::now() > deadline) {
      return make_error(Alert::internal_error, "control plane: input ring of core " +
                                                   std::to_string(core) + " stays full");
    }
    std::this_thread::yield();
  }
}

Status ControlPlane::check_core(SessionHandle session) const {
  if (!session.valid() || session.core() >= _cores.size()) {
    return make_error(Alert::internal_error, "control plane: invalid session handle");
  }
  return Status::success();
}

Result<SessionHandle> ControlPlane::create_session(const SessionKeys& keys, std::optional<uint32_t> core) {
  const uint32_t c = core.value_or(_engine.least_loaded_core());
  if (c >= _cores.size()) return make_error(Alert::internal_error, "control plane: no core " + std::to_string(c));
  auto msg = take_message(c);
  if (!msg) return msg.error();
  ControlMessage* m = msg.value();
  Status s = record::install_keys(m->seal, keys.seal, _mgr);
  if (s) s = record::install_keys(m->open, keys.open, _mgr);
  if (!s) {
    give_back(c, m);
    return s.error();
  }
  auto handle = _engine.slots(c).allocate();
  if (!handle) {
    give_back(c, m);
    return make_error(Alert::internal_error, "control plane: core " + std::to_string(c) +
                                                 " has no free session slot");
  }
  m->kind = ControlKind::create;
  m->session = *handle;
  if (Status sent = send(c, m); !sent) {
    _engine.slots(c).release(*handle);
    give_back(c, m);
    return sent.error();
  }
  return *handle;
}

Status ControlPlane::rekey(SessionHandle session, Direction direction, const record::DirectionKeys& keys) {
  if (Status s = check_core(session); !s) return s;
  const uint32_t c = session.core();
  if (!_engine.slots(c).is_live(session)) {
    return make_error(Alert::internal_error, "control plane: rekey of a stale session handle");
  }
  auto msg = take_message(c);
  if (!msg) return msg.error();
  ControlMessage* m = msg.value();
  record::DirectionState& state = direction == Direction::seal ? m->seal : m->open;
  if (Status s = record::install_keys(state, keys, _mgr); !s) {
    give_back(c, m);
    return s;
  }
  m->kind = direction == Direction::seal ? ControlKind::rekey_seal : ControlKind::rekey_open;
  m->session = session;
  if (Status sent = send(c, m); !sent) {
    give_back(c, m);
    return sent;
  }
  return Status::success();
}

Status ControlPlane::remove(SessionHandle session) {
  if (Status s = check_core(session); !s) return s;
  const uint32_t c = session.core();
  auto msg = take_message(c);
  if (!msg) return msg.error();
  ControlMessage* m = msg.value();
  if (!_engine.slots(c).begin_remove(session)) {
    give_back(c, m);
    return make_error(Alert::internal_error, "control plane: remove of a stale session handle");
  }
  m->kind = ControlKind::remove;
  m->session = session;
  if (Status sent = send(c, m); !sent) {
    // The worker is stalled: keep the slot out of use rather than hand it to a new session.
    give_back(c, m);
    return sent;
  }
  // Free the slot only now: a later create in it is behind the removal in the ring.
  _engine.slots(c).release(session);
  return Status::success();
}

Status ControlPlane::barrier(uint32_t core) {
  if (core >= _cores.size()) return make_error(Alert::internal_error, "control plane: no such core");
  auto msg = take_message(core);
  if (!msg) return msg.error();
  ControlMessage* m = msg.value();
  m->kind = ControlKind::barrier;
  m->session = SessionHandle();
  const uint64_t sequence = m->sequence;
  if (Status sent = send(core, m); !sent) {
    give_back(core, m);
    return sent;
  }
  // Replies come back in order: once the barrier is back, so is everything sent before it.
  PerCore& pc = _cores[core];
  const auto deadline = Clock::now() + std::chrono::milliseconds(_config.timeout_ms);
  for (;;) {
    if (_engine.config().launch == WorkerLaunch::manual) _engine.poll(core);
    void* back[64];
    const unsigned n = rte_ring_sc_dequeue_burst(pc.reply.get(), back, 64, nullptr);
    bool done = false;
    for (unsigned i = 0; i < n; ++i) {
      auto* r = static_cast<ControlMessage*>(back[i]);
      if (r->kind == ControlKind::barrier && r->sequence == sequence) done = true;
      pc.free.push_back(r);
    }
    if (done) return Status::success();
    if (n == 0) {
      if (Clock::now() > deadline) {
        return make_error(Alert::internal_error, "control plane: barrier on core " +
                                                     std::to_string(core) + " timed out");
      }
      std::this_thread::yield();
    }
  }
}

}  // namespace tlsburst::engine
