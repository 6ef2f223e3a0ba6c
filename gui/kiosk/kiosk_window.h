#pragma once

#include <QColor>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTimer>
#include <QWidget>

#include "gui/kiosk/kiosk_controller.h"
#include "gui/kiosk/kiosk_keypad.h"

namespace mynacard::gui {

// The kiosk palette: dark on light, every pair ≥ 7:1 (WCAG AAA, JIS X
// 8341-3 level AAA) so older citizens and people with low vision can read it.
struct KioskColors {
    static constexpr QRgb text = 0xFF000000;        // black
    static constexpr QRgb background = 0xFFFFFFFF;  // white
    static constexpr QRgb button = 0xFF003366;      // dark blue, white text
    static constexpr QRgb button_text = 0xFFFFFFFF;
    static constexpr QRgb confirm = 0xFF005A2B;  // OK / confirm: dark green, white text
    static constexpr QRgb focus = 0xFFFFD700;    // gold, black text
    static constexpr QRgb alert = 0xFFFFD700;    // card-left banner
    static constexpr QRgb alert_text = 0xFF000000;
    static constexpr QRgb staff = 0xFF8B0000;  // dark red, white text
    static constexpr QRgb staff_text = 0xFFFFFFFF;
    static constexpr QRgb notice_text = 0xFF8B0000;  // errors on white
};

// WCAG 2.x contrast ratio of two opaque colours (1.0 … 21.0).
[[nodiscard]] double contrast_ratio(const QColor& a, const QColor& b);

// Which stack page shows which state (tests and the screen agree on it).
enum class KioskPage {
    start,
    checking,
    pin,
    confirm,
    reading,
    handover,
    remove_card,
    blocked,
    failed,
    operator_login
};

// The kiosk's full-screen window: large high-contrast text, Japanese first
// with an EN/日本語 toggle, an on-screen keypad (digits from the physical
// keyboard work too), every control keyboard-operable with an accessible
// name. It shows what the KioskController decides and never holds a PIN
// digit: the PIN field shows one ● per digit typed.
class KioskWindow : public QWidget {
    Q_OBJECT
  public:
    explicit KioskWindow(KioskController& controller, QWidget* parent = nullptr);
    ~KioskWindow() override;
    KioskWindow(const KioskWindow&) = delete;
    KioskWindow& operator=(const KioskWindow&) = delete;

    // "ja" or "en": installs the catalogues (gui/i18n.h) and retranslates.
    void setLanguage(const QString& language);
    [[nodiscard]] QString language() const { return language_; }
    void setTextScale(double factor);
    [[nodiscard]] double textScale() const noexcept { return text_scale_; }
    // Ctrl+Alt+S or a 3-second press on the title.
    void openOperatorPrompt();
    [[nodiscard]] bool operatorPromptOpen() const noexcept { return prompt_open_; }

    [[nodiscard]] KioskPage currentPage() const;
    [[nodiscard]] KioskKeypad* keypad() const noexcept { return keypad_; }
    [[nodiscard]] bool alertBannerVisible() const;
    [[nodiscard]] bool staffBannerVisible() const;

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void buildUi();
    void applyStyle();
    void updateTexts();
    void onStateChanged(KioskState state);
    void onAlertChanged(bool on);
    void onStaffChanged(bool on);
    void submitOperatorPin();
    void closeOperatorPrompt();
    [[nodiscard]] bool handleKey(QKeyEvent* key);
    [[nodiscard]] QString noticeText() const;
    [[nodiscard]] QString readerStatusText() const;
    [[nodiscard]] QString formatDate(const QString& yyyymmdd) const;
    [[nodiscard]] QString formatSex(const QString& code) const;

    KioskController& controller_;
    QString language_;
    double text_scale_ = 1.0;
    bool prompt_open_ = false;
    int staff_prompt_error_ = 0;  // 0 none, else StaffLogin value + 1

    QLabel* title_ = nullptr;
    QPushButton* language_button_ = nullptr;
    QLabel* alert_banner_ = nullptr;
    QLabel* staff_banner_ = nullptr;
    QWidget* staff_panel_ = nullptr;
    QLabel* staff_reader_ = nullptr;
    QPushButton* staff_larger_ = nullptr;
    QPushButton* staff_smaller_ = nullptr;
    QPushButton* staff_language_ = nullptr;
    QPushButton* staff_restart_ = nullptr;
    QPushButton* staff_exit_ = nullptr;
    QStackedWidget* stack_ = nullptr;

    QLabel* start_text_ = nullptr;
    QLabel* start_hint_ = nullptr;
    QLabel* checking_text_ = nullptr;
    QProgressBar* checking_progress_ = nullptr;
    QLabel* pin_title_ = nullptr;
    QLabel* pin_hint_ = nullptr;
    QLabel* pin_tries_ = nullptr;
    QLineEdit* pin_field_ = nullptr;
    QLabel* pin_notice_ = nullptr;
    KioskKeypad* keypad_ = nullptr;
    QLabel* confirm_text_ = nullptr;
    QPushButton* confirm_yes_ = nullptr;
    QPushButton* confirm_no_ = nullptr;
    QLabel* reading_text_ = nullptr;
    QProgressBar* reading_progress_ = nullptr;
    QLabel* handover_title_ = nullptr;
    QLabel* name_caption_ = nullptr;
    QLabel* name_value_ = nullptr;
    QLabel* address_caption_ = nullptr;
    QLabel* address_value_ = nullptr;
    QLabel* birth_caption_ = nullptr;
    QLabel* birth_value_ = nullptr;
    QLabel* sex_caption_ = nullptr;
    QLabel* sex_value_ = nullptr;
    QLabel* number_caption_ = nullptr;
    QLabel* number_value_ = nullptr;
    QPushButton* number_toggle_ = nullptr;
    QLabel* handover_hint_ = nullptr;
    QPushButton* handover_done_ = nullptr;
    QLabel* remove_text_ = nullptr;
    QLabel* remove_notice_ = nullptr;
    QLabel* blocked_text_ = nullptr;
    QLabel* failed_text_ = nullptr;
    QLabel* operator_title_ = nullptr;
    QLineEdit* operator_pin_ = nullptr;
    QLabel* operator_error_ = nullptr;
    QPushButton* operator_ok_ = nullptr;
    QPushButton* operator_cancel_ = nullptr;

    QTimer flash_timer_;  // card-left banner: flashes, beeps every few flashes
    int flash_count_ = 0;
    QTimer long_press_timer_;  // hidden staff entry on the title
    QTimer staff_exit_timer_;  // "staff mode ended" stays visible a moment
    bool staff_exit_shown_ = false;
};

}  // namespace mynacard::gui
