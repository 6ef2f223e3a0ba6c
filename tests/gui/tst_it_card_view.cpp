// The card view against pcscd with the virtual readers (integration fixture):
// readers and cards live, applications and tries left, wiping on removal,
// the certificate expiry warning, PIN-protected reads through a scripted PIN
// provider, the usage history with its chain check, and the remembered
// consent answers the holder can forget.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <deque>
#include <filesystem>
#include <optional>
#include <string>

#include "audit/audit.h"
#include "consent/consent.h"
#include "gui/common/audit_history_model.h"
#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/common/jpeg2000.h"
#include "gui/view/card_view.h"
#include "scratch_dir.h"

using namespace mynacard;
using namespace mynacard::gui;

namespace {

constexpr int kWait = 20000;  // ms: pcscd polls presence every 400 ms; the machine is shared

QString build_dir() {
    return qEnvironmentVariable("MYNACARD_BUILD_DIR");
}
QString profile(const QString& name) {
    return build_dir() + QStringLiteral("/share/mynacard/sim/profiles/") + name;
}

// A value of the generated default card (profiles differ per build).
QString holder(const QString& path) {
    QFile f(profile(QStringLiteral("default")) + QStringLiteral("/profile.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    QJsonValue v = QJsonDocument::fromJson(f.readAll()).object();
    for (const QString& key : path.split(QLatin1Char('.'))) v = v.toObject().value(key);
    return v.toString();
}

// Runs a program of the build (bin/) to its end; true when it exited 0.
bool run_tool(const QString& name, const QStringList& args) {
    QProcess p;
    p.start(build_dir() + QStringLiteral("/bin/") + name, args);
    if (!p.waitForFinished(30000)) return false;
    if (p.exitCode() != 0) qWarning() << name << args << p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool sim(const QStringList& args) {
    return run_tool(QStringLiteral("mynacard-sim"), args);
}

// pcsc_probe (tests/integration): another process using the same pcscd.
bool probe(const QStringList& args) {
    return run_tool(QStringLiteral("pcsc_probe"), args);
}

QByteArray file_bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The confirmation of a PIN change ("Nothing was changed" is not one).
bool changed(const CardView& view) {
    return view.lastError().isEmpty() && view.message().endsWith(QStringLiteral(" was changed."));
}

QString cell(const QAbstractItemModel* m, int row, int column) {
    return m->index(row, column).data().toString();
}

// Answers PIN requests from a script, and remembers what was asked.
struct ScriptedPins {
    std::deque<std::string> answers;
    std::vector<pinhelper::Request> asked;
    CardView::PinProvider provider() {
        return [this](const pinhelper::Request& r, QWidget*) -> std::optional<SecureBytes> {
            asked.push_back(r);
            if (answers.empty()) return std::nullopt;
            const std::string a = answers.front();
            answers.pop_front();
            return SecureBytes(a.begin(), a.end());
        };
    }
};

}  // namespace

class TestCardView : public QObject {
    Q_OBJECT

  private slots:
    void init();
    void cleanup();
    void listsReadersAndCard();
    void removalWipesEverything();
    void anotherCardAfterResetIsReadAfresh();
    void myNumberMaskedUntilShown();
    void wrongPinShowsTriesLeft();
    void signCertificateShowsHolder();
    void expiredCertificateWarns();
    void historyShowsUseAndFlagsChanges();
    void cardFaceWithCodeB();
    void changePinAsksCurrentAndNewTwice();
    void rememberedAnswersCanBeForgotten();
    void japanese();

  private:
    // A view on reader 0 with the default card in and its status shown.
    void openWithCard(const QString& profile_name = QStringLiteral("default"));
    [[nodiscard]] std::filesystem::path consentPath() const {
        return dir_->filePath(QStringLiteral("consent.json")).toStdString();
    }
    std::unique_ptr<ScratchDir> dir_;
    std::unique_ptr<CardService> service_;
    std::unique_ptr<CardView> view_;
    ScriptedPins pins_;
    QString reader0_;
};

void TestCardView::init() {
    QVERIFY2(!build_dir().isEmpty(), "run through ctest (MYNACARD_BUILD_DIR)");
    dir_ = std::make_unique<ScratchDir>();
    QVERIFY(dir_->isValid());
    // Every test starts from the same readers: empty, no faults.
    for (const char* r : {"0", "1", "2"}) {
        QVERIFY(sim({QStringLiteral("fault"), QStringLiteral("--reader"), QLatin1String(r),
                     QStringLiteral("clear")}));
        QVERIFY(sim({QStringLiteral("remove"), QStringLiteral("--reader"), QLatin1String(r)}));
    }
    service_ = std::make_unique<CardService>(
        std::filesystem::path(dir_->filePath(QStringLiteral("audit.jsonl")).toStdString()));
    view_ = std::make_unique<CardView>(*service_);
    // Never the tester's own answers.
    view_->setConsentStorePath(consentPath());
    pins_ = {};
    view_->setPinProvider(pins_.provider());
    view_->show();
    QTRY_COMPARE_WITH_TIMEOUT(view_->readerList()->count(), 3, kWait);
    reader0_.clear();
    for (const ReaderInfo& r : service_->readers())
        if (r.name.startsWith(QStringLiteral("mynacard Virtual Reader 0"))) reader0_ = r.name;
    QVERIFY(!reader0_.isEmpty());
    view_->selectReader(reader0_);
    // Wait until pcscd has seen the removals.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const ReaderInfo& r : service_->readers())
                if (r.card_present) return false;
            return true;
        }(),
        kWait);
}

void TestCardView::cleanup() {
    view_.reset();
    service_.reset();
    dir_.reset();
}

void TestCardView::openWithCard(const QString& profile_name) {
    QVERIFY(sim({QStringLiteral("insert"), QStringLiteral("--reader"), QStringLiteral("0"),
                 QStringLiteral("--fresh"), profile(profile_name)}));
    QTRY_COMPARE_WITH_TIMEOUT(view_->pinModel()->rowCount(), 3, kWait);
}

void TestCardView::listsReadersAndCard() {
    QStringList names;
    for (int i = 0; i < view_->readerList()->count(); ++i)
        names << view_->readerList()->item(i)->data(Qt::UserRole).toString();
    QVERIFY(names.join(QLatin1Char('|')).contains(QStringLiteral("Reader 1 Contactless")));
    QVERIFY(names.join(QLatin1Char('|')).contains(QStringLiteral("Reader 2 PIN Pad")));
    QCOMPARE(view_->pinModel()->rowCount(), 0);
    QVERIFY(!view_->holdsCardData());

    openWithCard();
    QCOMPARE(view_->currentReader(), reader0_);
    const auto* apps = view_->applicationModel();
    QCOMPARE(apps->rowCount(), 3);
    for (int r = 0; r < 3; ++r) QCOMPARE(cell(apps, r, 1), QStringLiteral("yes"));
    const auto* pins = view_->pinModel();
    QCOMPARE(cell(pins, 0, 1), QStringLiteral("3 of 3 tries left"));  // user authentication
    QCOMPARE(cell(pins, 1, 1), QStringLiteral("5 of 5 tries left"));  // signature password
    QCOMPARE(cell(pins, 2, 1), QStringLiteral("3 of 3 tries left"));  // card information
    QVERIFY(view_->lastError().isEmpty());
}

void TestCardView::removalWipesEverything() {
    openWithCard();
    view_->pages()->setCurrentIndex(1);  // certificates are read when their page opens
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() == 3, kWait);
    pins_.answers = {"1234"};
    view_->pages()->setCurrentIndex(2);
    view_->readTextData();
    QTRY_VERIFY_WITH_TIMEOUT(!view_->myNumberLabel()->text().isEmpty(), kWait);
    QVERIFY(view_->holdsCardData());

