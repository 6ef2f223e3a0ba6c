#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "apdu/channel.h"
#include "core/bytes.h"

namespace mynacard::card {

enum class Pin { auth, sign, text };                      // JPKI 0018, JPKI 001B, text AP 0011
enum class Certificate { auth, sign, auth_ca, sign_ca };  // JPKI EF 000A, 0001, 000B, 0002
enum class Key { auth, sign };                            // JPKI EF 0017, 001A
enum class FaceCode { a, b };  // 照合番号A (My Number) / B (14 digits)

[[nodiscard]] std::string_view to_string(Pin pin) noexcept;
[[nodiscard]] std::string_view to_string(Certificate cert) noexcept;

struct PinRule {
    std::size_t min_length = 4;
    std::size_t max_length = 4;
    bool digits_only = true;              // else A–Z and 0–9
    bool needs_letter_and_digit = false;  // sign password (card-facts.md §2.3)
    int max_tries = 3;
};

// Everything that differs between card generations (decision 13): AIDs, PIN
// model, key size, read chunking. Only `my_number_card()` exists today.
struct CardProfile {
    Bytes jpki_aid, text_aid, face_aid;
    PinRule auth_pin, sign_pin, text_pin;
    std::size_t signature_bytes = 256;  // RSA-2048
    std::size_t max_digest_info = 245;  // k - 11 (card-facts.md §2.6)
    std::size_t read_chunk = 256;       // short READ BINARY (card-facts.md §1.3)

    [[nodiscard]] static const CardProfile& my_number_card();
    [[nodiscard]] const PinRule& rule(Pin pin) const noexcept;
};

// Decision 5: a PIN that breaks the format is refused without touching the
// card. Throws Error(Errc::pin_format) naming the rule, never the PIN.
void check_pin_format(const CardProfile& profile, Pin pin, ByteView value);
// What a user typed, as the card compares it: the sign password upper-cased
// (card-facts.md §2.3: the card does not fold case; jpki/myna upper-cases).
[[nodiscard]] SecureBytes normalise_pin(Pin pin, std::string_view typed);

struct PinOptions {
    // Decision 5: with one try left, VERIFY is refused with
    // Errc::confirmation_required unless the user confirmed explicitly.
    // The tries are read inside the VERIFY's own transaction, so a
    // confirmation given while the card showed more tries does not count:
    // pass true only when the person confirmed a last try.
    bool confirm_last_try = false;
    // Decision 5: a PIN the host has held since the person typed it (a
    // PKCS#11 login session) is sent only while the card shows its full try
    // counter. Any spent try (the PIN was changed or mistyped elsewhere)
    // refuses it with Errc::confirmation_required carrying the tries left,
    // before any VERIFY: at most one try is ever lost this way, never the
    // last one.
    bool held_pin = false;
};

// The card a front end believes is in a reader: the authentication
// certificate it read last. Decision 8 wants the same card checked after a
// reset by another process; that check is only as long-lived as this
// record, so a front end keeps one per reader for as long as it keeps
// anything of that card (login state, certificates) and forgets it when it
// sees the card leave. Not personal data beyond the public certificate.
struct CardIdentity {
    Bytes auth_certificate;  // empty: unknown, nothing to check against
    void forget() noexcept { auth_certificate.clear(); }
};

struct Applications {
    bool jpki = false;
    bool text = false;
    bool face = false;
};

struct BasicFour {           // 基本4情報 (card-facts.md §3.4)
    std::string name;        // UTF-8, U+3000 between family and given name
    std::string address;     // UTF-8
    std::string birth_date;  // YYYYMMDD, Gregorian
    std::string sex;         // JIS X 0303 digit: 1 male, 2 female, 9 n/a
};

struct TextApData {
    std::string my_number;  // 12 digits — never log it (decision 11)
    BasicFour basic;
    Bytes my_number_file;    // EF 0001, the 17 physical bytes
    Bytes basic_file;        // EF 0002, the TLV without filler
    Bytes integrity_record;  // EF 0003
    Bytes ap_certificate;    // EF 0004 (CV certificate of the AP key)
};

// Overwrites every field (decision 11: card data does not outlive its use).
void wipe(TextApData& data) noexcept;

struct FaceData {            // 券面AP EF 0002 (card-facts.md §4.4)
    std::string birth_date;  // YYYYMMDD
    std::string sex;
    std::string expiry;  // YYYYMMDD
    Bytes name_png, address_png, photo_jp2, security_code_png;
    Bytes record;  // the whole TLV, for verification
};

// Overwrites every field, images included (decision 11).
void wipe(FaceData& data) noexcept;

// The My Number Card over any CardChannel. Every public operation runs in
// one channel transaction; operations that verify a PIN end by re-selecting
// the AP so no other process can ride on the verified state (decision 5).
// PINs are never retried (a wrong PIN throws Errc::pin_incorrect with the
// tries left) and never stored.
class MyNumberCard {
  public:
    // `identity` outlives this object: the front end's record of the card in
    // this reader (see CardIdentity).
    MyNumberCard(apdu::CardChannel& channel, CardIdentity& identity,
                 const CardProfile& profile = CardProfile::my_number_card());
    // For a front end that holds nothing of the card beyond this object (a
    // one-shot command): the identity lives as long as the object.
    explicit MyNumberCard(apdu::CardChannel& channel,
                          const CardProfile& profile = CardProfile::my_number_card());
    MyNumberCard(const MyNumberCard&) = delete;
    MyNumberCard& operator=(const MyNumberCard&) = delete;

