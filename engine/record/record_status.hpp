// Per-record outcome of a seal or open, and the TLS alert each failure calls for.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/common/alert.hpp"

namespace tlsburst::record {

enum class RecordStatus : uint8_t {
  ok,
  bad_record_mac,      // tag/MAC/padding check failed; no plaintext released
  record_overflow,     // ciphertext or plaintext longer than the version allows
  decode_error,        // header malformed (length field disagrees with the record)
  unexpected_message,  // TLS 1.3: wrong outer type, or inner plaintext of only zeros
  key_exhausted,       // the key's usage limit is reached: rekey (KeyUpdate) or close
  buffer_too_small,    // capacity cannot hold header, nonce, tag or padding
  invalid_state,       // no keys installed, or keys expanded for another ipsec-mb path
  not_processed,       // set by callers for items that never reached the record layer
};

constexpr std::string_view status_name(RecordStatus s) {
  switch (s) {
    case RecordStatus::ok: return "ok";
    case RecordStatus::bad_record_mac: return "bad_record_mac";
    case RecordStatus::record_overflow: return "record_overflow";
    case RecordStatus::decode_error: return "decode_error";
    case RecordStatus::unexpected_message: return "unexpected_message";
    case RecordStatus::key_exhausted: return "key_exhausted";
    case RecordStatus::buffer_too_small: return "buffer_too_small";
    case RecordStatus::invalid_state: return "invalid_state";
    case RecordStatus::not_processed: return "not_processed";
  }
  return "unknown";
}

// The alert to send to the peer for a failed open. Local failures (key_exhausted, buffer_too_small,
// invalid_state) are not the peer's fault: close with internal_error or rekey first.
constexpr Alert alert_for(RecordStatus s) {
  switch (s) {
    case RecordStatus::bad_record_mac: return Alert::bad_record_mac;
    case RecordStatus::record_overflow: return Alert::record_overflow;
    case RecordStatus::decode_error: return Alert::decode_error;
    case RecordStatus::unexpected_message: return Alert::unexpected_message;
    default: return Alert::internal_error;
  }
}

}  // namespace tlsburst::record
