#include "gui/kiosk/kiosk_controller.h"

#include "core/error.h"

namespace mynacard::gui {

namespace {

// The 券面事項入力補助 PIN is four digits (card-facts.md §2.3); the keypad
// stops taking digits there.
constexpr std::size_t text_pin_length = 4;
// Staff mode: five wrong operator PINs lock the prompt for five minutes, so
// guessing at an unattended kiosk is slow.
constexpr int staff_max_failures = 5;
constexpr int staff_lock_seconds = 300;
constexpr int ms_per_second = 1000;

}  // namespace

// --- KioskController -------------------------------------------------------

KioskController::KioskController(KioskConfig config, KioskCardBackend& backend, QObject* parent,
                                 OutputWriter output)
    : QObject(parent),
      config_(std::move(config)),
      backend_(backend),
      output_(std::move(output)),
      pin_(text_pin_length) {
    if (!output_) {
        output_ = [out = config_.output](std::string_view line) {
            return write_kiosk_output(out, line);
        };
    }
    idle_timer_.setSingleShot(true);
    idle_timer_.setInterval(config_.idle_timeout_seconds * ms_per_second);
    pin_timer_.setSingleShot(true);
    pin_timer_.setInterval(config_.pin_timeout_seconds * ms_per_second);
    alert_timer_.setSingleShot(true);
    alert_timer_.setInterval(config_.card_left_alert_seconds * ms_per_second);
    connect(&idle_timer_, &QTimer::timeout, this, &KioskController::onIdle);
    connect(&pin_timer_, &QTimer::timeout, this, &KioskController::onPinTimeout);
    connect(&alert_timer_, &QTimer::timeout, this, &KioskController::onAlert);
}

KioskController::~KioskController() {
    mynacard::wipe(json_);
}

void KioskController::follow(CardService& service) {
    connect(&service, &CardService::readersChanged, this,
            [this, &service]() { updateReaders(service.readers()); });
    updateReaders(service.readers());
}

bool KioskController::readerMatches(const QString& name) const {
    return config_.reader.isEmpty() || name.contains(config_.reader, Qt::CaseInsensitive);
}

QList<ReaderInfo> KioskController::matchingReaders() const {
    QList<ReaderInfo> out;
    for (const auto& r : readers_)
        if (readerMatches(r.name)) out.push_back(r);
    return out;
}

bool KioskController::activeCardPresent() const {
    return !reader_.isEmpty() && present_.contains(reader_);
}

bool KioskController::isTakeCardState() const noexcept {
    return state_ == KioskState::handover || state_ == KioskState::remove_card ||
           state_ == KioskState::blocked || state_ == KioskState::failed;
}

void KioskController::updateReaders(const QList<ReaderInfo>& readers) {
    readers_ = readers;
    QSet<QString> now;
    QString arrived;
    bool arrived_mute = false;
    for (const auto& r : readers) {
        if (!readerMatches(r.name) || !r.card_present) continue;
        now.insert(r.name);
        if (!present_.contains(r.name) && arrived.isEmpty()) {
            arrived = r.name;
            arrived_mute = r.mute;
        }
    }
    present_ = now;
    if (state_ != KioskState::start && !reader_.isEmpty() && !now.contains(reader_)) {
        // The card was taken (or its reader unplugged): whatever was on the
        // screen belongs to nobody now.
        wipe();
        reader_.clear();
        setAlert(false);
        alert_timer_.stop();
        enter(KioskState::start);
    }
    if (state_ == KioskState::start && !arrived.isEmpty())
        beginFlow(arrived, arrived_mute);
    else
        emit changed();  // reader status in staff mode
}

void KioskController::beginFlow(const QString& reader, bool mute) {
    wipe();
    reader_ = reader;
    if (mute) {
        enter(KioskState::failed, KioskNotice::card_unreadable);
        return;
    }
    enter(KioskState::checking);
    backend_.queryTriesLeft(reader_, this,
                            [this, flow = flow_](Outcome<int> o) { onTries(flow, std::move(o)); });
}

void KioskController::onTries(int flow, Outcome<int> outcome) {
    if (flow != flow_ || state_ != KioskState::checking) return;
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::card_removed:
            case Errc::no_card:
                resetFlow(KioskNotice::none);
                return;
            case Errc::not_found:
            case Errc::unsupported:
                enter(KioskState::failed, KioskNotice::not_my_number_card);
                return;
            case Errc::pin_blocked:
                enter(KioskState::blocked);
                return;
            default:
                enter(KioskState::failed, KioskNotice::card_unreadable);
                return;
        }
    }
    tries_left_ = std::get<int>(outcome);
    if (tries_left_ <= 0) {
        enter(KioskState::blocked);
        return;
    }
    enter(KioskState::pin_entry);
    emit pinEntryStarted();
}

