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
#include "gui/common/secret_field.h"

namespace mynacard::gui {

namespace {

// The text size a person can choose (A− / A+), as factors of the base size.
constexpr double min_text_scale = 1.0;
constexpr double max_text_scale = 3.0;
// The card-left alert flashes and beeps; a long press on the title opens
// the operator prompt.
constexpr int flash_ms = 500;
constexpr int beep_every_flashes = 4;  // a beep every 2 s while the card is left
constexpr int long_press_ms = 3000;
constexpr int staff_exit_banner_ms = 5000;
}  // namespace

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
    wipe_secret(operator_pin_);
    stack_->setCurrentIndex(static_cast<int>(KioskPage::operator_login));
    operator_pin_->setFocus();
    updateTexts();
}

void KioskWindow::closeOperatorPrompt() {
    wipe_secret(operator_pin_);
    prompt_open_ = false;
    staff_prompt_error_ = 0;
    onStateChanged(controller_.state());
}

void KioskWindow::submitOperatorPin() {
    const SecureBytes pin = take_secret(operator_pin_);
    const StaffLogin r = controller_.staffLogin(
        std::string_view(reinterpret_cast<const char*>(pin.data()), pin.size()));
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
