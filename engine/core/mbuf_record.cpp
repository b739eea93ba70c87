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

namespace {
// Links n empty segments from `pool` after `last`, the chain's last segment, all or nothing.
bool append_empty_segments(rte_mbuf* m, rte_mbuf* last, rte_mempool* pool, uint32_t n) noexcept {
  constexpr uint32_t max_extra = 16;
  rte_mbuf* extra[max_extra];
  if (n > max_extra || m->nb_segs + n > UINT16_MAX) return false;
  if (rte_pktmbuf_alloc_bulk(pool, extra, n) != 0) return false;
  for (uint32_t i = 0; i < n; ++i) {
    extra[i]->data_off = 0;  // not the first segment: no headroom needed
    extra[i]->data_len = 0;
    last->next = extra[i];
    last = extra[i];
  }
  m->nb_segs = static_cast<uint16_t>(m->nb_segs + n);
  return true;
}
}  // namespace

int reserve_room(rte_mbuf* m, size_t len, rte_mempool* pool) noexcept {
  size_t room = 0;
  rte_mbuf* last = m;
  for (rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    last = seg;
    room += seg->buf_len - seg->data_off;
  }
  if (room >= len) return 0;
  const size_t seg_room = pool == nullptr ? 0 : rte_pktmbuf_data_room_size(pool);
  if (seg_room == 0) return -1;
  const size_t num_extra = (len - room + seg_room - 1) / seg_room;
  if (num_extra > UINT16_MAX || !append_empty_segments(m, last, pool, static_cast<uint32_t>(num_extra))) return -1;
  return static_cast<int>(num_extra);
}

void drop_last_segments(rte_mbuf* m, uint32_t n) noexcept {
  if (n == 0 || n >= m->nb_segs) return;
  rte_mbuf* keep = m;
  for (uint32_t i = 1; i < m->nb_segs - n; ++i) keep = keep->next;
  rte_mbuf* rest = keep->next;
  keep->next = nullptr;
  m->nb_segs = static_cast<uint16_t>(m->nb_segs - n);
  rte_pktmbuf_free(rest);  // (a chain of its own now: its head's nb_segs does not matter)
}

bool write_to_mbuf(rte_mbuf* m, const uint8_t* src, size_t len, rte_mempool* pool) noexcept {
  if (reserve_room(m, len, pool) < 0) return false;
  size_t written = 0;
  uint16_t num_used = 0;
  rte_mbuf* prev = nullptr;
  rte_mbuf* seg = m;
  while (seg != nullptr && (written < len || num_used == 0)) {
    const size_t n = std::min<size_t>(seg->buf_len - seg->data_off, len - written);
    std::memcpy(rte_pktmbuf_mtod(seg, uint8_t*), src + written, n);
    seg->data_len = static_cast<uint16_t>(n);
    written += n;
    ++num_used;
    prev = seg;
    seg = seg->next;
  }
  if (seg != nullptr) {
    // Segments the shorter output no longer needs.
    prev->next = nullptr;
    m->nb_segs = num_used;
    rte_pktmbuf_free(seg);
  }
  m->pkt_len = static_cast<uint32_t>(len);
  return true;
}

bool prepare_segmented(rte_mbuf* m, RecordOpKind kind, size_t header_room, size_t tail_room,
                       rte_mempool* segment_pool, record::RecordSegment* segments, RecordOp& op,
                       uint8_t& appended) noexcept {
  appended = 0;
  if (m->nb_segs + 1u > max_record_segments) return false;
  const bool seal = kind == RecordOpKind::seal;
  rte_mbuf* last = rte_pktmbuf_lastseg(m);
  if (seal) {
    if (rte_pktmbuf_headroom(m) < header_room) return false;
    if (rte_pktmbuf_tailroom(last) < tail_room) {
      if (segment_pool == nullptr || rte_pktmbuf_data_room_size(segment_pool) < tail_room) return false;
      if (!append_empty_segments(m, last, segment_pool, 1)) return false;
      last = last->next;
      appended = 1;
    }
  } else if (m->data_len < header_room) {
    return false;
  }
  uint32_t n = 0;
  for (rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    uint8_t* data = rte_pktmbuf_mtod(seg, uint8_t*);
    uint32_t len = seg->data_len;
    if (seal && seg == m) {
      data -= header_room;
      len += static_cast<uint32_t>(header_room);
    }
    if (seal && seg == last) len += static_cast<uint32_t>(tail_room);
    segments[n++] = record::RecordSegment{data, len};
  }
  op.segments = segments;
  op.num_segments = static_cast<uint8_t>(n);
  op.length = m->pkt_len;
  op.capacity = 0;
  return true;
}

