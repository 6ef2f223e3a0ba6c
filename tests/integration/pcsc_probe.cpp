// A small client of the real PC/SC API (libpcsclite), used by the integration
// tests to check what OpenSC's tools do not show: PC/SC part 10 features of a
// reader, a PIN-pad VERIFY through SCardControl, and card events.
//
//   pcsc_probe readers
//   pcsc_probe features INDEX
//   pcsc_probe verify-pin-direct INDEX     (SELECT JPKI AP + EF 0018, then
//                                           FEATURE_VERIFY_PIN_DIRECT; prints SW)
//   pcsc_probe wait-state INDEX present|empty SECONDS
//   pcsc_probe reset INDEX                 (another process resets the card:
//                                           SCardReconnect with SCARD_RESET_CARD)
#include <PCSC/reader.h>
#include <PCSC/winscard.h>
#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int fail(const char* what, LONG rv) {
    std::fprintf(stderr, "pcsc_probe: %s: %s\n", what, pcsc_stringify_error(rv));
    return 1;
}

struct Context {
    SCARDCONTEXT handle = 0;
    Context() {
        LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handle);
        if (rv != SCARD_S_SUCCESS) {
            std::fprintf(stderr, "pcsc_probe: no PC/SC service: %s\n", pcsc_stringify_error(rv));
            std::exit(2);
        }
    }
    ~Context() { SCardReleaseContext(handle); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

std::vector<std::string> list_readers(SCARDCONTEXT ctx) {
    DWORD len = 0;
    std::vector<std::string> out;
    if (SCardListReaders(ctx, nullptr, nullptr, &len) != SCARD_S_SUCCESS) return out;
    std::vector<char> buf(len);
    if (SCardListReaders(ctx, nullptr, buf.data(), &len) != SCARD_S_SUCCESS) return out;
    for (const char* p = buf.data(); *p; p += std::strlen(p) + 1) out.emplace_back(p);
    return out;
}

std::string reader_at(SCARDCONTEXT ctx, const char* index) {
    auto readers = list_readers(ctx);
    const auto i = static_cast<std::size_t>(std::strtoul(index, nullptr, 10));
    if (i >= readers.size()) {
        std::fprintf(stderr, "pcsc_probe: no reader %zu\n", i);
        std::exit(1);
    }
    return readers[i];
}

struct Card {
    SCARDHANDLE handle = 0;
    DWORD protocol = 0;
    ~Card() {
        if (handle) SCardDisconnect(handle, SCARD_LEAVE_CARD);
    }
};

// Returns the control code for a part 10 feature, or 0 when absent.
DWORD feature_code(SCARDHANDLE card, std::uint8_t feature, bool print) {
    std::array<std::uint8_t, 256> buf{};
    DWORD len = 0;
    LONG rv =
        SCardControl(card, CM_IOCTL_GET_FEATURE_REQUEST, nullptr, 0, buf.data(), buf.size(), &len);
    if (rv != SCARD_S_SUCCESS) return 0;
    DWORD found = 0;
    for (DWORD i = 0; i + 6 <= len; i += 6) {
        std::uint32_t be = 0;
        std::memcpy(&be, &buf[i + 2], 4);
        const DWORD code = ntohl(be);
        if (print) std::printf("feature 0x%02X control 0x%08lX\n", buf[i], code);
        if (buf[i] == feature) found = code;
    }
    return found;
}

LONG transmit(const Card& card, const std::vector<std::uint8_t>& cmd, std::uint16_t& sw) {
    std::array<std::uint8_t, 258> rsp{};
    DWORD len = rsp.size();
    const SCARD_IO_REQUEST* pci = card.protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    LONG rv = SCardTransmit(card.handle, pci, cmd.data(), static_cast<DWORD>(cmd.size()), nullptr,
                            rsp.data(), &len);
    if (rv == SCARD_S_SUCCESS && len >= 2)
        sw = static_cast<std::uint16_t>((rsp[len - 2] << 8) | rsp[len - 1]);
    return rv;
}

int cmd_features(SCARDCONTEXT ctx, const char* index) {
    Card card;
    const auto name = reader_at(ctx, index);
    LONG rv = SCardConnect(ctx, name.c_str(), SCARD_SHARE_DIRECT, 0, &card.handle, &card.protocol);
    if (rv != SCARD_S_SUCCESS) return fail("connect (direct)", rv);
    const DWORD verify = feature_code(card.handle, FEATURE_VERIFY_PIN_DIRECT, true);
    std::printf("%s: %s\n", name.c_str(), verify ? "PIN pad" : "no PIN pad");
    return 0;
}

int cmd_verify_pin_direct(SCARDCONTEXT ctx, const char* index) {
    Card card;
    const auto name = reader_at(ctx, index);
    LONG rv = SCardConnect(ctx, name.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1, &card.handle,
                           &card.protocol);
    if (rv != SCARD_S_SUCCESS) return fail("connect", rv);
    const DWORD code = feature_code(card.handle, FEATURE_VERIFY_PIN_DIRECT, false);
    if (!code) {
        std::printf("no FEATURE_VERIFY_PIN_DIRECT\n");
        return 1;
    }
    std::uint16_t sw = 0;
    // card-facts.md §1.5 / §2.1: SELECT JPKI AP, SELECT EF 0018 (auth PIN).
    if ((rv = transmit(card,
                       {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00,
                        0x00, 0x00, 0x01},
                       sw)) != SCARD_S_SUCCESS ||
        sw != 0x9000)
        return fail("select JPKI AP", rv);
    if ((rv = transmit(card, {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18}, sw)) != SCARD_S_SUCCESS ||
        sw != 0x9000)
        return fail("select EF 0018", rv);

    // PC/SC part 10 §2.5.2 PIN_VERIFY_STRUCTURE: ASCII PIN, byte units, no
    // PIN length field, 4 digits, APDU 00 20 00 80 with the PIN appended.
    std::vector<std::uint8_t> buf(sizeof(PIN_VERIFY_STRUCTURE) + 4);
    auto* pv = reinterpret_cast<PIN_VERIFY_STRUCTURE*>(buf.data());
    pv->bTimerOut = 30;
    pv->bTimerOut2 = 0;
    pv->bmFormatString = 0x82;     // system units bytes, ASCII
    pv->bmPINBlockString = 0x00;   // PIN block size from the PIN itself
    pv->bmPINLengthFormat = 0x00;  // no PIN length in the APDU
    pv->wPINMaxExtraDigit = 0x0404;
    pv->bEntryValidationCondition = 0x02;  // validation key pressed
    pv->bNumberMessage = 0x01;
    pv->wLangId = 0x0411;  // Japanese
    pv->bMsgIndex = 0;
    pv->ulDataLength = 4;
    const std::uint8_t apdu[4] = {0x00, 0x20, 0x00, 0x80};
    std::memcpy(pv->abData, apdu, sizeof apdu);

    std::array<std::uint8_t, 2> rsp{};
    DWORD len = 0;
    rv = SCardControl(card.handle, code, buf.data(), static_cast<DWORD>(buf.size()), rsp.data(),
                      rsp.size(), &len);
    if (rv != SCARD_S_SUCCESS) return fail("SCardControl(VERIFY_PIN_DIRECT)", rv);
    if (len != 2) {
        std::printf("unexpected answer length %lu\n", len);
        return 1;
    }
    std::printf("SW %02X%02X\n", rsp[0], rsp[1]);
    return 0;
}

int cmd_wait_state(SCARDCONTEXT ctx, const char* index, const std::string& want, long seconds) {
    const auto name = reader_at(ctx, index);
    SCARD_READERSTATE st{};
    st.szReader = name.c_str();
    st.dwCurrentState = SCARD_STATE_UNAWARE;
    const DWORD flag = want == "present" ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY;
    for (long waited = 0; waited <= seconds * 10; ++waited) {
        LONG rv = SCardGetStatusChange(ctx, 100, &st, 1);
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) return fail("SCardGetStatusChange", rv);
        if (st.dwEventState & flag) {
            std::printf("%s: %s\n", name.c_str(), want.c_str());
            return 0;
        }
        st.dwCurrentState = st.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }
    std::printf("%s: still not %s after %lds\n", name.c_str(), want.c_str(), seconds);
    return 1;
}

