// Turning a request mbuf into a RecordOp for the record layer and writing the result back.
//
// A single-segment mbuf with enough headroom (seal: the record header and explicit nonce) and
// tailroom (seal: tag, MAC, padding) is processed in place, from the data pointer, length and room
// Client::submit copied into the request metadata; the worker leaves the new length and data
// offset there and Client::poll applies them (apply_result), so the worker never touches the mbuf
// header of such a request. Anything else -- a chained mbuf as NIC
// receive produces, or a segment without room -- is copied into a per-core staging buffer, processed
// there, and written back over the mbuf's segments: a seal that grows the record past the chain's
// room appends segments from the worker's segment pool; an open that shrinks it frees the segments
// it no longer needs.
#pragma once

#include <rte_mbuf.h>

#include <cstddef>
#include <cstdint>

#include "engine/core/request.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/record_op.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::engine {

// Largest record plus the room around it either direction needs.
inline constexpr size_t staging_len = 32 + record::header_len + record::tls12_max_ciphertext_len + 512;

enum class OpLayout : uint8_t { in_place, staged };

// The staged layout's halves (out of line: chained mbufs are not the common case).
RejectReason prepare_staged(rte_mbuf* m, record::RecordOpKind kind, size_t header_room, size_t tail_room,
                            uint8_t* staging, record::RecordOp& op) noexcept;
RejectReason finish_staged(rte_mbuf* m, const record::RecordOp& op, size_t header_room,
                           rte_mempool* segment_pool) noexcept;

// Fills `op` for request `m` whose keys are `state`. For the staged layout the record is copied to
// `staging` (staging_len bytes). Returns none, or why the request cannot be processed.
inline RejectReason prepare_op(rte_mbuf* m, const RequestMeta& meta, record::DirectionState& state,
                               uint8_t* staging, record::RecordOp& op, OpLayout& layout) noexcept {
  const size_t hr = record::header_room(state.suite);
  const bool contiguous = (meta.flags & request_contiguous) != 0;
  op.state = &state;
  op.kind = meta.kind;
  op.type = meta.type;
  op.padding_len = meta.padding_len;
  op.status = record::RecordStatus::not_processed;
  op.seq = 0;
  size_t tail = 0;
  if (meta.kind == record::RecordOpKind::seal) {
    tail = record::tail_room(state.suite, meta.padding_len);
    if (contiguous && meta.headroom >= hr && meta.tailroom >= tail) {
      layout = OpLayout::in_place;
      op.data = meta.data - hr;
      op.length = meta.length;
      op.capacity = static_cast<uint32_t>(hr + meta.length + meta.tailroom);
      return RejectReason::none;
    }
  } else if (contiguous) {
    layout = OpLayout::in_place;
    op.data = meta.data;
    op.length = meta.length;
    op.capacity = meta.length + meta.tailroom;
    return RejectReason::none;
  }
  layout = OpLayout::staged;
  return prepare_staged(m, meta.kind, hr, tail, staging, op);
}

// After the record layer ran `op`: on success makes `m` hold the output (see request.hpp) -- for
// the in-place layout by recording it in `meta` for apply_result(). Returns none or no_segment (a
// staged seal that needed a segment the pool could not give).
inline RejectReason finish_op(rte_mbuf* m, RequestMeta& meta, const record::RecordOp& op, OpLayout layout,
                              rte_mempool* segment_pool) noexcept {
  if (op.status != record::RecordStatus::ok) return RejectReason::none;
  const int hr = static_cast<int>(record::header_room(op.state->suite));
  if (layout == OpLayout::in_place) {
    // Left for Client::poll to apply to the mbuf header (see request.hpp).
    meta.data_shift = static_cast<int16_t>(op.kind == record::RecordOpKind::seal ? -hr : hr);
    meta.length = op.length;
    meta.flags |= request_result_in_meta;
    return RejectReason::none;
  }
  return finish_staged(m, op, static_cast<size_t>(hr), segment_pool);
}

// On the submitter's side, once the request is back: applies a result left in the metadata.
inline void apply_result(rte_mbuf* m, RequestMeta& meta) noexcept {
  if ((meta.flags & request_result_in_meta) == 0) return;
  m->data_off = static_cast<uint16_t>(m->data_off + meta.data_shift);
  m->data_len = static_cast<uint16_t>(meta.length);
  m->pkt_len = meta.length;
  meta.flags &= static_cast<uint8_t>(~request_result_in_meta);
}

// Copies the bytes of `m` (all segments) to `dst`.
void copy_from_mbuf(const rte_mbuf* m, uint8_t* dst) noexcept;

// Makes `m` hold exactly `src[0, len)`, starting at its current data offset and filling each
// segment to the end of its buffer; appends segments from `pool` when the chain is too short and
// frees the ones left over. Returns false (leaving `m` unchanged) when no segment could be had.
bool write_to_mbuf(rte_mbuf* m, const uint8_t* src, size_t len, rte_mempool* pool) noexcept;

}  // namespace tlsburst::engine
