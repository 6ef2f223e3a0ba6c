// The clinic front desk end to end (ctest fixture virtual_pcscd): the
// software card in the virtual reader through pcscd, the PIN typed on the
// patient panel's keypad, the card's signature over the challenge of
// mynacard-qualification-server (loopback, port 0) which also plays the
// terminal (req/, res/, face/), the result on the receptionist's window and
// its export into a folder — and what happens when that folder goes away or
// the card leaves during the check.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QInputMethodEvent>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/frontdesk/desk_backend.h"
#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/patient_panel.h"
#include "gui/frontdesk/reception_window.h"
#include "qualification/desk_config.h"
#include "scratch_dir.h"

using namespace mynacard;
using namespace mynacard::gui;
namespace q = mynacard::qualification;
using namespace std::chrono_literals;

namespace {

constexpr int card_timeout_ms = 15000;    // pcscd polls presence every 400 ms
constexpr int answer_timeout_ms = 20000;  // the service's terminal polls req/
const char* const institution = "1312345678";

QString build_dir() {
    return qEnvironmentVariable("MYNACARD_BUILD_DIR");
}
QString profile_dir() {
    return build_dir() + "/share/mynacard/sim/profiles/default";
}
QString source_dir() {
    return QStringLiteral(MYNACARD_SOURCE_DIR);
}

QByteArray run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(20000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << program << args << "failed:" << p.readAllStandardError();
        return {};
    }
    return p.readAllStandardOutput() + " ";  // non-empty on success
}
QByteArray sim(const QStringList& args) {
    return run(build_dir() + "/bin/mynacard-sim", args);
}
QString profile_secret(const char* which) {
    QFile f(profile_dir() + "/profile.json");
    if (!f.open(QIODevice::ReadOnly)) return {};
    const auto j = nlohmann::json::parse(f.readAll().toStdString());
    return QString::fromStdString(j.at("secrets").at(which).at("value").get<std::string>());
}

// VERIFY commands carrying a PIN in reader 0's trace.
int pin_verifies() {
    int n = 0;
    for (const QByteArray& line : sim({"trace", "--reader", "0"}).split('\n')) {
        if (line.trimmed().isEmpty()) continue;
        const auto j = nlohmann::json::parse(line.toStdString());
        const QString cmd = QString::fromStdString(j.value("command", "")).toUpper();
        if (j.value("redacted", false) && cmd.startsWith("002000")) ++n;
    }
    return n;
}

QStringList files(const QString& dir, const QString& pattern) {
    return QDir(dir).entryList({pattern}, QDir::Files, QDir::Name);
}

}  // namespace

class TestItFrontDesk : public QObject {
    Q_OBJECT

    ScratchDir dir_;
    QProcess server_;
    QString url_;
    QString auth_pin_;
    std::unique_ptr<CardService> service_;
    std::unique_ptr<DeskBackend> backend_;
    std::unique_ptr<FrontDeskController> desk_;
    std::unique_ptr<ReceptionWindow> reception_;
    std::unique_ptr<PatientPanel> patient_;

    QString path(const char* name) const { return dir_.filePath(QLatin1String(name)); }

