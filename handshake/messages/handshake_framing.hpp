// Encoding of one handshake message: type(1), u24 length filled from the body, body.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"
#include "handshake/messages/handshake_type.hpp"

namespace tlsburst::handshake {

// Appends the message whose body `fill(Writer&)` writes.
template <class Fill>
Status put_handshake_message(std::vector<uint8_t>& out, HandshakeType type, Fill&& fill) {
  Writer w(out);
  w.put_u8(static_cast<uint8_t>(type));
  w.put_prefixed_u24(fill);
  return w.finish(handshake_type_name(type));
}

}  // namespace tlsburst::handshake
