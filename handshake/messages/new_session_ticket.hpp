// NewSessionTicket (RFC 5077 3.3): sent by a server that acknowledged session_ticket, after the
// client's Finished and before its ChangeCipherSpec. tlsburst's client parses it (and hashes it
// into the transcript) but does not resume sessions yet.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

struct NewSessionTicket {
  uint32_t lifetime_hint = 0;
  std::span<const uint8_t> ticket;
};

// decode_error on length problems or trailing bytes.
Result<NewSessionTicket> decode_new_session_ticket(std::span<const uint8_t> body);

}  // namespace tlsburst::handshake
