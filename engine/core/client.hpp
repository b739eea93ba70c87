// The lookaside API of one application thread: submit bursts of record requests (mbufs prepared
// with set_request()) to the cores that own their sessions, and collect the completed mbufs.
//
// Each Client has one completion ring per worker core (single producer: that worker; single
// consumer: this thread) and counts what it has in flight per core; it never has more in flight on
// a core than that ring holds, so a worker never finds a completion ring full. submit() accepts a
// prefix of the burst: it stops at the first request whose core has no credit left or whose input
// ring is full (backpressure) -- the caller keeps the rest and retries after poll(). Nothing is
// dropped: every accepted request comes back from poll() exactly once.
//
// Requests of one session (one core) complete in the order they were submitted. Not thread safe:
// one Client per application thread; an engine serves up to max_clients (256) at a time.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/core/ring.hpp"

namespace tlsburst::engine {

class Engine;

struct ClientConfig {
  uint32_t completion_ring_len = 1024;  // per core; also the in-flight limit per core
};

class Client {
 public:
  static Result<std::unique_ptr<Client>> create(Engine& engine, const ClientConfig& config = {});
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  // Waits until nothing is in flight (the engine must still run); completions not collected by
  // then are freed.
  ~Client();

  // Submits requests in order; returns how many (a prefix) were accepted.
  uint32_t submit(std::span<rte_mbuf* const> requests) noexcept;
  // Collects up to out.size() completed requests; returns how many.
  uint32_t poll(std::span<rte_mbuf*> out) noexcept;

  uint32_t in_flight() const noexcept { return _num_in_flight; }
  uint32_t in_flight(uint32_t core) const noexcept { return _cores[core].in_flight; }
  // Why the last submit() stopped short: the core's input ring was full (true) or it had no credit.
  bool last_stop_was_ring_full() const noexcept { return _last_ring_full; }

 private:
  struct PerCore {
    rte_ring* input = nullptr;
    Ring completions;
    uint32_t in_flight = 0;
    uint32_t credit = 0;  // completion_ring_len - in_flight
  };
  Client(Engine& engine, uint32_t index, std::vector<PerCore> cores)
      : _engine(engine), _index(index), _cores(std::move(cores)) {}

  Engine& _engine;
  uint32_t _index;  // this client's index in the engine (max_clients of them)
  std::vector<PerCore> _cores;
  uint32_t _num_in_flight = 0;
  uint32_t _poll_start = 0;  // round-robin start so no core's completions wait behind another's
  bool _last_ring_full = false;
};

}  // namespace tlsburst::engine