    QVERIFY(sim({QStringLiteral("remove"), QStringLiteral("--reader"), QStringLiteral("0")}));
    QTRY_VERIFY_WITH_TIMEOUT(!view_->holdsCardData(), kWait);
    QCOMPARE(view_->applicationModel()->rowCount(), 0);
    QCOMPARE(view_->pinModel()->rowCount(), 0);
    QCOMPARE(view_->certificateModel()->rowCount(), 0);
    QVERIFY(view_->myNumberLabel()->text().isEmpty());
    QVERIFY(!view_->showMyNumberButton()->isEnabled());
    // No label anywhere in the window still carries the holder's data.
    const QString number = holder(QStringLiteral("holder.my_number"));
    const QString name = holder(QStringLiteral("holder.name"));
    QCOMPARE(number.size(), 12);
    for (const QLabel* l : view_->findChildren<QLabel*>()) {
        QVERIFY2(!l->text().contains(number.right(4)), qPrintable(l->text()));
        QVERIFY2(!l->text().contains(name), qPrintable(l->text()));
    }
}

// Decision 8 across jobs: the card is exchanged without pcscd seeing a
// removal, then another process resets it. The next job of the view must
// find the other card (the identity of the card read before is kept per
// reader, the connection too, so the reset is seen), drop everything of the
// old card and show the new one.
void TestCardView::anotherCardAfterResetIsReadAfresh() {
    openWithCard();
    view_->pages()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() == 3, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service_->busy(), kWait);
    QVERIFY(view_->certificateWarning()->isHidden());
    const QString auth = dir_->filePath(QStringLiteral("auth.der"));
    QVERIFY(view_->exportCertificate(card::Certificate::auth, auth, false));
    const QByteArray old_cert = file_bytes(profile(QStringLiteral("default")) + "/auth_cert.der");
    const QByteArray new_cert = file_bytes(profile(QStringLiteral("expired")) + "/auth_cert.der");
    QVERIFY(!old_cert.isEmpty() && !new_cert.isEmpty() && old_cert != new_cert);
    QCOMPARE(file_bytes(auth), old_cert);

    QVERIFY(sim({QStringLiteral("insert"), QStringLiteral("--reader"), QStringLiteral("0"),
                 QStringLiteral("--fresh"), profile(QStringLiteral("expired")),
                 QStringLiteral("--swap")}));
    QVERIFY(probe({QStringLiteral("reset"), QStringLiteral("0")}));
    QSignalSpy replaced(service_.get(), &CardService::cardReplaced);
    // Nothing told the view: it still shows the old card.
    QCOMPARE(view_->certificateModel()->rowCount(), 3);
    QVERIFY(view_->lastError().isEmpty());

    view_->refreshStatus();
    QTRY_VERIFY_WITH_TIMEOUT(view_->lastError().contains(QStringLiteral("Another card")), kWait);
    QVERIFY2(view_->lastError().contains(reader0_), qPrintable(view_->lastError()));
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(replaced.at(0).at(0).toString(), reader0_);
    // The new card, read afresh: its tries, its (expired) certificates.
    QTRY_COMPARE_WITH_TIMEOUT(view_->pinModel()->rowCount(), 3, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!view_->certificateWarning()->isHidden(), kWait);
    QVERIFY2(view_->certificateWarning()->text().contains(QStringLiteral("expired")),
             qPrintable(view_->certificateWarning()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(!service_->busy(), kWait);
    QVERIFY(view_->exportCertificate(card::Certificate::auth, auth, false));
    QCOMPARE(file_bytes(auth), new_cert);
    const int rows = view_->certificateModel()->rowCount();
    QVERIFY(rows >= 1);

    // The next reset finds the card it now knows: no false alarm.
    QVERIFY(probe({QStringLiteral("reset"), QStringLiteral("0")}));
    QSignalSpy finished(view_.get(), &CardView::jobFinished);
    view_->readCertificates();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kWait);
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(view_->certificateModel()->rowCount(), rows);
    QVERIFY(view_->exportCertificate(card::Certificate::auth, auth, false));
    QCOMPARE(file_bytes(auth), new_cert);
}