void finish_segmented(rte_mbuf* m, const RecordOp& op, size_t header_room, uint32_t input_len,
                      uint8_t appended) noexcept {
  if (op.kind == RecordOpKind::seal) {
    rte_mbuf* last = rte_pktmbuf_lastseg(m);
    if (op.status != record::RecordStatus::ok) {
      drop_last_segments(m, appended);
      return;
    }
    const uint32_t tail = op.length - input_len - static_cast<uint32_t>(header_room);
    m->data_off = static_cast<uint16_t>(m->data_off - header_room);
    m->data_len = static_cast<uint16_t>(m->data_len + header_room);
    last->data_len = static_cast<uint16_t>(last->data_len + tail);
    m->pkt_len = op.length;
    return;
  }
  if (op.status != record::RecordStatus::ok) return;
  // The plaintext starts header_room bytes in and is op.length long: cut the rest off.
  m->data_off = static_cast<uint16_t>(m->data_off + header_room);
  m->data_len = static_cast<uint16_t>(m->data_len - header_room);
  uint32_t keep = op.length;
  rte_mbuf* seg = m;
  uint16_t num = 0;
  rte_mbuf* prev = nullptr;
  for (; seg != nullptr && (keep > 0 || seg == m); seg = seg->next) {
    if (seg->data_len > keep) seg->data_len = static_cast<uint16_t>(keep);
    keep -= seg->data_len;
    ++num;
    prev = seg;
  }
  if (seg != nullptr) {
    prev->next = nullptr;
    rte_pktmbuf_free(seg);
  }
  m->nb_segs = num;
  m->pkt_len = op.length;
}

RejectReason prepare_staged(rte_mbuf* m, RecordOpKind kind, size_t header_room, size_t tail_room,
                            uint8_t* staging, rte_mempool* segment_pool, RecordOp& op, uint8_t& appended) noexcept {
  appended = 0;
  const bool seal = kind == RecordOpKind::seal;
  const size_t offset = seal ? header_room : 0;
  const size_t max_out = offset + m->pkt_len + (seal ? tail_room : 0);
  if (max_out > staging_len) return RejectReason::too_long;
  if (seal) {
    // The record will be written back over the chain: it must have the room before the record
    // layer spends a sequence number on it.
    const int num = reserve_room(m, max_out, segment_pool);
    if (num < 0) return RejectReason::no_segment;
    appended = static_cast<uint8_t>(num);
  }
  copy_from_mbuf(m, staging + offset);
  op.data = staging;
  op.length = m->pkt_len;
  op.capacity = static_cast<uint32_t>(staging_len);
  return RejectReason::none;
}

void finish_staged(rte_mbuf* m, const RecordOp& op, size_t header_room, uint8_t appended) noexcept {
  if (op.status != record::RecordStatus::ok) {
    drop_last_segments(m, appended);
    return;
  }
  const uint8_t* out = op.kind == RecordOpKind::seal ? op.data : op.data + header_room;
  // The chain has the room: a seal reserved it, an open's output is shorter than its input.
  const bool written = write_to_mbuf(m, out, op.length, nullptr);
  RTE_ASSERT(written);
  (void)written;
}

}  // namespace tlsburst::engine
