#include "card/detail/session.h"

#include <algorithm>
#include <array>

#include "apdu/status.h"
#include "apdu/tlv.h"
#include "card/detail/files.h"
#include "core/error.h"

namespace mynacard::card::detail {

namespace {

// ISO/IEC 7816-4 instruction bytes as the card uses them (card-facts.md §7).
constexpr std::uint8_t kSelect = 0xA4;
constexpr std::uint8_t kReadBinary = 0xB0;
constexpr std::uint8_t kVerify = 0x20;
constexpr std::uint8_t kChangeReferenceData = 0x24;
constexpr std::uint8_t kSelectByName = 0x04;        // P1: DF name (AID)
constexpr std::uint8_t kSelectEf = 0x02;            // P1: EF under the current DF
constexpr std::uint8_t kNoFci = 0x0C;               // P2: no response data
constexpr std::uint8_t kCurrentKey = 0x80;          // P2: key of the current EF (§2.4)
constexpr std::uint8_t kChangeNewValueOnly = 0x01;  // P1 of 00 24 (§2.8)

bool is_blocked_sw(std::uint16_t s) noexcept {
    return s == apdu::sw::reference_data_blocked || s == apdu::sw::auth_method_blocked;
}

// The bytes of a BER tag as it appears on the wire (0x30, 0xFF20, 0x7F21).
std::size_t tag_length(std::uint32_t tag) noexcept {
    return tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;
}
std::uint8_t tag_byte(std::uint32_t tag, std::size_t index) noexcept {
    const std::size_t shift = 8 * (tag_length(tag) - 1 - index);
    return static_cast<std::uint8_t>(tag >> shift);
}

}  // namespace

std::string sw_text(std::uint16_t sw) {
    constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                        '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    std::string out = "SW ";
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(sw >> shift) & 0x0F]);
    return out;
}

void fail_sw(std::string_view what, std::uint16_t sw) {
    const std::string text = std::string(what) + ": the card answered " + sw_text(sw);
    if (sw == apdu::sw::security_not_satisfied) throw Error(Errc::security_status, text);
    throw Error(Errc::card_error, text);
}

void fail_malformed(std::string_view what) {
    throw Error(Errc::malformed_data, std::string(what));
}

void fail_blocked(std::string_view name) {
    throw Error(Errc::pin_blocked,
                "the " + std::string(name) +
                    " is blocked; it can only be reset at the municipal office (市区町村の窓口)",
                0);
}

apdu::CommandApdu select_aid_command(ByteView aid) {
    apdu::CommandApdu c;
    c.ins = kSelect;
    c.p1 = kSelectByName;
    c.p2 = kNoFci;
    c.data.assign(aid.begin(), aid.end());
    return c;
}

apdu::ResponseApdu Session::send(const apdu::CommandApdu& command) {
    return channel_.transmit(command);
}

bool Session::select_application(ByteView aid, std::string_view name) {
    const auto r = send(select_aid_command(aid));
    if (r.ok()) return true;
    if (r.sw == apdu::sw::file_not_found) return false;
    fail_sw("SELECT of the " + std::string(name), r.sw);
}

void Session::require_application(ByteView aid, std::string_view name) {
    if (!select_application(aid, name))
        throw Error(Errc::not_found, "the card has no " + std::string(name));
}

bool Session::select_file(std::uint16_t fid, std::string_view name) {
    apdu::CommandApdu c;
    c.ins = kSelect;
    c.p1 = kSelectEf;
    c.p2 = kNoFci;
    c.data = {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid & 0xFF)};
    const auto r = send(c);
    if (r.ok()) return true;
    if (r.sw == apdu::sw::file_not_found) return false;
    fail_sw("SELECT of the " + std::string(name), r.sw);
}

void Session::require_file(std::uint16_t fid, std::string_view name) {
    if (!select_file(fid, name))
        throw Error(Errc::not_found, "the card has no " + std::string(name));
}

