// The disclosure consent: what the dialog shows (program, pid, the signature
// certificate's name, address, birth date and sex), Deny as the default, the
// helper's exit codes, and the client's store and MYNACARD_CONSENT policy.
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <string>

#include "consent/consent.h"
#include "core/error.h"
#include "core/paths.h"
#include "gui/common/caller.h"
#include "gui/common/certificate_info.h"
#include "gui/common/i18n.h"
#include "gui/common/messages.h"
#include "gui/consent/consent_dialog.h"
#include "scratch_dir.h"
#include "x509/x509.h"

using namespace mynacard;
using namespace mynacard::gui;

namespace {

QString build_dir() {
    return qEnvironmentVariable("MYNACARD_BUILD_DIR");
}

x509::Certificate sim_cert(const QString& file) {
    return x509::Certificate::from_file(
        (build_dir() + QStringLiteral("/share/mynacard/sim/profiles/default/") + file)
            .toStdString());
}

QString all_text(const QWidget& w) {
    QStringList texts;
    for (const QLabel* l : w.findChildren<QLabel*>()) texts << l->text();
    return texts.join(QLatin1Char('\n'));
}

}  // namespace

class TestConsent : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void showsWhatIsDisclosedAndWhoAsks();
    void denyIsTheDefault();
    void allowNeedsTheAllowButton();
    void authCertificateDisclosesNothingPersonal();
    void helperExitCodes();
    void storeRemembersPerProgramAndCertificate();
    void policyWithoutHelper();
    void japaneseCatalogue();
    void namesTheVerifiedCallerNotTheStatedProgram();
    void interpreterAndProxyAreExplained();
};

void TestConsent::initTestCase() {
    QVERIFY2(!build_dir().isEmpty(), "run through ctest (MYNACARD_BUILD_DIR)");
}

void TestConsent::showsWhatIsDisclosedAndWhoAsks() {
    const auto cert = sim_cert(QStringLiteral("sign_cert.der"));
    const auto attrs = x509::jpki_attributes(cert);
    QVERIFY(attrs.has_value());
    ConsentDialog dialog(cert, QStringLiteral("/usr/lib/firefox-esr/firefox-esr"), 4242);
    const QString text = all_text(dialog);
    QVERIFY2(text.contains(QStringLiteral("/usr/lib/firefox-esr/firefox-esr")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("\"firefox-esr\"")));
    QVERIFY(text.contains(QStringLiteral("4242")));
    QVERIFY(text.contains(QString::fromStdString(attrs->name)));
    QVERIFY(text.contains(QString::fromStdString(attrs->address)));
    QVERIFY(text.contains(date_text(attrs->birth_date)));
    QVERIFY(text.contains(sex_text(attrs->sex)));
    QCOMPARE(QString::fromStdString(attrs->name), QStringLiteral("山田　花子"));
    QCOMPARE(sex_text(attrs->sex), QStringLiteral("female"));
    QVERIFY(date_text(attrs->birth_date).contains(QStringLiteral("1980")));
    QCOMPARE(dialog.programLabel()->text(), QStringLiteral("/usr/lib/firefox-esr/firefox-esr"));
    QVERIFY(dialog.disclosureLabel()->text().contains(QString::fromStdString(attrs->address)));
}

void TestConsent::denyIsTheDefault() {
    const auto cert = sim_cert(QStringLiteral("sign_cert.der"));
    {
        ConsentDialog dialog(cert, QStringLiteral("/usr/bin/evil"), 1);
        QVERIFY(dialog.denyButton()->isDefault());
        QVERIFY(!dialog.allowButton()->isDefault());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClick(&dialog, Qt::Key_Return);  // Enter refuses
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.allowed());
    }
    {
        ConsentDialog dialog(cert, QStringLiteral("/usr/bin/evil"), 1);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClick(&dialog, Qt::Key_Escape);  // so does Escape
        QVERIFY(!dialog.isVisible());
        QVERIFY(!dialog.allowed());
    }
}

