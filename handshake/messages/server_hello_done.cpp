#include "handshake/messages/server_hello_done.hpp"

#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Status decode_server_hello_done(std::span<const uint8_t> body) {
  if (!body.empty()) return make_error(Alert::decode_error, "ServerHelloDone: must be empty");
  return Status::success();
}

Status encode_server_hello_done(std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::server_hello_done, [](Writer&) {});
}

}  // namespace tlsburst::handshake
