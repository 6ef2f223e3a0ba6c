#pragma once

// The reference service's wire format (architecture decision 10, backend
// (b); docs/qualification.md, "Reference service protocol"): what the client
// and the server both compute, so the bytes the card signs are made in one
// place.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace mynacard::qualification {

// The consent choices a patient makes at the reader (§A.3 consent table):
// 薬剤情報, 特定健診情報, 診療情報, 手術情報, 限度額適用, 特定疾病.
enum class ConsentItem { medication, checkups, diagnosis, operation, limit, specific_disease };

// The wire name ("medication", …, "specific_disease").
[[nodiscard]] std::string_view to_string(ConsentItem item) noexcept;
// "medication,checkups,..." (blanks around items allowed, empty list allowed).
// Throws Error(invalid_argument) naming a bad item.
[[nodiscard]] std::vector<ConsentItem> parse_consents(std::string_view list);
// Each item once, in enum order: the canonical form the challenge binds.
[[nodiscard]] std::vector<ConsentItem> canonical_consents(std::vector<ConsentItem> items);

namespace protocol {

inline constexpr std::string_view kChallengePath = "/v1/challenge";
inline constexpr std::string_view kCheckPath = "/v1/check";
// First line of the signed bytes: a new format gets a new name, so a
// signature made for one can never be read as the other.
inline constexpr std::string_view kChallengeFormat = "mynacard-qualification-challenge/1";
// A nonce is 32 random bytes, sent as 64 lowercase hex digits.
inline constexpr std::size_t kNonceBytes = 32;

using TimePoint = std::chrono::system_clock::time_point;

// What the card signs. All fields are checked by canonical_bytes().
struct Challenge {
    std::string nonce;             // 64 lowercase hex digits, from POST /v1/challenge
    std::string institution_code;  // 10 digits, 医療機関コード
    std::string time;              // UTC "YYYY-MM-DDThh:mm:ssZ", the client's clock
    std::vector<ConsentItem> consents;
};

// The signed bytes: five lines joined by "\n", no trailing newline:
//   mynacard-qualification-challenge/1
//   nonce=<hex>
//   institution=<10 digits>
//   time=<YYYY-MM-DDThh:mm:ssZ>
//   consents=<canonical comma list, possibly empty>
// Throws Error(invalid_argument) naming the field that is malformed.
[[nodiscard]] Bytes canonical_bytes(const Challenge& challenge);
// SHA-256 DigestInfo of canonical_bytes(): what the card's auth key signs.
[[nodiscard]] Bytes challenge_digest_info(const Challenge& challenge);

[[nodiscard]] bool is_institution_code(std::string_view code) noexcept;
[[nodiscard]] bool is_nonce(std::string_view nonce) noexcept;
// UTC, second precision.
[[nodiscard]] std::string format_time(TimePoint at);
[[nodiscard]] std::optional<TimePoint> parse_time(std::string_view text);

}  // namespace protocol
}  // namespace mynacard::qualification