    void removeCard() {
        QVERIFY(!sim({"remove", "--reader", "0"}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::waiting, card_timeout_ms);
    }
    // Counts are taken from an empty trace: the ring keeps the last 10,000
    // exchanges of all readers, and a full one (after the load tests) both
    // drops old entries and makes every read slow.
    static void clearTrace() { QVERIFY(!sim({"trace", "--reader", "0", "--clear"}).isEmpty()); }
    void insertCard() {
        QVERIFY(!sim({"insert", "--reader", "0", "--fresh", profile_dir()}).isEmpty());
    }
    void typePin(const QString& pin) {
        for (const QChar ch : pin) {
            QPushButton* b = patient_->keypad()->digitButton(ch.digitValue());
            QVERIFY(b);
            b->click();
        }
        QCOMPARE(desk_->pinLength(), static_cast<int>(pin.size()));
    }
    // Card in, the consent screen, `consents` ticked, the PIN typed (not sent).
    void toPin(const std::vector<std::size_t>& consents) {
        insertCard();
        QTRY_VERIFY2_WITH_TIMEOUT(
            desk_->step() == PatientStep::consent,
            qPrintable(QStringLiteral("step %1, problem %2")
                           .arg(int(desk_->step()))
                           .arg(desk_->patientProblem() ? int(*desk_->patientProblem()) : -1)),
            card_timeout_ms);
        QCOMPARE(patient_->currentPage(), PatientPage::consent);
        for (std::size_t i : consents) patient_->consentBox(i)->click();
        patient_->continueButton()->click();
        QCOMPARE(desk_->step(), PatientStep::pin_entry);
        QCOMPARE(desk_->triesLeft(), 3);
        typePin(auth_pin_);
    }
    [[nodiscard]] int auditEntries(const char* operation) const {
        QFile f(path("audit.jsonl"));
        if (!f.open(QIODevice::ReadOnly)) return 0;
        int n = 0;
        for (const QByteArray& line : f.readAll().split('\n'))
            if (line.contains(QByteArray("\"operation\":\"") + operation + '"')) ++n;
        return n;
    }

  private slots:
    void initTestCase() {
        QVERIFY2(!build_dir().isEmpty(), "run through ctest (MYNACARD_BUILD_DIR)");
        QVERIFY(dir_.isValid());
        auth_pin_ = profile_secret("auth");
        QCOMPARE(auth_pin_.size(), 4);
        const QString server = build_dir() + "/bin/mynacard-qualification-server";
        const QString state = path("service");
        QVERIFY(
            !run(server, {"init", "--state", state, "--institution-code", institution}).isEmpty());
        QVERIFY(!run(server, {"trust", "--state", state, "--ca",
                              build_dir() + "/share/mynacard/sim/pki/auth_root.pem"})
                     .isEmpty());
        QVERIFY(!run(server, {"enroll", "--state", state, "--cert",
                              profile_dir() + "/auth_cert.der", "--record",
                              source_dir() + "/middleware/qualification/server/sample-record.json"})
                     .isEmpty());
        server_.setProcessChannelMode(QProcess::MergedChannels);
        server_.start(server, {"serve", "--state", state, "--listen", "127.0.0.1:0",
                               "--terminal-dir", path("oqs")});
        QVERIFY(server_.waitForStarted());
        QByteArray log;
        static const QRegularExpression port_line(QStringLiteral("listening on port (\\d+)"));
        QTRY_VERIFY_WITH_TIMEOUT(
            (log += server_.readAll(), port_line.match(QString::fromUtf8(log)).hasMatch()), 10000);
        url_ = QStringLiteral("https://127.0.0.1:") +
               port_line.match(QString::fromUtf8(log)).captured(1);

        insertCard();
        QVERIFY(!sim({"fault", "--reader", "0", "clear"}).isEmpty());
        QVERIFY(!sim({"latency", "--reader", "0", "--clear"}).isEmpty());
        q::DeskConfig c;
        c.institution_code = institution;
        c.reference =
            q::DeskConfig::Reference{url_.toStdString(), (state + "/server.pem").toStdString()};
        c.terminal = q::DeskConfig::Terminal{path("oqs").toStdString()};
        c.face_dir = path("oqs/face").toStdString();
        c.export_dir = path("export").toStdString();
        c.state_dir = path("desk").toStdString();
        c.reader = "Virtual Reader 0";
        QVERIFY(QDir().mkpath(path("export")));
        service_ = std::make_unique<CardService>(path("audit.jsonl").toStdString());
        backend_ = std::make_unique<DeskBackend>(c, *service_);
        FrontDeskSettings s;
        s.institution_code = institution;
        s.reader = QStringLiteral("Virtual Reader 0");
        s.face_poll = 200ms;
        s.export_retry = 300ms;
        desk_ = std::make_unique<FrontDeskController>(s, *backend_);
        reception_ = std::make_unique<ReceptionWindow>(*desk_, Language::en, false);
        patient_ = std::make_unique<PatientPanel>(*desk_, Language::en, false);
        reception_->show();
        patient_->show();
        // The card was in before the desk looked: it waits for the next one.
        // pcscd must have seen it go (it polls every 400 ms): a card put
        // back faster than that can stay "powered" in pcscd while the reader
        // powered it down, and the first check then fails (docs/reliability.md,
        // "Fault matrix"). No patient is that fast; the test must not be.
        sim({"remove", "--reader", "0"});
        QCOMPARE(
            QProcess::execute(build_dir() + "/bin/pcsc_probe", {"wait-state", "0", "empty", "5"}),
            0);
        desk_->follow(*service_);
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::waiting, card_timeout_ms);
    }

