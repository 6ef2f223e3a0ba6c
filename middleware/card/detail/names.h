#pragma once

#include <string_view>

#include "card/card.h"

namespace mynacard::card::detail {

// Names people know the secrets by (English and the card's Japanese term),
// used in error texts. Never combined with a secret's value.
[[nodiscard]] constexpr std::string_view pin_name(Pin pin) noexcept {
    switch (pin) {
        case Pin::auth:
            return "user authentication PIN (利用者証明用電子証明書暗証番号)";
        case Pin::sign:
            return "signature password (署名用電子証明書暗証番号)";
        case Pin::text:
            return "card info input support PIN (券面事項入力補助用暗証番号)";
    }
    return "PIN";
}

[[nodiscard]] constexpr std::string_view face_code_name(FaceCode code) noexcept {
    return code == FaceCode::a ? "verification number A (照合番号A)"
                               : "verification number B (照合番号B)";
}

inline constexpr std::string_view jpki_ap_name = "JPKI application (公的個人認証AP)";
inline constexpr std::string_view text_ap_name =
    "card info input support application (券面事項入力補助AP)";
inline constexpr std::string_view face_ap_name = "card face application (券面AP)";

}  // namespace mynacard::card::detail
