#pragma once

#include <QString>

#include <string_view>

#include "card/card.h"
#include "x509/x509.h"

// Words and dates for what the card view and the consent dialog show about
// certificates and the holder. Shared so both say the same thing the same way.
namespace mynacard::gui {

enum class Validity { valid, expiring_soon, expired, not_yet_valid };

// `expiring_soon`: ends within three calendar months of `now` — time enough
// to renew the card's certificates at the municipal office.
[[nodiscard]] Validity validity_of(const x509::Certificate& cert, x509::TimePoint now);
// A sentence for `expiring_soon`, `expired` and `not_yet_valid`; empty when valid.
[[nodiscard]] QString validity_warning(const x509::Certificate& cert, x509::TimePoint now);
[[nodiscard]] QString validity_text(Validity v);

// The certificate as users know it ("Signature certificate", …).
[[nodiscard]] QString certificate_title(card::Certificate which);
// A point in time in the user's locale and time zone.
[[nodiscard]] QString local_time_text(x509::TimePoint t);
// YYYYMMDD as a date in the user's locale; the raw text when it is not one.
[[nodiscard]] QString date_text(std::string_view yyyymmdd);
// JIS X 0303 sex code in words.
[[nodiscard]] QString sex_text(std::string_view code);

}  // namespace mynacard::gui
