#include "gui/kiosk/kiosk_window.h"

#include <QApplication>
#include <QDate>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QRegularExpressionValidator>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/bytes.h"
#include "gui/common/certificate_info.h"
#include "gui/common/i18n.h"

namespace mynacard::gui {

namespace {

// Base sizes in points before the configured factor: a kiosk is read from
// arm's length by people who may not have their glasses.
constexpr double base_point_size = 26.0;
constexpr double title_factor = 1.5;
constexpr double keypad_factor = 1.4;
constexpr double text_scale_step = 0.25;

double linear(double channel) {
    return channel <= 0.03928 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c) {
    // Qt 6's redF() and friends are float.
    const auto lin = [](float channel) { return linear(static_cast<double>(channel)); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}

QString hex(QRgb c) {
    return QColor(c).name();
}

QLabel* wrapped_label(QWidget* parent, const char* object_name) {
    auto* l = new QLabel(parent);
    l->setObjectName(object_name);
    l->setWordWrap(true);
    l->setAlignment(Qt::AlignCenter);
    l->setTextFormat(Qt::PlainText);  // card data is never interpreted as markup
    return l;
}

QPushButton* big_button(QWidget* parent, const char* object_name) {
    auto* b = new QPushButton(parent);
    b->setObjectName(object_name);
    b->setFocusPolicy(Qt::StrongFocus);
    b->setMinimumHeight(80);
    return b;
}

}  // namespace

double contrast_ratio(const QColor& a, const QColor& b) {
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void KioskWindow::buildUi() {
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(32, 24, 32, 24);
    root->setSpacing(16);

    auto* header = new QHBoxLayout;
    title_ = new QLabel(this);
    title_->setObjectName("kioskTitle");
    title_->setTextFormat(Qt::PlainText);
    // Wraps rather than widening the window past a 1280-pixel screen.
    title_->setWordWrap(true);
    language_button_ = big_button(this, "languageToggle");
    header->addWidget(title_, 1);
    header->addWidget(language_button_);
    root->addLayout(header);

    alert_banner_ = wrapped_label(this, "alertBanner");
    alert_banner_->hide();
    root->addWidget(alert_banner_);

    staff_banner_ = wrapped_label(this, "staffBanner");
    staff_banner_->hide();
    root->addWidget(staff_banner_);

    staff_panel_ = new QWidget(this);
    staff_panel_->setObjectName("staffPanel");
    auto* sp_rows = new QVBoxLayout(staff_panel_);
    staff_reader_ = wrapped_label(staff_panel_, "staffReaderStatus");
    sp_rows->addWidget(staff_reader_);
    auto* sp = new QHBoxLayout;
    sp_rows->addLayout(sp);
    staff_smaller_ = big_button(staff_panel_, "staffSmaller");
    staff_larger_ = big_button(staff_panel_, "staffLarger");
    staff_language_ = big_button(staff_panel_, "staffLanguage");
    staff_restart_ = big_button(staff_panel_, "staffRestart");
    staff_exit_ = big_button(staff_panel_, "staffExit");
    for (auto* b : {staff_smaller_, staff_larger_, staff_language_, staff_restart_, staff_exit_})
        sp->addWidget(b);
    staff_panel_->hide();
    root->addWidget(staff_panel_);

    stack_ = new QStackedWidget(this);
    root->addWidget(stack_, 1);
    // Only the page on screen counts for the window's minimum size: the
    // keypad page must not push the take-your-card alert off a Full HD screen.
    connect(stack_, &QStackedWidget::currentChanged, this, [this](int current) {
        for (int i = 0; i < stack_->count(); ++i) {
            const auto policy = i == current ? QSizePolicy::Preferred : QSizePolicy::Ignored;
            stack_->widget(i)->setSizePolicy(policy, policy);
        }
    });

    auto page = [this](const char* name) {
        auto* w = new QWidget(stack_);
        w->setObjectName(name);
        auto* l = new QVBoxLayout(w);
        l->setSpacing(16);
        stack_->addWidget(w);
        return std::pair{w, l};
    };

    // Order matches KioskPage.
    {
        auto [w, l] = page("pageStart");
        start_text_ = wrapped_label(w, "startText");
        start_hint_ = wrapped_label(w, "startHint");
        l->addStretch();
        l->addWidget(start_text_);
        l->addWidget(start_hint_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pageChecking");
        checking_text_ = wrapped_label(w, "checkingText");
        checking_progress_ = new QProgressBar(w);
        checking_progress_->setRange(0, 0);  // busy: the card gives no percentage
        checking_progress_->setTextVisible(false);
        l->addStretch();
        l->addWidget(checking_text_);
        l->addWidget(checking_progress_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pagePin");
        pin_title_ = wrapped_label(w, "pinTitle");
        pin_hint_ = wrapped_label(w, "pinHint");
        pin_tries_ = wrapped_label(w, "pinTries");
        pin_field_ = new QLineEdit(w);
        pin_field_->setObjectName("pinField");
        pin_field_->setReadOnly(true);
        pin_field_->setAlignment(Qt::AlignCenter);
        pin_field_->setFocusPolicy(Qt::NoFocus);  // input comes from the keypad or keys
        pin_field_->setMaximumWidth(420);
        pin_notice_ = wrapped_label(w, "pinNotice");
        keypad_ = new KioskKeypad(controller_.config().randomise_keypad, w);
        keypad_->setMaximumWidth(640);
        l->addWidget(pin_title_);
        l->addWidget(pin_hint_);
        l->addWidget(pin_tries_);
        l->addWidget(pin_field_, 0, Qt::AlignHCenter);
        l->addWidget(pin_notice_);
        l->addWidget(keypad_, 1, Qt::AlignHCenter);
        connect(keypad_, &KioskKeypad::digitPressed, &controller_, &KioskController::appendDigit);
        connect(keypad_, &KioskKeypad::clearPressed, &controller_, &KioskController::clearPin);
        connect(keypad_, &KioskKeypad::okPressed, &controller_, &KioskController::submitPin);
        connect(keypad_, &KioskKeypad::cancelPressed, &controller_, &KioskController::cancel);
    }
    {
        auto [w, l] = page("pageConfirm");
        confirm_text_ = wrapped_label(w, "confirmText");
        confirm_yes_ = big_button(w, "confirmYes");
        confirm_no_ = big_button(w, "confirmNo");
        l->addStretch();
        l->addWidget(confirm_text_);
        l->addWidget(confirm_yes_);
        l->addWidget(confirm_no_);
        l->addStretch();
        connect(confirm_yes_, &QPushButton::clicked, &controller_,
                &KioskController::confirmLastTry);
        connect(confirm_no_, &QPushButton::clicked, &controller_, &KioskController::cancel);
    }
    {
        auto [w, l] = page("pageReading");
        reading_text_ = wrapped_label(w, "readingText");
        reading_progress_ = new QProgressBar(w);
        reading_progress_->setRange(0, 0);
        reading_progress_->setTextVisible(false);
        l->addStretch();
        l->addWidget(reading_text_);
        l->addWidget(reading_progress_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pageHandover");
        handover_title_ = wrapped_label(w, "handoverTitle");
        auto* grid = new QGridLayout;
        // The page by name: clang 14 cannot capture a structured binding.
        QWidget* const page_widget = w;
        auto row = [&](QLabel*& caption, QLabel*& value, const char* cname, const char* vname,
                       int r) {
            caption = new QLabel(page_widget);
            caption->setObjectName(cname);
            value = new QLabel(page_widget);
            value->setObjectName(vname);
            value->setTextFormat(Qt::PlainText);
            value->setWordWrap(true);
            grid->addWidget(caption, r, 0, Qt::AlignRight | Qt::AlignTop);
            grid->addWidget(value, r, 1);
        };
        row(name_caption_, name_value_, "nameCaption", "nameValue", 0);
        row(address_caption_, address_value_, "addressCaption", "addressValue", 1);
        row(birth_caption_, birth_value_, "birthCaption", "birthValue", 2);
        row(sex_caption_, sex_value_, "sexCaption", "sexValue", 3);
        row(number_caption_, number_value_, "numberCaption", "numberValue", 4);
        number_toggle_ = big_button(w, "numberToggle");
        number_toggle_->setCheckable(true);
        grid->addWidget(number_toggle_, 4, 2);
        grid->setColumnStretch(1, 1);
        handover_hint_ = wrapped_label(w, "handoverHint");
        handover_done_ = big_button(w, "handoverDone");
        handover_done_->setProperty("kioskRole", "primary");
        l->addWidget(handover_title_);
        l->addLayout(grid);
        l->addStretch();
        l->addWidget(handover_hint_);
        l->addWidget(handover_done_);
        connect(number_toggle_, &QPushButton::toggled, &controller_,
                &KioskController::setMyNumberRevealed);
        connect(handover_done_, &QPushButton::clicked, &controller_, &KioskController::finish);
    }
    {
        auto [w, l] = page("pageRemove");
        remove_text_ = wrapped_label(w, "removeText");
        remove_notice_ = wrapped_label(w, "removeNotice");
        l->addStretch();
        l->addWidget(remove_text_);
        l->addWidget(remove_notice_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pageBlocked");
        blocked_text_ = wrapped_label(w, "blockedText");
        l->addStretch();
        l->addWidget(blocked_text_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pageFailed");
        failed_text_ = wrapped_label(w, "failedText");
        l->addStretch();
        l->addWidget(failed_text_);
        l->addStretch();
    }
    {
        auto [w, l] = page("pageOperator");
        operator_title_ = wrapped_label(w, "operatorTitle");
        operator_pin_ = new QLineEdit(w);
        operator_pin_->setObjectName("operatorPin");
        operator_pin_->setEchoMode(QLineEdit::Password);
        operator_pin_->setMaxLength(operator_pin_max_length);
        operator_pin_->setValidator(
            new QRegularExpressionValidator(QRegularExpression("[0-9]*"), operator_pin_));
        operator_pin_->setMaximumWidth(520);
        operator_error_ = wrapped_label(w, "operatorError");
        operator_ok_ = big_button(w, "operatorOk");
        operator_cancel_ = big_button(w, "operatorCancel");
        l->addStretch();
        l->addWidget(operator_title_);
        l->addWidget(operator_pin_, 0, Qt::AlignHCenter);
        l->addWidget(operator_error_);
        l->addWidget(operator_ok_);
        l->addWidget(operator_cancel_);
        l->addStretch();
        connect(operator_ok_, &QPushButton::clicked, this, &KioskWindow::submitOperatorPin);
        connect(operator_pin_, &QLineEdit::returnPressed, this, &KioskWindow::submitOperatorPin);
        connect(operator_cancel_, &QPushButton::clicked, this, &KioskWindow::closeOperatorPrompt);
    }

    auto toggle_language = [this]() { setLanguage(language_ == "ja" ? "en" : "ja"); };
    connect(language_button_, &QPushButton::clicked, this, toggle_language);
    connect(staff_language_, &QPushButton::clicked, this, toggle_language);
    connect(staff_larger_, &QPushButton::clicked, this,
            [this]() { setTextScale(text_scale_ + text_scale_step); });
    connect(staff_smaller_, &QPushButton::clicked, this,
            [this]() { setTextScale(text_scale_ - text_scale_step); });
    connect(staff_restart_, &QPushButton::clicked, &controller_,
            &KioskController::staffReturnToStart);
    connect(staff_exit_, &QPushButton::clicked, &controller_, &KioskController::staffLogout);
}

void KioskWindow::applyStyle() {
    // One style sheet for colours and sizes: Qt's style sheets override
    // fonts set with setFont() on children, so sizes live here too and the
    // staff text-size control rebuilds it. Focus is shown by inverting a
    // button to gold with black text, visible to keyboard users.
    const double base = base_point_size * text_scale_;
    const QString sizes = QString(R"(
        QWidget#kioskWindow, QWidget#kioskWindow QWidget { font-size: %1pt; }
        QWidget#kioskWindow QLabel#kioskTitle, QWidget#kioskWindow QLabel#startText,
        QWidget#kioskWindow QLabel#pinTitle, QWidget#kioskWindow QLabel#removeText,
        QWidget#kioskWindow QLabel#handoverTitle, QWidget#kioskWindow QLabel#alertBanner,
        QWidget#kioskWindow QLabel#confirmText, QWidget#kioskWindow QLabel#blockedText
            { font-size: %2pt; font-weight: bold; }
        QWidget#kioskWindow QWidget#kioskKeypad QPushButton,
        QWidget#kioskWindow QLineEdit#pinField { font-size: %3pt; font-weight: bold; }
    )")
                              .arg(base, 0, 'f', 1)
                              .arg(base * title_factor, 0, 'f', 1)
                              .arg(base * keypad_factor, 0, 'f', 1);
    setStyleSheet(sizes + QString(R"(
        QWidget#kioskWindow, QStackedWidget > QWidget { background: %1; color: %2; }
        QLabel { color: %2; background: transparent; }
        QLabel#pinNotice, QLabel#operatorError, QLabel#removeNotice { color: %8; }
        QPushButton { background: %3; color: %4; border: 4px solid %3; border-radius: 12px;
                      padding: 12px 24px; }
        QPushButton[kioskRole="primary"] { background: %11; border-color: %11; }
        QPushButton:focus, QPushButton:pressed { background: %5; color: %2; border: 4px solid %2; }
        QPushButton:disabled { background: %1; color: %2; border: 4px dashed %2; }
        QLineEdit { background: %1; color: %2; border: 4px solid %2; padding: 8px; }
        QProgressBar { border: 4px solid %2; background: %1; min-height: 32px; }
        QProgressBar::chunk { background: %3; }
        QLabel#alertBanner { background: %6; color: %7; border: 6px solid %7; padding: 16px; }
        QLabel#alertBanner[flash="true"] { background: %7; color: %6; border: 6px solid %6; }
        QLabel#staffBanner { background: %9; color: %10; padding: 16px; }
        QWidget#staffPanel { background: %1; border: 4px solid %9; }
    )")
                              .arg(hex(KioskColors::background), hex(KioskColors::text),
                                   hex(KioskColors::button), hex(KioskColors::button_text),
                                   hex(KioskColors::focus), hex(KioskColors::alert),
                                   hex(KioskColors::alert_text), hex(KioskColors::notice_text),
                                   hex(KioskColors::staff))
                              .arg(hex(KioskColors::staff_text), hex(KioskColors::confirm)));
}

}  // namespace mynacard::gui
