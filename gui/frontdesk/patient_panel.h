#pragma once

#include <QCheckBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QWidget>

#include <array>

#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/panel_text.h"
#include "gui/kiosk/kiosk_keypad.h"

namespace mynacard::gui {

// Which stack page shows which step (tests and the screen agree on it).
enum class PatientPage { waiting, inspecting, consent, pin, confirm, checking, done, failed };
[[nodiscard]] PatientPage page_of(PatientStep step) noexcept;

inline constexpr std::size_t consent_item_count = 6;

// The patient-facing window (a second top-level window, for a second
// screen facing the patient). It shows the step the controller is in and
// never any result data: the last screen is "please take your card". Its
// language is the patient's to switch; large text on request; the PIN is
// typed on the trusted keypad or the keyboard's digits and shown as dots.
class PatientPanel : public QWidget {
    Q_OBJECT
  public:
    PatientPanel(FrontDeskController& controller, Language language, bool large_text,
                 QWidget* parent = nullptr);

    void setLanguage(Language language);
    [[nodiscard]] Language language() const noexcept { return text_.language(); }
    void setLargeText(bool on);
    [[nodiscard]] bool largeText() const noexcept { return large_; }

    [[nodiscard]] PatientPage currentPage() const;
    [[nodiscard]] KioskKeypad* keypad() const noexcept { return keypad_; }
    [[nodiscard]] QCheckBox* consentBox(std::size_t index) const {
        return consent_boxes_.at(index);
    }
    [[nodiscard]] QPushButton* continueButton() const noexcept { return continue_; }

  protected:
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void build();
    void refresh();
    void retranslate();
    void applyStyle();
    [[nodiscard]] QString t(const char* source) const;
    [[nodiscard]] QString problemText(qualification::DeskProblem problem) const;

    FrontDeskController& controller_;
    PanelText text_;
    bool large_ = false;

    QStackedWidget* stack_ = nullptr;
    QPushButton* language_button_ = nullptr;
    QPushButton* large_button_ = nullptr;
    QLabel* waiting_label_ = nullptr;
    QLabel* inspecting_label_ = nullptr;
    QLabel* consent_title_ = nullptr;
    QLabel* certificate_warning_ = nullptr;
    std::array<QCheckBox*, consent_item_count> consent_boxes_{};
    std::array<QLabel*, consent_item_count> consent_notes_{};
    QPushButton* continue_ = nullptr;
    QPushButton* consent_cancel_ = nullptr;
    QLabel* pin_title_ = nullptr;
    QLabel* pin_dots_ = nullptr;
    QLabel* pin_notice_ = nullptr;
    KioskKeypad* keypad_ = nullptr;
    QLabel* confirm_label_ = nullptr;
    QPushButton* confirm_ok_ = nullptr;
    QPushButton* confirm_cancel_ = nullptr;
    QLabel* checking_label_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* checking_cancel_ = nullptr;
    QLabel* done_label_ = nullptr;
    QLabel* done_note_ = nullptr;
    QLabel* failed_title_ = nullptr;
    QLabel* failed_detail_ = nullptr;
};

}  // namespace mynacard::gui
