#include "handshake/messages/new_session_ticket.hpp"

#include "handshake/codec/reader.hpp"

namespace tlsburst::handshake {

Result<NewSessionTicket> decode_new_session_ticket(std::span<const uint8_t> body) {
  Reader r(body);
  NewSessionTicket t;
  uint16_t hi = 0, lo = 0;
  Reader ticket;
  if (!r.read_u16(hi) || !r.read_u16(lo) || !r.read_prefixed_u16(ticket)) return decode_error("NewSessionTicket");
  if (Status s = r.expect_empty("NewSessionTicket"); !s) return s.error();
  t.lifetime_hint = (uint32_t{hi} << 16) | lo;
  t.ticket = ticket.rest();
  return t;
}

}  // namespace tlsburst::handshake