void TestCardView::myNumberMaskedUntilShown() {
    openWithCard();
    pins_.answers = {"1234"};
    view_->readTextData();
    QTRY_VERIFY_WITH_TIMEOUT(!view_->myNumberLabel()->text().isEmpty(), kWait);
    QCOMPARE(pins_.asked.size(), std::size_t{1});
    QCOMPARE(pins_.asked[0].pin, card::Pin::text);
    QCOMPARE(pins_.asked[0].purpose, pinhelper::Purpose::read_text);
    QCOMPARE(pins_.asked[0].tries_left, 3);  // read before asking (decision 5)
    const QString number = holder(QStringLiteral("holder.my_number"));
    const QString masked = view_->myNumberLabel()->text();
    QVERIFY2(!masked.contains(number), qPrintable(masked));
    QVERIFY2(masked.endsWith(number.right(4)), qPrintable(masked));
    QVERIFY(view_->showMyNumberButton()->isEnabled());
    QTest::mouseClick(view_->showMyNumberButton(), Qt::LeftButton);
    QCOMPARE(view_->myNumberLabel()->text(), number);
    QTest::mouseClick(view_->showMyNumberButton(), Qt::LeftButton);
    QCOMPARE(view_->myNumberLabel()->text(), masked);
}

void TestCardView::wrongPinShowsTriesLeft() {
    openWithCard();
    pins_.answers = {"9999"};
    view_->readTextData();
    QTRY_VERIFY_WITH_TIMEOUT(!view_->lastError().isEmpty(), kWait);
    QVERIFY2(view_->lastError().contains(QStringLiteral("2 tries left")),
             qPrintable(view_->lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(cell(view_->pinModel(), 2, 1), QStringLiteral("2 of 3 tries left"),
                              kWait);
    QVERIFY(view_->myNumberLabel()->text().isEmpty());
}

void TestCardView::signCertificateShowsHolder() {
    openWithCard();
    pins_.answers = {"ABC123"};
    view_->pages()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() == 3, kWait);
    view_->readSignCertificate();
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() == 4, kWait);
    QCOMPARE(pins_.asked.back().pin, card::Pin::sign);
    QCOMPARE(pins_.asked.back().tries_left, 5);
    QCOMPARE(cell(view_->certificateModel(), 1, 0),
             QStringLiteral("Digital signature certificate"));
    QVERIFY(view_->certificateWarning()->isHidden());  // valid for years
    // Export as PEM and DER.
    const QString pem = dir_->filePath(QStringLiteral("sign.pem"));
    const QString der = dir_->filePath(QStringLiteral("sign.der"));
    QVERIFY(view_->exportCertificate(card::Certificate::sign, pem, true));
    QVERIFY(view_->exportCertificate(card::Certificate::sign, der, false));
    QFile p(pem);
    QVERIFY(p.open(QIODevice::ReadOnly));
    QVERIFY(p.readAll().startsWith("-----BEGIN CERTIFICATE-----"));
    QFile d(der);
    QVERIFY(d.open(QIODevice::ReadOnly));
    QFile expected(profile(QStringLiteral("default")) + QStringLiteral("/sign_cert.der"));
    QVERIFY(expected.open(QIODevice::ReadOnly));
    QCOMPARE(d.readAll(), expected.readAll());
}

