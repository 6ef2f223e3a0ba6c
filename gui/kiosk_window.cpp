#include "gui/kiosk_window.h"

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
#include "gui/certificate_info.h"
#include "gui/i18n.h"

namespace mynacard::gui {

namespace {

// Base sizes in points before the configured factor: a kiosk is read from
// arm's length by people who may not have their glasses.
constexpr double base_point_size = 26.0;
constexpr double title_factor = 1.5;
constexpr double keypad_factor = 1.4;
constexpr double min_text_scale = 1.0;
constexpr double max_text_scale = 3.0;
constexpr double text_scale_step = 0.25;
constexpr int flash_ms = 500;
constexpr int beep_every_flashes = 4;  // a beep every 2 s while the card is left
constexpr int long_press_ms = 3000;
constexpr int staff_exit_banner_ms = 5000;

double linear(double channel) {
    return channel <= 0.03928 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c) {
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
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

KioskWindow::KioskWindow(KioskController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    setObjectName("kioskWindow");
    buildUi();
    setTextScale(controller_.config().text_size);

    connect(&controller_, &KioskController::changed, this, &KioskWindow::updateTexts);
    connect(&controller_, &KioskController::stateChanged, this, &KioskWindow::onStateChanged);
    connect(&controller_, &KioskController::pinEntryStarted, keypad_, &KioskKeypad::shuffle);
    connect(&controller_, &KioskController::cardLeftAlertChanged, this,
            &KioskWindow::onAlertChanged);
    connect(&controller_, &KioskController::staffModeChanged, this, &KioskWindow::onStaffChanged);

    flash_timer_.setInterval(flash_ms);
    connect(&flash_timer_, &QTimer::timeout, this, [this]() {
        ++flash_count_;
        alert_banner_->setProperty("flash", flash_count_ % 2 == 1);
        alert_banner_->style()->unpolish(alert_banner_);
        alert_banner_->style()->polish(alert_banner_);
        if (flash_count_ % beep_every_flashes == 0) QApplication::beep();
    });
    long_press_timer_.setSingleShot(true);
    long_press_timer_.setInterval(long_press_ms);
    connect(&long_press_timer_, &QTimer::timeout, this, &KioskWindow::openOperatorPrompt);
    staff_exit_timer_.setSingleShot(true);
    staff_exit_timer_.setInterval(staff_exit_banner_ms);
    connect(&staff_exit_timer_, &QTimer::timeout, this, [this]() {
        staff_exit_shown_ = false;
        updateTexts();
    });

    // Keys and touches anywhere in the window (digits, the staff shortcut,
    // activity for the idle timer), whichever widget has the focus.
    qApp->installEventFilter(this);
    title_->installEventFilter(this);
    setLanguage(controller_.config().language);
    onStateChanged(controller_.state());
}

KioskWindow::~KioskWindow() {
    qApp->removeEventFilter(this);
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
        auto row = [&](QLabel*& caption, QLabel*& value, const char* cname, const char* vname,
                       int r) {
            caption = new QLabel(w);
            caption->setObjectName(cname);
            value = new QLabel(w);
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

void KioskWindow::setTextScale(double factor) {
    text_scale_ = std::clamp(factor, min_text_scale, max_text_scale);
    applyStyle();
    updateTexts();
}

void KioskWindow::setLanguage(const QString& language) {
    language_ = language == "en" ? QStringLiteral("en") : QStringLiteral("ja");
    // The helper's shared catalogue loader: kiosk_<lang>.qm plus Qt's own
    // strings, and the default QLocale follows.
    install_translations(*QCoreApplication::instance(), language_from(language_));
    // install/removeTranslator post LanguageChange; update now too so the
    // screen never shows a mix of languages for one frame.
    updateTexts();
}

KioskPage KioskWindow::currentPage() const {
    return static_cast<KioskPage>(stack_->currentIndex());
}

bool KioskWindow::alertBannerVisible() const {
    return !alert_banner_->isHidden();
}
bool KioskWindow::staffBannerVisible() const {
    return !staff_banner_->isHidden();
}

void KioskWindow::onStateChanged(KioskState state) {
    if (prompt_open_) {
        updateTexts();
        return;
    }
    KioskPage p = KioskPage::start;
    switch (state) {
        case KioskState::start:
            p = KioskPage::start;
            break;
        case KioskState::checking:
            p = KioskPage::checking;
            break;
        case KioskState::pin_entry:
            p = KioskPage::pin;
            break;
        case KioskState::confirm_last_try:
            p = KioskPage::confirm;
            break;
        case KioskState::reading:
            p = KioskPage::reading;
            break;
        case KioskState::handover:
            p = KioskPage::handover;
            break;
        case KioskState::remove_card:
            p = KioskPage::remove_card;
            break;
        case KioskState::blocked:
            p = KioskPage::blocked;
            break;
        case KioskState::failed:
            p = KioskPage::failed;
            break;
    }
    stack_->setCurrentIndex(static_cast<int>(p));
    if (state != KioskState::handover) number_toggle_->setChecked(false);
    // Keyboard users land on the page's main control.
    if (p == KioskPage::pin && keypad_->okButton()) keypad_->okButton()->setFocus();
    if (p == KioskPage::confirm) confirm_no_->setFocus();
    if (p == KioskPage::handover) handover_done_->setFocus();
    updateTexts();
}

void KioskWindow::onAlertChanged(bool on) {
    flash_count_ = 0;
    if (on) {
        QApplication::beep();
        flash_timer_.start();
    } else {
        flash_timer_.stop();
    }
    updateTexts();
}

void KioskWindow::onStaffChanged(bool on) {
    if (!on) {
        staff_exit_shown_ = true;
        staff_exit_timer_.start();
    } else {
        staff_exit_shown_ = false;
        staff_exit_timer_.stop();
    }
    onStateChanged(controller_.state());
}

void KioskWindow::openOperatorPrompt() {
    if (!controller_.staffAvailable() || controller_.staffMode() || prompt_open_) return;
    prompt_open_ = true;
    staff_prompt_error_ = 0;
    operator_pin_->clear();
    stack_->setCurrentIndex(static_cast<int>(KioskPage::operator_login));
    operator_pin_->setFocus();
    updateTexts();
}

void KioskWindow::closeOperatorPrompt() {
    operator_pin_->clear();
    prompt_open_ = false;
    staff_prompt_error_ = 0;
    onStateChanged(controller_.state());
}

void KioskWindow::submitOperatorPin() {
    std::string pin = operator_pin_->text().toStdString();
    operator_pin_->clear();
    const StaffLogin r = controller_.staffLogin(pin);
    if (!pin.empty()) secure_zero(pin.data(), pin.size());
    if (r == StaffLogin::ok) {
        closeOperatorPrompt();
        return;
    }
    staff_prompt_error_ = static_cast<int>(r) + 1;
    updateTexts();
}

bool KioskWindow::handleKey(QKeyEvent* key) {
    const auto mods = key->modifiers() & ~Qt::KeypadModifier;
    if (key->key() == Qt::Key_S && mods == (Qt::ControlModifier | Qt::AltModifier)) {
        openOperatorPrompt();
        return true;
    }
    if (prompt_open_) {
        if (key->key() == Qt::Key_Escape) {
            closeOperatorPrompt();
            return true;
        }
        return false;  // the operator PIN field takes the keys
    }
    if (mods != Qt::NoModifier && mods != Qt::ShiftModifier) return false;
    const KioskState s = controller_.state();
    if (s == KioskState::pin_entry) {
        if (key->key() >= Qt::Key_0 && key->key() <= Qt::Key_9) {
            controller_.appendDigit(key->key() - Qt::Key_0);
            return true;
        }
        switch (key->key()) {
            case Qt::Key_Backspace:
                controller_.removeDigit();
                return true;
            case Qt::Key_Delete:
                controller_.clearPin();
                return true;
            case Qt::Key_Return:
            case Qt::Key_Enter:
                controller_.submitPin();
                return true;
            case Qt::Key_Escape:
                controller_.cancel();
                return true;
            default:
                return false;
        }
    }
    if (s == KioskState::confirm_last_try && key->key() == Qt::Key_Escape) {
        controller_.cancel();
        return true;
    }
    return false;
}

bool KioskWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == title_) {
        if (event->type() == QEvent::MouseButtonPress) long_press_timer_.start();
        if (event->type() == QEvent::MouseButtonRelease) long_press_timer_.stop();
    }
    const auto type = event->type();
    if (type == QEvent::KeyPress || type == QEvent::MouseButtonPress ||
        type == QEvent::TouchBegin) {
        auto* w = qobject_cast<QWidget*>(watched);
        if (!w || w->window() != this) return QWidget::eventFilter(watched, event);
        controller_.noteActivity();
        if (type == QEvent::KeyPress && handleKey(static_cast<QKeyEvent*>(event))) return true;
    }
    return QWidget::eventFilter(watched, event);
}

void KioskWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) updateTexts();
    QWidget::changeEvent(event);
}

QString KioskWindow::noticeText() const {
    switch (controller_.notice()) {
        case KioskNotice::none:
            return {};
        case KioskNotice::pin_format:
            return tr("The PIN is 4 digits. Please enter 4 digits.");
        case KioskNotice::pin_incorrect:
            return tr("The PIN is not correct. Nothing was read from your card.");
        case KioskNotice::cancelled:
            return tr("Cancelled. Nothing was read from your card.");
        case KioskNotice::timed_out:
            return tr("The screen was cleared to protect your information.");
        case KioskNotice::not_my_number_card:
            return tr("This card cannot be used here. Please use your My Number Card.");
        case KioskNotice::card_unreadable:
            return tr(
                "The card could not be read. Please take the card and place it again, "
                "without moving it.");
        case KioskNotice::send_failed:
            return tr(
                "Your details could not be passed to the form. Please ask a member of "
                "staff.");
    }
    return {};
}

QString KioskWindow::readerStatusText() const {
    const auto readers = controller_.matchingReaders();
    if (readers.isEmpty()) return tr("Card reader: not connected");
    QStringList parts;
    for (const auto& r : readers) {
        const QString state = !r.card_present ? tr("no card")
                              : r.mute        ? tr("card does not answer")
                                              : tr("card present");
        parts << tr("Card reader %1: %2").arg(r.name, state);
    }
    return parts.join('\n');
}

// The birth date and sex as the card face writes them, in the kiosk's
// language (card/facts.h: one rule for every screen of the product).
QString KioskWindow::formatDate(const QString& yyyymmdd) const {
    const QByteArray raw = yyyymmdd.toUtf8();
    return date_text(std::string_view(raw.constData(), static_cast<std::size_t>(raw.size())));
}

QString KioskWindow::formatSex(const QString& code) const {
    const QByteArray raw = code.toUtf8();
    return sex_text(std::string_view(raw.constData(), static_cast<std::size_t>(raw.size())));
}

void KioskWindow::updateTexts() {
    if (!stack_) return;
    const bool staff = controller_.staffMode();
    setWindowTitle(tr("My Number Card form assistance"));
    setAccessibleName(tr("My Number Card form assistance"));
    title_->setText(tr("Form assistance with your My Number Card"));
    title_->setAccessibleName(title_->text());
    // Each language's own name: a person who cannot read the current one
    // still finds theirs.
    language_button_->setText(language_ == "ja" ? QStringLiteral("English")
                                                : QStringLiteral("日本語"));
    language_button_->setAccessibleName(tr("Switch language between Japanese and English"));

    alert_banner_->setText(tr("Your card is still in the card reader. Please take your card."));
    alert_banner_->setAccessibleName(alert_banner_->text());
    alert_banner_->setVisible(controller_.cardLeftAlert());

    if (staff) {
        staff_banner_->setText(
            tr("Staff mode: a member of staff is operating this terminal. "
               "Staff cannot see or enter your PIN or your My Number."));
    } else if (staff_exit_shown_) {
        staff_banner_->setText(tr("Staff mode has ended."));
    }
    staff_banner_->setAccessibleName(staff_banner_->text());
    staff_banner_->setVisible(staff || staff_exit_shown_);
    staff_panel_->setVisible(staff);
    staff_reader_->setText(readerStatusText());
    staff_reader_->setAccessibleName(staff_reader_->text());
    staff_smaller_->setText(tr("Text smaller"));
    staff_smaller_->setAccessibleName(tr("Make the text smaller"));
    staff_larger_->setText(tr("Text larger"));
    staff_larger_->setAccessibleName(tr("Make the text larger"));
    staff_language_->setText(language_button_->text());
    staff_language_->setAccessibleName(language_button_->accessibleName());
    staff_restart_->setText(tr("Back to start"));
    staff_restart_->setAccessibleName(tr("Clear the screen and go back to the start"));
    staff_exit_->setText(tr("End staff mode"));
    staff_exit_->setAccessibleName(tr("End staff mode"));

    start_text_->setText(tr("Please place your My Number Card on the card reader."));
    start_text_->setAccessibleName(start_text_->text());
    start_hint_->setText(controller_.notice() == KioskNotice::timed_out
                             ? noticeText()
                             : tr("Your name, address, date of birth, sex and My Number are "
                                  "read from the card to fill in the form for you."));
    start_hint_->setAccessibleName(start_hint_->text());

    checking_text_->setText(tr("Checking your card. Please do not move it."));
    checking_text_->setAccessibleName(checking_text_->text());
    checking_progress_->setAccessibleName(tr("Checking the card"));

    pin_title_->setText(tr("Please enter your PIN (4 digits)."));
    pin_title_->setAccessibleName(pin_title_->text());
    pin_hint_->setText(
        tr("This is the PIN for form assistance (券面事項入力補助用). "
           "Staff will never ask you for it."));
    pin_hint_->setAccessibleName(pin_hint_->text());
    pin_tries_->setText(controller_.triesLeft() >= 0
                            ? tr("Tries left: %1").arg(controller_.triesLeft())
                            : QString());
    pin_tries_->setAccessibleName(pin_tries_->text());
    pin_field_->setText(QString(controller_.pinLength(), QChar(0x25CF)));
    pin_field_->setAccessibleName(tr("PIN: %n digit(s) entered", nullptr, controller_.pinLength()));
    pin_notice_->setText(staff ? tr("PIN entry is not possible in staff mode.") : noticeText());
    // Staff never type the citizen's PIN: the keypad is not even offered.
    keypad_->setVisible(!staff);
    pin_notice_->setAccessibleName(pin_notice_->text());

    confirm_text_->setText(
        tr("Only one try is left. If this PIN is wrong, the PIN will be "
           "blocked and can only be reset at the municipal office counter. "
           "Do you want to use your last try?"));
    confirm_text_->setAccessibleName(confirm_text_->text());
    confirm_yes_->setText(tr("Use the last try"));
    confirm_yes_->setAccessibleName(tr("Use the last try and read the card"));
    confirm_no_->setText(tr("Stop"));
    confirm_no_->setAccessibleName(tr("Stop without using the last try"));
    confirm_yes_->setEnabled(!staff);

    reading_text_->setText(tr("Reading your card. Please do not remove it."));
    reading_text_->setAccessibleName(reading_text_->text());
    reading_progress_->setAccessibleName(tr("Reading the card"));

    handover_title_->setText(tr("Your details have been passed to the form."));
    handover_title_->setAccessibleName(handover_title_->text());
    name_caption_->setText(tr("Name"));
    address_caption_->setText(tr("Address"));
    birth_caption_->setText(tr("Date of birth"));
    sex_caption_->setText(tr("Sex"));
    number_caption_->setText(tr("My Number"));
    name_value_->setText(controller_.name());
    address_value_->setText(controller_.address());
    birth_value_->setText(controller_.hasCardData() ? formatDate(controller_.birthDate())
                                                    : QString());
    sex_value_->setText(controller_.hasCardData() ? formatSex(controller_.sex()) : QString());
    number_value_->setText(controller_.displayedMyNumber());
    for (auto [caption, value] :
         {std::pair{name_caption_, name_value_}, std::pair{address_caption_, address_value_},
          std::pair{birth_caption_, birth_value_}, std::pair{sex_caption_, sex_value_}}) {
        caption->setAccessibleName(caption->text());
        value->setAccessibleName(caption->text());
    }
    number_caption_->setAccessibleName(number_caption_->text());
    number_value_->setAccessibleName(controller_.myNumberRevealed()
                                         ? tr("My Number (shown)")
                                         : tr("My Number (hidden except the last 4 digits)"));
    number_toggle_->setEnabled(!staff && controller_.hasCardData());
    number_toggle_->setText(controller_.myNumberRevealed() ? tr("Hide") : tr("Show"));
    number_toggle_->setAccessibleName(controller_.myNumberRevealed() ? tr("Hide the My Number")
                                                                     : tr("Show the My Number"));
    handover_hint_->setText(
        tr("Please check your details, then press Done and take your "
           "card."));
    handover_hint_->setAccessibleName(handover_hint_->text());
    handover_done_->setText(tr("Done"));
    handover_done_->setAccessibleName(tr("Done: clear the screen"));

    remove_text_->setText(tr("Please take your card."));
    remove_text_->setAccessibleName(remove_text_->text());
    remove_notice_->setText(noticeText());
    remove_notice_->setAccessibleName(remove_notice_->text());

    blocked_text_->setText(
        tr("Your PIN is blocked because it was entered wrongly too many "
           "times. It can be reset at the municipal office counter "
           "(bring your My Number Card). Please take your card."));
    blocked_text_->setAccessibleName(blocked_text_->text());
    failed_text_->setText(noticeText() + "\n" + tr("Please take your card."));
    failed_text_->setAccessibleName(failed_text_->text());

    operator_title_->setText(tr("Staff: enter the operator PIN."));
    operator_title_->setAccessibleName(operator_title_->text());
    operator_pin_->setAccessibleName(tr("Operator PIN"));
    switch (staff_prompt_error_) {
        case static_cast<int>(StaffLogin::wrong_pin) + 1:
            operator_error_->setText(tr("The operator PIN is not correct."));
            break;
        case static_cast<int>(StaffLogin::locked) + 1:
            operator_error_->setText(tr("Too many wrong operator PINs. Try again later."));
            break;
        case static_cast<int>(StaffLogin::disabled) + 1:
            operator_error_->setText(tr("Staff mode is not configured on this terminal."));
            break;
        default:
            operator_error_->clear();
            break;
    }
    operator_error_->setAccessibleName(operator_error_->text());
    operator_ok_->setText(tr("Enter staff mode"));
    operator_ok_->setAccessibleName(tr("Enter staff mode"));
    operator_cancel_->setText(tr("Cancel"));
    operator_cancel_->setAccessibleName(tr("Cancel and go back"));
}

}  // namespace mynacard::gui
