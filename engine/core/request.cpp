#include "engine/core/request.hpp"

namespace tlsburst::engine {

rte_mempool* create_request_pool(const char* name, uint32_t num_mbufs, uint32_t cache_len,
                                 uint16_t data_room_len, int socket_id) {
  return rte_pktmbuf_pool_create(name, num_mbufs, cache_len, request_priv_len, data_room_len,
                                 socket_id);
}

}  // namespace tlsburst::engine