void TestCardView::expiredCertificateWarns() {
    openWithCard(QStringLiteral("expired"));
    view_->pages()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() >= 1, kWait);
    QVERIFY(!view_->certificateWarning()->isHidden());
    QVERIFY2(view_->certificateWarning()->text().contains(QStringLiteral("expired")),
             qPrintable(view_->certificateWarning()->text()));
    QCOMPARE(cell(view_->certificateModel(), 0, 2), QStringLiteral("expired"));
}

void TestCardView::historyShowsUseAndFlagsChanges() {
    openWithCard();
    auto* history = view_->historyModel();
    QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() >= 1, kWait);
    QVERIFY(history->intact());
    // Newest first: the status read after insertion.
    QCOMPARE(cell(history, 0, AuditHistoryModel::operation), QStringLiteral("read the tries left"));
    QCOMPARE(cell(history, 0, AuditHistoryModel::result), QStringLiteral("done"));
    QVERIFY(cell(history, 0, AuditHistoryModel::program).startsWith(QStringLiteral("gui_it_")));
    QVERIFY(history->index(0, AuditHistoryModel::program)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1Char('/')));
    QVERIFY(view_->historyStatus()->text().contains(QStringLiteral("without rewriting the whole")));

    // Someone edits the first line: the chain check says where.
    view_->readCertificates();
    QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() >= 4, kWait);
    const QString path = QString::fromStdString(service_->auditLogPath().string());
    QFile log(path);
    QVERIFY(log.open(QIODevice::ReadOnly));
    QByteArray text = log.readAll();
    log.close();
    // The first successful entry (a card just inserted may first answer
    // "removed" while it powers up).
    const auto at = text.indexOf("\"result\":\"ok\"");
    QVERIFY(at > 0);
    const auto line = static_cast<std::uint64_t>(text.left(at).count('\n') + 1);
    text.replace(at, 13, "\"result\":\"no\"");
    QVERIFY(log.open(QIODevice::WriteOnly | QIODevice::Truncate));
    log.write(text);
    log.close();
    view_->refreshHistory();
    QVERIFY(!history->intact());
    QCOMPARE(history->verification().first_bad_line, line);
    QVERIFY2(view_->historyStatus()->text().contains(QStringLiteral("line %1").arg(line)),
             qPrintable(view_->historyStatus()->text()));
}

