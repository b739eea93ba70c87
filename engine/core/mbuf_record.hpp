// Turning a request mbuf into a RecordOp for the record layer and writing the result back.
//
// A single-segment mbuf with enough headroom (seal: the record header and explicit nonce) and
// tailroom (seal: tag, MAC, padding) is processed in place. Anything else -- a chained mbuf as NIC
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

namespace tlsburst::engine {

// Largest record plus the room around it either direction needs.
inline constexpr size_t staging_len = 32 + record::header_len + record::tls12_max_ciphertext_len + 512;

enum class OpLayout : uint8_t { in_place, staged };

// Fills `op` for request `m` whose keys are `state`. For the staged layout the record is copied to
// `staging` (staging_len bytes). Returns none, or why the request cannot be processed.
RejectReason prepare_op(rte_mbuf* m, const RequestMeta& meta, record::DirectionState& state,
                        uint8_t* staging, record::RecordOp& op, OpLayout& layout) noexcept;

// After the record layer ran `op`: on success makes `m` hold the output (see request.hpp). Returns
// none or no_segment (a staged seal that needed a segment the pool could not give).
RejectReason finish_op(rte_mbuf* m, const record::RecordOp& op, OpLayout layout,
                       rte_mempool* segment_pool) noexcept;

// Copies the bytes of `m` (all segments) to `dst`.
void copy_from_mbuf(const rte_mbuf* m, uint8_t* dst) noexcept;

// Makes `m` hold exactly `src[0, len)`, starting at its current data offset and filling each
// segment to the end of its buffer; appends segments from `pool` when the chain is too short and
// frees the ones left over. Returns false (leaving `m` unchanged) when no segment could be had.
bool write_to_mbuf(rte_mbuf* m, const uint8_t* src, size_t len, rte_mempool* pool) noexcept;

}  // namespace tlsburst::engine
