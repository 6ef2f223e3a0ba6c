#pragma once

#include <QDialog>
#include <QString>

#include "core/bytes.h"
#include "pinhelper/pinhelper.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace mynacard::gui {

// The trusted PIN dialog of `mynacard-helper pin` (decision 9). Names the
// program that asks, why (a closed list: pinhelper::Purpose), the reader and
// the tries left the caller read first (decision 5); refuses malformed PINs
// before anything leaves the dialog; asks for explicit confirmation on the
// last try; with no try left only explains where the PIN is reset.
// With Entry::confirm_last_try it asks no PIN: the program supplied one
// itself and the card shows one try left, so the person allows (ticked box,
// then Allow) or refuses (Cancel, the default) that last try.
//
// Secrets: the field is in Password mode; the PIN is copied once, on OK,
// into zeroising memory (take_pin) and every Qt buffer that held it is
// overwritten. The field is emptied on every close.
class PinDialog : public QDialog {
    Q_OBJECT

  public:
    // confirmed: the last try was allowed (Entry::confirm_last_try only).
    enum class Outcome { entered, cancelled, timed_out, blocked, confirmed };

    // request.program is the executable the helper verified itself;
    // `stated_program` the caller's own --program text, shown only as a
    // subtitle when it differs (never as the name).
    explicit PinDialog(const pinhelper::Request& request, QWidget* parent = nullptr);
    PinDialog(const pinhelper::Request& request, const QString& stated_program,
              QWidget* parent = nullptr);
    ~PinDialog() override;
    PinDialog(const PinDialog&) = delete;
    PinDialog& operator=(const PinDialog&) = delete;

    // After the dialog closed: what happened.
    [[nodiscard]] Outcome outcome() const noexcept { return outcome_; }
    // The PIN as the card compares it (sign password upper-cased), format
    // checked; empty unless outcome() is entered. Hands it over once.
    [[nodiscard]] SecureBytes take_pin();

    // Whether the current entry may be sent: well-formed and, on the last
    // try, confirmed. OK is enabled exactly then. Confirming a last try:
    // whether the box is ticked (Allow is enabled exactly then).
    [[nodiscard]] bool can_accept() const;

    // For tests and accessibility tools: the controls by role.
    [[nodiscard]] QLineEdit* pin_field() const noexcept { return field_; }
    // OK; "Allow" when confirming a last try.
    [[nodiscard]] QPushButton* ok_button() const noexcept { return ok_; }
    [[nodiscard]] QPushButton* cancel_button() const noexcept { return cancel_; }
    [[nodiscard]] QCheckBox* last_try_box() const noexcept { return confirm_; }
    [[nodiscard]] QLabel* message_label() const noexcept { return message_; }
    // Who asks: the name in bold, and the caller's own claim (nothing when
    // it matches or none was given).
    [[nodiscard]] QLabel* program_label() const noexcept { return program_; }
    [[nodiscard]] QLabel* stated_label() const noexcept { return stated_; }
    // The keypad button of digit 0–9 (nothing for the sign password).
    [[nodiscard]] QPushButton* keypad_button(int digit) const;

  public slots:
    void accept() override;
    void reject() override;
    void done(int result) override;

  private:
    void build_entry(QWidget* body);
    void build_blocked(QWidget* body);
    void build_confirm(QWidget* body);
    [[nodiscard]] bool confirming() const noexcept {
        return request_.entry == pinhelper::Entry::confirm_last_try;
    }
    // The countdown of --timeout, when there is one.
    void start_countdown(QVBoxLayout* layout);
    void type_digit(int digit);
    void erase_last();
    void update_state();
    void tick();
    // Overwrites and empties the field, its undo history with it.
    void wipe_field();

    pinhelper::Request request_;
    Outcome outcome_ = Outcome::cancelled;
    SecureBytes pin_;
    QLineEdit* field_ = nullptr;
    QPushButton* ok_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QCheckBox* confirm_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* program_ = nullptr;
    QLabel* stated_ = nullptr;
    QLabel* countdown_ = nullptr;
    QTimer* timer_ = nullptr;
    QPushButton* keys_[10] = {};
    long remaining_ = 0;  // seconds, with a timeout
};

// Human names, translated (PinDialog context): the PIN as users know it
// from the card's papers, and the purpose as a phrase.
[[nodiscard]] QString pin_title(card::Pin pin);
[[nodiscard]] QString purpose_text(pinhelper::Purpose purpose);

}  // namespace mynacard::gui