void TestCardView::cardFaceWithCodeB() {
    openWithCard();
    view_->pages()->setCurrentIndex(3);
    auto* code = view_->findChild<QLineEdit*>();
    QVERIFY(code != nullptr);
    QCOMPARE(code->echoMode(), QLineEdit::Password);
    // Too short: refused without touching the card.
    QTest::keyClicks(code, QStringLiteral("1234"));
    view_->readFaceData();
    QVERIFY(view_->lastError().contains(QStringLiteral("14 digits")));
    code->clear();
    QTest::keyClicks(code, holder(QStringLiteral("secrets.face_b.value")));
    view_->readFaceData();
    QVERIFY(code->text().isEmpty());  // the code does not stay in the field
    // The JPEG 2000 photo is decoded (libopenjp2) and shown at the card's size.
    QTRY_VERIFY_WITH_TIMEOUT(!view_->photoLabel()->pixmap().isNull(), kWait);
    QFile jp2(build_dir() + QStringLiteral("/share/mynacard/sim/profiles/default/photo.jp2"));
    QVERIFY(jp2.open(QIODevice::ReadOnly));
    const QByteArray raw = jp2.readAll();
    const QImage expected =
        decode_jpeg2000(ByteView(reinterpret_cast<const std::uint8_t*>(raw.constData()),
                                 static_cast<std::size_t>(raw.size())));
    QVERIFY(!expected.isNull());
    QCOMPARE(view_->photoLabel()->pixmap().size(), expected.size());
    QVERIFY(view_->holdsCardData());
    QVERIFY(sim({QStringLiteral("remove"), QStringLiteral("--reader"), QStringLiteral("0")}));
    QTRY_VERIFY_WITH_TIMEOUT(!view_->holdsCardData(), kWait);
    QVERIFY(view_->photoLabel()->text().isEmpty());
    QVERIFY(view_->photoLabel()->pixmap().isNull());
}

