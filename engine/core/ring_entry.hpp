// The fixed-size entries the engine's rings carry (DPDK element rings, copied by value).
//
// Input ring (many producers, one worker): 32-byte InputEntry, two per cache line. A worker reads
// everything it needs for a single-segment record from the entry -- where the data is, how long,
// how much room around it, which session, seal or open -- so the only lines it pulls from a
// submitting core are the ring's own, read in order (and prefetched a burst ahead), never the
// submitter's mbuf header or private area.
//
// Completion rings (one worker, one client thread): 32-byte CompletionEntry with the outcome; the
// client applies it to the mbuf and its RequestMeta (Client::poll), so the worker never writes to
// memory the client uses either, except the record bytes.
//
// Input entries are records (one request, an rte_mbuf*) or control messages (a ControlMessage*
// the worker applies in ring order). A record names its session by slot and generation (the ring
// it arrives on says the core) and its client by index: each Client registers its completion ring
// for every core under that index (Worker::register_client) before it submits anything, so the
// worker finds the ring with one load from a small table of its own.
#pragma once

#include <rte_mbuf.h>

#include <cstddef>
#include <cstdint>

#include "engine/core/request.hpp"
#include "engine/core/session_handle.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/record_status.hpp"

namespace tlsburst::engine {

enum class InputKind : uint8_t { record = 0, control = 1 };

inline constexpr uint32_t max_clients = 256;  // per engine (the client index is 8 bits)

// InputEntry::flags.
inline constexpr uint8_t input_control = 1u << 0;     // a control message (else a record)
inline constexpr uint8_t input_open = 1u << 1;        // record: open (else seal)
inline constexpr uint8_t input_contiguous = 1u << 2;  // record: one segment; data/length/room valid
inline constexpr uint8_t input_padded = 1u << 3;      // record: RequestMeta::padding_len != 0 (seal)
inline constexpr uint8_t input_misrouted = 1u << 4;   // record: the handle names no core of the
                                                      // engine (its core completes it as stale)

struct alignas(32) InputEntry {
  void* object = nullptr;       // record: rte_mbuf*; control: ControlMessage*
  uint8_t* data = nullptr;      // record, contiguous: first data byte
  uint32_t generation = 0;      // record: the session handle's generation
  uint32_t slot_client = 0;     // record: the handle's slot (bits 0-23) and the client (24-31)
  uint16_t length = 0;          // record, contiguous: data length
  uint16_t headroom = 0;        // record, contiguous
  uint16_t tailroom = 0;        // record, contiguous
  record::ContentType type = record::ContentType::application_data;  // record: seal's content type
  uint8_t flags = 0;

  InputKind kind() const noexcept { return (flags & input_control) != 0 ? InputKind::control : InputKind::record; }
  uint32_t slot() const noexcept { return slot_client & 0xffffffu; }
  uint32_t client() const noexcept { return slot_client >> 24; }
  // The handle on the core whose ring the entry came through.
  SessionHandle session(uint32_t core) const noexcept { return SessionHandle::make(core, slot(), generation); }

  static InputEntry control(void* message) noexcept {
    InputEntry e;
    e.object = message;
    e.flags = input_control;
    return e;
  }
};
static_assert(sizeof(InputEntry) == 32);

struct alignas(32) CompletionEntry {
  rte_mbuf* mbuf = nullptr;
  uint64_t seq = 0;          // sequence number the record used
  uint64_t done_tsc = 0;     // rte_rdtsc() when the worker finished the burst holding it
  uint16_t length = 0;       // in_place: the output's length
  int16_t data_shift = 0;    // in_place: how far the data start moved
  record::RecordStatus status = record::RecordStatus::not_processed;
  RejectReason reject = RejectReason::none;
  record::ContentType type = record::ContentType::application_data;  // open: the inner type
  bool in_place = false;     // the output is in the mbuf's segment: apply data_shift and length
};
static_assert(sizeof(CompletionEntry) == 32);

}  // namespace tlsburst::engine
