// The handshake's view of the record layer (RFC 5246 6.2): frames records on the wire,
// reassembles handshake messages fragmented across records (and splits records carrying several
// messages), and protects records once ChangeCipherSpec switched keys.
//
// Protection goes through the engine's record layer, record::RecordProcessor, the same code that
// later protects application data on the cores: after ChangeCipherSpec a direction's
// DirectionKeys are installed into a DirectionState of this channel, the Finished message is
// sealed/opened with it, and the next sequence number is what the hand-off to the engine carries
// (DirectionKeys::initial_seq).
//
// Sans-IO: bytes in (append_input), bytes out (output / consume_output).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/common/alert.hpp"
#include "engine/common/result.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/record_processor.hpp"
#include "handshake/messages/handshake_type.hpp"

namespace tlsburst::handshake {

struct AlertMessage {
  AlertLevel level = AlertLevel::fatal;
  Alert description = Alert::internal_error;
};

// What the peer sent next, in order.
struct Inbound {
  enum class Kind : uint8_t { none, handshake, change_cipher_spec, alert, application_data };
  Kind kind = Kind::none;         // none: more input is needed
  HandshakeMessage message;       // kind == handshake; views valid until the next call to next()
  AlertMessage alert;             // kind == alert
  std::span<const uint8_t> data;  // kind == application_data (only when allowed)
};

struct RecordChannelOptions {
  size_t max_handshake_message_len = 64 * 1024;  // larger messages: illegal_parameter
  size_t max_plaintext_fragment_len = record::max_plaintext_len;  // of records we send
};

class RecordChannel {
 public:
  RecordChannel(record::RecordProcessor& processor, const RecordChannelOptions& options = {});
  RecordChannel(const RecordChannel&) = delete;
  RecordChannel& operator=(const RecordChannel&) = delete;

  // ---- input
  void append_input(std::span<const uint8_t> bytes);
  // The next complete item. Records are parsed one at a time, only as far as needed, so that a
  // key change takes effect exactly at the record after ChangeCipherSpec. Errors carry the alert
  // to send (decode_error, record_overflow, bad_record_mac, unexpected_message, ...).
  Result<Inbound> next();
  // Wire bytes not parsed yet: after the handshake, what belongs to the data plane.
  std::span<const uint8_t> unread_input() const noexcept;
  // Bytes of a handshake message received but not yet returned by next().
  bool has_buffered_handshake() const noexcept { return _hs_read < _hs.size(); }
  // After ServerHello: records must carry exactly this version.
  void require_record_version(uint16_t version) noexcept { _required_version = version; }
  // Application data records are returned by next() instead of failing (post-handshake use).
  void allow_application_data(bool allow) noexcept { _allow_app_data = allow; }
  // Starts decrypting with `keys` (after a received ChangeCipherSpec).
  Status activate_rx(const record::DirectionKeys& keys);
  bool rx_protected() const noexcept { return _rx.installed; }
  uint64_t rx_next_seq() const noexcept { return _rx.seq; }

  // ---- output
  // Adds an encoded handshake message to the current flight (written by flush()).
  void queue_handshake(std::span<const uint8_t> message);
  // Cuts the queued handshake bytes into records (sealed once tx keys are active).
  Status flush();
  // Flushes, then sends ChangeCipherSpec (always plaintext, before the tx key switch).
  Status send_change_cipher_spec();
  Status activate_tx(const record::DirectionKeys& keys);
  bool tx_protected() const noexcept { return _tx.installed; }
  uint64_t tx_next_seq() const noexcept { return _tx.seq; }
  // Sends an alert (sealed when tx keys are active). Queued handshake bytes are discarded.
  Status send_alert(AlertLevel level, Alert alert);
  // Seals `data` as application data records (post-handshake use only).
  Status send_application_data(std::span<const uint8_t> data);

  std::span<const uint8_t> output() const noexcept { return {_out.data() + _out_read, _out.size() - _out_read}; }
  void consume_output(size_t len) noexcept;

  // Wipes both directions' key state (after the keys were handed to the engine).
  void wipe_keys() noexcept;

 private:
  Status write_record(record::ContentType type, std::span<const uint8_t> fragment);
  Result<Inbound> take_handshake_message();

  record::RecordProcessor* _processor;
  RecordChannelOptions _options;
  record::DirectionState _rx;
  record::DirectionState _tx;
  std::optional<uint16_t> _required_version;
  bool _allow_app_data = false;

  std::vector<uint8_t> _in;  // wire bytes; [_in_read, size) unparsed
  size_t _in_read = 0;
  std::vector<uint8_t> _hs;  // handshake reassembly; [_hs_read, size) not returned yet
  size_t _hs_read = 0;
  std::vector<uint8_t> _pending;  // queued outgoing handshake bytes
  std::vector<uint8_t> _out;      // wire bytes to send; [_out_read, size) unsent
  size_t _out_read = 0;
  std::vector<uint8_t> _seal_buf;
};

}  // namespace tlsburst::handshake
