#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "apdu/channel.h"
#include "core/bytes.h"

namespace mynacard::card::detail {

// The APDUs of one operation, with the status-word handling shared by all of
// them (card-facts.md §6). The caller holds the ChannelTransaction.
class Session {
  public:
    Session(apdu::CardChannel& channel, std::size_t read_chunk) noexcept
        : channel_(channel), read_chunk_(read_chunk) {}

    [[nodiscard]] apdu::ResponseApdu send(const apdu::CommandApdu& command);

    // SELECT by full AID, P2=0C (card-facts.md §1.5). False on 6A82 (absent);
    // any other non-9000 throws Error(card_error) naming the SW.
    [[nodiscard]] bool select_application(ByteView aid, std::string_view name);
    void require_application(ByteView aid, std::string_view name);  // 6A82 → not_found
    // SELECT EF by id, P1=02 P2=0C. False on 6A82.
    [[nodiscard]] bool select_file(std::uint16_t fid, std::string_view name);
    void require_file(std::uint16_t fid, std::string_view name);

    // Empty VERIFY on the current EF (card-facts.md §2.4): tries left, 0 when
    // blocked (63C0, 6984, 6983). 9000 (some cards, key already verified)
    // reports `max_tries`: the count is unknown but the key is usable.
    [[nodiscard]] int query_tries(int max_tries, std::string_view name);
    // VERIFY with data on the current EF. The command buffer is zeroised
    // after transmit. 63Cx → pin_incorrect (x), 63C0/6984/6983 → pin_blocked.
    void verify(ByteView secret, std::string_view name);
    // The same VERIFY with the PIN typed on the reader's PIN pad (PC/SC
    // part 10): the host never sees it. 6400 → timeout, 6401 → cancelled.
    void verify_on_pin_pad(std::size_t min_digits, std::size_t max_digits, std::string_view name);
    // CHANGE REFERENCE DATA 00 24 01 80 (card-facts.md §2.8), after VERIFY.
    void change_reference_data(ByteView next, std::string_view name);

    // Reads exactly `size` bytes of the current EF (first READ asks for all).
    [[nodiscard]] Bytes read_exact(std::size_t size, std::string_view what);
    // Reads the BER-TLV object `tag` at the start of the current EF: one READ
    // of read_chunk bytes at offset 0, the object's size from its header,
    // then READs of ≤ read_chunk bytes up to exactly that size (card-facts.md
    // §1.3, §2.1: files carry FF filler after the object). Returns the object
    // without filler.
    [[nodiscard]] Bytes read_object(std::uint32_t tag, std::string_view what);

  private:
    struct Chunk {
        Bytes data;
        bool end_of_file = false;
    };
    [[nodiscard]] Chunk read_chunk(std::size_t offset, std::size_t le, std::string_view what);
    template <typename SizeOf>
    [[nodiscard]] Bytes read_planned(std::size_t first_le, std::string_view what, SizeOf size_of);

    apdu::CardChannel& channel_;
    std::size_t read_chunk_;
};

// Errors with the status word in the text (never data, never secrets).
[[nodiscard]] std::string sw_text(std::uint16_t sw);
[[noreturn]] void fail_sw(std::string_view what, std::uint16_t sw);
[[noreturn]] void fail_malformed(std::string_view what);
[[noreturn]] void fail_blocked(std::string_view name);

// Re-selects an AP when the operation ends, however it ends, so no verified
// state survives it (architecture decision 5; card-facts.md §2.5: selecting
// an AP, even the same one, clears verification).
class ReselectOnExit {
  public:
    ReselectOnExit(apdu::CardChannel& channel, ByteView aid) : channel_(channel), aid_(aid) {}
    ~ReselectOnExit();
    ReselectOnExit(const ReselectOnExit&) = delete;
    ReselectOnExit& operator=(const ReselectOnExit&) = delete;

  private:
    apdu::CardChannel& channel_;
    ByteView aid_;
};

// A command APDU carrying a secret; its data is zeroised on destruction.
struct SecretCommand {
    apdu::CommandApdu apdu;
    SecretCommand(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, ByteView secret);
    ~SecretCommand();
    SecretCommand(const SecretCommand&) = delete;
    SecretCommand& operator=(const SecretCommand&) = delete;
};

[[nodiscard]] apdu::CommandApdu select_aid_command(ByteView aid);

}  // namespace mynacard::card::detail
