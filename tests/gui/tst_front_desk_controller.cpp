// The clinic front desk without a card or a terminal: FrontDeskController's
// state machine against a fake backend (every step, every error, cancel and
// card removal at each step, time-outs, exports, face results, the query
// form), and the result sheet's words for every validity and error answer.
#include <QApplication>
#include <QLabel>
#include <QtTest>

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "front_desk_fake.h"
#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/patient_panel.h"
#include "gui/frontdesk/reception_window.h"
#include "gui/frontdesk/result_sheet.h"
#include "qualification/explain.h"
#include "qualification/insurer_number.h"

using namespace mynacard;
using namespace mynacard::gui;
namespace q = mynacard::qualification;
using namespace std::chrono_literals;

using namespace front_desk_fake;

namespace {

const char* const reader0 = "mynacard Virtual Reader 0 00 00";
FrontDeskSettings fast_settings() {
    FrontDeskSettings s;
    s.institution_code = "1312345678";
    s.idle = 60s;  // long unless a test shortens it
    s.pin = 60s;
    s.check = 60s;
    s.result = 60s;
    s.face_poll = 1h;  // tests poll by hand
    s.export_retry = 1h;
    return s;
}

QList<ReaderInfo> with_card(bool present = true, bool mute = false) {
    return {ReaderInfo{QString::fromLatin1(reader0), present, mute}};
}

// A valid insurer number whatever the check-digit rule: desk-core's own.
std::string valid_insurer() {
    return "0613999" + std::to_string(q::insurer_check_digit("0613999"));
}

}  // namespace

class TestFrontDeskController : public QObject {
    Q_OBJECT

    FakeDeskBackend* backend_ = nullptr;
    FrontDeskController* desk_ = nullptr;

    void make(FrontDeskSettings s = fast_settings()) {
        delete desk_;
        delete backend_;
        backend_ = new FakeDeskBackend;
        desk_ = new FrontDeskController(std::move(s), *backend_);
    }
    // Card in, certificate read, to the consent screen.
    void toConsent(DeskCard card = good_card()) {
        desk_->updateReaders(with_card());
        QCOMPARE(desk_->step(), PatientStep::inspecting);
        FakeDeskBackend::answer(backend_->inspect_done, Outcome<DeskCard>(card));
        QCOMPARE(desk_->step(), PatientStep::consent);
    }
    void toPin(DeskCard card = good_card()) {
        toConsent(card);
        desk_->continueToPin();
        QCOMPARE(desk_->step(), PatientStep::pin_entry);
    }
    void typePin(const char* digits) {
        for (const char* d = digits; *d != '\0'; ++d) desk_->appendDigit(*d - '0');
    }
    void toChecking() {
        toPin();
        typePin("1234");
        desk_->submitPin();
        QCOMPARE(desk_->step(), PatientStep::checking);
    }
    void toDone() {
        toChecking();
        FakeDeskBackend::answer(backend_->check_done, Outcome<q::Received>(received(answer("1"))));
        QCOMPARE(desk_->step(), PatientStep::done);
    }

  private slots:
    void init() { make(); }
    void cleanup() {
        delete desk_;
        desk_ = nullptr;
        delete backend_;
        backend_ = nullptr;
    }

