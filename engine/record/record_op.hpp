// One item of a seal/open burst. Records are processed in place in the caller's buffer.
//
// Seal: the caller writes the plaintext at data + header_room(suite) and sets `length` to its
//   size; capacity must leave tail_room(suite, padding_len) after it. On success the protected
//   record (header included) occupies data[0, length).
// Open: data[0, length) holds one whole record (header included). On success the plaintext is at
//   data + header_room(suite), `length` is its size and `type` its (inner) content type. On any
//   failure no plaintext is released: the decrypted bytes are wiped.
#pragma once

#include <cstdint>

#include "engine/record/record_format.hpp"
#include "engine/record/record_status.hpp"

namespace tlsburst::record {

struct DirectionState;

enum class RecordOpKind : uint8_t { seal, open };

struct RecordOp {
  DirectionState* state = nullptr;  // keys of this direction of the session
  uint8_t* data = nullptr;          // record buffer
  uint32_t capacity = 0;            // writable bytes from data
  uint32_t length = 0;              // in: plaintext (seal) or record (open) length; out: see above
  RecordOpKind kind = RecordOpKind::seal;
  ContentType type = ContentType::application_data;  // seal: in; open: out
  uint16_t padding_len = 0;         // seal, TLS 1.3: zero bytes of padding to add
  RecordStatus status = RecordStatus::not_processed;  // out
  uint64_t seq = 0;                 // out: sequence number the record used
  void* user_data = nullptr;        // the caller's, untouched
};

}  // namespace tlsburst::record
