// A lookaside request: one record in one DPDK mbuf, with its metadata in the mbuf's private area
// (so it needs no side allocation; the rings carry copies of what the worker needs, see
// ring_entry.hpp).
//
// Seal: the mbuf holds the plaintext (any number of segments). On completion it holds the whole
//   protected record, header first.
// Open: the mbuf holds one whole record, header first. On completion with status ok it holds the
//   plaintext and `type` says its content type; on failure its contents are unspecified (no
//   plaintext is released).
// A request completes with the record layer's status, or with reject != none when the engine
// refused it: before the record layer saw it (stale_session, too_long; status not_processed), or,
// for no_segment, when a sealed record could not be written back into its chain (the mbuf then
// still holds the plaintext; the sequence number was used).
//
// Mbufs must come from a pool whose private area holds RequestMeta: create_request_pool() makes one.
#pragma once

#include <rte_mbuf.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/core/session_handle.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/record_op.hpp"
#include "engine/record/record_status.hpp"

namespace tlsburst::engine {

enum class RejectReason : uint8_t {
  none,
  stale_session,     // the handle names no live session on its core (removed, never created, or
                     // generation out of date)
  too_long,          // longer than the record layer accepts, or than the staging buffer
  no_segment,        // seal of a chained mbuf: no mbuf left to extend it with
};
inline constexpr size_t num_reject_reasons = 4;

constexpr std::string_view reject_name(RejectReason r) {
  switch (r) {
    case RejectReason::none: return "none";
    case RejectReason::stale_session: return "stale_session";
    case RejectReason::too_long: return "too_long";
    case RejectReason::no_segment: return "no_segment";
  }
  return "unknown";
}

// What the caller sets (set_request) and what a completion reports. Only the submitting thread
// reads or writes it: Client::submit copies what a worker needs into the input ring entry and
// Client::poll copies the outcome back from the completion entry (see ring_entry.hpp).
struct RequestMeta {
  // In:
  SessionHandle session;
  uint64_t user_tag = 0;     // the caller's, returned untouched
  record::RecordOpKind kind = record::RecordOpKind::seal;
  record::ContentType type = record::ContentType::application_data;  // seal: in; open: out
  uint16_t padding_len = 0;  // seal, TLS 1.3: zero bytes of padding to add
  // Out:
  record::RecordStatus status = record::RecordStatus::not_processed;
  RejectReason reject = RejectReason::none;
  uint64_t seq = 0;          // sequence number the record used
  uint64_t done_tsc = 0;     // rte_rdtsc() when the worker finished the burst holding it

  bool ok() const noexcept { return reject == RejectReason::none && status == record::RecordStatus::ok; }
};

inline constexpr uint16_t request_priv_len =
    static_cast<uint16_t>((sizeof(RequestMeta) + RTE_MBUF_PRIV_ALIGN - 1) & ~(RTE_MBUF_PRIV_ALIGN - 1));

inline RequestMeta& request_meta(rte_mbuf* m) noexcept {
  return *static_cast<RequestMeta*>(rte_mbuf_to_priv(m));
}

// Fills the request metadata of `m`. Returns false when m's pool has no room for it.
inline bool set_request(rte_mbuf* m, SessionHandle session, record::RecordOpKind kind,
                        record::ContentType type = record::ContentType::application_data,
                        uint64_t user_tag = 0, uint16_t padding_len = 0) noexcept {
  if (rte_pktmbuf_priv_size(m->pool) < sizeof(RequestMeta)) return false;
  RequestMeta& r = request_meta(m);
  r.session = session;
  r.user_tag = user_tag;
  r.kind = kind;
  r.type = type;
  r.padding_len = padding_len;
  r.status = record::RecordStatus::not_processed;
  r.reject = RejectReason::none;
  r.seq = 0;
  r.done_tsc = 0;
  return true;
}

// A packet mbuf pool whose private area holds RequestMeta and whose data buffers live in a memory
// zone of their own, away from the mbuf headers (see request.cpp for why). `data_room_len`
// includes RTE_PKTMBUF_HEADROOM. Needs EAL memory; nullptr (rte_errno set) on failure. Free it
// with free_request_pool() once every mbuf is back.
rte_mempool* create_request_pool(const char* name, uint32_t num_mbufs, uint32_t cache_len,
                                 uint16_t data_room_len, int socket_id = SOCKET_ID_ANY);
void free_request_pool(rte_mempool* pool);

}  // namespace tlsburst::engine
