#pragma once

#include <QEvent>
#include <QPushButton>
#include <QRandomGenerator>
#include <QWidget>

#include <array>

namespace mynacard::gui {

// The on-screen numeric keypad: a 4×3 grid whose ten digit slots are
// 0–8 and 10; slot 9 is always Clear and slot 11 always OK, and Cancel
// spans the row below, so people who learned where the controls are (or
// feel for them) find them even when the digits move.
inline constexpr int keypad_digit_slots = 10;
inline constexpr std::array<int, keypad_digit_slots> keypad_slot_positions = {0, 1, 2, 3, 4,
                                                                              5, 6, 7, 8, 10};
inline constexpr int keypad_clear_slot = 9;
inline constexpr int keypad_ok_slot = 11;

// The digits in slot order. Unrandomised: 1–9 then 0 (the telephone layout
// of Japanese ATMs and kiosks). Randomised: a uniform permutation that
// differs from `previous` when one is given, so each attempt looks
// different to someone watching the hand.
using KeypadOrder = std::array<int, keypad_digit_slots>;
[[nodiscard]] KeypadOrder keypad_digit_order(bool randomise, QRandomGenerator& rng,
                                             const KeypadOrder* previous = nullptr);

class KioskKeypad : public QWidget {
    Q_OBJECT
  public:
    explicit KioskKeypad(bool randomise, QWidget* parent = nullptr);

    // A new digit order (when randomised) for the next attempt.
    void shuffle();
    [[nodiscard]] const KeypadOrder& order() const noexcept { return order_; }
    [[nodiscard]] QPushButton* digitButton(int digit) const;
    [[nodiscard]] QPushButton* clearButton() const noexcept { return clear_; }
    [[nodiscard]] QPushButton* okButton() const noexcept { return ok_; }
    [[nodiscard]] QPushButton* cancelButton() const noexcept { return cancel_; }
    // Slot index → button, for tests that check the fixed positions.
    [[nodiscard]] QPushButton* buttonAtSlot(int slot) const;

  signals:
    void digitPressed(int digit);
    void clearPressed();
    void okPressed();
    void cancelPressed();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void applyOrder();
    void retranslate();

    bool randomise_;
    KeypadOrder order_{};
    std::array<QPushButton*, keypad_digit_slots> digits_{};  // by slot
    QPushButton* clear_ = nullptr;
    QPushButton* ok_ = nullptr;
    QPushButton* cancel_ = nullptr;
};

}  // namespace mynacard::gui
