// The receptionist's side of FrontDeskController: the result, exports,
// face results, the query by numbers and the 照会番号 registration.
#include <utility>

#include "core/error.h"
#include "gui/frontdesk/front_desk_controller.h"

namespace mynacard::gui {

namespace q = qualification;

namespace {

// 照会番号: 1–10 ASCII letters or digits (desk API, OQSsiimm01).
constexpr int reference_number_max = 10;

}  // namespace

void FrontDeskController::showResult(DeskResult r) {
    result_ = std::move(r);
    registered_ = false;
    result_timer_.start();
    emit resultChanged();
    emit changed();
}

void FrontDeskController::clearResult() {
    result_.reset();  // the XmlMsg strings go with it
    registered_ = false;
    desk_problem_.reset();
    result_timer_.stop();
    emit resultChanged();
    emit changed();
}

void FrontDeskController::onResultTimeout() {
    if (result_) clearResult();
}

void FrontDeskController::clearAll() {
    ++ask_;
    asking_ = false;
    result_.reset();
    registered_ = false;
    desk_problem_.reset();
    result_timer_.stop();
    setQuery({});
    wipePatient();
    if (step_ != PatientStep::waiting) resetPatient();
    emit wiped();
    emit resultChanged();
    emit changed();
}

bool FrontDeskController::confirmExport() {
    if (!result_) return false;
    q::ExportItem item;
    item.message = result_->received.message;
    item.received = result_->received.bytes;
    item.received_at = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(result_->arrived.toMSecsSinceEpoch()));
    q::ExportOutcome outcome;
    try {
        outcome = backend_.exportResult(item);
    } catch (const Error& e) {
        outcome.written = false;
        outcome.error = e.what();
    }
    mynacard::wipe(item.received);
    HistoryEntry h;
    h.time = QDateTime::currentDateTime();
    h.validity = result_->received.message.body.qualification_validity.value_or("");
    h.error_code = result_->received.message.header.error_code.value_or("");
    h.file = outcome.base_name;
    h.written = outcome.written;
    history_.prepend(h);
    pending_exports_ = backend_.pendingExports();
    clearAll();
    // What the receptionist must know after the panels cleared.
    if (!outcome.written) desk_problem_ = q::DeskProblem::export_pending;
    emit changed();
    return true;
}

void FrontDeskController::retryExports() {
    if (backend_.pendingExports() == 0 && pending_exports_ == 0) return;
    backend_.retryExports();
    pending_exports_ = backend_.pendingExports();
    if (pending_exports_ == 0) {
        for (auto& h : history_) h.written = true;
        if (desk_problem_ == q::DeskProblem::export_pending) desk_problem_.reset();
    }
    emit changed();
}

void FrontDeskController::pollFaces() {
    if (!backend_.hasTerminal() || polling_) return;
    polling_ = true;
    backend_.pollFaces(this, [this](Outcome<std::vector<q::FaceResult>> o) {
        polling_ = false;
        if (std::get_if<Error>(&o) != nullptr) return;  // the folder may come back
        auto& results = std::get<std::vector<q::FaceResult>>(o);
        if (results.empty()) return;
        for (auto& r : results)
            faces_.emplace(next_face_id_++,
                           std::make_pair(QDateTime::currentDateTime(), std::move(r)));
        emit faceQueueChanged();
        emit changed();
    });
}

QList<FaceEntry> FrontDeskController::faceQueue() const {
    QList<FaceEntry> out;
    for (const auto& [id, f] : faces_) out.push_back(FaceEntry{id, f.first});
    return out;
}

bool FrontDeskController::openFace(int id) {
    const auto it = faces_.find(id);
    if (it == faces_.end()) return false;
    noteActivity();
    DeskResult r;
    r.origin = ResultOrigin::face;
    r.arrived = it->second.first;
    r.received.message = std::move(it->second.second.message);
    r.received.bytes = std::move(it->second.second.bytes);
    faces_.erase(it);
    backend_.record(audit::Operation::qualification_result, audit::Result::ok);
    desk_problem_.reset();
    emit faceQueueChanged();
    showResult(std::move(r));
    return true;
}

void FrontDeskController::setQuery(q::NumberQuery query) {
    query.institution_code = settings_.institution_code;
    query_ = std::move(query);
    query_problems_ = q::check_query(query_, today());
    emit changed();
}

bool FrontDeskController::canSendQuery() const {
    return backend_.hasTerminal() && query_problems_.empty() && !asking_;
}

bool FrontDeskController::sendQuery() {
    if (!canSendQuery()) return false;
    noteActivity();
    q::XmlMsg request;
    try {
        request = q::qualification_request(query_, today());
    } catch (const Error&) {
        return false;
    }
    asking_ = true;
    desk_problem_.reset();
    emit changed();
    backend_.ask(std::move(request), this, [this, ask = ask_](Outcome<q::Received> o) {
        backend_.record(audit::Operation::qualification_query,
                        std::holds_alternative<Error>(o)
                            ? audit::result_of(std::get<Error>(o).code())
                            : audit::Result::ok);
        onAnswer(ask, ResultOrigin::query, std::move(o));
    });
    return true;
}

void FrontDeskController::onAnswer(int ask, ResultOrigin origin, Outcome<q::Received> outcome) {
    if (ask != ask_) return;  // the panels were cleared meanwhile
    asking_ = false;
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::timeout:
                desk_problem_ = q::DeskProblem::timeout;
                break;
            case Errc::malformed_data:
                desk_problem_ = q::DeskProblem::malformed_answer;
                break;
            case Errc::not_found:
                desk_problem_ = q::DeskProblem::folder_missing;
                break;
            default:
                desk_problem_ = q::DeskProblem::service_unreachable;
                break;
        }
        emit changed();
        return;
    }
    if (origin == ResultOrigin::registration) {
        registered_ = true;
        emit changed();
        return;
    }
    DeskResult r;
    r.origin = origin;
    r.arrived = QDateTime::currentDateTime();
    r.received = std::move(std::get<q::Received>(outcome));
    setQuery({});  // the numbers typed go with the answer
    showResult(std::move(r));
}

bool FrontDeskController::canRegisterReferenceNumber() const {
    if (!backend_.hasTerminal() || !result_ || asking_) return false;
    const auto& list = result_->received.message.body.result_list;
    return list && list->size() == 1;
}

bool FrontDeskController::registerReferenceNumber(const QString& number) {
    if (!canRegisterReferenceNumber()) return false;
    if (number.isEmpty() || number.size() > reference_number_max) return false;
    for (const QChar c : number)
        if (c.unicode() > 0x7f || !c.isLetterOrNumber()) return false;
    noteActivity();
    q::XmlMsg request;
    try {
        request = q::reference_number_request(settings_.institution_code, number.toStdString(),
                                              result_->received.message.body.result_list->front(),
                                              today());
    } catch (const Error&) {
        return false;
    }
    asking_ = true;
    emit changed();
    backend_.ask(std::move(request), this, [this, ask = ask_](Outcome<q::Received> o) {
        onAnswer(ask, ResultOrigin::registration, std::move(o));
    });
    return true;
}

}  // namespace mynacard::gui