    // SELECT of each AID only (decision 6): no ATR lists, no other probing.
    [[nodiscard]] Applications detect();

    struct Status {
        Applications applications;
        // Tries left per PIN of the applications present; nothing when the
        // application is absent (e.g. no sign PIN on a minor's card answers
        // 6A82 on SELECT EF 001B).
        std::optional<int> auth, sign, text;
    };
    // detect() and every tries-left query in one transaction, ≤ 10 APDUs.
    [[nodiscard]] Status status();

    // Public certificates (auth, auth_ca, sign_ca), read with a plan from the
    // DER header: SELECT EF, READ 4 bytes, READ the rest in chunks.
    [[nodiscard]] Bytes read_certificate(Certificate which);
    // The signature certificate needs the sign password: VERIFY and read in
    // one transaction, then the security state is reset.
    [[nodiscard]] Bytes read_sign_certificate(const SecureBytes& sign_pin, PinOptions options = {});

    // Empty VERIFY (no try consumed); 0 means blocked.
    [[nodiscard]] int tries_left(Pin pin);

    // VERIFY, key SELECT and SIGN in one transaction, then reset. The input
    // is a DigestInfo (≤ max_digest_info bytes); the card pads PKCS#1 v1.5.
    [[nodiscard]] Bytes sign(Key key, const SecureBytes& pin, ByteView digest_info,
                             PinOptions options = {});

    // Checks a PIN on the card (tries, VERIFY) and resets the security state
    // again: for login semantics (PKCS#11 C_Login) where correctness must be
    // known before any signature is asked for.
    void verify_pin(Pin pin, const SecureBytes& value, PinOptions options = {});

    // The same two with the PIN typed on the reader's PIN pad (decision 9:
    // the reader takes the PIN itself). Only for the digit PINs (auth, text):
    // the sign password has letters a numeric pad cannot type. Throws
    // Error(unsupported) without a PIN pad, Error(cancelled) / Error(timeout)
    // when the user cancelled on the pad or typed nothing in time.
    [[nodiscard]] bool has_pin_pad() { return channel_.has_pin_pad(); }
    void verify_pin_on_pad(Pin pin, PinOptions options = {});
    [[nodiscard]] Bytes sign_on_pad(Key key, ByteView digest_info, PinOptions options = {});

    // VERIFY the current PIN, then CHANGE REFERENCE DATA (00 24 01 80).
    void change_pin(Pin pin, const SecureBytes& current, const SecureBytes& next,
                    PinOptions options = {});

    // 券面事項入力補助AP with its PIN: My Number and the basic four facts,
    // decoded with every length and tag checked, plus the raw records for
    // integrity verification (x509::verify_text_ap_integrity).
    [[nodiscard]] TextApData read_text_ap(const SecureBytes& pin, PinOptions options = {});
    // 券面AP with 照合番号A or B (card-facts.md §4.3). The last-try rule of
    // decision 5 applies to the 照合番号 as to the PINs; held_pin is unused.
    [[nodiscard]] FaceData read_face_ap(FaceCode code, const SecureBytes& value,
                                        PinOptions options = {});

    // Re-selects the JPKI AP: clears any verified state on the card.
    void reset_security_state();

  private:
    class Operation;
    class PinScope;
    // How VERIFY gets its PIN: typed by the host, or on the PIN pad.
    struct PinSource {
        const SecureBytes* typed = nullptr;  // nullptr: the reader's PIN pad
    };
    [[nodiscard]] Bytes sign_with(Key key, PinSource pin, ByteView digest_info, PinOptions options);
    void verify_with(Pin pin, PinSource source, PinOptions options);
    friend class Operation;
    friend class PinScope;
    // After a reset by someone else (CardChannel::take_reset_flag), checks
    // that the card is still the one whose authentication certificate this
    // object has read; throws Error(card_removed) when another card is in.
    void check_same_card_after_reset();

    apdu::CardChannel& channel_;
    const CardProfile& profile_;
    CardIdentity own_identity_;  // used when the caller keeps none
    CardIdentity& identity_;
};

}  // namespace mynacard::card