    void fullCardCheckWithConsents() {
        QCOMPARE(desk_->step(), PatientStep::waiting);
        toConsent();
        // Nothing pre-selected.
        for (std::size_t i = 0; i < consent_item_count; ++i)
            QVERIFY(!desk_->consent(static_cast<q::ConsentItem>(static_cast<int>(i))));
        desk_->setConsent(q::ConsentItem::limit, true);
        desk_->setConsent(q::ConsentItem::medication, true);
        desk_->setConsent(q::ConsentItem::diagnosis, true);
        desk_->setConsent(q::ConsentItem::diagnosis, false);
        desk_->continueToPin();
        QCOMPARE(desk_->triesLeft(), 3);
        typePin("12345");  // the fifth digit is ignored
        QCOMPARE(desk_->pinLength(), 4);
        desk_->removeDigit();
        typePin("9");
        desk_->submitPin();
        QCOMPARE(desk_->step(), PatientStep::checking);
        QCOMPARE(backend_->check_calls, 1);
        QCOMPARE(backend_->last_pin, std::string("1239"));
        QVERIFY(!backend_->last_options.confirm_last_try);
        const std::vector<q::ConsentItem> want = {q::ConsentItem::medication,
                                                  q::ConsentItem::limit};
        QVERIFY(backend_->last_consents == want);
        QCOMPARE(desk_->pinLength(), 0);
        FakeDeskBackend::answer(backend_->check_done, Outcome<q::Received>(received(answer("1"))));
        QCOMPARE(desk_->step(), PatientStep::done);
        QVERIFY(desk_->result().has_value());
        QCOMPARE(desk_->result()->origin, ResultOrigin::card);
        // Taking the card: the patient panel starts again, the result stays
        // with the receptionist until exported.
        desk_->updateReaders(with_card(false));
        QCOMPARE(desk_->step(), PatientStep::waiting);
        QVERIFY(desk_->result().has_value());
    }

    void continueWithoutConsent() {
        toConsent();
        desk_->continueToPin();
        typePin("1234");
        desk_->submitPin();
        QVERIFY(backend_->last_consents.empty());
    }

    void certificateWarnings() {
        toConsent(good_card(3, std::chrono::hours(24 * 30)));
        QCOMPARE(desk_->certificateWarning(), q::DeskProblem::certificate_expiring);
        desk_->updateReaders(with_card(false));
        toConsent(good_card(3, -std::chrono::hours(24)));
        QCOMPARE(desk_->certificateWarning(), q::DeskProblem::certificate_expired);
        desk_->continueToPin();
        typePin("1234");
        desk_->submitPin();
        FakeDeskBackend::answer(backend_->check_done, Outcome<q::Received>(received(answer("1"))));
        QCOMPARE(desk_->result()->card_warnings.size(), std::size_t(1));
        QCOMPARE(desk_->result()->card_warnings.front(), q::DeskProblem::certificate_expired);
        desk_->updateReaders(with_card(false));
        toConsent(good_card());
        QVERIFY(!desk_->certificateWarning().has_value());
    }

    void inspectErrors_data() {
        QTest::addColumn<int>("errc");
        QTest::addColumn<int>("problem");  // -1: back to waiting
        QTest::newRow("not_found")
            << int(Errc::not_found) << int(q::DeskProblem::not_my_number_card);
        QTest::newRow("unsupported")
            << int(Errc::unsupported) << int(q::DeskProblem::not_my_number_card);
        QTest::newRow("pin_blocked") << int(Errc::pin_blocked) << int(q::DeskProblem::pin_blocked);
        QTest::newRow("card_error") << int(Errc::card_error) << int(q::DeskProblem::card_removed);
        QTest::newRow("card_removed") << int(Errc::card_removed) << -1;
    }
    void inspectErrors() {
        QFETCH(int, errc);
        QFETCH(int, problem);
        desk_->updateReaders(with_card());
        FakeDeskBackend::answer(backend_->inspect_done,
                                Outcome<DeskCard>(Error(static_cast<Errc>(errc), "x")));
        if (errc == int(Errc::card_error)) {  // read once more before giving up
            QCOMPARE(backend_->inspect_calls, 2);
            FakeDeskBackend::answer(backend_->inspect_done,
                                    Outcome<DeskCard>(Error(static_cast<Errc>(errc), "x")));
        }
        if (problem < 0) {
            // The card is still reported in: please take it.
            QCOMPARE(desk_->step(), PatientStep::done);
        } else {
            QCOMPARE(desk_->step(), PatientStep::failed);
            QCOMPARE(desk_->patientProblem(), static_cast<q::DeskProblem>(problem));
        }
        QCOMPARE(backend_->check_calls, 0);
    }

