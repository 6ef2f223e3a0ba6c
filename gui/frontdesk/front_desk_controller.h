#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/common/keypad_pin.h"
#include "gui/frontdesk/front_desk_backend.h"
#include "qualification/explain.h"
#include "qualification/reference_protocol.h"
#include "qualification/requests.h"
#include "qualification/xml_msg.h"

namespace mynacard::gui {

// What the controller needs of the desk configuration (DeskConfig, whose
// time-outs are whole seconds; tests use shorter ones).
struct FrontDeskSettings {
    std::string institution_code;  // 10 digits, 医療機関コード
    QString reader;                // part of a reader name; empty: any reader
    std::chrono::milliseconds idle{std::chrono::seconds(90)};     // both panels clear
    std::chrono::milliseconds pin{std::chrono::seconds(60)};      // PIN entry given up
    std::chrono::milliseconds check{std::chrono::seconds(30)};    // no answer: given up
    std::chrono::milliseconds result{std::chrono::seconds(120)};  // an unexported result goes
    std::chrono::milliseconds face_poll{std::chrono::seconds(1)};
    std::chrono::milliseconds export_retry{std::chrono::seconds(30)};
};

// The patient panel, in the order a patient meets it (issue 12).
enum class PatientStep {
    waiting,           // put your card on the reader
    inspecting,        // reading the certificate and the tries left
    consent,           // the six consent items, nothing pre-selected
    pin_entry,         // the 4-digit PIN on the trusted keypad
    confirm_last_try,  // one try left: explicit confirmation (decision 5)
    checking,          // the card signs, the service answers; cancel possible
    done,              // please take your card
    failed,            // patientProblem() says why; please take your card
};

// Where the result on the receptionist panel came from.
enum class ResultOrigin { card, face, query, registration };

struct DeskResult {
    qualification::Received received;  // the answer and its bytes as received
    ResultOrigin origin = ResultOrigin::card;
    QDateTime arrived;
    // Warnings about the card the answer came from (certificate_expired /
    // certificate_expiring); none for face results and queries.
    std::vector<qualification::DeskProblem> card_warnings;
};

// A face result waiting to be opened: the queue shows only its arrival.
struct FaceEntry {
    int id = 0;
    QDateTime arrived;
};

// The receptionist's history: never a name or a number.
struct HistoryEntry {
    QDateTime time;
    std::string validity;    // QualificationValidity code, or "" for an error answer
    std::string error_code;  // ErrorCode of an error answer
    std::string file;        // export base name
    bool written = false;    // false: still queued
};

// The front desk's state machine, both panels, no widgets (tests drive it
// directly). The patient panel: waiting → inspecting → consent → pin_entry
// [→ confirm_last_try] → checking → done. The receptionist panel: one
// result at a time (a card check, an opened face result, a query's
// answer), the face queue, the query form, exports and the history.
// Privacy (decision 11): removing the card during the flow, exporting the
// result and the idle time-out wipe what the panels hold; the PIN digits are
// zeroised as soon as they leave for the card or are abandoned.
class FrontDeskController : public QObject {
    Q_OBJECT
  public:
    FrontDeskController(FrontDeskSettings settings, FrontDeskBackend& backend,
                        QObject* parent = nullptr);
    ~FrontDeskController() override;
    FrontDeskController(const FrontDeskController&) = delete;
    FrontDeskController& operator=(const FrontDeskController&) = delete;

    [[nodiscard]] const FrontDeskSettings& settings() const noexcept { return settings_; }
    [[nodiscard]] bool canCheckCards() const { return backend_.canCheckCards(); }
    [[nodiscard]] bool hasTerminal() const { return backend_.hasTerminal(); }

    // Readers and cards (connects CardService::readersChanged).
    void follow(CardService& service);
    void updateReaders(const QList<ReaderInfo>& readers);

    // --- the patient ---------------------------------------------------
    void setConsent(qualification::ConsentItem item, bool given);
    [[nodiscard]] bool consent(qualification::ConsentItem item) const;
    void continueToPin();  // allowed with no consent given
    void appendDigit(int digit);
    void removeDigit();
    void clearPin();
    void submitPin();
    void confirmLastTry();
    void cancel();  // consent, PIN entry or checking: nothing more is sent
    void noteActivity();

    [[nodiscard]] PatientStep step() const noexcept { return step_; }
    [[nodiscard]] int pinLength() const noexcept { return static_cast<int>(pin_.size()); }
    [[nodiscard]] int triesLeft() const noexcept { return tries_left_; }
    [[nodiscard]] bool pinWasWrong() const noexcept { return pin_wrong_; }
    [[nodiscard]] bool pinFormatRefused() const noexcept { return pin_format_; }
    [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }
    [[nodiscard]] bool timedOut() const noexcept { return timed_out_; }
    // Why the patient panel shows `failed`, or a certificate warning during
    // the flow.
    [[nodiscard]] std::optional<qualification::DeskProblem> patientProblem() const {
        return patient_problem_;
    }
    [[nodiscard]] std::optional<qualification::DeskProblem> certificateWarning() const {
        return certificate_warning_;
    }
    [[nodiscard]] QString activeReader() const { return reader_; }