int Session::query_tries(int max_tries, std::string_view name) {
    apdu::CommandApdu c;
    c.ins = kVerify;
    c.p2 = kCurrentKey;
    const auto r = send(c);
    if (r.ok()) return max_tries;
    if (apdu::sw::is_verify_failed(r.sw)) return static_cast<int>(apdu::sw::tries_left(r.sw));
    if (is_blocked_sw(r.sw)) return 0;
    fail_sw("reading the tries left of the " + std::string(name), r.sw);
}

SecretCommand::SecretCommand(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, ByteView secret) {
    apdu.ins = ins;
    apdu.p1 = p1;
    apdu.p2 = p2;
    // One allocation of the final size, so no reallocation leaves a copy behind.
    apdu.data.reserve(secret.size());
    apdu.data.assign(secret.begin(), secret.end());
}

SecretCommand::~SecretCommand() {
    secure_zero(apdu.data.data(), apdu.data.size());
}

namespace {

// VERIFY's answer, wherever the PIN came from.
void check_verify_answer(const apdu::ResponseApdu& r, std::string_view name) {
    if (r.ok()) return;
    if (apdu::sw::is_verify_failed(r.sw)) {
        const int left = static_cast<int>(apdu::sw::tries_left(r.sw));
        if (left == 0) fail_blocked(name);  // the attempt that exhausted the counter
        throw Error(Errc::pin_incorrect,
                    "the " + std::string(name) + " is incorrect; " + std::to_string(left) +
                        (left == 1 ? " try left" : " tries left"),
                    left);
    }
    if (is_blocked_sw(r.sw)) fail_blocked(name);
    fail_sw("VERIFY of the " + std::string(name), r.sw);
}

// PC/SC part 10 §2.5.2 / CCID: the reader's own status words for the entry.
constexpr std::uint16_t pin_pad_timeout = 0x6400;
constexpr std::uint16_t pin_pad_cancelled = 0x6401;

}  // namespace

void Session::verify(ByteView secret, std::string_view name) {
    apdu::ResponseApdu r;
    {
        const SecretCommand c(kVerify, 0x00, kCurrentKey, secret);
        r = send(c.apdu);
    }
    check_verify_answer(r, name);
}

void Session::verify_on_pin_pad(std::size_t min_digits, std::size_t max_digits,
                                std::string_view name) {
    apdu::PinPadVerify request;
    request.verify.ins = kVerify;
    request.verify.p2 = kCurrentKey;
    request.min_digits = static_cast<std::uint8_t>(min_digits);
    request.max_digits = static_cast<std::uint8_t>(max_digits);
    const auto r = channel_.verify_on_pin_pad(request);
    if (r.sw == pin_pad_timeout)
        throw Error(Errc::timeout,
                    "no " + std::string(name) + " was entered on the reader's keypad in time");
    if (r.sw == pin_pad_cancelled)
        throw Error(Errc::cancelled,
                    "the entry of the " + std::string(name) + " was cancelled on the reader");
    check_verify_answer(r, name);
}

void Session::change_reference_data(ByteView next, std::string_view name) {
    apdu::ResponseApdu r;
    {
        const SecretCommand c(kChangeReferenceData, kChangeNewValueOnly, kCurrentKey, next);
        r = send(c.apdu);
    }
    if (r.ok()) return;
    // card-facts.md §2.8 [U]: the card enforces the format; 6A80 is the ISO
    // answer for incorrect data.
    if (r.sw == apdu::sw::incorrect_data)
        throw Error(Errc::pin_format, "the card refused the new " + std::string(name));
    if (is_blocked_sw(r.sw)) fail_blocked(name);
    fail_sw("changing the " + std::string(name), r.sw);
}

