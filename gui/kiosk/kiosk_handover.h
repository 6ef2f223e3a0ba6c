#pragma once

#include <QDateTime>
#include <QString>

#include <memory>
#include <string>
#include <string_view>

#include "card/card.h"
#include "gui/kiosk/kiosk_config.h"

namespace mynacard::gui {

// One citizen's 券面事項入力補助 data while the kiosk needs it. The strings
// are overwritten when the object goes away (decision 11: nothing personal
// lingers once the card is taken). Shared by pointer so the data is never
// copied on its way from the worker thread to the screen.
struct KioskCardData {
    std::string my_number;   // 12 digits
    std::string name;        // UTF-8
    std::string address;     // UTF-8
    std::string birth_date;  // YYYYMMDD
    std::string sex;         // JIS X 0303: 1 male, 2 female, 9 not applicable

    KioskCardData() = default;
    ~KioskCardData() { wipe(); }
    KioskCardData(const KioskCardData&) = delete;
    KioskCardData& operator=(const KioskCardData&) = delete;
    void wipe() noexcept;
};

// Copies what the kiosk hands over out of `data` and overwrites every
// personal field and record of `data` in place.
[[nodiscard]] std::shared_ptr<KioskCardData> take_kiosk_card_data(card::TextApData& data);

// "●●●● ●●●● 4842": the last four digits let a person check it is their
// card without showing the number (decision 11).
[[nodiscard]] QString mask_my_number(std::string_view my_number);

// The one-line JSON handed to the kiosk application (schema in
// docs/kiosk.md). Written by hand rather than through a JSON library so the
// only copy of the text is this string, which the caller wipes.
[[nodiscard]] std::string kiosk_handover_json(const KioskCardData& data, const QString& reader,
                                              const QDateTime& when);
// Writes `line` plus a newline to stdout or to the configured Unix socket
// (connect, write, close; 2 s send time-out so a stuck listener cannot
// freeze the kiosk). False when it could not be delivered.
[[nodiscard]] bool write_kiosk_output(const KioskOutput& output, std::string_view line);

}  // namespace mynacard::gui