void KioskController::enter(KioskState s, KioskNotice n) {
    state_ = s;
    notice_ = n;
    pin_timer_.stop();
    switch (s) {
        case KioskState::pin_entry:
        case KioskState::confirm_last_try:
            // No time limit unless configured (accessibility, §B.3).
            idle_timer_.stop();
            if (config_.pin_timeout_seconds > 0) pin_timer_.start();
            break;
        case KioskState::checking:
        case KioskState::reading:
            idle_timer_.stop();  // the card is working; removal still wipes
            break;
        default:
            idle_timer_.start();
            break;
    }
    // Staff mode always ends on its own when left alone, whatever screen.
    if (staff_) idle_timer_.start();
    if (isTakeCardState()) {
        // 取り忘れ対策 (§B.2): counted from the first screen that asks for
        // the card back, not restarted by later ones.
        if (!alert_ && !alert_timer_.isActive()) alert_timer_.start();
    } else {
        alert_timer_.stop();
    }
    emit stateChanged(s);
    emit changed();
}

void KioskController::wipe() noexcept {
    ++flow_;
    pin_.clear();
    data_.reset();  // KioskCardData overwrites itself
    mynacard::wipe(json_);
    revealed_ = false;
    tries_left_ = -1;
    notice_ = KioskNotice::none;
    emit wiped();
}

void KioskController::resetFlow(KioskNotice n) {
    wipe();
    if (activeCardPresent()) {
        enter(KioskState::remove_card, n);
    } else {
        reader_.clear();
        setAlert(false);
        enter(KioskState::start, n);
    }
}

void KioskController::appendDigit(int digit) {
    if (state_ != KioskState::pin_entry || staff_) return;
    noteActivity();
    if (!pin_.append(digit)) return;
    if (notice_ == KioskNotice::pin_format) notice_ = KioskNotice::none;
    emit changed();
}

void KioskController::removeDigit() {
    if (state_ != KioskState::pin_entry || !pin_.removeLast()) return;
    noteActivity();
    emit changed();
}

void KioskController::clearPin() {
    pin_.clear();
    noteActivity();
    emit changed();
}

void KioskController::submitPin() {
    if (state_ != KioskState::pin_entry || staff_) return;
    noteActivity();
    try {
        // Decision 5: a PIN that breaks the format never reaches the card.
        card::check_pin_format(card::CardProfile::my_number_card(), card::Pin::text, pin_.digits());
    } catch (const Error&) {
        notice_ = KioskNotice::pin_format;
        emit changed();
        return;
    }
    if (tries_left_ == 1) {
        enter(KioskState::confirm_last_try, notice_);
        return;
    }
    startRead(false);
}

void KioskController::confirmLastTry() {
    if (state_ != KioskState::confirm_last_try || staff_) return;
    startRead(true);
}

void KioskController::startRead(bool confirmed) {
    auto pin = pin_.take();
    enter(KioskState::reading);
    card::PinOptions options;
    options.confirm_last_try = confirmed;
    backend_.readText(reader_, std::move(pin), options, this,
                      [this, flow = flow_](Outcome<std::shared_ptr<KioskCardData>> o) {
                          onRead(flow, std::move(o));
                      });
}

void KioskController::onRead(int flow, Outcome<std::shared_ptr<KioskCardData>> outcome) {
    if (flow != flow_ || state_ != KioskState::reading) return;  // the data wipes itself
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::pin_incorrect:
                // Never retried by software: the citizen decides (decision 5).
                tries_left_ = e->tries_left();
                if (tries_left_ == 0) {
                    enter(KioskState::blocked);
                } else {
                    enter(KioskState::pin_entry, KioskNotice::pin_incorrect);
                    emit pinEntryStarted();
                }
                return;
            case Errc::pin_blocked:
                tries_left_ = 0;
                enter(KioskState::blocked);
                return;
            case Errc::confirmation_required:
                tries_left_ = 1;
                enter(KioskState::confirm_last_try);
                return;
            case Errc::pin_format:
                enter(KioskState::pin_entry, KioskNotice::pin_format);
                emit pinEntryStarted();
                return;
            case Errc::card_removed:
            case Errc::no_card:
                resetFlow(KioskNotice::none);
                return;
            case Errc::not_found:
                enter(KioskState::failed, KioskNotice::not_my_number_card);
                return;
            default:
                enter(KioskState::failed, KioskNotice::card_unreadable);
                return;
        }
    }
    data_ = std::move(std::get<std::shared_ptr<KioskCardData>>(outcome));
    json_ = kiosk_handover_json(*data_, reader_, QDateTime::currentDateTimeUtc());
    const bool sent = output_(json_);
    mynacard::wipe(json_);
    if (!sent) {
        data_.reset();
        enter(KioskState::failed, KioskNotice::send_failed);
        return;
    }
    enter(KioskState::handover);
    emit handedOver();
}

