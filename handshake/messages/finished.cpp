#include "handshake/messages/finished.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<VerifyData> decode_finished(std::span<const uint8_t> body) {
  Reader r(body);
  VerifyData v{};
  if (!r.read_array(v)) return decode_error("Finished");
  if (Status s = r.expect_empty("Finished"); !s) return s.error();
  return v;
}

Status encode_finished(const VerifyData& verify_data, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::finished, [&](Writer& w) { w.put_bytes(verify_data); });
}

}  // namespace tlsburst::handshake
