#include "pcsc/pcsc.h"

#include <PCSC/reader.h>
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "apdu/status.h"
#include "core/paths.h"

namespace mynacard::pcsc {

Error to_error(LONG rv, std::string_view what) {
    const std::string text = std::string(what) + ": " + pcsc_stringify_error(rv);
    switch (rv) {
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NO_SMARTCARD:
            return Error(Errc::card_removed, text);
        case SCARD_W_RESET_CARD:
            return Error(Errc::card_reset, text);
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_F_COMM_ERROR:  // pcsc-lite: the socket to pcscd broke
        case SCARD_E_INVALID_HANDLE:
            return Error(Errc::service_stopped, text);
        case SCARD_E_NO_READERS_AVAILABLE:
        case SCARD_E_READER_UNAVAILABLE:
        case SCARD_E_UNKNOWN_READER:
            return Error(Errc::reader_unavailable, text);
        case SCARD_E_TIMEOUT:
            return Error(Errc::timeout, text);
        case SCARD_E_CANCELLED:
            return Error(Errc::cancelled, text);
        case SCARD_W_UNRESPONSIVE_CARD:
        case SCARD_W_UNPOWERED_CARD:
            return Error(Errc::transport, text);
        case SCARD_W_SECURITY_VIOLATION:
            // pcsc-lite gives "Access denied" twice over: pcscd's polkit
            // check refused the program (a new context) or this reader
            // (SCardConnect, winscard_svc.c); and on a connection that
            // worked, the socket was reset under a request
            // (MessageReceive: ECONNRESET, pcsc-lite 1.9.9+), as when pcscd
            // is stopped while we wait. Only the second is helped by a new
            // context.
            if (what.starts_with("SCardEstablishContext") || what.starts_with("SCardConnect"))
                return Error(Errc::transport, text +
                                                  " (pcscd refused this user: its polkit policy, "
                                                  "see the troubleshooting guide)");
            return Error(Errc::service_stopped, text);
        case SCARD_E_INVALID_PARAMETER:
        case SCARD_E_INSUFFICIENT_BUFFER:
            return Error(Errc::internal, text);
        default:
            return Error(Errc::transport, text);
    }
}

namespace {

void check(LONG rv, std::string_view what) {
    if (rv != SCARD_S_SUCCESS) throw to_error(rv, what);
}

// The card left the reader, or the reader left the bus: no APDU of this
// connection can reach the card any more.
bool card_gone(LONG rv) {
    return rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD ||
           rv == SCARD_E_READER_UNAVAILABLE;
}

// pcsc-lite's name for the hot-plug pseudo reader (pcsclite.h).
constexpr const char* pnp_reader = "\\\\?PnP?\\Notification";

}  // namespace

// ---------------------------------------------------------------- Context

Context::Context() {
    check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handle_),
          "SCardEstablishContext");
}

Context::~Context() {
    if (handle_) SCardReleaseContext(handle_);
}

bool Context::valid() const noexcept {
    return SCardIsValidContext(handle_) == SCARD_S_SUCCESS;
}