int cmd_reset(SCARDCONTEXT ctx, const char* index) {
    const auto name = reader_at(ctx, index);
    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    LONG rv = SCardConnect(ctx, name.c_str(), SCARD_SHARE_SHARED,
                           SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS) return fail("SCardConnect", rv);
    rv = SCardReconnect(card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                        SCARD_RESET_CARD, &protocol);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    if (rv != SCARD_S_SUCCESS) return fail("SCardReconnect", rv);
    std::printf("%s: reset\n", name.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: pcsc_probe readers|features|verify-pin-direct|wait-state ...\n");
        return 1;
    }
    Context ctx;
    const std::string cmd = argv[1];
    if (cmd == "readers") {
        for (const auto& r : list_readers(ctx.handle)) std::printf("%s\n", r.c_str());
        return 0;
    }
    if (cmd == "reset" && argc == 3) return cmd_reset(ctx.handle, argv[2]);
    if (cmd == "features" && argc == 3) return cmd_features(ctx.handle, argv[2]);
    if (cmd == "verify-pin-direct" && argc == 3) return cmd_verify_pin_direct(ctx.handle, argv[2]);
    if (cmd == "wait-state" && argc == 5)
        return cmd_wait_state(ctx.handle, argv[2], argv[3], std::strtol(argv[4], nullptr, 10));
    std::fprintf(stderr, "pcsc_probe: bad arguments\n");
    return 1;
}