void TestConsent::allowNeedsTheAllowButton() {
    ConsentDialog dialog(sim_cert(QStringLiteral("sign_cert.der")), QStringLiteral("/usr/bin/a"),
                         7);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!dialog.allowButton()->accessibleName().isEmpty());
    QTest::mouseClick(dialog.allowButton(), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(dialog.allowed());
}

void TestConsent::authCertificateDisclosesNothingPersonal() {
    ConsentDialog dialog(sim_cert(QStringLiteral("auth_cert.der")), QStringLiteral("/usr/bin/a"),
                         7);
    QVERIFY(all_text(dialog).contains(QStringLiteral("no personal facts")));
    QVERIFY(!all_text(dialog).contains(QStringLiteral("山田")));
}

// The protocol of `mynacard-helper consent` where it needs no person: bad
// usage, no certificate, no display.
void TestConsent::helperExitCodes() {
    const QString helper = build_dir() + QStringLiteral("/bin/mynacard-helper");
    QVERIFY2(QFile::exists(helper), qPrintable(helper));
    QFile der(build_dir() + QStringLiteral("/share/mynacard/sim/profiles/default/sign_cert.der"));
    QVERIFY(der.open(QIODevice::ReadOnly));
    const QByteArray cert = der.readAll();
    const auto run = [&](const QStringList& args, const QByteArray& input, bool display) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        if (display) env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(helper, args);
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            return -1;
        }
        return p.exitCode();
    };
    const QStringList ok{QStringLiteral("consent"), QStringLiteral("--program"),
                         QStringLiteral("/usr/bin/a"), QStringLiteral("--pid"),
                         QStringLiteral("7")};
    QCOMPARE(run(ok, cert, false), consent::exit_no_display);
    QCOMPARE(
        run({QStringLiteral("consent"), QStringLiteral("--pid"), QStringLiteral("7")}, cert, true),
        consent::exit_usage);
    QCOMPARE(run(ok, QByteArray("not a certificate"), true), consent::exit_usage);
    QCOMPARE(run(ok, QByteArray(), true), consent::exit_usage);
    QCOMPARE(run(ok + QStringList{QStringLiteral("--lang"), QStringLiteral("fr")}, cert, true),
             consent::exit_usage);
}