Session::Chunk Session::read_chunk(std::size_t offset, std::size_t le, std::string_view what) {
    if (offset > max_short_offset)
        fail_malformed(std::string(what) + " reaches beyond the short READ BINARY range");
    apdu::CommandApdu c;
    c.ins = kReadBinary;
    c.p1 = static_cast<std::uint8_t>(offset >> 8);  // b8 = 0: offset, not an SFI
    c.p2 = static_cast<std::uint8_t>(offset & 0xFF);
    c.le = le;
    auto r = send(c);
    Chunk chunk;
    if (r.ok() || r.sw == apdu::sw::eof_warning) {
        chunk.end_of_file = r.sw == apdu::sw::eof_warning;
        // A card sending more than asked is broken; keep only what was asked.
        if (r.data.size() > le) r.data.resize(le);
        chunk.data = std::move(r.data);
        return chunk;
    }
    // JICSAP: 6B00 for an offset beyond the end (card-facts.md §6 [U]).
    if (r.sw == apdu::sw::wrong_p1p2) {
        chunk.end_of_file = true;
        return chunk;
    }
    fail_sw("READ BINARY of " + std::string(what), r.sw);
}

template <typename SizeOf>
Bytes Session::read_planned(std::size_t first_le, std::string_view what, SizeOf size_of) {
    // Files hold personal data (the My Number, the basic four facts): the
    // growing buffer and every chunk are zeroised when released, and the
    // result is one exact-size copy, so no unwiped copy is left in freed
    // memory (decision 11).
    SecureBytes buffer;
    std::optional<std::size_t> total;
    std::size_t want = first_le;
    for (;;) {
        Chunk chunk = read_chunk(buffer.size(), want, what);
        if (chunk.data.empty() && !chunk.end_of_file)
            fail_malformed("the card returned no data reading " + std::string(what));
        buffer.insert(buffer.end(), chunk.data.begin(), chunk.data.end());
        wipe(chunk.data);
        if (!total) total = size_of(ByteView(buffer));
        if (total && buffer.size() >= *total) {
            // Without the FF filler after the object.
            return Bytes(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*total));
        }
        if (chunk.end_of_file)
            fail_malformed(std::string(what) + " ends before its declared length");
        // A card may return fewer bytes than asked: continue from what came.
        want = total ? std::min(read_chunk_, *total - buffer.size()) : read_chunk_;
    }
}

Bytes Session::read_exact(std::size_t size, std::string_view what) {
    return read_planned(std::min(size, read_chunk_), what,
                        [size](ByteView) -> std::optional<std::size_t> { return size; });
}

Bytes Session::read_object(std::uint32_t tag, std::string_view what) {
    const auto size_of = [tag, what](ByteView data) -> std::optional<std::size_t> {
        const std::size_t tag_size = tag_length(tag);
        for (std::size_t i = 0; i < tag_size && i < data.size(); ++i) {
            if (data[i] != tag_byte(tag, i))
                fail_malformed(std::string(what) + " does not start with the expected tag");
        }
        const auto total = apdu::tlv_encoded_size(data);  // throws on a malformed length
        if (!total) return std::nullopt;                  // header not complete yet
        // The header ends after the tag and the length field.
        const std::uint8_t l0 = data[tag_size];
        const std::size_t header = tag_size + 1 + ((l0 & 0x80) != 0 ? (l0 & 0x7Fu) : 0u);
        if (*total <= header) fail_malformed(std::string(what) + " is empty");
        if (*total > max_object_size)
            fail_malformed(std::string(what) + " declares " + std::to_string(*total) +
                           " bytes, beyond what short READ BINARY can reach");
        return total;
    };
    return read_planned(read_chunk_, what, size_of);
}

ReselectOnExit::~ReselectOnExit() {
    bool cleared = false;
    try {
        // card-facts.md §2.5: only an answered SELECT (9000) is known to
        // have cleared the verified state.
        cleared = channel_.transmit(select_aid_command(aid_)).sw == apdu::sw::ok;
    } catch (const Error& e) {
        // A card taken out, or in a reader that left the bus, has lost its
        // supply and with it every verified state; pcscd powers it afresh
        // when it is back. A reset would only meet the vanished reader again
        // (pcscd 1.9.9 sleeps 1 s on each call that does).
        cleared = e.code() == Errc::card_removed || e.code() == Errc::reader_unavailable;
    } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
    }
    // Decision 5: "re-select the AP; a card reset if that fails". A card that
    // garbled or refused the SELECT may still hold a verified PIN for the
    // next process.
    if (!cleared) channel_.reset_card_at_end();
}

}  // namespace mynacard::card::detail
