#include "gui/frontdesk/front_desk_controller.h"

#include <algorithm>
#include <utility>

#include "core/error.h"

namespace mynacard::gui {

namespace q = qualification;

namespace {

// The 利用者証明用 PIN is four digits (card-facts.md §2.3).
constexpr std::size_t auth_pin_length = 4;
// The reader warns from three months before the certificate ends
// (qualification-kiosk-ecosystem.md §A.5 [A50][A51]); 92 days covers any
// three calendar months.
constexpr auto expiring_within = std::chrono::hours(24 * 92);
// The check's own time-out is the service's; the desk gives it this much
// more before it gives up, so the service's answer wins a close race.
constexpr auto check_margin = std::chrono::seconds(5);

int ms(std::chrono::milliseconds d) {
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(d.count(), 1, INT32_MAX));
}

}  // namespace

q::Language desk_language(Language language) noexcept {
    return language == Language::ja ? q::Language::ja : q::Language::en;
}

FrontDeskController::FrontDeskController(FrontDeskSettings settings, FrontDeskBackend& backend,
                                         QObject* parent)
    : QObject(parent), settings_(std::move(settings)), backend_(backend), pin_(auth_pin_length) {
    for (QTimer* t : {&idle_timer_, &pin_timer_, &check_timer_, &result_timer_})
        t->setSingleShot(true);
    idle_timer_.setInterval(ms(settings_.idle));
    pin_timer_.setInterval(ms(settings_.pin));
    check_timer_.setInterval(ms(settings_.check + check_margin));
    result_timer_.setInterval(ms(settings_.result));
    face_timer_.setInterval(ms(settings_.face_poll));
    export_timer_.setInterval(ms(settings_.export_retry));
    connect(&idle_timer_, &QTimer::timeout, this, &FrontDeskController::onIdle);
    connect(&pin_timer_, &QTimer::timeout, this, &FrontDeskController::onPinTimeout);
    connect(&check_timer_, &QTimer::timeout, this, &FrontDeskController::onCheckTimeout);
    connect(&result_timer_, &QTimer::timeout, this, &FrontDeskController::onResultTimeout);
    connect(&face_timer_, &QTimer::timeout, this, &FrontDeskController::pollFaces);
    connect(&export_timer_, &QTimer::timeout, this, &FrontDeskController::retryExports);
    if (backend_.hasTerminal()) face_timer_.start();
    export_timer_.start();
    pending_exports_ = backend_.pendingExports();
    setQuery({});
}

FrontDeskController::~FrontDeskController() = default;

q::Date FrontDeskController::today() const {
    const QDate d = QDate::currentDate();
    return q::Date{d.year(), d.month(), d.day()};
}

// --- readers ----------------------------------------------------------------

void FrontDeskController::follow(CardService& service) {
    connect(&service, &CardService::readersChanged, this,
            [this, &service]() { updateReaders(service.readers()); });
    updateReaders(service.readers());
}

bool FrontDeskController::readerMatches(const QString& name) const {
    return settings_.reader.isEmpty() || name.contains(settings_.reader, Qt::CaseInsensitive);
}

void FrontDeskController::updateReaders(const QList<ReaderInfo>& readers) {
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
    // A card that did not answer yet (pcscd reports it before it is
    // powered) is tried again once its reader reports it answering.
    if (step_ == PatientStep::failed && reader_mute_ && now.contains(reader_)) {
        for (const auto& r : readers)
            if (r.name == reader_ && !r.mute) {
                beginFlow(reader_, false);
                return;
            }
    }
    if (step_ != PatientStep::waiting && !reader_.isEmpty() && !now.contains(reader_)) {
        // The card left: whatever its flow held belongs to nobody now. A
        // finished check's result stays with the receptionist (the patient
        // was asked to take the card) until exported or timed out.
        const bool finished = step_ == PatientStep::done;
        wipePatient();
        reader_.clear();
        if (!finished) desk_problem_.reset();
        enter(PatientStep::waiting);
    }
    if (step_ == PatientStep::waiting && !arrived.isEmpty()) beginFlow(arrived, arrived_mute);
}

// --- the patient --------------------------------------------------------------

void FrontDeskController::enter(PatientStep s) {
    step_ = s;
    pin_timer_.stop();
    check_timer_.stop();
    switch (s) {
        case PatientStep::pin_entry:
        case PatientStep::confirm_last_try:
            pin_timer_.start();
            break;
        case PatientStep::checking:
            check_timer_.start();
            break;
        default:
            break;
    }
    restartTimers();
    emit patientStepChanged(s);
    emit changed();
}