std::vector<std::string> Context::readers() const {
    DWORD len = 0;
    LONG rv = SCardListReaders(handle_, nullptr, nullptr, &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::vector<char> buf(len);
    rv = SCardListReaders(handle_, nullptr, buf.data(), &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE) return {};
    check(rv, "SCardListReaders");
    std::vector<std::string> out;
    // A multi-string: names separated by NUL, ended by an empty name.
    for (std::size_t i = 0; i < buf.size() && buf[i] != '\0';) {
        std::string name(&buf[i]);
        i += name.size() + 1;
        out.push_back(std::move(name));
    }
    return out;
}

std::vector<ReaderState> Context::states() const {
    const auto names = readers();
    if (names.empty()) return {};
    std::vector<SCARD_READERSTATE> st(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        st[i].szReader = names[i].c_str();
        st[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    check(SCardGetStatusChange(handle_, 0, st.data(), static_cast<DWORD>(st.size())),
          "SCardGetStatusChange");
    std::vector<ReaderState> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        ReaderState r;
        r.name = names[i];
        r.present = (st[i].dwEventState & SCARD_STATE_PRESENT) != 0;
        r.in_use = (st[i].dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
        r.mute = (st[i].dwEventState & SCARD_STATE_MUTE) != 0;
        r.event_count = static_cast<std::uint32_t>(st[i].dwEventState >> 16);
        const auto atr_len = std::min<DWORD>(st[i].cbAtr, MAX_ATR_SIZE);
        r.atr.assign(st[i].rgbAtr, st[i].rgbAtr + atr_len);
        out.push_back(std::move(r));
    }
    return out;
}

bool Context::wait_for_change(std::chrono::milliseconds timeout) {
    // (Re)build the watch list from the current readers plus the PnP
    // pseudo-reader, keeping the known state of readers still present.
    auto names = readers();
    names.emplace_back(pnp_reader);
    if (names != watched_names_) {
        std::vector<SCARD_READERSTATE> st(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) st[i].dwCurrentState = SCARD_STATE_UNAWARE;
        for (std::size_t i = 0; i < names.size(); ++i)
            for (std::size_t j = 0; j < watched_names_.size(); ++j)
                if (names[i] == watched_names_[j])
                    st[i].dwCurrentState = watched_[j].dwCurrentState;
        watched_names_ = std::move(names);
        watched_ = std::move(st);
        // A change in the reader list is itself the event the caller waits for.
        for (std::size_t i = 0; i < watched_.size(); ++i)
            watched_[i].szReader = watched_names_[i].c_str();
    }
    LONG rv = SCardGetStatusChange(handle_, static_cast<DWORD>(timeout.count()), watched_.data(),
                                   static_cast<DWORD>(watched_.size()));
    if (rv == SCARD_E_TIMEOUT) return false;
    check(rv, "SCardGetStatusChange");
    bool changed = false;
    for (auto& st : watched_) {
        if (st.dwEventState & SCARD_STATE_CHANGED) changed = true;
        st.dwCurrentState = st.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }
    return changed;
}

void Context::cancel() noexcept {
    SCardCancel(handle_);
}

// ------------------------------------------------------------- Connection

Connection::Connection(const Context& context, std::string reader)
    : reader_(std::move(reader)), quirks_(quirks::for_reader(reader_)) {
    if (quirks_.pcsc_usable == false)
        throw Error(Errc::unsupported, reader_ + " cannot be used through PC/SC");
    // Shared mode (decision 8); the card speaks T=1 only on contact
    // (card-facts.md §1.1) but a contactless reader may report T=0 framing.
    check(SCardConnect(context.handle(), reader_.c_str(), SCARD_SHARE_SHARED,
                       SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &handle_, &protocol_),
          "SCardConnect " + reader_);
    read_status();
}

Connection::~Connection() {
    if (handle_) SCardDisconnect(handle_, SCARD_LEAVE_CARD);
}

void Connection::read_status() {
    std::array<BYTE, MAX_ATR_SIZE> atr{};
    DWORD atr_len = atr.size();
    DWORD state = 0;
    DWORD protocol = 0;
    DWORD name_len = 0;
    check(SCardStatus(handle_, nullptr, &name_len, &state, &protocol, atr.data(), &atr_len),
          "SCardStatus");
    atr_.assign(atr.begin(), atr.begin() + static_cast<std::ptrdiff_t>(atr_len));
}

Bytes Connection::transmit_raw(ByteView command) {
    // One receive buffer per connection, made once: a fresh 64 KiB buffer
    // per APDU cost two 64 KiB memsets each time (half of C_Sign's
    // instructions outside the card, docs/performance.md). What the card
    // wrote is copied out and wiped at once, so the buffer holds only zeros
    // between exchanges, as a freed fresh buffer would.
    if (receive_.empty()) receive_.resize(max_response);
    DWORD len = static_cast<DWORD>(receive_.size());
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    if (gone_ != SCARD_S_SUCCESS) throw to_error(gone_, "SCardTransmit");
    const LONG rv = SCardTransmit(handle_, pci, command.data(), static_cast<DWORD>(command.size()),
                                  nullptr, receive_.data(), &len);
    if (transaction_depth_ > 0 && card_gone(rv)) gone_ = rv;
    // After a failure len says nothing: wipe all of it (rare, not hot).
    const std::size_t written =
        rv == SCARD_S_SUCCESS ? std::min<std::size_t>(len, receive_.size()) : receive_.size();
    Bytes response;
    if (rv == SCARD_S_SUCCESS)
        response.assign(receive_.begin(), receive_.begin() + static_cast<std::ptrdiff_t>(written));
    secure_zero(receive_.data(), written);
    check(rv, "SCardTransmit");
    return response;
}

namespace {

// MYNACARD_DEBUG=apdu: one line per APDU on stderr with its header, the
// lengths and the status word — never data, so neither a PIN nor personal
// data can reach a terminal or a bug report (docs/debugging.md). Read once,
// through trusted_env: a set-uid or set-gid host never traces.
void trace_apdu(const std::string& reader, const apdu::CommandApdu& c,
                const apdu::ResponseApdu& r) {
    static const bool on = trusted_env("MYNACARD_DEBUG") == "apdu";
    if (!on) return;
    const std::string le = c.le ? std::to_string(*c.le) : "-";
    std::fprintf(stderr, "mynacard: %s: %02X %02X %02X %02X Lc=%zu Le=%s -> SW %04X, %zu bytes\n",
                 reader.c_str(), c.cla, c.ins, c.p1, c.p2, c.data.size(), le.c_str(), r.sw,
                 r.data.size());
}

}  // namespace

apdu::ResponseApdu Connection::transmit(const apdu::CommandApdu& command) {
    // Responses carry personal data (the My Number, the basic four facts):
    // each raw buffer is zeroised once parsed, and 61xx parts gather in
    // zeroising memory, so no copy is left in freed memory (decision 11).
    const auto exchange = [this](const apdu::CommandApdu& c) {
        Bytes raw = transmit_raw(c.encode());
        auto parsed = apdu::ResponseApdu::parse(raw);
        wipe(raw);
        trace_apdu(reader_, c, parsed);
        return parsed;
    };
    auto response = exchange(command);
    // ISO/IEC 7816-4 §5.3.4: 6Cxx = wrong Le, resend with Le = xx (once).
    if (response.sw1() == 0x6C) {
        apdu::CommandApdu again = command;
        again.le = response.sw2() == 0 ? 256 : response.sw2();
        try {
            response = exchange(again);
        } catch (...) {
            wipe(again.data);  // the copy may carry a VERIFY's PIN
            throw;
        }
        wipe(again.data);
    }
    // 61xx = more data: GET RESPONSE until the card says 9000 or fails. The
    // bound keeps a misbehaving card from looping us forever.
    if (response.sw1() != 0x61) return response;
    SecureBytes data(response.data.begin(), response.data.end());
    wipe(response.data);
    for (int rounds = 0; response.sw1() == 0x61; ++rounds) {
        if (rounds > 256) throw Error(Errc::malformed_data, "card keeps answering 61xx");
        apdu::CommandApdu get{0x00, 0xC0, 0x00,
                              0x00, {},   response.sw2() == 0 ? 256u : response.sw2()};
        response = exchange(get);
        data.insert(data.end(), response.data.begin(), response.data.end());
        wipe(response.data);
    }
    response.data.assign(data.begin(), data.end());
    return response;
}

Bytes Connection::control(DWORD code, ByteView input) {
    Bytes out(1024);
    DWORD len = 0;
    check(SCardControl(handle_, code, input.data(), static_cast<DWORD>(input.size()), out.data(),
                       static_cast<DWORD>(out.size()), &len),
          "SCardControl");
    out.resize(len);
    return out;
}

const ReaderFeatures& Connection::features() {
    if (features_) return *features_;
    ReaderFeatures f;
    Bytes tlv;
    try {
        tlv = control(CM_IOCTL_GET_FEATURE_REQUEST, {});
    } catch (const Error&) {
        // A reader without part 10 support answers an error: no features.
    }
    // PC/SC part 10 §2.2: tag(1) length(1)=4 value(4, big endian).
    for (std::size_t i = 0; i + 6 <= tlv.size(); i += 6) {
        if (tlv[i + 1] != 4) break;
        std::uint32_t be = 0;
        std::memcpy(&be, &tlv[i + 2], 4);
        const DWORD code = ntohl(be);
        if (tlv[i] == FEATURE_VERIFY_PIN_DIRECT) f.verify_pin_direct = code;
        if (tlv[i] == FEATURE_MODIFY_PIN_DIRECT) f.modify_pin_direct = code;
    }
    if (quirks_.pin_pad_trustworthy == false) f = ReaderFeatures{};
    features_ = f;
    return *features_;
}

apdu::ResponseApdu Connection::verify_on_pin_pad(const apdu::PinPadVerify& request) {
    const DWORD code = features().verify_pin_direct;
    if (code == 0) throw Error(Errc::unsupported, "the reader has no PIN pad");
    const SecureBytes command = request.verify.encode();
    // PC/SC part 10 §2.5.2 PIN_VERIFY_STRUCTURE, packed, little endian
    // (pcsc-lite reader.h); 19 bytes of header, then the APDU. CCID checks
    // that the whole length is exactly 19 + ulDataLength.
    constexpr std::size_t header = 19;
    Bytes s(header, 0);
    s[0] = request.timeout_seconds;  // bTimerOut
    s[1] = request.timeout_seconds;  // bTimerOut2
    s[2] = 0x82;                     // bmFormatString: units in bytes, ASCII, PIN at offset 0
    s[3] = 0x00;                     // bmPINBlockString: the PIN's own length
    s[4] = 0x00;                     // bmPINLengthFormat: no length in the APDU
    s[5] = request.max_digits;       // wPINMaxExtraDigit: max (low byte) …
    s[6] = request.min_digits;       // … min (high byte)
    s[7] = 0x02;                     // bEntryValidationCondition: validation key
    s[8] = 0x01;                     // bNumberMessage
    s[9] = static_cast<std::uint8_t>(request.lang_id & 0xFF);  // wLangId
    s[10] = static_cast<std::uint8_t>(request.lang_id >> 8);
    s[11] = 0x00;  // bMsgIndex; bTeoPrologue[3] stay zero
    const auto length = static_cast<std::uint32_t>(command.size());
    for (std::size_t i = 0; i < 4; ++i) s[15 + i] = static_cast<std::uint8_t>(length >> (8 * i));
    s.insert(s.end(), command.begin(), command.end());
    const Bytes answer = control(code, s);
    if (answer.size() < 2) throw Error(Errc::transport, "the PIN pad returned no status word");
    return apdu::ResponseApdu::parse(answer);
}

void Connection::recover_from_reset() {
    check(SCardReconnect(handle_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                         SCARD_LEAVE_CARD, &protocol_),
          "SCardReconnect");
    reset_seen_ = true;
    read_status();
}

// ----------------------------------------------------------- transactions

void Connection::begin_transaction() {
    if (transaction_depth_++ > 0) return;
    gone_ = SCARD_S_SUCCESS;
    LONG rv = SCardBeginTransaction(handle_);
    if (rv == SCARD_W_RESET_CARD) {
        // Someone reset the card since our last use: reconnect, then begin
        // once more. The caller learns through take_reset_flag() that its
        // state on the card (selected AP, verified PIN) is gone.
        try {
            recover_from_reset();
        } catch (...) {
            transaction_depth_ = 0;
            throw;
        }
        rv = SCardBeginTransaction(handle_);
    }
    if (rv != SCARD_S_SUCCESS) {
        transaction_depth_ = 0;
        throw to_error(rv, "SCardBeginTransaction");
    }
}

void Connection::end_transaction() noexcept {
    if (transaction_depth_ == 0 || --transaction_depth_ > 0) return;
    // A card that is gone lost its supply, and with it every verified state.
    const bool reset = std::exchange(reset_at_end_, false) && gone_ == SCARD_S_SUCCESS;
    gone_ = SCARD_S_SUCCESS;
    SCardEndTransaction(handle_, reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD);
}

void Connection::reset_card_at_end() noexcept {
    if (transaction_depth_ > 0) {
        reset_at_end_ = true;
        return;
    }
    DWORD protocol = 0;
    if (SCardReconnect(handle_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                       SCARD_RESET_CARD, &protocol) == SCARD_S_SUCCESS)
        protocol_ = protocol;
}

}  // namespace mynacard::pcsc
