#include "quirks/quirks.h"

namespace mynacard::quirks {

namespace {

Capabilities caps(std::optional<bool> extended, std::optional<std::size_t> max_apdu,
                  std::optional<bool> pin_pad, std::optional<unsigned> timeout,
                  std::optional<bool> usable = std::nullopt) {
    return Capabilities{extended, max_apdu, pin_pad, timeout, usable};
}

}  // namespace

const std::vector<Row>& table() {
    // Sources: CCID driver descriptor dumps (LudovicRousseau/CCID readers/*.txt)
    // where cited; otherwise the row says what is assumed and why.
    static const std::vector<Row> rows{
        {0x054C, 0x0DC8, "RC-S300/S", "Sony RC-S300/S (PaSoRi)",
         caps(false, 261, std::nullopt, 1000),
         "Contactless-only PaSoRi common at Japanese desks. Short APDUs only are assumed "
         "(the card is read in 256-byte chunks anyway, card-facts.md §1.3); the My Number "
         "Card's FWI up to 0xD (≈2.5 s, card-facts.md §1.2) needs extra time for signatures."},
        {0x054C, 0x0DC9, "RC-S300/P", "Sony RC-S300/P (PaSoRi)",
         caps(false, 261, std::nullopt, 1000), "As RC-S300/S (the /P variant is the same reader)."},
        {0x054C, 0x06C1, "RC-S380", "Sony RC-S380 (PaSoRi)",
         caps(false, std::nullopt, false, std::nullopt, false),
         "Not a CCID device: it speaks Sony's Port-100 protocol, so pcscd never lists it on "
         "Linux. Users must use a PC/SC reader (e.g. RC-S300) instead; documented so support "
         "can say so at once."},
        {0x054C, 0x06C3, "RC-S380", "Sony RC-S380/P (PaSoRi)",
         caps(false, std::nullopt, false, std::nullopt, false),
         "As RC-S380: Port-100, not PC/SC on Linux."},
        {0x04E6, 0x5116, "SCR3310", "Identiv (SCM) SCR3310 v2.0",
         caps(std::nullopt, std::nullopt, false, std::nullopt),
         "Common contact reader in Japanese offices. It has no keypad: never treat it as a PIN "
         "pad."},
        {0x072F, 0xB100, "ACR39U", "ACS ACR39U ICC Reader",
         caps(std::nullopt, 261, false, std::nullopt),
         "CCID descriptor: TPDU level, dwMaxCCIDMessageLength 271 (= 10-byte header + 261), "
         "bPINSupport 0 (readers/ACS_ACR39U_ICC_Reader.txt)."},
        {0x072F, 0x221A, "ACR1251 Dual Reader SAM", "ACS ACR1251 Dual Reader (SAM slot)",
         caps(false, 278, false, std::nullopt),
         "The SAM interface reports bPINSupport 0x03 (PIN verification/modification) although "
         "the device has no keypad; short APDUs only, dwMaxCCIDMessageLength 288 "
         "(readers/ACS_ACR1251_Dual_Reader.txt)."},
        {0x072F, 0x221A, "ACR1251 Dual Reader PICC", "ACS ACR1251 Dual Reader (contactless)",
         caps(true, 512, false, 500),
         "PICC interface: short and extended APDU level, dwMaxCCIDMessageLength 522 "
         "(readers/ACS_ACR1251_Dual_Reader.txt); contactless field set-up adds latency."},
    };
    return rows;
}

Capabilities for_reader(std::string_view reader_name) {
    Capabilities out;
    for (const auto& row : table()) {
        if (reader_name.find(row.name_pattern) == std::string_view::npos) continue;
        const auto& c = row.caps;
        if (c.extended_apdu) out.extended_apdu = c.extended_apdu;
        if (c.max_apdu) out.max_apdu = c.max_apdu;
        if (c.pin_pad_trustworthy) out.pin_pad_trustworthy = c.pin_pad_trustworthy;
        if (c.extra_timeout_ms) out.extra_timeout_ms = c.extra_timeout_ms;
        if (c.pcsc_usable) out.pcsc_usable = c.pcsc_usable;
    }
    return out;
}

}  // namespace mynacard::quirks