    void blockedAndMuteCards() {
        desk_->updateReaders(with_card());
        FakeDeskBackend::answer(backend_->inspect_done, Outcome<DeskCard>(good_card(0)));
        QCOMPARE(desk_->step(), PatientStep::failed);
        QCOMPARE(desk_->patientProblem(), q::DeskProblem::pin_blocked);
        QCOMPARE(desk_->deskProblem(), q::DeskProblem::pin_blocked);
        desk_->updateReaders(with_card(false));
        QCOMPARE(desk_->step(), PatientStep::waiting);
        desk_->updateReaders(with_card(true, true));
        QCOMPARE(desk_->step(), PatientStep::failed);
        QCOMPARE(desk_->patientProblem(), q::DeskProblem::card_removed);
        QCOMPARE(backend_->inspect_calls, 1);
        // Once it answers (powered after pcscd first saw it), it is read.
        desk_->updateReaders(with_card(true, false));
        QCOMPARE(desk_->step(), PatientStep::inspecting);
        QCOMPARE(backend_->inspect_calls, 2);
    }

    void noServiceNoCheck() {
        backend_->check = false;
        desk_->updateReaders(with_card());
        QCOMPARE(desk_->step(), PatientStep::failed);
        QCOMPARE(desk_->patientProblem(), q::DeskProblem::service_unreachable);
        QCOMPARE(backend_->inspect_calls, 0);
    }

    void pinFormatNeverSent() {
        toPin();
        typePin("123");
        desk_->submitPin();
        QCOMPARE(desk_->step(), PatientStep::pin_entry);
        QVERIFY(desk_->pinFormatRefused());
        QCOMPARE(backend_->check_calls, 0);
    }

    void wrongPinThenBlocked() {
        toChecking();
        FakeDeskBackend::answer(backend_->check_done,
                                Outcome<q::Received>(Error(Errc::pin_incorrect, "x", 2)));
        QCOMPARE(desk_->step(), PatientStep::pin_entry);
        QVERIFY(desk_->pinWasWrong());
        QCOMPARE(desk_->triesLeft(), 2);
        QCOMPARE(desk_->pinLength(), 0);
        // Never resent by software: nothing goes until new digits are typed.
        desk_->submitPin();
        QCOMPARE(backend_->check_calls, 1);
        typePin("1111");
        desk_->submitPin();
        FakeDeskBackend::answer(backend_->check_done,
                                Outcome<q::Received>(Error(Errc::pin_incorrect, "x", 1)));
        QCOMPARE(desk_->triesLeft(), 1);
        typePin("2222");
        desk_->submitPin();
        // The last try needs an explicit confirmation.
        QCOMPARE(desk_->step(), PatientStep::confirm_last_try);
        QCOMPARE(backend_->check_calls, 2);
        desk_->confirmLastTry();
        QCOMPARE(backend_->check_calls, 3);
        QVERIFY(backend_->last_options.confirm_last_try);
        FakeDeskBackend::answer(backend_->check_done,
                                Outcome<q::Received>(Error(Errc::pin_incorrect, "x", 0)));
        QCOMPARE(desk_->step(), PatientStep::failed);
        QCOMPARE(desk_->patientProblem(), q::DeskProblem::pin_blocked);
        QCOMPARE(desk_->deskProblem(), q::DeskProblem::pin_blocked);
    }

    void checkErrors_data() {
        QTest::addColumn<int>("errc");
        QTest::addColumn<int>("step");
        QTest::addColumn<int>("problem");  // -1: none
        QTest::newRow("pin_blocked") << int(Errc::pin_blocked) << int(PatientStep::failed)
                                     << int(q::DeskProblem::pin_blocked);
        QTest::newRow("confirmation")
            << int(Errc::confirmation_required) << int(PatientStep::pin_entry) << -1;
        QTest::newRow("pin_format") << int(Errc::pin_format) << int(PatientStep::pin_entry) << -1;
        QTest::newRow("timeout") << int(Errc::timeout) << int(PatientStep::failed)
                                 << int(q::DeskProblem::timeout);
        QTest::newRow("malformed") << int(Errc::malformed_data) << int(PatientStep::failed)
                                   << int(q::DeskProblem::malformed_answer);
        QTest::newRow("unreachable") << int(Errc::service_stopped) << int(PatientStep::failed)
                                     << int(q::DeskProblem::service_unreachable);
        QTest::newRow("ca_missing") << int(Errc::not_found) << int(PatientStep::failed)
                                    << int(q::DeskProblem::service_unreachable);
        QTest::newRow("card_error") << int(Errc::card_error) << int(PatientStep::failed)
                                    << int(q::DeskProblem::card_removed);
        QTest::newRow("removed") << int(Errc::card_removed) << int(PatientStep::done) << -1;
    }
    void checkErrors() {
        QFETCH(int, errc);
        QFETCH(int, step);
        QFETCH(int, problem);
        toChecking();
        FakeDeskBackend::answer(backend_->check_done,
                                Outcome<q::Received>(Error(static_cast<Errc>(errc), "x")));
        QCOMPARE(desk_->step(), static_cast<PatientStep>(step));
        if (problem >= 0) QCOMPARE(desk_->patientProblem(), static_cast<q::DeskProblem>(problem));
        QVERIFY(!desk_->result().has_value());
        QCOMPARE(desk_->pinLength(), 0);
        if (errc == int(Errc::confirmation_required)) QCOMPARE(desk_->triesLeft(), 1);
    }

