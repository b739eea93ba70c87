#include "engine/core/client.hpp"

#include <rte_pause.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "engine/core/engine.hpp"
#include "engine/core/mbuf_record.hpp"
#include "engine/core/request.hpp"
#include "engine/core/ring_entry.hpp"

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
                             config.completion_ring_len, RingProducers::single, sizeof(CompletionEntry));
    if (!ring) return ring.error();
    cores[c].input = engine.input(c);
    cores[c].completions = std::move(ring.value());
    cores[c].credit = config.completion_ring_len;
  }
  std::vector<rte_ring*> rings;
  for (const PerCore& pc : cores) rings.push_back(pc.completions.get());
  auto index = engine.attach_client(rings);
  if (!index) return index.error();
  return std::unique_ptr<Client>(new Client(engine, *index, std::move(cores)));
}

Client::~Client() {
  rte_mbuf* done[64];
  while (_num_in_flight != 0) {
    const uint32_t n = poll(done);
    for (uint32_t i = 0; i < n; ++i) rte_pktmbuf_free(done[i]);
    if (n == 0) rte_pause();
  }
  _engine.detach_client(_index);
}

namespace {
// Input entries one enqueue carries at most: a worker's default burst, so that one burst usually
// finds one enqueue's entries (each enqueue moves the ring's producer line to this core and back;
// 64 per enqueue measured 0.3 ns per record more on the worker, 256 no better than 128).
constexpr uint32_t max_records_per_enqueue = 128;

void fill_entry(rte_mbuf* m, const RequestMeta& meta, uint32_t client, bool misrouted, InputEntry& e) noexcept {
  e.object = m;
  e.generation = meta.session.generation();
  e.slot_client = meta.session.slot() | (client << 24);
  e.type = meta.type;
  uint8_t flags = 0;
  if (misrouted) flags |= input_misrouted;
  if (meta.kind == record::RecordOpKind::open) flags |= input_open;
  if (meta.padding_len != 0) flags |= input_padded;
  if (m->nb_segs == 1) {
    // What the worker needs of the mbuf header, so that it does not have to read it.
    e.data = rte_pktmbuf_mtod(m, uint8_t*);
    e.length = m->data_len;
    e.headroom = rte_pktmbuf_headroom(m);
    e.tailroom = rte_pktmbuf_tailroom(m);
    flags |= input_contiguous;
  }
  e.flags = flags;
}
}  // namespace

uint32_t Client::submit(std::span<rte_mbuf* const> requests) noexcept {
  const uint32_t num_cores = static_cast<uint32_t>(_cores.size());
  const uint32_t n = static_cast<uint32_t>(requests.size());
  uint32_t i = 0;
  _last_ring_full = false;
  InputEntry entries[max_records_per_enqueue];
  while (i < n) {
    // A run of consecutive requests for one core goes in one enqueue (up to
    // max_records_per_enqueue). A handle naming no core of this engine goes to core 0, which
    // completes it as stale.
    uint32_t core = request_meta(requests[i]).session.core();
    if (core >= num_cores) core = 0;
    uint32_t end = i + 1;
    while (end < n && end - i < max_records_per_enqueue) {
      uint32_t c = request_meta(requests[end]).session.core();
      if (c >= num_cores) c = 0;
      if (c != core) break;
      ++end;
    }
    PerCore& pc = _cores[core];
    const uint32_t want = end - i;
    const bool credit_short = pc.credit < want;
    const uint32_t granted = credit_short ? pc.credit : want;
    if (granted == 0) break;
    uint32_t allowed = granted;
    for (uint32_t k = 0; k < allowed; ++k) {
      const RequestMeta& meta = request_meta(requests[i + k]);
      fill_entry(requests[i + k], meta, _index, meta.session.core() >= num_cores, entries[k]);
    }
    // All or nothing; when the ring has less room, as many records as it has room for.
    uint32_t done = 0;
    for (;;) {
      unsigned free_space = 0;
      if (input_enqueue(pc.input, entries, allowed, &free_space) != 0) {
        input_demote_enqueued(pc.input, allowed);
        done = allowed;
        break;
      }
      if (free_space == 0) break;
      allowed = std::min<uint32_t>(allowed, free_space);
    }
    pc.in_flight += done;
    pc.credit -= done;
    _num_in_flight += done;
    i += done;
    if (done < granted) {
      _last_ring_full = true;
      break;
    }
    if (credit_short) break;  // out of credit for this core: keep submission order
  }
  return i;
}

uint32_t Client::poll(std::span<rte_mbuf*> out) noexcept {
  const uint32_t num_cores = static_cast<uint32_t>(_cores.size());
  uint32_t total = 0;
  CompletionEntry done[64];
  for (uint32_t k = 0; k < num_cores && total < out.size(); ++k) {
    uint32_t c = _poll_start + k;
    if (c >= num_cores) c -= num_cores;
    PerCore& pc = _cores[c];
    while (pc.in_flight != 0 && total < out.size()) {
      const uint32_t want = std::min<uint32_t>(64, static_cast<uint32_t>(out.size() - total));
      const uint32_t got = completion_dequeue(pc.completions.get(), done, want);
      for (uint32_t j = 0; j < got; ++j) {
        apply_result(done[j]);
        out[total + j] = done[j].mbuf;
      }
      pc.in_flight -= got;
      pc.credit += got;
      _num_in_flight -= got;
      total += got;
      if (got < want) break;
    }
  }
  if (++_poll_start >= num_cores) _poll_start = 0;
  return total;
}

}  // namespace tlsburst::engine
