// A raw PC/SC program, as another process on the machine could be: it
// connects to a reader (shared, as any client) and, without selecting the
// JPKI AP and without a VERIFY of its own, tries to sign with the
// authentication key. The test (pkcs11_security.sh) runs it after
// mynacard-pkcs11.so signed: the card must refuse (6982), i.e. the module
// left no verified state behind (architecture decision 5).
//
//   pkcs11_raw_sign INDEX            SELECT EF 0017, COMPUTE DIGITAL SIGNATURE
//   pkcs11_raw_sign INDEX --verify PIN
//                                    first SELECT JPKI AP, EF 0018, VERIFY PIN
//                                    (the positive control: the same program
//                                    can sign when it verified itself)
//
// Prints one line per APDU, "<step> <SW as 4 hex digits>"; exit 0 when every
// APDU was exchanged (whatever the SWs), 1 on PC/SC errors.
#include <winscard.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

// JPKI AP (card-facts.md §1.5) and its EFs: 0018 auth PIN, 0017 auth key.
constexpr std::array<std::uint8_t, 10> jpki_aid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
// DigestInfo prefix of SHA-256 (RFC 8017 §9.2 note 1); the hash is 32 zero
// bytes: what is signed does not matter, only whether the card signs.
constexpr std::array<std::uint8_t, 19> sha256_prefix{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
constexpr std::size_t sha256_bytes = 32;

class Card {
public:
    explicit Card(std::size_t index) {
        check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_), "SCardEstablishContext");
        DWORD len = 0;
        check(SCardListReaders(context_, nullptr, nullptr, &len), "SCardListReaders");
        std::vector<char> names(len);
        check(SCardListReaders(context_, nullptr, names.data(), &len), "SCardListReaders");
        const char* name = names.data();
        for (std::size_t i = 0; i < index && *name != '\0'; ++i) name += std::strlen(name) + 1;
        if (*name == '\0') {
            std::fprintf(stderr, "pkcs11_raw_sign: no reader %zu\n", index);
            std::exit(1);
        }
        check(SCardConnect(context_, name, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle_,
                           &protocol_),
              "SCardConnect");
    }
    ~Card() {
        // Leave the card as it is: the point is what the next program meets.
        if (handle_ != 0) SCardDisconnect(handle_, SCARD_LEAVE_CARD);
        if (context_ != 0) SCardReleaseContext(context_);
    }
    Card(const Card&) = delete;
    Card& operator=(const Card&) = delete;

    // Sends one APDU, prints "<step> <SW>", returns the SW.
    std::uint16_t send(std::string_view step, const Bytes& apdu) {
        std::array<std::uint8_t, 258> response{};
        DWORD len = response.size();
        const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
        check(SCardTransmit(handle_, pci, apdu.data(), apdu.size(), nullptr, response.data(), &len), "SCardTransmit");
        if (len < 2) {
            std::fprintf(stderr, "pkcs11_raw_sign: %.*s: short response\n", static_cast<int>(step.size()), step.data());
            std::exit(1);
        }
        const auto sw = static_cast<std::uint16_t>((response.at(len - 2) << 8) | response.at(len - 1));
        std::printf("%.*s %04X\n", static_cast<int>(step.size()), step.data(), static_cast<unsigned>(sw));
        return sw;
    }

private:
    static void check(LONG rv, const char* what) {
        if (rv == SCARD_S_SUCCESS) return;
        std::fprintf(stderr, "pkcs11_raw_sign: %s: %s\n", what, pcsc_stringify_error(rv));
        std::exit(1);
    }
    SCARDCONTEXT context_ = 0;
    SCARDHANDLE handle_ = 0;
    DWORD protocol_ = 0;
};

Bytes select_ef(std::uint8_t hi, std::uint8_t lo) { return {0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo}; }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 && !(argc == 4 && std::string_view(argv[2]) == "--verify")) {
        std::fprintf(stderr, "usage: pkcs11_raw_sign INDEX [--verify PIN]\n");
        return 2;
    }
    Card card(std::strtoul(argv[1], nullptr, 10));
    if (argc == 4) {
        Bytes select_ap{0x00, 0xA4, 0x04, 0x0C, static_cast<std::uint8_t>(jpki_aid.size())};
        select_ap.insert(select_ap.end(), jpki_aid.begin(), jpki_aid.end());
        card.send("select-ap", select_ap);
        card.send("select-pin", select_ef(0x00, 0x18));
        const std::string_view pin(argv[3]);
        Bytes verify{0x00, 0x20, 0x00, 0x80, static_cast<std::uint8_t>(pin.size())};
        verify.insert(verify.end(), pin.begin(), pin.end());
        card.send("verify", verify);
    }
    // Exactly 00 A4 02 0C 02 00 17, then 80 2A 00 80 Lc DigestInfo 00.
    card.send("select-key", select_ef(0x00, 0x17));
    Bytes sign{0x80, 0x2A, 0x00, 0x80, static_cast<std::uint8_t>(sha256_prefix.size() + sha256_bytes)};
    sign.insert(sign.end(), sha256_prefix.begin(), sha256_prefix.end());
    sign.insert(sign.end(), sha256_bytes, 0x00);
    sign.push_back(0x00);  // Le: the whole signature
    card.send("sign", sign);
    return 0;
}