    void cancelAtEachStep_data() {
        QTest::addColumn<int>("step");
        QTest::newRow("consent") << int(PatientStep::consent);
        QTest::newRow("pin") << int(PatientStep::pin_entry);
        QTest::newRow("confirm") << int(PatientStep::confirm_last_try);
        QTest::newRow("checking") << int(PatientStep::checking);
    }
    void cancelAtEachStep() {
        QFETCH(int, step);
        const auto s = static_cast<PatientStep>(step);
        if (s == PatientStep::consent) {
            toConsent();
            desk_->setConsent(q::ConsentItem::medication, true);
        } else if (s == PatientStep::pin_entry) {
            toPin();
            typePin("12");
        } else if (s == PatientStep::confirm_last_try) {
            toPin(good_card(1));
            typePin("1234");
            desk_->submitPin();
            QCOMPARE(desk_->step(), PatientStep::confirm_last_try);
        } else {
            toChecking();
        }
        desk_->cancel();
        QCOMPARE(desk_->step(), PatientStep::done);  // please take your card
        QVERIFY(desk_->cancelled());
        QCOMPARE(desk_->pinLength(), 0);
        QVERIFY(!desk_->consent(q::ConsentItem::medication));
        if (s == PatientStep::checking) {
            // The late answer is dropped: no result of a cancelled check.
            FakeDeskBackend::answer(backend_->check_done,
                                    Outcome<q::Received>(received(answer("1"))));
            QVERIFY(!desk_->result().has_value());
        } else {
            QCOMPARE(backend_->check_calls, 0);
        }
        desk_->updateReaders(with_card(false));
        QCOMPARE(desk_->step(), PatientStep::waiting);
        QVERIFY(!desk_->cancelled());
    }

    void removalAtEachStep_data() {
        QTest::addColumn<int>("step");
        for (int s = int(PatientStep::inspecting); s <= int(PatientStep::failed); ++s)
            QTest::newRow(QByteArray::number(s).constData()) << s;
    }
    void removalAtEachStep() {
        QFETCH(int, step);
        const auto s = static_cast<PatientStep>(step);
        switch (s) {
            case PatientStep::inspecting:
                desk_->updateReaders(with_card());
                break;
            case PatientStep::consent:
                toConsent();
                desk_->setConsent(q::ConsentItem::operation, true);
                break;
            case PatientStep::pin_entry:
                toPin();
                typePin("123");
                break;
            case PatientStep::confirm_last_try:
                toPin(good_card(1));
                typePin("1234");
                desk_->submitPin();
                break;
            case PatientStep::checking:
                toChecking();
                break;
            case PatientStep::done:
                toDone();
                break;
            case PatientStep::failed:
                desk_->updateReaders(with_card());
                FakeDeskBackend::answer(backend_->inspect_done,
                                        Outcome<DeskCard>(Error(Errc::not_found, "x")));
                break;
            case PatientStep::waiting:
                break;
        }
        QCOMPARE(desk_->step(), s);
        QSignalSpy wiped(desk_, &FrontDeskController::changed);
        desk_->updateReaders(with_card(false));
        QCOMPARE(desk_->step(), PatientStep::waiting);
        QCOMPARE(desk_->pinLength(), 0);
        QVERIFY(!desk_->consent(q::ConsentItem::operation));
        QVERIFY(!desk_->patientProblem().has_value());
        QVERIFY(!desk_->certificateWarning().has_value());
        QVERIFY(!wiped.isEmpty());
        // Late answers of the removed card's flow are dropped.
        if (backend_->inspect_done)
            FakeDeskBackend::answer(backend_->inspect_done, Outcome<DeskCard>(good_card()));
        if (backend_->check_done)
            FakeDeskBackend::answer(backend_->check_done,
                                    Outcome<q::Received>(received(answer("1"))));
        QCOMPARE(desk_->step(), PatientStep::waiting);
        // Only a finished check leaves a result for the receptionist.
        QCOMPARE(desk_->result().has_value(), s == PatientStep::done);
    }