void TestConsent::storeRemembersPerProgramAndCertificate() {
    ScratchDir dir;
    QVERIFY(dir.isValid());
    const auto sign = sim_cert(QStringLiteral("sign_cert.der"));
    const auto auth = sim_cert(QStringLiteral("auth_cert.der"));
    consent::Store store(dir.filePath(QStringLiteral("mynacard/consent.json")).toStdString());
    const std::string hash = consent::certificate_hash(sign);
    QVERIFY(!store.find("/usr/bin/a", hash));
    store.remember("/usr/bin/a", hash, consent::Decision::allow);
    store.remember("/usr/bin/b", hash, consent::Decision::deny);
    QCOMPARE(store.find("/usr/bin/a", hash), std::optional(consent::Decision::allow));
    QCOMPARE(store.find("/usr/bin/b", hash), std::optional(consent::Decision::deny));
    QVERIFY(!store.find("/usr/bin/a", consent::certificate_hash(auth)));
    // Changing one's mind replaces the answer.
    store.remember("/usr/bin/a", hash, consent::Decision::deny);
    QCOMPARE(store.find("/usr/bin/a", hash), std::optional(consent::Decision::deny));
    QCOMPARE(store.records().size(), std::size_t{2});
    // Nothing personal on disk, owner-only.
    QFile f(QString::fromStdString(store.path().string()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(!text.contains(QString::fromStdString(x509::jpki_attributes(sign)->name)));
    struct stat st {};
    QCOMPARE(::stat(store.path().c_str(), &st), 0);
    QCOMPARE(st.st_mode & 0777U, 0600U);

    // ask_consent consults it: a remembered answer needs no helper.
    consent::Options options;
    options.store = store.path();
    options.policy = consent::Policy::ask;
    QCOMPARE(consent::ask_consent("/usr/bin/b", 9, sign, options), consent::Decision::deny);
    store.remember("/usr/bin/c", hash, consent::Decision::allow);
    QCOMPARE(consent::ask_consent("/usr/bin/c", 9, sign, options), consent::Decision::allow);
}

void TestConsent::policyWithoutHelper() {
    ScratchDir dir;
    QVERIFY(dir.isValid());
    const auto sign = sim_cert(QStringLiteral("sign_cert.der"));
    // Nobody can be asked: no helper here.
    qputenv("MYNACARD_HELPER", dir.filePath(QStringLiteral("none")).toUtf8());
    qputenv("MYNACARD_CONSENT_FILE", dir.filePath(QStringLiteral("consent.json")).toUtf8());
    qunsetenv("MYNACARD_CONSENT");
    QCOMPARE(consent::policy_from_environment(), consent::Policy::ask);
    QCOMPARE(consent::ask_consent("/usr/bin/a", 1, sign), consent::Decision::deny);
    qputenv("MYNACARD_CONSENT", "allow");
    QCOMPARE(consent::ask_consent("/usr/bin/a", 1, sign), consent::Decision::allow);
    qputenv("MYNACARD_CONSENT", "deny");
    QCOMPARE(consent::ask_consent("/usr/bin/a", 1, sign), consent::Decision::deny);
    qputenv("MYNACARD_CONSENT", "bogus");  // unknown: the safe default
    QCOMPARE(consent::ask_consent("/usr/bin/a", 1, sign), consent::Decision::deny);
    // Policy decisions are not remembered.
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("consent.json"))));
    qunsetenv("MYNACARD_CONSENT");
    qunsetenv("MYNACARD_HELPER");
    qunsetenv("MYNACARD_CONSENT_FILE");
}

// The view catalogue (gui/translations/view_ja.ts) is compiled in and used.
void TestConsent::japaneseCatalogue() {
    install_translations(*QCoreApplication::instance(), Language::ja);
    // English again however this test ends: a failure must not leave the
    // next tests in Japanese.
    struct BackToEnglish {
        ~BackToEnglish() { install_translations(*QCoreApplication::instance(), Language::en); }
    } const back_to_english;
    {
        ConsentDialog dialog(sim_cert(QStringLiteral("sign_cert.der")),
                             QStringLiteral("/usr/bin/a"), 7);
        QCOMPARE(dialog.denyButton()->text(), QStringLiteral("拒否(&D)"));
        QCOMPARE(dialog.allowButton()->text(), QStringLiteral("許可(&A)"));
        // The sex as the card face writes it (card/facts.h).
        QVERIFY(all_text(dialog).contains(QStringLiteral("女")));
        QVERIFY(describe(Error(Errc::pin_blocked, "x", 0)).contains(QStringLiteral("市区町村")));
        QVERIFY(describe(Error(Errc::pin_incorrect, "x", 2)).contains(QStringLiteral("2 回")));
    }
    install_translations(*QCoreApplication::instance(), Language::en);
    QVERIFY(describe(Error(Errc::pin_incorrect, "x", 1)).contains(QStringLiteral("1 try left")));
    QVERIFY(describe(Error(Errc::service_stopped, "x")).contains(QStringLiteral("pcscd")));
}