void FrontDeskController::restartTimers() {
    // Nothing to clear while the card works; the check has its own limit.
    if (step_ == PatientStep::checking || step_ == PatientStep::inspecting)
        idle_timer_.stop();
    else
        idle_timer_.start();
    if (result_) result_timer_.start();
}

void FrontDeskController::noteActivity() {
    restartTimers();
    if (step_ == PatientStep::pin_entry || step_ == PatientStep::confirm_last_try)
        pin_timer_.start();
}

void FrontDeskController::wipePatient() noexcept {
    ++flow_;
    pin_.clear();
    consents_.clear();
    tries_left_ = -1;
    pin_wrong_ = false;
    pin_format_ = false;
    cancelled_ = false;
    timed_out_ = false;
    patient_problem_.reset();
    certificate_warning_.reset();
}

// Back to the start, or "please take your card" while it is still in: the
// next patient must not meet a card someone else left.
void FrontDeskController::resetPatient() {
    const bool cancelled = cancelled_;
    const bool timed_out = timed_out_;
    wipePatient();
    cancelled_ = cancelled;
    timed_out_ = timed_out;
    if (!reader_.isEmpty() && present_.contains(reader_)) {
        enter(PatientStep::done);
    } else {
        reader_.clear();
        enter(PatientStep::waiting);
    }
}

void FrontDeskController::failPatient(q::DeskProblem problem) {
    const int flow = flow_;
    pin_.clear();
    flow_ = flow + 1;
    patient_problem_ = problem;
    enter(PatientStep::failed);
}

void FrontDeskController::beginFlow(const QString& reader, bool mute) {
    wipePatient();
    reader_ = reader;
    reader_mute_ = mute;
    inspect_retried_ = false;
    if (mute) {
        failPatient(q::DeskProblem::card_removed);
        return;
    }
    if (!backend_.canCheckCards()) {
        failPatient(q::DeskProblem::service_unreachable);
        return;
    }
    enter(PatientStep::inspecting);
    backend_.inspectCard(reader_, this, [this, flow = flow_](Outcome<DeskCard> o) {
        onInspected(flow, std::move(o));
    });
}

void FrontDeskController::onInspected(int flow, Outcome<DeskCard> outcome) {
    if (flow != flow_ || step_ != PatientStep::inspecting) return;
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::card_removed:
            case Errc::no_card:
                resetPatient();
                return;
            case Errc::not_found:
            case Errc::unsupported:
                failPatient(q::DeskProblem::not_my_number_card);
                return;
            case Errc::pin_blocked:
                desk_problem_ = q::DeskProblem::pin_blocked;
                failPatient(q::DeskProblem::pin_blocked);
                return;
            default:
                // Reset by another program or moved while read: once more
                // (no PIN is involved yet), then: place it again (§B.2).
                if (!inspect_retried_) {
                    inspect_retried_ = true;
                    backend_.inspectCard(reader_, this, [this, flow = flow_](Outcome<DeskCard> o) {
                        onInspected(flow, std::move(o));
                    });
                    return;
                }
                failPatient(q::DeskProblem::card_removed);
                return;
        }
    }
    const DeskCard card = std::get<DeskCard>(outcome);
    tries_left_ = card.tries_left;
    if (tries_left_ <= 0) {
        desk_problem_ = q::DeskProblem::pin_blocked;
        failPatient(q::DeskProblem::pin_blocked);
        return;
    }
    const auto now = std::chrono::system_clock::now();
    if (card.certificate_not_after <= now)
        certificate_warning_ = q::DeskProblem::certificate_expired;
    else if (card.certificate_not_after <= now + expiring_within)
        certificate_warning_ = q::DeskProblem::certificate_expiring;
    enter(PatientStep::consent);
}

void FrontDeskController::setConsent(q::ConsentItem item, bool given) {
    if (step_ != PatientStep::consent) return;
    noteActivity();
    const auto at = std::find(consents_.begin(), consents_.end(), item);
    if (given && at == consents_.end()) consents_.push_back(item);
    if (!given && at != consents_.end()) consents_.erase(at);
    emit changed();
}

bool FrontDeskController::consent(q::ConsentItem item) const {
    return std::find(consents_.begin(), consents_.end(), item) != consents_.end();
}

void FrontDeskController::continueToPin() {
    if (step_ != PatientStep::consent) return;
    enter(PatientStep::pin_entry);
    emit pinEntryStarted();
}

void FrontDeskController::appendDigit(int digit) {
    if (step_ != PatientStep::pin_entry) return;
    noteActivity();
    if (!pin_.append(digit)) return;
    pin_format_ = false;
    emit changed();
}

void FrontDeskController::removeDigit() {
    if (step_ != PatientStep::pin_entry || !pin_.removeLast()) return;
    noteActivity();
    emit changed();
}

