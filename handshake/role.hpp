// Which end of a connection a handshake runs.
#pragma once

#include <cstdint>

namespace tlsburst::handshake {

enum class Role : uint8_t { client, server };

constexpr Role peer_of(Role r) { return r == Role::client ? Role::server : Role::client; }

}  // namespace tlsburst::handshake