    void cleanupTestCase() {
        patient_.reset();
        reception_.reset();
        desk_.reset();
        backend_.reset();
        service_.reset();
        server_.terminate();
        server_.waitForFinished(5000);
        sim({"latency", "--reader", "0", "--clear"});
        insertCard();  // the next program using the fixture expects the default card
    }

    void cardCheckWithConsents() {
        clearTrace();
        const int verifies = pin_verifies();
        toPin({0, 4});  // medication, limit
        patient_->keypad()->okButton()->click();
        QCOMPARE(desk_->step(), PatientStep::checking);
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::done, answer_timeout_ms);
        QCOMPARE(patient_->currentPage(), PatientPage::done);
        QVERIFY2(desk_->result().has_value(),
                 desk_->patientProblem() ? "a problem instead of a result" : "no result");
        const auto& m = desk_->result()->received.message;
        QCOMPARE(m.body.qualification_validity.value_or(""), std::string("1"));
        const auto& person = m.body.result_list->front();
        QCOMPARE(person.insurer_number.value_or(""), std::string("06132013"));
        QCOMPARE(person.pharmacists_consent_flag.value_or(""), std::string("1"));
        QVERIFY(!desk_->result()->received.bytes.empty());
        QVERIFY(reception_->sheet()->texts().contains(
            QString::fromStdString(person.name.value_or("-"))));
        QCOMPARE(pin_verifies() - verifies, 1);
        QCOMPARE(auditEntries("qualification_check"), 1);
        removeCard();
        QVERIFY(desk_->result().has_value());  // stays with the receptionist
        desk_->clearResult();
        QCOMPARE(reception_->sheet()->rowCount(), 0);
    }

    void faceResultArrives() {
        // The service drops each card check it served into face/, as the
        // terminal does for the face reader: it shows as an arrival time.
        QTRY_VERIFY_WITH_TIMEOUT(!desk_->faceQueue().isEmpty(), answer_timeout_ms);
        QTRY_COMPARE(reception_->faceList()->count(), desk_->faceQueue().size());
        const QString entry = reception_->faceList()->item(0)->text();
        QVERIFY(!entry.contains(QStringLiteral("06132013")));
        QVERIFY(desk_->openFace(desk_->faceQueue().front().id));
        QCOMPARE(desk_->result()->origin, ResultOrigin::face);
        QCOMPARE(desk_->result()->received.message.body.qualification_validity.value_or(""),
                 std::string("1"));
        QCOMPARE(auditEntries("qualification_result"), 1);
    }

    void exportWritten() {
        QVERIFY(desk_->result().has_value());
        const Bytes received = desk_->result()->received.bytes;
        QVERIFY(desk_->confirmExport());
        QVERIFY(!desk_->result().has_value());
        const QStringList xml = files(path("export"), QStringLiteral("*.xml"));
        const QStringList json = files(path("export"), QStringLiteral("*.json"));
        QCOMPARE(xml.size(), 1);
        QCOMPARE(json.size(), 1);
        QFile f(path("export") + "/" + xml.front());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(bytes, QByteArray(reinterpret_cast<const char*>(received.data()),
                                   static_cast<qsizetype>(received.size())));
        QCOMPARE(desk_->history().size(), 1);
        QVERIFY(desk_->history().front().written);
        QCOMPARE(QString::fromStdString(desk_->history().front().file) + ".xml", xml.front());
        QCOMPARE(reception_->historyTable()->rowCount(), 1);
    }

    void numberQueryThroughFolders() {
        QTest::keyClicks(reception_->queryField(q::QueryField::insurer), "06132013");
        {
            // Kanji come through the input method, as typed with an IME.
            QInputMethodEvent typed;
            typed.setCommitString(QStringLiteral("架空12"));
            QApplication::sendEvent(reception_->queryField(q::QueryField::symbol), &typed);
        }
        QTest::keyClicks(reception_->queryField(q::QueryField::number), "3456");
        QTest::keyClicks(reception_->queryField(q::QueryField::branch), "01");
        QTest::keyClicks(reception_->queryField(q::QueryField::birth), "19800217");
        reception_->limitConsentBox()->click();
        QVERIFY2(reception_->sendButton()->isEnabled(),
                 desk_->queryProblems().empty()
                     ? ""
                     : desk_->queryProblems().front().message_en.c_str());
        reception_->sendButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(desk_->result().has_value() || desk_->deskProblem().has_value(),
                                 answer_timeout_ms);
        QVERIFY(desk_->result().has_value());
        QCOMPARE(desk_->result()->origin, ResultOrigin::query);
        const auto& m = desk_->result()->received.message;
        QCOMPARE(m.body.qualification_validity.value_or(""), std::string("1"));
        QVERIFY(m.body.result_list->front().limit_application.has_value());
        QCOMPARE(auditEntries("qualification_query"), 1);
        QVERIFY(reception_->queryField(q::QueryField::number)->text().isEmpty());
    }

    void exportFolderMissingThenBack() {
        QVERIFY(desk_->result().has_value());
        QVERIFY(QDir().rename(path("export"), path("export-away")));
        QVERIFY(desk_->confirmExport());
        QCOMPARE(desk_->pendingExports(), std::size_t(1));
        QCOMPARE(desk_->deskProblem(), q::DeskProblem::export_pending);
        QVERIFY(!desk_->history().front().written);
        QVERIFY(reception_->pendingLabel()->text().contains(QStringLiteral("1")));
        QVERIFY(QDir().rename(path("export-away"), path("export")));
        // The retry timer writes it once the folder is back.
        QTRY_COMPARE_WITH_TIMEOUT(desk_->pendingExports(), std::size_t(0), 10000);
        QCOMPARE(files(path("export"), QStringLiteral("*.xml")).size(), 2);
        QCOMPARE(files(path("export"), QStringLiteral("*.json")).size(), 2);
        QVERIFY(desk_->history().front().written);
    }

    void cardRemovedMidCheck() {
        // Slow APDUs: the card leaves while the check reads the certificate,
        // before any PIN went to it.
        QVERIFY(!sim({"latency", "--reader", "0", "--per-apdu-ms", "400"}).isEmpty());
        toPin({});
        clearTrace();
        const int verifies = pin_verifies();
        patient_->keypad()->okButton()->click();
        QCOMPARE(desk_->step(), PatientStep::checking);
        QVERIFY(!sim({"remove", "--reader", "0"}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::waiting, card_timeout_ms);
        QCOMPARE(patient_->currentPage(), PatientPage::waiting);
        QCOMPARE(desk_->pinLength(), 0);
        QVERIFY(!desk_->result().has_value());
        QCOMPARE(reception_->sheet()->rowCount(), 0);
        // Let the abandoned job end, then look at the card again.
        QTRY_VERIFY_WITH_TIMEOUT(!service_->busy(), card_timeout_ms);
        QCOMPARE(pin_verifies(), verifies);
        QVERIFY(!sim({"latency", "--reader", "0", "--clear"}).isEmpty());
        QVERIFY(!sim({"insert", "--reader", "0", profile_dir()}).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(desk_->step(), PatientStep::consent, card_timeout_ms);
        QCOMPARE(desk_->triesLeft(), 3);  // no try consumed
        patient_->continueButton()->click();
        desk_->cancel();
        removeCard();
    }
};

QTEST_MAIN(TestItFrontDesk)
#include "tst_it_front_desk.moc"