void FrontDeskController::clearPin() {
    pin_.clear();
    noteActivity();
    emit changed();
}

void FrontDeskController::submitPin() {
    if (step_ != PatientStep::pin_entry) return;
    noteActivity();
    try {
        // Decision 5: a PIN that breaks the format never reaches the card.
        card::check_pin_format(card::CardProfile::my_number_card(), card::Pin::auth, pin_.digits());
    } catch (const Error&) {
        pin_format_ = true;
        emit changed();
        return;
    }
    if (tries_left_ == 1) {
        enter(PatientStep::confirm_last_try);
        return;
    }
    startCheck(false);
}

void FrontDeskController::confirmLastTry() {
    if (step_ != PatientStep::confirm_last_try) return;
    startCheck(true);
}

void FrontDeskController::startCheck(bool confirmed) {
    if (pin_.size() != auth_pin_length) {
        // Never a PIN that was not typed for this check (decision 5).
        enter(PatientStep::pin_entry);
        return;
    }
    auto pin = pin_.take();
    pin_wrong_ = false;
    enter(PatientStep::checking);
    card::PinOptions options;
    options.confirm_last_try = confirmed;
    backend_.checkCard(
        reader_, std::move(pin), options, q::canonical_consents(consents_), this,
        [this, flow = flow_](Outcome<q::Received> o) { onChecked(flow, std::move(o)); });
}

void FrontDeskController::onChecked(int flow, Outcome<q::Received> outcome) {
    if (flow != flow_ || step_ != PatientStep::checking) return;
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::pin_incorrect:
                // Never retried by software: the patient decides (decision 5).
                tries_left_ = e->tries_left();
                if (tries_left_ == 0) {
                    desk_problem_ = q::DeskProblem::pin_blocked;
                    failPatient(q::DeskProblem::pin_blocked);
                } else {
                    pin_wrong_ = true;
                    enter(PatientStep::pin_entry);
                    emit pinEntryStarted();
                }
                return;
            case Errc::pin_blocked:
                tries_left_ = 0;
                desk_problem_ = q::DeskProblem::pin_blocked;
                failPatient(q::DeskProblem::pin_blocked);
                return;
            case Errc::confirmation_required:
                tries_left_ = 1;
                enter(PatientStep::pin_entry);
                emit pinEntryStarted();
                return;
            case Errc::pin_format:
                pin_format_ = true;
                enter(PatientStep::pin_entry);
                emit pinEntryStarted();
                return;
            case Errc::card_removed:
            case Errc::no_card:
                resetPatient();
                return;
            case Errc::timeout:
                desk_problem_ = q::DeskProblem::timeout;
                failPatient(q::DeskProblem::timeout);
                return;
            case Errc::malformed_data:
                desk_problem_ = q::DeskProblem::malformed_answer;
                failPatient(q::DeskProblem::malformed_answer);
                return;
            case Errc::service_stopped:
            case Errc::not_found:
            case Errc::io:
                desk_problem_ = q::DeskProblem::service_unreachable;
                failPatient(q::DeskProblem::service_unreachable);
                return;
            default:
                failPatient(q::DeskProblem::card_removed);
                return;
        }
    }
    DeskResult r;
    r.received = std::move(std::get<q::Received>(outcome));
    r.origin = ResultOrigin::card;
    r.arrived = QDateTime::currentDateTime();
    if (certificate_warning_) r.card_warnings.push_back(*certificate_warning_);
    // The patient panel shows no result data at all, only "done".
    pin_.clear();
    ++flow_;
    enter(PatientStep::done);
    showResult(std::move(r));
}

void FrontDeskController::cancel() {
    if (step_ != PatientStep::consent && step_ != PatientStep::pin_entry &&
        step_ != PatientStep::confirm_last_try && step_ != PatientStep::checking)
        return;
    // A check under way is not waited for: its answer is dropped.
    wipePatient();
    cancelled_ = true;
    resetPatient();
}

void FrontDeskController::onPinTimeout() {
    if (step_ != PatientStep::pin_entry && step_ != PatientStep::confirm_last_try) return;
    wipePatient();
    timed_out_ = true;
    resetPatient();
}

void FrontDeskController::onCheckTimeout() {
    if (step_ != PatientStep::checking) return;
    desk_problem_ = q::DeskProblem::timeout;
    failPatient(q::DeskProblem::timeout);
}

void FrontDeskController::onIdle() {
    if (step_ == PatientStep::checking || step_ == PatientStep::inspecting) return;
    clearAll();
    timed_out_ = true;
    emit changed();
}

}  // namespace mynacard::gui