void KioskController::cancel() {
    if (state_ != KioskState::pin_entry && state_ != KioskState::confirm_last_try &&
        state_ != KioskState::checking)
        return;
    wipe();
    enter(KioskState::remove_card, KioskNotice::cancelled);
}

void KioskController::finish() {
    if (state_ != KioskState::handover) return;
    data_.reset();
    revealed_ = false;
    enter(KioskState::remove_card);
}

void KioskController::setMyNumberRevealed(bool revealed) {
    if (state_ != KioskState::handover || staff_) return;
    noteActivity();
    revealed_ = revealed;
    emit changed();
}

void KioskController::noteActivity() {
    if (idle_timer_.isActive()) idle_timer_.start();
    if (pin_timer_.isActive()) pin_timer_.start();
}

StaffLogin KioskController::staffLogin(std::string_view operator_pin) {
    if (!staffAvailable()) return StaffLogin::disabled;
    const auto now = QDateTime::currentDateTimeUtc();
    if (staff_locked_until_.isValid() && now < staff_locked_until_) return StaffLogin::locked;
    if (!verify_operator_pin(config_.operator_pin_hash, operator_pin)) {
        if (++staff_failures_ >= staff_max_failures) {
            staff_failures_ = 0;
            staff_locked_until_ = now.addSecs(staff_lock_seconds);
            return StaffLogin::locked;
        }
        return StaffLogin::wrong_pin;
    }
    staff_failures_ = 0;
    staff_ = true;
    // Staff never continue a PIN the citizen started (proxy-authority abuse).
    pin_.clear();
    revealed_ = false;
    idle_timer_.start();  // staff mode ends on its own when left alone
    emit staffModeChanged(true);
    emit changed();
    return StaffLogin::ok;
}

void KioskController::staffLogout() {
    if (!staff_) return;
    staff_ = false;
    // Back to the citizen's timers (no idle limit on PIN entry).
    enter(state_, notice_);
    emit staffModeChanged(false);
}

void KioskController::staffReturnToStart() {
    if (!staff_) return;
    resetFlow(KioskNotice::none);
    emit changed();
}

void KioskController::onIdle() {
    staffLogout();
    if (isTakeCardState()) resetFlow(KioskNotice::timed_out);
}

void KioskController::onPinTimeout() {
    if (state_ != KioskState::pin_entry && state_ != KioskState::confirm_last_try) return;
    wipe();
    enter(KioskState::remove_card, KioskNotice::timed_out);
}

void KioskController::onAlert() {
    if (!activeCardPresent() || !isTakeCardState()) return;
    setAlert(true);
    if (state_ == KioskState::handover) {
        // Nobody is looking at the data any more: take it off the screen.
        data_.reset();
        revealed_ = false;
        enter(KioskState::remove_card);
    }
}

void KioskController::setAlert(bool on) {
    if (alert_ == on) return;
    alert_ = on;
    emit cardLeftAlertChanged(on);
    emit changed();
}

QString KioskController::name() const {
    return data_ ? QString::fromStdString(data_->name) : QString();
}
QString KioskController::address() const {
    return data_ ? QString::fromStdString(data_->address) : QString();
}
QString KioskController::birthDate() const {
    return data_ ? QString::fromStdString(data_->birth_date) : QString();
}
QString KioskController::sex() const {
    return data_ ? QString::fromStdString(data_->sex) : QString();
}
QString KioskController::displayedMyNumber() const {
    if (!data_) return {};
    if (myNumberRevealed()) {
        // Groups of four, as on the card.
        const QString n = QString::fromStdString(data_->my_number);
        QString out;
        for (qsizetype i = 0; i < n.size(); ++i) {
            if (i > 0 && i % 4 == 0) out += ' ';
            out += n[i];
        }
        return out;
    }
    return mask_my_number(data_->my_number);
}

}  // namespace mynacard::gui
