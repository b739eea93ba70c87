#include "engine/core/client.hpp"

#include <rte_pause.h>

#include <atomic>
#include <string>

#include "engine/core/engine.hpp"
#include "engine/core/mbuf_record.hpp"
#include "engine/core/request.hpp"

namespace tlsburst::engine {

namespace {
std::atomic<uint32_t> g_client_serial{0};
}

Result<std::unique_ptr<Client>> Client::create(Engine& engine, const ClientConfig& config) {
  if (config.completion_ring_len == 0) return make_error(Alert::internal_error, "client: empty ring");
  const uint32_t serial = g_client_serial.fetch_add(1);
  std::vector<PerCore> cores(engine.num_cores());
  for (uint32_t c = 0; c < engine.num_cores(); ++c) {
    auto ring = Ring::create("tlsburst_cq_" + std::to_string(serial) + "_" + std::to_string(c),
                             config.completion_ring_len, RingProducers::single);
    if (!ring) return ring.error();
    cores[c].input = engine.input(c);
    cores[c].completions = std::move(ring.value());
    cores[c].credit = config.completion_ring_len;
  }
  return std::unique_ptr<Client>(new Client(std::move(cores)));
}

Client::~Client() {
  rte_mbuf* done[64];
  while (_num_in_flight != 0) {
    const uint32_t n = poll(done);
    for (uint32_t i = 0; i < n; ++i) rte_pktmbuf_free(done[i]);
    if (n == 0) rte_pause();
  }
}

uint32_t Client::submit(std::span<rte_mbuf* const> requests) noexcept {
  const uint32_t num_cores = static_cast<uint32_t>(_cores.size());
  const uint32_t n = static_cast<uint32_t>(requests.size());
  uint32_t i = 0;
  _last_ring_full = false;
  while (i < n) {
    // A run of consecutive requests for one core goes in one enqueue. A handle naming no core of
    // this engine goes to core 0, which completes it as stale.
    uint32_t core = request_meta(requests[i]).session.core();
    if (core >= num_cores) core = 0;
    uint32_t end = i + 1;
    while (end < n) {
      uint32_t c = request_meta(requests[end]).session.core();
      if (c >= num_cores) c = 0;
      if (c != core) break;
      ++end;
    }
    PerCore& pc = _cores[core];
    const uint32_t want = end - i;
    const uint32_t allowed = want < pc.credit ? want : pc.credit;
    if (allowed == 0) break;
    for (uint32_t k = i; k < i + allowed; ++k) {
      rte_mbuf* m = requests[k];
      RequestMeta& meta = request_meta(m);
      meta.completion = pc.completions.get();
      meta.flags = 0;
      if (m->nb_segs == 1) {
        // What the worker needs of the mbuf header, so that it does not have to read it.
        meta.data = rte_pktmbuf_mtod(m, uint8_t*);
        meta.length = m->data_len;
        meta.headroom = rte_pktmbuf_headroom(m);
        meta.tailroom = rte_pktmbuf_tailroom(m);
        meta.flags = request_contiguous;
      }
    }
    const uint32_t done = input_enqueue(pc.input, reinterpret_cast<void* const*>(&requests[i]), allowed);
    pc.in_flight += done;
    pc.credit -= done;
    _num_in_flight += done;
    i += done;
    if (done < allowed) {
      _last_ring_full = true;
      break;
    }
    if (allowed < want) break;  // out of credit for this core: keep submission order
  }
  return i;
}

uint32_t Client::poll(std::span<rte_mbuf*> out) noexcept {
  const uint32_t num_cores = static_cast<uint32_t>(_cores.size());
  uint32_t total = 0;
  for (uint32_t k = 0; k < num_cores && total < out.size(); ++k) {
    uint32_t c = _poll_start + k;
    if (c >= num_cores) c -= num_cores;
    PerCore& pc = _cores[c];
    if (pc.in_flight == 0) continue;
    const uint32_t got = rte_ring_sc_dequeue_burst(pc.completions.get(),
                                                   reinterpret_cast<void**>(out.data() + total),
                                                   static_cast<unsigned>(out.size() - total), nullptr);
    for (uint32_t k = total; k < total + got; ++k) apply_result(out[k], request_meta(out[k]));
    pc.in_flight -= got;
    pc.credit += got;
    _num_in_flight -= got;
    total += got;
  }
  if (++_poll_start >= num_cores) _poll_start = 0;
  return total;
}

}  // namespace tlsburst::engine
