#include "gui/kiosk/kiosk_keypad.h"

#include <QEvent>
#include <QGridLayout>
#include <QTimer>

#include <algorithm>
#include <numeric>

namespace mynacard::gui {

namespace {
constexpr int keypad_columns = 3;
// Ten tries at a permutation different from the last one: with 10! orders a
// repeat is already unlikely, this only makes "different" a guarantee.
constexpr int shuffle_attempts = 10;
// Large touch targets (well above the 44 px minimum of WCAG 2.5.5), all the
// same size so the grid reads as a keypad.
constexpr int key_min_width = 150;
constexpr int key_min_height = 72;

// Every key as wide as the widest label needs in the keypad font (English
// "Clear" is wider than the 150 px minimum), so the grid stays uniform and
// no label is cut.
void equalise_widths(const std::array<QPushButton*, keypad_digit_slots>& digits,
                     std::initializer_list<QPushButton*> others) {
    int widest = key_min_width;
    for (const QPushButton* b : digits) widest = std::max(widest, b->sizeHint().width());
    for (const QPushButton* b : others) widest = std::max(widest, b->sizeHint().width());
    for (QPushButton* b : digits) b->setMinimumWidth(widest);
    for (QPushButton* b : others) b->setMinimumWidth(widest);
}
}  // namespace

KeypadOrder keypad_digit_order(bool randomise, QRandomGenerator& rng, const KeypadOrder* previous) {
    KeypadOrder order{};
    std::iota(order.begin(), order.end() - 1, 1);  // 1..9
    order.back() = 0;
    if (!randomise) return order;
    for (int i = 0; i < shuffle_attempts; ++i) {
        std::shuffle(order.begin(), order.end(), rng);
        if (!previous || order != *previous) break;
    }
    return order;
}

KioskKeypad::KioskKeypad(bool randomise, QWidget* parent) : QWidget(parent), randomise_(randomise) {
    setObjectName("kioskKeypad");
    auto* grid = new QGridLayout(this);
    grid->setSpacing(12);
    for (std::size_t s = 0; s < digits_.size(); ++s) {
        auto* b = new QPushButton(this);
        b->setProperty("kioskRole", "digit");
        b->setMinimumSize(key_min_width, key_min_height);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        b->setFocusPolicy(Qt::StrongFocus);
        const int pos = keypad_slot_positions.at(s);
        grid->addWidget(b, pos / keypad_columns, pos % keypad_columns);
        digits_.at(s) = b;
        connect(b, &QPushButton::clicked, this, [this, s]() { emit digitPressed(order_.at(s)); });
    }
    clear_ = new QPushButton(this);
    clear_->setObjectName("key_clear");
    ok_ = new QPushButton(this);
    ok_->setObjectName("key_ok");
    ok_->setProperty("kioskRole", "primary");
    cancel_ = new QPushButton(this);
    cancel_->setObjectName("key_cancel");
    for (auto* b : {clear_, ok_, cancel_}) {
        b->setFocusPolicy(Qt::StrongFocus);
        b->setMinimumSize(key_min_width, key_min_height);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }
    for (int col = 0; col < keypad_columns; ++col) grid->setColumnStretch(col, 1);
    grid->addWidget(clear_, keypad_clear_slot / keypad_columns, keypad_clear_slot % keypad_columns);
    grid->addWidget(ok_, keypad_ok_slot / keypad_columns, keypad_ok_slot % keypad_columns);
    grid->addWidget(cancel_, 4, 0, 1, keypad_columns);
    connect(clear_, &QPushButton::clicked, this, &KioskKeypad::clearPressed);
    connect(ok_, &QPushButton::clicked, this, &KioskKeypad::okPressed);
    connect(cancel_, &QPushButton::clicked, this, &KioskKeypad::cancelPressed);

    order_ = keypad_digit_order(randomise_, *QRandomGenerator::system());
    applyOrder();
    retranslate();
}

void KioskKeypad::shuffle() {
    if (!randomise_) return;
    const KeypadOrder previous = order_;
    // The system generator: the layout is a (small) secret against someone
    // watching where the finger goes.
    order_ = keypad_digit_order(true, *QRandomGenerator::system(), &previous);
    applyOrder();
    retranslate();
}

QPushButton* KioskKeypad::digitButton(int digit) const {
    for (std::size_t s = 0; s < order_.size(); ++s)
        if (order_.at(s) == digit) return digits_.at(s);
    return nullptr;
}

QPushButton* KioskKeypad::buttonAtSlot(int slot) const {
    if (slot == keypad_clear_slot) return clear_;
    if (slot == keypad_ok_slot) return ok_;
    for (std::size_t s = 0; s < keypad_slot_positions.size(); ++s)
        if (keypad_slot_positions.at(s) == slot) return digits_.at(s);
    return nullptr;
}

void KioskKeypad::applyOrder() {
    for (std::size_t s = 0; s < digits_.size(); ++s) {
        const int d = order_.at(s);
        digits_.at(s)->setText(QString::number(d));
        digits_.at(s)->setObjectName(QStringLiteral("digit_%1").arg(d));
        digits_.at(s)->setProperty("digit", d);
    }
}

void KioskKeypad::retranslate() {
    for (std::size_t s = 0; s < digits_.size(); ++s)
        digits_.at(s)->setAccessibleName(tr("Digit %1").arg(order_.at(s)));
    clear_->setText(tr("Clear"));
    clear_->setAccessibleName(tr("Clear all digits"));
    ok_->setText(tr("OK"));
    ok_->setAccessibleName(tr("OK: confirm the PIN"));
    cancel_->setText(tr("Cancel"));
    cancel_->setAccessibleName(tr("Cancel and take the card"));
    equalise_widths(digits_, {clear_, ok_});
}

void KioskKeypad::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    // The window's style sheet sets the keypad font: measure once it applies.
    if (event->type() == QEvent::StyleChange || event->type() == QEvent::FontChange)
        QTimer::singleShot(0, this, [this]() { equalise_widths(digits_, {clear_, ok_}); });
    QWidget::changeEvent(event);
}

}  // namespace mynacard::gui
