#include "engine/core/mbuf_record.hpp"

#include <algorithm>
#include <cstring>

#include "engine/record/suite.hpp"

namespace tlsburst::engine {

using record::RecordOp;
using record::RecordOpKind;

void copy_from_mbuf(const rte_mbuf* m, uint8_t* dst) noexcept {
  for (const rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    std::memcpy(dst, rte_pktmbuf_mtod(seg, const uint8_t*), seg->data_len);
    dst += seg->data_len;
  }
}

bool write_to_mbuf(rte_mbuf* m, const uint8_t* src, size_t len, rte_mempool* pool) noexcept {
  // Room of the chain as it is, and which segment the data will end in.
  size_t room = 0;
  uint32_t num_used = 0;
  rte_mbuf* last = m;
  for (rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    last = seg;
    if (room < len || num_used == 0) {
      room += seg->buf_len - seg->data_off;
      ++num_used;
    }
  }
  if (room < len) {
    // Append what is missing, all or nothing.
    constexpr uint32_t max_extra = 16;
    rte_mbuf* extra[max_extra];
    const size_t seg_room = pool == nullptr ? 0 : rte_pktmbuf_data_room_size(pool);
    if (seg_room == 0) return false;
    const size_t num_extra = (len - room + seg_room - 1) / seg_room;
    if (num_extra > max_extra || m->nb_segs + num_extra > UINT16_MAX) return false;
    if (rte_pktmbuf_alloc_bulk(pool, extra, static_cast<unsigned>(num_extra)) != 0) return false;
    for (size_t i = 0; i < num_extra; ++i) {
      extra[i]->data_off = 0;  // not the first segment: no headroom needed
      extra[i]->data_len = 0;
      last->next = extra[i];
      last = extra[i];
    }
    m->nb_segs = static_cast<uint16_t>(m->nb_segs + num_extra);
    num_used = m->nb_segs;
  }

  size_t written = 0;
  rte_mbuf* prev = nullptr;
  rte_mbuf* seg = m;
  for (uint32_t i = 0; i < num_used; ++i) {
    const size_t n = std::min<size_t>(seg->buf_len - seg->data_off, len - written);
    std::memcpy(rte_pktmbuf_mtod(seg, uint8_t*), src + written, n);
    seg->data_len = static_cast<uint16_t>(n);
    written += n;
    prev = seg;
    seg = seg->next;
  }
  if (seg != nullptr) {
    // Segments the shorter output no longer needs.
    prev->next = nullptr;
    m->nb_segs = static_cast<uint16_t>(num_used);
    rte_pktmbuf_free(seg);
  }
  m->pkt_len = static_cast<uint32_t>(len);
  return true;
}

RejectReason prepare_staged(rte_mbuf* m, RecordOpKind kind, size_t header_room, size_t tail_room,
                            uint8_t* staging, RecordOp& op) noexcept {
  const size_t offset = kind == RecordOpKind::seal ? header_room : 0;
  if (offset + m->pkt_len + (kind == RecordOpKind::seal ? tail_room : 0) > staging_len) {
    return RejectReason::too_long;
  }
  copy_from_mbuf(m, staging + offset);
  op.data = staging;
  op.length = m->pkt_len;
  op.capacity = static_cast<uint32_t>(staging_len);
  return RejectReason::none;
}

RejectReason finish_staged(rte_mbuf* m, const RecordOp& op, size_t header_room, rte_mempool* segment_pool) noexcept {
  const uint8_t* out = op.kind == RecordOpKind::seal ? op.data : op.data + header_room;
  if (!write_to_mbuf(m, out, op.length, segment_pool)) return RejectReason::no_segment;
  return RejectReason::none;
}

}  // namespace tlsburst::engine