// `mynacard-helper consent --program /usr/bin/firefox` started by this test:
// the helper verifies who talks to it (the peer of its stdin socket, else its
// parent) and names that executable — this test program — in the headline
// and as the program; "firefox" appears only as the caller's own claim.
void TestConsent::namesTheVerifiedCallerNotTheStatedProgram() {
    std::array<int, 2> sv{-1, -1};
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.data()), 0);
    // The kernel records the process that created the socket pair: the
    // helper's stdin names the test, whatever --pid says.
    QCOMPARE(verified_caller_pid(sv[1]), static_cast<long>(::getpid()));
    std::array<int, 2> p{-1, -1};
    QCOMPARE(::pipe2(p.data(), O_CLOEXEC), 0);
    QCOMPARE(verified_caller_pid(p[0]), static_cast<long>(::getppid()));  // a pipe has no peer
    QCOMPARE(verified_caller_pid(), static_cast<long>(::getppid()));

    const consent::Caller caller = consent::identify_caller(verified_caller_pid(sv[1]));
    for (const int fd : {sv[0], sv[1], p[0], p[1]}) ::close(fd);
    const QString own = QString::fromStdString(own_executable());
    const QString own_name = QFileInfo(own).fileName();
    QVERIFY(!own_name.contains(QStringLiteral("firefox")));

    ConsentDialog dialog(sim_cert(QStringLiteral("sign_cert.der")), caller,
                         QStringLiteral("/usr/bin/firefox"));
    QCOMPARE(dialog.programLabel()->text(), own);
    QVERIFY2(
        dialog.headlineLabel()->text().contains(QLatin1Char('"') + own_name + QLatin1Char('"')),
        qPrintable(dialog.headlineLabel()->text()));
    QVERIFY(dialog.statedLabel() != nullptr);
    QVERIFY(dialog.statedLabel()->text().contains(QStringLiteral("/usr/bin/firefox")));
    for (const QLabel* l : dialog.findChildren<QLabel*>()) {
        if (l == dialog.statedLabel()) continue;
        QVERIFY2(!l->text().contains(QStringLiteral("firefox")), qPrintable(l->text()));
    }
    QVERIFY(!dialog.windowTitle().contains(QStringLiteral("firefox")));
    QVERIFY(dialog.windowTitle().endsWith(own_name));
    QVERIFY(dialog.intermediaryLabel() == nullptr);  // this test is no interpreter
    QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("remembered for this program")));

    // A claim equal to the verified executable is no separate subtitle.
    ConsentDialog same(sim_cert(QStringLiteral("sign_cert.der")), caller, own);
    QVERIFY(same.statedLabel() == nullptr);
}

void TestConsent::interpreterAndProxyAreExplained() {
    const auto cert = sim_cert(QStringLiteral("sign_cert.der"));
    consent::Caller python;
    python.pid = 4242;
    python.executable = "/usr/bin/python3.11";
    python.kind = consent::Intermediary::interpreter;
    python.script = "/home/hanako/bin/sign-report.py";
    {
        ConsentDialog dialog(cert, python, QString());
        QVERIFY(dialog.intermediaryLabel() != nullptr);
        const QString why = dialog.intermediaryLabel()->text();
        QVERIFY2(why.contains(QStringLiteral("python3.11 is an interpreter")), qPrintable(why));
        QVERIFY(why.contains(QStringLiteral("/home/hanako/bin/sign-report.py")));
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("Allow is not remembered")));
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("asked every time")));
    }
    python.script.clear();  // python3 -c '...'
    {
        ConsentDialog dialog(cert, python, QString());
        QVERIFY(dialog.intermediaryLabel()->text().contains(QStringLiteral("cannot be told")));
    }
    consent::Caller remote;
    remote.pid = 77;
    remote.executable = "/usr/libexec/p11-kit/p11-kit-remote";
    remote.kind = consent::Intermediary::proxy;
    {
        ConsentDialog dialog(cert, remote, QString());
        const QString why = dialog.intermediaryLabel()->text();
        QVERIFY2(why.contains(QStringLiteral("p11-kit-remote serves another program")),
                 qPrintable(why));
        QVERIFY(why.contains(QStringLiteral("Flatpak")));
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("Allow is not remembered")));
    }
    // Known only by its path (screenshots): classified all the same.
    ConsentDialog by_path(cert, QStringLiteral("/usr/bin/perl5.36.0"), 9);
    QVERIFY(by_path.intermediaryLabel() != nullptr);
}

QTEST_MAIN(TestConsent)
#include "tst_consent.moc"