    void idleTimeoutClearsBoth() {
        auto s = fast_settings();
        s.idle = 100ms;
        make(s);
        toDone();
        desk_->updateReaders(with_card(false));
        q::NumberQuery typed;
        typed.number = "3456";
        desk_->setQuery(typed);
        QVERIFY(desk_->result().has_value());
        QTRY_VERIFY_WITH_TIMEOUT(!desk_->result().has_value(), 2000);
        QVERIFY(desk_->query().number.empty());
        QCOMPARE(desk_->step(), PatientStep::waiting);
    }

    void idleTimeoutWithCardStillIn() {
        auto s = fast_settings();
        s.idle = 100ms;
        make(s);
        toConsent();
        desk_->setConsent(q::ConsentItem::medication, true);
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::done, 2000);
        QVERIFY(desk_->timedOut());
        QVERIFY(!desk_->consent(q::ConsentItem::medication));
        QCOMPARE(backend_->check_calls, 0);
    }

    void pinTimeout() {
        auto s = fast_settings();
        s.pin = 100ms;
        make(s);
        toPin();
        typePin("12");
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::done, 2000);
        QCOMPARE(desk_->pinLength(), 0);
        QVERIFY(desk_->timedOut());
        QCOMPARE(backend_->check_calls, 0);
    }

    void resultTimeout() {
        auto s = fast_settings();
        s.result = 100ms;
        make(s);
        toDone();
        QTRY_VERIFY_WITH_TIMEOUT(!desk_->result().has_value(), 2000);
    }

    void exportWritesAndClears() {
        toDone();
        QVERIFY(desk_->confirmExport());
        QCOMPARE(backend_->exported.size(), std::size_t(1));
        QCOMPARE(backend_->exported.front().received, (Bytes{'<', 'x', '/', '>'}));
        QVERIFY(!desk_->result().has_value());
        QCOMPARE(desk_->history().size(), 1);
        QCOMPARE(desk_->history().front().validity, std::string("1"));
        QVERIFY(desk_->history().front().written);
        QVERIFY(!desk_->confirmExport());  // nothing left to export
    }

    void exportPendingThenRetried() {
        toDone();
        backend_->export_fails = true;
        QVERIFY(desk_->confirmExport());
        QCOMPARE(desk_->pendingExports(), std::size_t(1));
        QCOMPARE(desk_->deskProblem(), q::DeskProblem::export_pending);
        QVERIFY(!desk_->history().front().written);
        QVERIFY(!desk_->result().has_value());
        desk_->retryExports();  // still failing
        QCOMPARE(desk_->pendingExports(), std::size_t(1));
        backend_->export_fails = false;
        desk_->retryExports();
        QCOMPARE(desk_->pendingExports(), std::size_t(0));
        QVERIFY(!desk_->deskProblem().has_value());
        QVERIFY(desk_->history().front().written);
    }

    void exportRetriedOnTimer() {
        auto s = fast_settings();
        s.export_retry = 50ms;
        make(s);
        toDone();
        backend_->export_fails = true;
        QVERIFY(desk_->confirmExport());
        QCOMPARE(desk_->pendingExports(), std::size_t(1));
        backend_->export_fails = false;
        QTRY_COMPARE_WITH_TIMEOUT(desk_->pendingExports(), std::size_t(0), 2000);
    }

    void faceResultQueuedAndOpened() {
        q::FaceResult f;
        f.file_name = "OQSsiquc01res_face1.xml";
        f.message = answer("1");
        f.bytes = Bytes{'f'};
        backend_->next_faces.push_back(f);
        QSignalSpy queued(desk_, &FrontDeskController::faceQueueChanged);
        desk_->pollFaces();
        QCOMPARE(queued.size(), 1);
        QCOMPARE(desk_->faceQueue().size(), 1);
        QVERIFY(!desk_->result().has_value());  // only its arrival shows
        const int id = desk_->faceQueue().front().id;
        QVERIFY(!desk_->openFace(id + 100));
        QVERIFY(desk_->openFace(id));
        QVERIFY(desk_->faceQueue().isEmpty());
        QCOMPARE(desk_->result()->origin, ResultOrigin::face);
        QCOMPARE(desk_->result()->received.bytes, Bytes{'f'});
        QCOMPARE(backend_->records.size(), std::size_t(1));
        QCOMPARE(backend_->records.front().first, audit::Operation::qualification_result);
        QCOMPARE(backend_->check_calls, 0);
    }

    void noTerminalNoFacesNoQueries() {
        backend_->terminal = false;
        backend_->next_faces.push_back(q::FaceResult{});
        desk_->pollFaces();
        QVERIFY(desk_->faceQueue().isEmpty());
        QVERIFY(!desk_->canSendQuery());
    }

    void queryFormValidation() {
        QVERIFY(!desk_->queryProblems().empty());  // empty form
        QVERIFY(!desk_->canSendQuery());
        QVERIFY(!desk_->sendQuery());
        q::NumberQuery form;
        form.insurer = "1234567";  // 7 digits
        form.number = "3456";
        form.branch = "01";
        form.birth = "19700101";
        desk_->setQuery(form);
        QCOMPARE(desk_->query().institution_code, std::string("1312345678"));
        bool insurer_flagged = false;
        for (const auto& p : desk_->queryProblems()) {
            insurer_flagged = insurer_flagged || p.field == q::QueryField::insurer;
            QVERIFY(!p.message_en.empty());
            QVERIFY(!p.message_ja.empty());
        }
        QVERIFY(insurer_flagged);
        QVERIFY(!desk_->canSendQuery());
        form.insurer = valid_insurer();
        form.birth = "19701301";  // no 13th month
        desk_->setQuery(form);
        QVERIFY(!desk_->canSendQuery());
        form.birth = "19700101";
        desk_->setQuery(form);
        QVERIFY2(desk_->queryProblems().empty(),
                 desk_->queryProblems().empty()
                     ? ""
                     : desk_->queryProblems().front().message_en.c_str());
        QVERIFY(desk_->canSendQuery());
        QVERIFY(desk_->sendQuery());
        QVERIFY(desk_->asking());
        QVERIFY(!desk_->canSendQuery());  // one at a time
        QCOMPARE(backend_->ask_calls, 1);
        QVERIFY(backend_->last_request.body.search_info.has_value());
        FakeDeskBackend::answer(backend_->ask_done, Outcome<q::Received>(received(answer("1"))));
        QCOMPARE(desk_->result()->origin, ResultOrigin::query);
        QVERIFY(desk_->query().number.empty());
        QCOMPARE(backend_->records.front().first, audit::Operation::qualification_query);
        QCOMPARE(backend_->records.front().second, audit::Result::ok);
    }

    void queryErrors_data() {
        QTest::addColumn<int>("errc");
        QTest::addColumn<int>("problem");
        QTest::newRow("timeout") << int(Errc::timeout) << int(q::DeskProblem::timeout);
        QTest::newRow("malformed")
            << int(Errc::malformed_data) << int(q::DeskProblem::malformed_answer);
        QTest::newRow("folder") << int(Errc::not_found) << int(q::DeskProblem::folder_missing);
        QTest::newRow("io") << int(Errc::io) << int(q::DeskProblem::service_unreachable);
    }
    void queryErrors() {
        QFETCH(int, errc);
        QFETCH(int, problem);
        q::NumberQuery form;
        form.insurer = valid_insurer();
        form.number = "3456";
        form.branch = "01";
        form.birth = "19700101";
        desk_->setQuery(form);
        QVERIFY(desk_->sendQuery());
        FakeDeskBackend::answer(backend_->ask_done,
                                Outcome<q::Received>(Error(static_cast<Errc>(errc), "x")));
        QCOMPARE(desk_->deskProblem(), static_cast<q::DeskProblem>(problem));
        QVERIFY(!desk_->result().has_value());
        QVERIFY(!desk_->asking());
        QVERIFY(backend_->records.front().second != audit::Result::ok);
    }

    void queryAnswerAfterClearDropped() {
        q::NumberQuery form;
        form.insurer = valid_insurer();
        form.number = "3456";
        form.branch = "01";
        form.birth = "19700101";
        desk_->setQuery(form);
        QVERIFY(desk_->sendQuery());
        desk_->clearAll();
        FakeDeskBackend::answer(backend_->ask_done, Outcome<q::Received>(received(answer("1"))));
        QVERIFY(!desk_->result().has_value());
    }

    void referenceNumberRegistration() {
        QVERIFY(!desk_->canRegisterReferenceNumber());  // no result
        toDone();
        QVERIFY(desk_->canRegisterReferenceNumber());
        QVERIFY(!desk_->registerReferenceNumber(QStringLiteral("AB-12")));
        QVERIFY(!desk_->registerReferenceNumber(QStringLiteral("12345678901")));
        QVERIFY(!desk_->registerReferenceNumber(QString()));
        QCOMPARE(backend_->ask_calls, 0);
        QVERIFY(desk_->registerReferenceNumber(QStringLiteral("P000123")));
        QCOMPARE(backend_->ask_calls, 1);
        QVERIFY(backend_->last_request.body.registration.has_value());
        QCOMPARE(backend_->last_request.body.registration->reference_number.value_or(""),
                 std::string("P000123"));
        q::XmlMsg ok;
        ok.header.segment_of_result = "1";
        FakeDeskBackend::answer(backend_->ask_done, Outcome<q::Received>(received(ok)));
        QVERIFY(desk_->referenceNumberRegistered());
        QVERIFY(desk_->result().has_value());  // the result stays
    }

    void sheetExplainsEveryAnswer_data() {
        QTest::addColumn<QString>("validity");
        QTest::addColumn<QString>("error");
        QTest::newRow("valid") << "1"
                               << "";
        QTest::newRow("lost") << "2"
                              << "";
        QTest::newRow("newer") << "3"
                               << "";
        QTest::newRow("none") << "4"
                              << "";
        QTest::newRow("several") << "5"
                                 << "";
        QTest::newRow("error") << ""
                               << "MQS010";
        QTest::newRow("unknown error") << ""
                                       << "ZZZ999";
    }
    void sheetExplainsEveryAnswer() {
        QFETCH(QString, validity);
        QFETCH(QString, error);
        for (const auto lang : {q::Language::ja, q::Language::en}) {
            ResultSheet sheet(lang);
            DeskResult r;
            r.received = received(answer(validity.toStdString(), error.toStdString()));
            sheet.show(r);
            const q::Explanation e = q::explain(r.received.message, lang);
            const QStringList texts = sheet.texts();
            QVERIFY(texts.contains(QString::fromStdString(e.title)));
            if (!e.next_step.empty()) QVERIFY(texts.contains(QString::fromStdString(e.next_step)));
            if (error.isEmpty()) QVERIFY(texts.contains(QString::fromStdString(patient_name)));
            sheet.clear();
            QCOMPARE(sheet.rowCount(), 0);
        }
    }

    void birthDates() {
        QCOMPARE(birth_date_text("19700101", q::Language::ja),
                 QStringLiteral("昭和45年1月1日（1970-01-01）"));
        QCOMPARE(birth_date_text("19890108", q::Language::ja),
                 QStringLiteral("平成元年1月8日（1989-01-08）"));
        QCOMPARE(birth_date_text("19890107", q::Language::en),
                 QStringLiteral("Showa 64 (1989-01-07)"));
        QCOMPARE(birth_date_text("20190501", q::Language::en),
                 QStringLiteral("Reiwa 1 (2019-05-01)"));
        QCOMPARE(birth_date_text("1970011", q::Language::en), QStringLiteral("1970011"));
    }

    // The panels: the patient's never shows result data; both drop what
    // they show when the controller clears.
    void panelsClear() {
        PatientPanel patient(*desk_, Language::ja, false);
        ReceptionWindow reception(*desk_, Language::en, false);
        toDone();
        QCOMPARE(patient.currentPage(), PatientPage::done);
        for (const QLabel* l : patient.findChildren<QLabel*>())
            QVERIFY(!l->text().contains(QString::fromStdString(patient_name)));
        QVERIFY(reception.sheet()->texts().contains(QString::fromStdString(patient_name)));
        QVERIFY(reception.exportButton()->isEnabled());
        QVERIFY(desk_->confirmExport());
        QCOMPARE(reception.sheet()->rowCount(), 0);
        QCOMPARE(reception.historyTable()->rowCount(), 1);
        for (int c = 0; c < reception.historyTable()->columnCount(); ++c)
            QVERIFY(!reception.historyTable()->item(0, c)->text().contains(
                QString::fromStdString(patient_name)));
        QVERIFY(!reception.exportButton()->isEnabled());
    }

    void patientPanelKeyboardAndLanguage() {
        PatientPanel patient(*desk_, Language::ja, false);
        toConsent();
        QCOMPARE(patient.currentPage(), PatientPage::consent);
        for (std::size_t i = 0; i < consent_item_count; ++i) {
            QVERIFY(!patient.consentBox(i)->isChecked());
            QVERIFY(!patient.consentBox(i)->accessibleName().isEmpty());
        }
        patient.consentBox(4)->setChecked(true);
        QVERIFY(desk_->consent(q::ConsentItem::limit));
        patient.continueButton()->click();
        QCOMPARE(patient.currentPage(), PatientPage::pin);
        QTest::keyClicks(&patient, "12");
        QCOMPARE(desk_->pinLength(), 2);
        QTest::keyClick(&patient, Qt::Key_Backspace);
        QCOMPARE(desk_->pinLength(), 1);
        QTest::keyClicks(&patient, "234");
        QTest::keyClick(&patient, Qt::Key_Return);
        QCOMPARE(desk_->step(), PatientStep::checking);
        QCOMPARE(backend_->last_pin, std::string("1234"));
        QTest::keyClick(&patient, Qt::Key_Escape);
        QCOMPARE(desk_->step(), PatientStep::done);
        const QString ja = patient.findChild<QLabel*>(QStringLiteral("doneLabel"))->text();
        patient.setLanguage(Language::en);
        const QString en = patient.findChild<QLabel*>(QStringLiteral("doneLabel"))->text();
        QCOMPARE(en, QStringLiteral("Done. Please take your card."));
        QVERIFY(ja != en);
        patient.setLargeText(true);
        QVERIFY(patient.largeText());
    }

    void receptionFormMessages() {
        ReceptionWindow reception(*desk_, Language::en, false);
        QVERIFY(!reception.sendButton()->isEnabled());
        QTest::keyClicks(reception.queryField(q::QueryField::insurer), "12");
        QVERIFY(!reception.fieldMessage(q::QueryField::insurer)->text().isEmpty());
        reception.queryField(q::QueryField::insurer)->clear();
        QTest::keyClicks(reception.queryField(q::QueryField::insurer),
                         QString::fromStdString(valid_insurer()));
        QVERIFY(reception.fieldMessage(q::QueryField::insurer)->text().isEmpty());
        QTest::keyClicks(reception.queryField(q::QueryField::number), "3456");
        QTest::keyClicks(reception.queryField(q::QueryField::branch), "01");
        QTest::keyClicks(reception.queryField(q::QueryField::birth), "19700101");
        QVERIFY(reception.sendButton()->isEnabled());
        reception.sendButton()->click();
        QCOMPARE(backend_->ask_calls, 1);
    }
};

QTEST_MAIN(TestFrontDeskController)
#include "tst_front_desk_controller.moc"