void TestCardView::changePinAsksCurrentAndNewTwice() {
    openWithCard();
    // New PINs that differ: nothing is sent, nothing changes.
    pins_.answers = {"1234", "5678", "5679"};
    view_->changePin(card::Pin::auth);
    QTRY_VERIFY_WITH_TIMEOUT(!view_->lastError().isEmpty(), kWait);
    QVERIFY(view_->lastError().contains(QStringLiteral("not the same")));
    QCOMPARE(pins_.asked.size(), std::size_t{3});
    QCOMPARE(pins_.asked[0].purpose, pinhelper::Purpose::change_pin);
    QCOMPARE(pins_.asked[0].tries_left, 3);

    pins_.asked.clear();
    pins_.answers = {"1234", "5678", "5678"};
    view_->changePin(card::Pin::auth);
    QTRY_VERIFY_WITH_TIMEOUT(changed(*view_), kWait);
    QCOMPARE(pins_.asked.size(), std::size_t{3});
    QCOMPARE(pins_.asked[1].tries_left, -1);  // the new PIN has no counter yet
    // The new PIN works: reading the tries and changing back with it.
    pins_.answers = {"5678", "1234", "1234"};
    view_->changePin(card::Pin::auth);
    QTRY_VERIFY_WITH_TIMEOUT(pins_.answers.empty() && !service_->busy(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(changed(*view_), kWait);
    QCOMPARE(pins_.asked.size(), std::size_t{6});
    QTRY_COMPARE_WITH_TIMEOUT(cell(view_->pinModel(), 0, 1), QStringLiteral("3 of 3 tries left"),
                              kWait);
    save_screenshot(*view_, QStringLiteral("card-view"));
}

// The "Sharing" page: the answers remembered in the consent store, in
// words; the one for the card's signature certificate marked once that has
// been read; forgetting one (button or Delete) removes it from the file.
void TestCardView::rememberedAnswersCanBeForgotten() {
    const auto sign = x509::Certificate::from_file(
        (profile(QStringLiteral("default")) + QStringLiteral("/sign_cert.der")).toStdString());
    const std::string firefox = "/usr/lib/firefox-esr/firefox-esr";
    const std::string tool = "/usr/local/bin/e-tax-client";
    {
        consent::Store store(consentPath());
        store.remember(firefox, consent::certificate_hash(sign), consent::Decision::allow);
        store.remember(tool, std::string(64, 'c'), consent::Decision::deny);
    }
    view_->refreshConsents();
    view_->pages()->setCurrentIndex(5);
    QCOMPARE(view_->pages()->tabText(5), QStringLiteral("Sh&aring"));
    auto* model = view_->consentModel();
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(view_->consentStatus()->isHidden());
    const auto row_of = [model](const QString& name) {
        for (int r = 0; r < model->rowCount(); ++r)
            if (cell(model, r, CardView::consent_program) == name) return r;
        return -1;
    };
    const int ff = row_of(QStringLiteral("firefox-esr"));
    const int et = row_of(QStringLiteral("e-tax-client"));
    QVERIFY(ff >= 0 && et >= 0);
    QCOMPARE(model->index(ff, CardView::consent_program).data(Qt::ToolTipRole).toString(),
             QString::fromStdString(firefox));
    QCOMPARE(cell(model, ff, CardView::consent_answer), QStringLiteral("allowed"));
    QCOMPARE(cell(model, et, CardView::consent_answer), QStringLiteral("refused"));
    QVERIFY(!cell(model, ff, CardView::consent_time).isEmpty());
    // The card's certificate has not been read: nothing is claimed about it.
    for (const int r : {ff, et})
        QCOMPARE(cell(model, r, CardView::consent_certificate),
                 QStringLiteral("another or unknown certificate"));
    QVERIFY(!view_->forgetConsentButton()->isEnabled());  // nothing selected
    QVERIFY(!view_->forgetConsentButton()->accessibleName().isEmpty());
    QVERIFY(!view_->consentTable()->accessibleName().isEmpty());

    // With the signature certificate read, its answer says so.
    openWithCard();
    pins_.answers = {"ABC123"};
    view_->readSignCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(model, row_of(QStringLiteral("firefox-esr")), CardView::consent_certificate),
        QStringLiteral("the signature certificate on this card"), kWait);
    QCOMPARE(cell(model, row_of(QStringLiteral("e-tax-client")), CardView::consent_certificate),
             QStringLiteral("another or unknown certificate"));
    QCOMPARE(view_->pages()->currentIndex(), 5);

    // Forget the refusal with the button: gone from the file and the list.
    view_->consentTable()->selectRow(row_of(QStringLiteral("e-tax-client")));
    QVERIFY(view_->forgetConsentButton()->isEnabled());
    QTest::mouseClick(view_->forgetConsentButton(), Qt::LeftButton);
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(row_of(QStringLiteral("e-tax-client")), -1);
    QVERIFY2(view_->message().contains(QStringLiteral("e-tax-client")),
             qPrintable(view_->message()));
    QFile file(QString::fromStdString(consentPath().string()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    file.close();
    QVERIFY2(!text.contains("e-tax-client"), text.constData());
    QVERIFY(text.contains("firefox-esr"));
    QVERIFY(!consent::Store(consentPath()).find(tool, std::string(64, 'c')).has_value());
    QCOMPARE(consent::Store(consentPath()).find(firefox, consent::certificate_hash(sign)),
             consent::Decision::allow);

    // The card goes: so does the claim about its certificate.
    QVERIFY(sim({QStringLiteral("remove"), QStringLiteral("--reader"), QStringLiteral("0")}));
    QTRY_VERIFY_WITH_TIMEOUT(!view_->holdsCardData(), kWait);
    QCOMPARE(cell(model, 0, CardView::consent_certificate),
             QStringLiteral("another or unknown certificate"));

    // The keyboard: in the list, Space selects the row, Delete forgets it.
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
    view_->consentTable()->setFocus();
    QTRY_VERIFY(view_->consentTable()->hasFocus());
    view_->consentTable()->clearSelection();
    QVERIFY(!view_->forgetConsentButton()->isEnabled());
    QTest::keyClick(view_->consentTable(), Qt::Key_Space);
    QVERIFY(view_->forgetConsentButton()->isEnabled());
    QTest::keyClick(view_->consentTable(), Qt::Key_Delete);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(consent::Store(consentPath()).records().empty());
    QVERIFY(!view_->forgetConsentButton()->isEnabled());
    QVERIFY(!view_->consentStatus()->isHidden());
    QVERIFY(view_->consentStatus()->text().contains(QStringLiteral("No answers")));
}

// The view in Japanese (catalogue view_ja.ts); screenshots of every page
// when $MYNACARD_SCREENSHOT_DIR is set.
void TestCardView::japanese() {
    install_translations(*QCoreApplication::instance(), Language::ja);
    view_ = std::make_unique<CardView>(*service_);
    view_->setConsentStorePath(consentPath());
    view_->setPinProvider(pins_.provider());
    view_->show();
    view_->selectReader(reader0_);
    openWithCard();
    QCOMPARE(view_->windowTitle(), QStringLiteral("マイナンバーカード"));
    QCOMPARE(cell(view_->pinModel(), 0, 1), QStringLiteral("残り 3 回（3 回中）"));
    save_screenshot(*view_, QStringLiteral("card-view-pins"));
    view_->pages()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(view_->certificateModel()->rowCount() == 3, kWait);
    save_screenshot(*view_, QStringLiteral("card-view-certificates"));
    pins_.answers = {"1234"};
    view_->pages()->setCurrentIndex(2);
    view_->readTextData();
    QTRY_VERIFY_WITH_TIMEOUT(!view_->myNumberLabel()->text().isEmpty(), kWait);
    save_screenshot(*view_, QStringLiteral("card-view-text"));
    view_->pages()->setCurrentIndex(4);
    QVERIFY(view_->historyStatus()->text().contains(
        QStringLiteral("破損・変更された記録はありません")));
    save_screenshot(*view_, QStringLiteral("card-view-history"));
    QCOMPARE(view_->pages()->tabText(5), QStringLiteral("情報の提供(&A)"));
    consent::Store(consentPath())
        .remember("/usr/bin/ssh", std::string(64, 'd'), consent::Decision::deny);
    view_->pages()->setCurrentIndex(5);  // read again when the page opens
    QCOMPARE(view_->consentModel()->rowCount(), 1);
    QCOMPARE(cell(view_->consentModel(), 0, CardView::consent_answer), QStringLiteral("拒否した"));
    install_translations(*QCoreApplication::instance(), Language::en);
}

QTEST_MAIN(TestCardView)
#include "tst_it_card_view.moc"
