// One item of a seal/open burst. Records are processed in place in the caller's buffer.
//
// Seal: the caller writes the plaintext at data + header_room(suite) and sets `length` to its
//   size; capacity must leave tail_room(suite, padding_len) after it. On success the protected
//   record (header included) occupies data[0, length).
// Open: data[0, length) holds one whole record (header included). On success the plaintext is at
//   data + header_room(suite), `length` is its size and `type` its (inner) content type. On any
//   failure no plaintext is released: the decrypted bytes are wiped.
//
// Scatter-gather (AEAD suites only; num_segments != 0): instead of one buffer, `segments` lists
// num_segments buffers that hold the bytes above one after the other, as a chained mbuf does, and
// the record is processed where it lies (no copy). Seal: the segments hold exactly
// header_room(suite) bytes of room, the `length` bytes of plaintext and tail_room(suite,
// padding_len) bytes of room, with the whole header room in the first segment and the whole tail
// room in the last; on success the record fills them all and `length` is its size. Open: the
// segments hold exactly the `length` bytes of the record, the first at least header_room(suite)
// of them; on success the plaintext lies at logical offset header_room(suite). A layout that does
// not fit these rules ends with buffer_too_small and nothing changed (the caller can copy the
// record into one buffer instead). `capacity` is not used.
#pragma once

#include <cstdint>

#include "engine/record/record_format.hpp"
#include "engine/record/record_status.hpp"

namespace tlsburst::record {

struct DirectionState;

enum class RecordOpKind : uint8_t { seal, open };

// One buffer of a scatter-gather record.
struct RecordSegment {
  uint8_t* data = nullptr;
  uint32_t len = 0;
};

struct RecordOp {
  DirectionState* state = nullptr;  // keys of this direction of the session
  union {
    uint8_t* data = nullptr;          // record buffer (num_segments == 0)
    RecordSegment* segments;          // the record's buffers (num_segments != 0)
  };
  uint32_t capacity = 0;            // writable bytes from data
  uint32_t length = 0;              // in: plaintext (seal) or record (open) length; out: see above
  RecordOpKind kind = RecordOpKind::seal;
  ContentType type = ContentType::application_data;  // seal: in; open: out
  uint16_t padding_len = 0;         // seal, TLS 1.3: zero bytes of padding to add
  RecordStatus status = RecordStatus::not_processed;  // out
  uint8_t num_segments = 0;         // 0: one buffer at `data`; else scatter-gather (see above)
  uint64_t seq = 0;                 // out: sequence number the record used
  void* user_data = nullptr;        // the caller's, untouched
};

}  // namespace tlsburst::record