    // --- the receptionist ----------------------------------------------
    [[nodiscard]] const std::optional<DeskResult>& result() const noexcept { return result_; }
    // The last problem that is not an answer (service unreachable, folder
    // missing, export pending, PIN blocked…); cleared with the result.
    [[nodiscard]] std::optional<qualification::DeskProblem> deskProblem() const {
        return desk_problem_;
    }
    void clearResult();
    // Writes the result to the export folder (received bytes + JSON), adds
    // it to the history and clears both panels. False when there is nothing
    // to export.
    bool confirmExport();
    void retryExports();
    [[nodiscard]] std::size_t pendingExports() const noexcept { return pending_exports_; }
    [[nodiscard]] const QList<HistoryEntry>& history() const noexcept { return history_; }

    // Face results.
    void pollFaces();
    [[nodiscard]] QList<FaceEntry> faceQueue() const;
    bool openFace(int id);

    // The query by numbers: validated as typed; sendable when no problem.
    void setQuery(qualification::NumberQuery query);
    [[nodiscard]] const qualification::NumberQuery& query() const noexcept { return query_; }
    [[nodiscard]] const std::vector<qualification::FieldProblem>& queryProblems() const noexcept {
        return query_problems_;
    }
    [[nodiscard]] bool canSendQuery() const;
    bool sendQuery();
    [[nodiscard]] bool asking() const noexcept { return asking_; }

    // 照会番号 for the person of the result (OQSsiimm01 through the terminal).
    [[nodiscard]] bool canRegisterReferenceNumber() const;
    // False (and nothing sent) when `number` is not 1–10 ASCII letters or
    // digits or there is no result to register it for.
    bool registerReferenceNumber(const QString& number);
    [[nodiscard]] bool referenceNumberRegistered() const noexcept { return registered_; }

    // Clears both panels (the idle time-out does this too).
    void clearAll();

  signals:
    void changed();  // anything either panel shows
    void patientStepChanged(mynacard::gui::PatientStep step);
    void pinEntryStarted();  // a new attempt: the keypad reshuffles
    void resultChanged();
    void faceQueueChanged();
    void wiped();  // the panels must drop what they show

  private:
    void enter(PatientStep s);
    void wipePatient() noexcept;
    void resetPatient();
    void beginFlow(const QString& reader, bool mute);
    void onInspected(int flow, Outcome<DeskCard> outcome);
    void startCheck(bool confirmed);
    void onChecked(int flow, Outcome<qualification::Received> outcome);
    void onAnswer(int ask, ResultOrigin origin, Outcome<qualification::Received> outcome);
    void showResult(DeskResult r);
    void failPatient(qualification::DeskProblem problem);
    void onIdle();
    void onPinTimeout();
    void onCheckTimeout();
    void onResultTimeout();
    void restartTimers();
    [[nodiscard]] bool readerMatches(const QString& name) const;
    [[nodiscard]] qualification::Date today() const;

    FrontDeskSettings settings_;
    FrontDeskBackend& backend_;

    // Patient panel.
    PatientStep step_ = PatientStep::waiting;
    QSet<QString> present_;
    QString reader_;
    bool reader_mute_ = false;  // the card had not answered when it arrived
    bool inspect_retried_ = false;
    int flow_ = 0;  // bumped on every wipe: late answers are dropped
    int tries_left_ = -1;
    bool pin_wrong_ = false;
    bool pin_format_ = false;
    bool cancelled_ = false;
    bool timed_out_ = false;
    KeypadPin pin_;  // the digits typed so far
    std::vector<qualification::ConsentItem> consents_;
    std::optional<qualification::DeskProblem> patient_problem_;
    std::optional<qualification::DeskProblem> certificate_warning_;

    // Receptionist panel.
    std::optional<DeskResult> result_;
    std::optional<qualification::DeskProblem> desk_problem_;
    qualification::NumberQuery query_;
    std::vector<qualification::FieldProblem> query_problems_;
    int ask_ = 0;  // bumped by clearAll: a late query answer is dropped
    bool asking_ = false;
    bool registered_ = false;
    bool polling_ = false;
    int next_face_id_ = 1;
    std::map<int, std::pair<QDateTime, qualification::FaceResult>> faces_;
    QList<HistoryEntry> history_;
    std::size_t pending_exports_ = 0;

    QTimer idle_timer_;
    QTimer pin_timer_;
    QTimer check_timer_;
    QTimer result_timer_;
    QTimer face_timer_;
    QTimer export_timer_;
};

[[nodiscard]] qualification::Language desk_language(Language language) noexcept;

}  // namespace mynacard::gui
