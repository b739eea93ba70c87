// Turning a request mbuf into a RecordOp for the record layer and writing the result back.
//
// A single-segment mbuf with enough headroom (seal: the record header and explicit nonce) and
// tailroom (seal: tag, MAC, padding) is processed in place, from the data pointer, length and room
// Client::submit copied into the input entry; the worker leaves the new length and data offset in
// the completion entry and Client::poll applies them (apply_result), so the worker never touches
// the mbuf header of such a request. A chain of an AEAD suite with long enough segments is
// processed where it lies (prepare_segmented: scatter-gather). Anything else -- a chained mbuf as NIC
// receive produces, or a segment without room -- is copied into a per-core staging buffer, processed
// there, and written back over the mbuf's segments: a seal that grows the record past the chain's
// room appends segments from the worker's segment pool; an open that shrinks it frees the segments
// it no longer needs.
#pragma once

#include <rte_mbuf.h>

#include <cstddef>
#include <cstdint>

#include "engine/core/request.hpp"
#include "engine/core/ring_entry.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/record_op.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::engine {

// Largest record plus the room around it either direction needs.
inline constexpr size_t staging_len = 32 + record::header_len + record::tls12_max_ciphertext_len + 512;

// Most records a segment list takes (more segments: staged).
inline constexpr uint32_t max_record_segments = 64;
// Chains whose segments hold fewer bytes than this on average are staged instead: ipsec-mb's
// multi-call AEAD costs more per call than copying short pieces (measured, one worker, 1 KB
// records: 256-byte segments 2.7 M/s scatter-gather vs 3.7 M/s staged; 512-byte segments 4.5 vs
// 4.1; 16 KB records in 2 KB segments 0.65 vs 0.44).
inline constexpr uint32_t min_scatter_gather_segment_len = 512;

inline bool use_scatter_gather(const rte_mbuf* m) noexcept {
  return m->pkt_len >= uint64_t{min_scatter_gather_segment_len} * m->nb_segs;
}

// A chained mbuf of an AEAD suite, processed where it lies (scatter-gather): fills `segments`
// and points `op` at them. Seal: the first segment's headroom takes the header room; the tail
// room goes into the last segment's tailroom, or into a segment appended from `segment_pool`
// (then `appended` is 1). Open: the first segment must hold the header and explicit nonce.
// Returns false, leaving `m` as it was, when the chain does not allow it.
bool prepare_segmented(rte_mbuf* m, record::RecordOpKind kind, size_t header_room, size_t tail_room,
                       rte_mempool* segment_pool, record::RecordSegment* segments, record::RecordOp& op,
                       uint8_t& appended) noexcept;
// After the record layer: success -- makes the mbuf hold the record (seal) or the plaintext
// (open, trailing segments it no longer needs freed); failure of a seal -- takes an appended
// segment off again.
void finish_segmented(rte_mbuf* m, const record::RecordOp& op, size_t header_room, uint32_t input_len,
                      uint8_t appended) noexcept;

// The staged layout's halves (out of line: chained mbufs are not the common case). A seal reserves
// the room for its longest possible record in the chain first, appending segments from
// `segment_pool` (`appended` says how many): refused with no_segment when there are none to
// spare, before the record layer spends a sequence number on it; too_long when the record would
// not fit the staging buffer.
RejectReason prepare_staged(rte_mbuf* m, record::RecordOpKind kind, size_t header_room, size_t tail_room,
                            uint8_t* staging, rte_mempool* segment_pool, record::RecordOp& op,
                            uint8_t& appended) noexcept;
// After the record layer: success -- writes the record (seal) or the plaintext (open) back over
// the chain, freeing the segments it no longer needs; failure -- takes the appended segments off.
void finish_staged(rte_mbuf* m, const record::RecordOp& op, size_t header_room, uint8_t appended) noexcept;

// On the submitter's side, once the request is back: applies the completion to the mbuf (an
// in-place result) and to its request metadata.
inline void apply_result(const CompletionEntry& c) noexcept {
  rte_mbuf* m = c.mbuf;
  if (c.in_place) {
    m->data_off = static_cast<uint16_t>(m->data_off + c.data_shift);
    m->data_len = c.length;
    m->pkt_len = c.length;
  }
  RequestMeta& meta = request_meta(m);
  meta.status = c.status;
  meta.reject = c.reject;
  meta.seq = c.seq;
  meta.done_tsc = c.done_tsc;
  if (meta.kind == record::RecordOpKind::open && c.status == record::RecordStatus::ok) meta.type = c.type;
}

// Copies the bytes of `m` (all segments) to `dst`.
void copy_from_mbuf(const rte_mbuf* m, uint8_t* dst) noexcept;

// Makes `m` hold exactly `src[0, len)`, starting at its current data offset and filling each
// segment to the end of its buffer; appends segments from `pool` when the chain is too short and
// frees the ones left over. Returns false (leaving `m` unchanged) when no segment could be had.
bool write_to_mbuf(rte_mbuf* m, const uint8_t* src, size_t len, rte_mempool* pool) noexcept;

// Appends empty segments from `pool` until the chain has `len` bytes of room from its first
// segment's data offset on, all or nothing. Returns how many it appended (0: it had the room), or
// -1, the chain as it was, when `pool` has too few to spare (or none is given).
int reserve_room(rte_mbuf* m, size_t len, rte_mempool* pool) noexcept;
// Takes the last n segments off the chain and frees them (n < the number of segments).
void drop_last_segments(rte_mbuf* m, uint32_t n) noexcept;

}  // namespace tlsburst::engine
