// Kiosk mode without a card: configuration, keypad, the controller's state
// machine against a fake card backend, staff mode and wiping (offscreen).
#include <QApplication>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <string>
#include <vector>

#include "core/error.h"
#include "gui/common/i18n.h"
#include "gui/kiosk/kiosk_config.h"
#include "gui/kiosk/kiosk_controller.h"
#include "gui/kiosk/kiosk_keypad.h"
#include "gui/kiosk/kiosk_window.h"
#include "kiosk_listener.h"
#include "scratch_dir.h"

using namespace mynacard;
using namespace mynacard::gui;

namespace {

constexpr int test_iterations = operator_pin_min_iterations;  // fast enough for tests

// Returns once `ms` have passed on a precise timer started now, polling
// (bounded) instead of sleeping a fixed time. Qt fires expired timers in
// order of their deadlines, so every timer the controller started before
// this call with an interval up to `ms` (coarse: at most 5 % late) has
// fired by then; the caller then checks that it changed nothing.
[[nodiscard]] bool wait_past(int ms) {
    bool passed = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setSingleShot(true);
    QObject::connect(&probe, &QTimer::timeout, [&passed] { passed = true; });
    probe.start(ms + ms / 10);
    return QTest::qWaitFor([&passed] { return passed; }, 10 * ms);
}
const char* const reader0 = "mynacard Virtual Reader 0 00 00";
const std::string my_number = "444321734842";
const std::string holder_name = "山田　花子";
const std::string holder_address = "東京都清瀬市架空町１丁目２番３号";

// Answers the controller's card requests when the test says so, and counts
// them: "nothing was sent to the card" is a count of zero.
class FakeBackend final : public KioskCardBackend {
  public:
    void queryTriesLeft(const QString& reader, QObject* /*receiver*/,
                        std::function<void(Outcome<int>)> done) override {
        ++tries_calls;
        last_reader = reader;
        tries_done = std::move(done);
    }
    void readText(const QString& reader, std::shared_ptr<SecureBytes> pin, card::PinOptions options,
                  QObject* /*receiver*/,
                  std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> done) override {
        ++read_calls;
        last_reader = reader;
        last_pin = std::string(pin->begin(), pin->end());
        last_options = options;
        read_done = std::move(done);
    }
    void answerTries(Outcome<int> o) {
        QVERIFY(tries_done);
        auto d = std::move(tries_done);
        tries_done = nullptr;
        d(std::move(o));
    }
    void answerRead(Outcome<std::shared_ptr<KioskCardData>> o) {
        QVERIFY(read_done);
        auto d = std::move(read_done);
        read_done = nullptr;
        d(std::move(o));
    }
    int tries_calls = 0;
    int read_calls = 0;
    QString last_reader;
    std::string last_pin;
    card::PinOptions last_options;
    std::function<void(Outcome<int>)> tries_done;
    std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> read_done;
};

std::shared_ptr<KioskCardData> card_data() {
    auto d = std::make_shared<KioskCardData>();
    d->my_number = my_number;
    d->name = holder_name;
    d->address = holder_address;
    d->birth_date = "19800217";
    d->sex = "2";
    return d;
}

QList<ReaderInfo> readers(bool present, bool mute = false) {
    return {ReaderInfo{reader0, present, mute},
            ReaderInfo{"mynacard Virtual Reader 1 Contactless 01 00", false, false}};
}

KioskConfig test_config() {
    KioskConfig c;
    c.reader = "Virtual Reader 0";
    c.idle_timeout_seconds = 60;
    c.card_left_alert_seconds = 60;
    return c;
}

// Every string a label or line edit of the window shows.
QStringList visible_texts(QWidget& w) {
    QStringList out;
    for (auto* l : w.findChildren<QLabel*>()) out << l->text() << l->accessibleName();
    for (auto* e : w.findChildren<QLineEdit*>()) out << e->text() << e->displayText();
    for (auto* b : w.findChildren<QPushButton*>()) out << b->text() << b->accessibleName();
    return out;
}

bool any_contains(const QStringList& texts, const QString& needle) {
    for (const auto& t : texts)
        if (t.contains(needle)) return true;
    return false;
}

// What must be gone once a citizen has left.
void verify_no_card_strings(KioskController& c, KioskWindow& w) {
    QVERIFY(!c.hasCardData());
    QCOMPARE(c.pinLength(), 0);
    QVERIFY(c.name().isEmpty());
    QVERIFY(c.address().isEmpty());
    QVERIFY(c.birthDate().isEmpty());
    QVERIFY(c.displayedMyNumber().isEmpty());
    QCOMPARE(c.pendingOutputBytes(), std::size_t{0});
    const auto texts = visible_texts(w);
    for (const QString& s :
         {QString::fromStdString(my_number), QStringLiteral("4842"),
          QString::fromStdString(holder_name), QString::fromStdString(holder_address),
          QStringLiteral("1980"), QStringLiteral("●")})
        QVERIFY2(!any_contains(texts, s), qPrintable("still on screen: " + s));
}

}  // namespace

class TestKiosk : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        // Japanese first, like the kiosk; tests that need English switch.
        install_translations(*QCoreApplication::instance(), Language::ja);
    }

    // --- configuration ------------------------------------------------------

    void configDefaults() {
        const KioskConfig c = parse_kiosk_config("{}");
        QCOMPARE(c.language, QString("ja"));
        QVERIFY(c.reader.isEmpty());
        QCOMPARE(c.pin_timeout_seconds, 0);  // no time limit on PIN entry by default
        QVERIFY(!c.randomise_keypad);
        QVERIFY(c.output.kind == KioskOutput::Kind::stdout_line);
        QVERIFY(c.operator_pin_hash.empty());
        QCOMPARE(c.text_size, 1.0);
        QVERIFY(c.idle_timeout_seconds > 0);
        QVERIFY(c.card_left_alert_seconds > 0);
    }

    void configFull() {
        const std::string hash = hash_operator_pin("246813", test_iterations);
        const std::string text =
            "{\"reader\":\"ACS ACR39U\",\"language\":\"en\",\"randomise_keypad\":true,"
            "\"pin_timeout_seconds\":90,\"idle_timeout_seconds\":45,\"card_left_alert_seconds\":8,"
            "\"output\":\"socket:/run/kiosk/mynacard.sock\",\"operator_pin_hash\":\"" +
            hash + "\",\"text_size\":1.5}";
        const KioskConfig c = parse_kiosk_config(text);
        QCOMPARE(c.reader, QString("ACS ACR39U"));
        QCOMPARE(c.language, QString("en"));
        QVERIFY(c.randomise_keypad);
        QCOMPARE(c.pin_timeout_seconds, 90);
        QCOMPARE(c.idle_timeout_seconds, 45);
        QCOMPARE(c.card_left_alert_seconds, 8);
        QVERIFY(c.output.kind == KioskOutput::Kind::unix_socket);
        QCOMPARE(c.output.socket_path, std::string("/run/kiosk/mynacard.sock"));
        QCOMPARE(c.operator_pin_hash, hash);
        QCOMPARE(c.text_size, 1.5);
    }

    void configErrors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("not json") << "{"
                                  << "not valid JSON";
        QTest::newRow("not object") << "[1]"
                                    << "JSON object";
        QTest::newRow("unknown key") << "{\"idle_timeout\":5}"
                                     << "'idle_timeout'";
        QTest::newRow("reader type") << "{\"reader\":3}"
                                     << "'reader'";
        QTest::newRow("language") << "{\"language\":\"fr\"}"
                                  << "'language'";
        QTest::newRow("randomise type") << "{\"randomise_keypad\":\"yes\"}"
                                        << "'randomise_keypad'";
        QTest::newRow("pin timeout negative") << "{\"pin_timeout_seconds\":-1}"
                                              << "'pin_timeout_seconds'";
        QTest::newRow("pin timeout float") << "{\"pin_timeout_seconds\":1.5}"
                                           << "'pin_timeout_seconds'";
        QTest::newRow("idle zero") << "{\"idle_timeout_seconds\":0}"
                                   << "'idle_timeout_seconds'";
        QTest::newRow("alert big") << "{\"card_left_alert_seconds\":100000}"
                                   << "'card_left_alert_seconds'";
        QTest::newRow("output kind") << "{\"output\":\"file:/tmp/x\"}"
                                     << "'output'";
        QTest::newRow("output relative") << "{\"output\":\"socket:run/x.sock\"}"
                                         << "'output'";
        QTest::newRow("output long")
            << QString("{\"output\":\"socket:/%1\"}").arg(QString(200, 'a')) << "'output'";
        QTest::newRow("hash plain pin") << "{\"operator_pin_hash\":\"123456\"}"
                                        << "'operator_pin_hash'";
        QTest::newRow("hash few iterations")
            << "{\"operator_pin_hash\":\"pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$" +
                   QString(64, 'a') + "\"}"
            << "'operator_pin_hash'";
        QTest::newRow("text size") << "{\"text_size\":5}"
                                   << "'text_size'";
        QTest::newRow("text size type") << "{\"text_size\":\"big\"}"
                                        << "'text_size'";
        // A number beyond a double: nlohmann throws out_of_range, not
        // parse_error (found by the kiosk_config fuzz target).
        QTest::newRow("number overflow") << "{\"text_size\":1e99999}"
                                         << "not valid JSON";
    }

    void configErrors() {
        QFETCH(QString, json);
        QFETCH(QString, field);
        try {
            (void)parse_kiosk_config(json.toStdString());
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), Errc::invalid_argument);
            QVERIFY2(QString(e.what()).contains(field), e.what());
        }
    }

    void configFileMissing() {
        QVERIFY_THROWS_EXCEPTION(Error, (void)load_kiosk_config("/nonexistent/kiosk.json"));
        ScratchDir dir;
        const QString path = dir.filePath("kiosk.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"language\":\"en\",\"idle_timeout_seconds\":30}");
        f.close();
        const KioskConfig c = load_kiosk_config(path.toStdString());
        QCOMPARE(c.language, QString("en"));
        QCOMPARE(c.idle_timeout_seconds, 30);
    }

    void operatorPinHash() {
        const std::string h1 = hash_operator_pin("246813", test_iterations);
        const std::string h2 = hash_operator_pin("246813", test_iterations);
        QVERIFY(h1.starts_with("pbkdf2-sha256$100000$"));
        QVERIFY(h1 != h2);  // salted
        QVERIFY(h1.find("246813") == std::string::npos);
        QVERIFY(verify_operator_pin(h1, "246813"));
        QVERIFY(verify_operator_pin(h2, "246813"));
        QVERIFY(!verify_operator_pin(h1, "246814"));
        QVERIFY(!verify_operator_pin(h1, ""));
        QVERIFY(!verify_operator_pin("garbage", "246813"));
        QVERIFY_THROWS_EXCEPTION(Error, (void)hash_operator_pin("1234"));    // too short
        QVERIFY_THROWS_EXCEPTION(Error, (void)hash_operator_pin("12345a"));  // not digits
        QVERIFY(parse_kiosk_config("{\"operator_pin_hash\":\"" + h1 + "\"}").operator_pin_hash ==
                h1);
    }

    // --- keypad ---------------------------------------------------------------

    void keypadOrder() {
        auto& rng = *QRandomGenerator::system();
        const KeypadOrder fixed = keypad_digit_order(false, rng);
        QCOMPARE(fixed, (KeypadOrder{1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
        QSet<QString> seen;
        KeypadOrder previous = fixed;
        for (int i = 0; i < 30; ++i) {
            const KeypadOrder o = keypad_digit_order(true, rng, &previous);
            KeypadOrder sorted = o;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(sorted, (KeypadOrder{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));  // a permutation
            QVERIFY(o != previous);  // each attempt differs from the last
            QString key;
            for (int d : o) key += QString::number(d);
            seen.insert(key);
            previous = o;
        }
        QVERIFY(seen.size() > 20);
    }

    void keypadWidgetFixedControls() {
        KioskKeypad pad(true);
        auto* grid = qobject_cast<QGridLayout*>(pad.layout());
        QVERIFY(grid);
        auto position = [&](QWidget* w) {
            int row = -1, col = -1, rs = 0, cs = 0;
            grid->getItemPosition(grid->indexOf(w), &row, &col, &rs, &cs);
            return QPoint(col, row);
        };
        const QPoint clear = position(pad.clearButton());
        const QPoint ok = position(pad.okButton());
        const QPoint cancel = position(pad.cancelButton());
        QSet<QString> orders;
        for (int i = 0; i < 10; ++i) {
            pad.shuffle();
            QCOMPARE(pad.buttonAtSlot(keypad_clear_slot), pad.clearButton());
            QCOMPARE(pad.buttonAtSlot(keypad_ok_slot), pad.okButton());
            QCOMPARE(position(pad.clearButton()), clear);
            QCOMPARE(position(pad.okButton()), ok);
            QCOMPARE(position(pad.cancelButton()), cancel);
            QString key;
            for (int d = 0; d <= 9; ++d) {
                QPushButton* b = pad.digitButton(d);
                QVERIFY(b);
                QCOMPARE(b->text(), QString::number(d));
                QVERIFY(!b->accessibleName().isEmpty());
                key += QString::number(grid->indexOf(b));
            }
            orders.insert(key);
        }
        QVERIFY(orders.size() > 5);
        QSignalSpy spy(&pad, &KioskKeypad::digitPressed);
        pad.digitButton(7)->click();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 7);
        KioskKeypad plain(false);
        QCOMPARE(plain.buttonAtSlot(0)->text(), QString("1"));
        QCOMPARE(plain.buttonAtSlot(10)->text(), QString("0"));
    }

    // --- controller -------------------------------------------------------------

    void pinFormatRefusedBeforeCard() {
        FakeBackend card;
        KioskController c(test_config(), card);
        c.updateReaders(readers(true));
        QCOMPARE(c.state(), KioskState::checking);
        QCOMPARE(card.last_reader, QString(reader0));
        card.answerTries(3);
        QCOMPARE(c.state(), KioskState::pin_entry);
        QCOMPARE(c.triesLeft(), 3);
        c.submitPin();  // nothing typed
        QCOMPARE(c.notice(), KioskNotice::pin_format);
        for (int d : {1, 2, 3}) c.appendDigit(d);
        c.submitPin();
        QCOMPARE(c.state(), KioskState::pin_entry);
        QCOMPARE(c.notice(), KioskNotice::pin_format);
        QCOMPARE(card.read_calls, 0);  // never reached the card
        c.appendDigit(4);
        c.appendDigit(5);  // a fifth digit is ignored
        QCOMPARE(c.pinLength(), 4);
        c.appendDigit(42);  // not a digit
        c.removeDigit();
        QCOMPARE(c.pinLength(), 3);
        c.appendDigit(4);
        c.submitPin();
        QCOMPARE(card.read_calls, 1);
        QCOMPARE(card.last_pin, std::string("1234"));
        QVERIFY(!card.last_options.confirm_last_try);
        QCOMPARE(c.state(), KioskState::reading);
        QCOMPARE(c.pinLength(), 0);  // handed over, not kept
    }

    void wrongPinNeverRetried() {
        FakeBackend card;
        KioskController c(test_config(), card);
        QSignalSpy attempts(&c, &KioskController::pinEntryStarted);
        c.updateReaders(readers(true));
        card.answerTries(3);
        for (int d : {9, 9, 9, 9}) c.appendDigit(d);
        c.submitPin();
        card.answerRead(Error(Errc::pin_incorrect, "wrong", 2));
        QCOMPARE(c.state(), KioskState::pin_entry);
        QCOMPARE(c.notice(), KioskNotice::pin_incorrect);
        QCOMPARE(c.triesLeft(), 2);
        QCOMPARE(c.pinLength(), 0);
        QCOMPARE(card.read_calls, 1);   // not retried
        QCOMPARE(attempts.count(), 2);  // the keypad reshuffles per attempt
    }

    void lastTryNeedsConfirmation() {
        FakeBackend card;
        KioskController c(test_config(), card);
        c.updateReaders(readers(true));
        card.answerTries(1);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        QCOMPARE(c.state(), KioskState::confirm_last_try);
        QCOMPARE(card.read_calls, 0);
        c.confirmLastTry();
        QCOMPARE(card.read_calls, 1);
        QVERIFY(card.last_options.confirm_last_try);
        card.answerRead(Error(Errc::pin_incorrect, "wrong", 0));
        QCOMPARE(c.state(), KioskState::blocked);
    }

    void lastTryDeclined() {
        FakeBackend card;
        KioskController c(test_config(), card);
        c.updateReaders(readers(true));
        card.answerTries(1);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        c.cancel();
        QCOMPARE(c.state(), KioskState::remove_card);
        QCOMPARE(c.notice(), KioskNotice::cancelled);
        QCOMPARE(card.read_calls, 0);
        QCOMPARE(c.pinLength(), 0);
    }

    void blockedPinExplained() {
        FakeBackend card;
        KioskController c(test_config(), card);
        KioskWindow w(c);
        c.updateReaders(readers(true));
        card.answerTries(0);
        QCOMPARE(c.state(), KioskState::blocked);
        QCOMPARE(w.currentPage(), KioskPage::blocked);
        QVERIFY(any_contains(visible_texts(w), "窓口"));  // reset at the municipal office counter
        c.updateReaders(readers(false));
        QCOMPARE(c.state(), KioskState::start);
    }

    void notMyNumberCard() {
        FakeBackend card;
        KioskController c(test_config(), card);
        c.updateReaders(readers(true));
        card.answerTries(Error(Errc::not_found, "no text AP"));
        QCOMPARE(c.state(), KioskState::failed);
        QCOMPARE(c.notice(), KioskNotice::not_my_number_card);
    }

    void otherReadersIgnored() {
        FakeBackend card;
        KioskController c(test_config(), card);
        c.updateReaders({ReaderInfo{"mynacard Virtual Reader 1 Contactless 01 00", true, false}});
        QCOMPARE(c.state(), KioskState::start);
        QCOMPARE(card.tries_calls, 0);
        QCOMPARE(c.matchingReaders().size(), 0);
    }

    void handoverAndWipe() {
        FakeBackend card;
        std::vector<std::string> sent;
        KioskController c(test_config(), card, nullptr, [&sent](std::string_view line) {
            sent.emplace_back(line);
            return true;
        });
        KioskWindow w(c);
        w.resize(1280, 900);
        w.show();
        save_screenshot(w, "kiosk-start");
        c.updateReaders(readers(true));
        card.answerTries(3);
        QCOMPARE(w.currentPage(), KioskPage::pin);
        for (int d : {1, 2, 3, 4}) w.keypad()->digitButton(d)->click();
        QCOMPARE(w.findChild<QLineEdit*>("pinField")->text(), QString(4, QChar(0x25CF)));
        save_screenshot(w, "kiosk-pin");
        w.keypad()->okButton()->click();
        QCOMPARE(w.currentPage(), KioskPage::reading);
        card.answerRead(card_data());
        QCOMPARE(c.state(), KioskState::handover);
        QCOMPARE(w.currentPage(), KioskPage::handover);

        QCOMPARE(sent.size(), std::size_t{1});
        const auto j = nlohmann::json::parse(sent[0]);
        QCOMPARE(j.at("type").get<std::string>(), std::string("mynacard.kiosk.text_ap"));
        QCOMPARE(j.at("version").get<int>(), 1);
        QCOMPARE(j.at("my_number").get<std::string>(), my_number);
        QCOMPARE(j.at("name").get<std::string>(), holder_name);
        QCOMPARE(j.at("address").get<std::string>(), holder_address);
        QCOMPARE(j.at("birth_date").get<std::string>(), std::string("1980-02-17"));
        QCOMPARE(j.at("sex").get<std::string>(), std::string("2"));
        QCOMPARE(j.at("reader").get<std::string>(), std::string(reader0));
        QVERIFY(QDateTime::fromString(QString::fromStdString(j.at("time").get<std::string>()),
                                      Qt::ISODate)
                    .isValid());
        QCOMPARE(c.pendingOutputBytes(), std::size_t{0});  // wiped once sent

        // Masked until the citizen taps "show" (decision 11).
        auto* number = w.findChild<QLabel*>("numberValue");
        QCOMPARE(number->text(), QString("●●●● ●●●● 4842"));
        QVERIFY(!any_contains(visible_texts(w), QString::fromStdString(my_number)));
        w.findChild<QPushButton*>("numberToggle")->click();
        QCOMPARE(number->text(), QString("4443 2173 4842"));
        QCOMPARE(w.findChild<QLabel*>("nameValue")->text(), QString::fromStdString(holder_name));
        QCOMPARE(w.findChild<QLabel*>("birthValue")->text(), QString("1980年2月17日"));
        QCOMPARE(w.findChild<QLabel*>("sexValue")->text(), QString("女"));

        // Card taken: everything goes.
        QSignalSpy wiped(&c, &KioskController::wiped);
        c.updateReaders(readers(false));
        QCOMPARE(c.state(), KioskState::start);
        QCOMPARE(w.currentPage(), KioskPage::start);
        QVERIFY(wiped.count() >= 1);
        verify_no_card_strings(c, w);
    }

    void sendFailureShowsNoData() {
        FakeBackend card;
        KioskController c(test_config(), card, nullptr, [](std::string_view) { return false; });
        c.updateReaders(readers(true));
        card.answerTries(3);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        card.answerRead(card_data());
        QCOMPARE(c.state(), KioskState::failed);
        QCOMPARE(c.notice(), KioskNotice::send_failed);
        QVERIFY(!c.hasCardData());
    }

    void socketPeerUidConfig() {
        const auto c = parse_kiosk_config(
            R"({"output":"socket:/run/shinsei/mynacard.sock","socket_peer_uid":991})");
        QVERIFY(c.output.peer_uid.has_value());
        QCOMPARE(*c.output.peer_uid, 991u);
        QVERIFY(!parse_kiosk_config(R"({"output":"socket:/run/x.sock"})").output.peer_uid);
        for (const char* bad :
             {R"({"socket_peer_uid":991})", R"({"output":"stdout","socket_peer_uid":991})",
              R"({"output":"socket:/run/x.sock","socket_peer_uid":-1})",
              R"({"output":"socket:/run/x.sock","socket_peer_uid":"991"})",
              R"({"output":"socket:/run/x.sock","socket_peer_uid":4294967295})"}) {
            try {
                (void)parse_kiosk_config(bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("socket_peer_uid") != std::string::npos,
                         e.what());
            }
        }
    }

    void socketRefusesAnotherPeerUid() {
        ScratchDir dir;
        const std::string path = dir.filePath("kiosk.sock").toStdString();
        Listener receiver(path);
        QVERIFY(receiver.ok());
        KioskOutput out{KioskOutput::Kind::unix_socket, path};
        // A uid this process cannot have: the receiver is not who the config names.
        out.peer_uid = static_cast<unsigned>(::geteuid()) + 1;
        QVERIFY(!write_kiosk_output(out, R"({"my_number":"444321734842"})"));
        QCOMPARE(receiver.take(), std::string());  // connected, but nothing was sent
        out.peer_uid = static_cast<unsigned>(::geteuid());
        QVERIFY(write_kiosk_output(out, "{}"));
        QCOMPARE(receiver.take(), std::string("{}\n"));
        out.peer_uid.reset();  // default: the kiosk's own uid
        QVERIFY(write_kiosk_output(out, "{}"));
        QCOMPARE(receiver.take(), std::string("{}\n"));
    }

    void socketRefusesADirectoryOthersCanWrite() {
        ScratchDir dir;
        const QString shared = dir.filePath("shared");
        QVERIFY(QDir().mkdir(shared));
        const std::string path = (shared + "/kiosk.sock").toStdString();
        Listener receiver(path);
        QVERIFY(receiver.ok());
        const KioskOutput out{KioskOutput::Kind::unix_socket, path};
        const std::string dir_path = shared.toStdString();
        for (const mode_t mode : {mode_t{0777}, mode_t{0770}, mode_t{0722}}) {
            QCOMPARE(::chmod(dir_path.c_str(), mode), 0);
            QVERIFY2(!write_kiosk_output(out, "{}"), qPrintable(QString::number(mode, 8)));
            QCOMPARE(receiver.take(), std::string());  // not even connected
        }
        // The sticky bit keeps others from replacing what they do not own.
        QCOMPARE(::chmod(dir_path.c_str(), 01777), 0);
        QVERIFY(write_kiosk_output(out, "{}"));
        QCOMPARE(receiver.take(), std::string("{}\n"));
        // An ancestor counts as much as the socket's own directory.
        const std::string inner = dir_path + "/inner";
        QCOMPARE(::mkdir(inner.c_str(), 0700), 0);
        const std::string inner_path = inner + "/kiosk.sock";
        Listener inner_receiver(inner_path);
        QVERIFY(inner_receiver.ok());
        QCOMPARE(::chmod(dir_path.c_str(), 0777), 0);
        QVERIFY(!write_kiosk_output(KioskOutput{KioskOutput::Kind::unix_socket, inner_path}, "{}"));
        QCOMPARE(::chmod(dir_path.c_str(), 0700), 0);
        QVERIFY(write_kiosk_output(KioskOutput{KioskOutput::Kind::unix_socket, inner_path}, "{}"));
        QCOMPARE(inner_receiver.take(), std::string("{}\n"));
    }

    void socketRefusesADirectoryOfAnotherUser() {
        if (::geteuid() != 0) QSKIP("needs root to give a directory to another user");
        ScratchDir dir;
        const std::string sub = dir.filePath("theirs").toStdString();
        QCOMPARE(::mkdir(sub.c_str(), 0755), 0);
        const std::string path = sub + "/kiosk.sock";
        Listener receiver(path);
        QVERIFY(receiver.ok());
        constexpr unsigned other = 65534;  // nobody
        QCOMPARE(::chown(sub.c_str(), other, static_cast<gid_t>(-1)), 0);
        QVERIFY(!write_kiosk_output(KioskOutput{KioskOutput::Kind::unix_socket, path}, "{}"));
        QCOMPARE(receiver.take(), std::string());
    }

    void socketOutputUnreachable() {
        QVERIFY(!write_kiosk_output(
            KioskOutput{KioskOutput::Kind::unix_socket, "/nonexistent/mynacard.sock"}, "{}"));
    }

    void handoverJsonEscapes() {
        KioskCardData d;
        d.my_number = my_number;
        d.name = "a\"b\\c\nd\x01";
        d.address = holder_address;
        d.birth_date = "19800217";
        d.sex = "1";
        const std::string text =
            kiosk_handover_json(d, "reader \"x\"", QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
        QVERIFY(text.find('\n') == std::string::npos);  // one line
        const auto j = nlohmann::json::parse(text);
        QCOMPARE(j.at("name").get<std::string>(), d.name);
        QCOMPARE(j.at("reader").get<std::string>(), std::string("reader \"x\""));
        QCOMPARE(j.at("time").get<std::string>(), std::string("1970-01-01T00:00:00Z"));
    }

    void maskMyNumber() {
        QCOMPARE(mask_my_number("444321734842"), QString("●●●● ●●●● 4842"));
        QCOMPARE(mask_my_number(""), QString());
        card::TextApData raw;
        raw.my_number = my_number;
        raw.basic.name = holder_name;
        raw.my_number_file = Bytes{1, 2, 3};
        auto taken = take_kiosk_card_data(raw);
        QCOMPARE(taken->my_number, my_number);
        QVERIFY(raw.my_number.empty());
        QVERIFY(raw.basic.name.empty());
        QVERIFY(raw.my_number_file.empty());
        taken->wipe();
        QVERIFY(taken->my_number.empty() && taken->name.empty());
    }

    // Common kiosk panels are 1280×1024 (5:4) and 1920×1080: at the default
    // text size every page, in both languages, fits the smaller one.
    void fitsA1280x1024Screen() {
        for (const Language lang : {Language::ja, Language::en}) {
            install_translations(*QCoreApplication::instance(), lang);
            FakeBackend card;
            KioskController c(test_config(), card, nullptr, [](std::string_view) { return true; });
            KioskWindow w(c);
            w.show();
            const auto fits = [&w](const char* where) {
                const QSize need = w.minimumSizeHint();
                QVERIFY2(need.width() <= 1280 && need.height() <= 1024,
                         qPrintable(QStringLiteral("%1 needs %2x%3")
                                        .arg(QLatin1String(where))
                                        .arg(need.width())
                                        .arg(need.height())));
            };
            fits("start");
            c.updateReaders(readers(true));
            card.answerTries(1);  // the PIN page with the last-try confirmation
            QCOMPARE(w.currentPage(), KioskPage::pin);
            fits("pin (last try)");
        }
        install_translations(*QCoreApplication::instance(), Language::ja);
    }

    void cardRemovedDuringPinEntryWipes() {
        FakeBackend card;
        KioskController c(test_config(), card);
        KioskWindow w(c);
        c.updateReaders(readers(true));
        card.answerTries(3);
        c.appendDigit(1);
        c.appendDigit(2);
        QCOMPARE(w.findChild<QLineEdit*>("pinField")->text().size(), 2);
        c.updateReaders(readers(false));
        QCOMPARE(c.state(), KioskState::start);
        verify_no_card_strings(c, w);
        QCOMPARE(c.triesLeft(), -1);
    }

    void removalDuringReadDropsLateAnswer() {
        FakeBackend card;
        int sent = 0;
        KioskController c(test_config(), card, nullptr, [&sent](std::string_view) {
            ++sent;
            return true;
        });
        c.updateReaders(readers(true));
        card.answerTries(3);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        c.updateReaders(readers(false));
        QCOMPARE(c.state(), KioskState::start);
        card.answerRead(card_data());  // arrives after the card was taken
        QCOMPARE(c.state(), KioskState::start);
        QVERIFY(!c.hasCardData());
        QCOMPARE(sent, 0);
    }

    void idleTimeoutWipes() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.idle_timeout_seconds = 1;
        KioskController c(cfg, card, nullptr, [](std::string_view) { return true; });
        KioskWindow w(c);
        c.updateReaders(readers(true));
        card.answerTries(3);
        // PIN entry has no time limit by default (accessibility §B.3): the
        // idle time-out passes and the state stays.
        QVERIFY(wait_past(cfg.idle_timeout_seconds * 1000));
        QCOMPARE(c.state(), KioskState::pin_entry);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        card.answerRead(card_data());
        QCOMPARE(c.state(), KioskState::handover);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::remove_card, 3000);
        QCOMPARE(c.notice(), KioskNotice::timed_out);
        verify_no_card_strings(c, w);
        c.updateReaders(readers(false));
        QCOMPARE(c.state(), KioskState::start);
    }

    void pinTimeoutWhenConfigured() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.pin_timeout_seconds = 1;
        KioskController c(cfg, card);
        c.updateReaders(readers(true));
        card.answerTries(3);
        c.appendDigit(5);
        QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::remove_card, 3000);
        QCOMPARE(c.notice(), KioskNotice::timed_out);
        QCOMPARE(c.pinLength(), 0);
    }

    void cardLeftAlert() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.card_left_alert_seconds = 1;
        KioskController c(cfg, card, nullptr, [](std::string_view) { return true; });
        KioskWindow w(c);
        w.show();
        c.updateReaders(readers(true));
        card.answerTries(3);
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        card.answerRead(card_data());
        QVERIFY(!c.cardLeftAlert());
        QVERIFY(!w.alertBannerVisible());
        QTRY_VERIFY_WITH_TIMEOUT(c.cardLeftAlert(), 3000);
        QVERIFY(w.alertBannerVisible());
        QCOMPARE(c.state(), KioskState::remove_card);  // data off the screen too
        verify_no_card_strings(c, w);
        c.updateReaders(readers(false));
        QVERIFY(!c.cardLeftAlert());
        QVERIFY(!w.alertBannerVisible());
    }

    // --- staff mode ---------------------------------------------------------------

    void staffMode() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.operator_pin_hash = hash_operator_pin("246813", test_iterations);
        KioskController c(cfg, card, nullptr, [](std::string_view) { return true; });
        KioskWindow w(c);
        w.resize(1280, 900);
        w.show();
        c.updateReaders(readers(true));
        card.answerTries(3);
        c.appendDigit(1);
        c.appendDigit(2);

        QCOMPARE(c.staffLogin("000000"), StaffLogin::wrong_pin);
        QVERIFY(!c.staffMode());
        QCOMPARE(c.pinLength(), 2);  // a failed staff login changes nothing for the citizen

        // The prompt through the keyboard shortcut.
        QTest::keyClick(&w, Qt::Key_S, Qt::ControlModifier | Qt::AltModifier);
        QVERIFY(w.operatorPromptOpen());
        QCOMPARE(w.currentPage(), KioskPage::operator_login);
        auto* prompt = w.findChild<QLineEdit*>("operatorPin");
        QCOMPARE(prompt->echoMode(), QLineEdit::Password);
        QTest::keyClicks(prompt, "246813");
        QTest::keyClick(prompt, Qt::Key_Return);
        QVERIFY(c.staffMode());
        QVERIFY(!w.operatorPromptOpen());
        QVERIFY(prompt->text().isEmpty());
        QVERIFY(w.staffBannerVisible());
        save_screenshot(w, "kiosk-staff");

        // Staff cannot type the citizen's PIN or continue it.
        QCOMPARE(c.pinLength(), 0);
        c.appendDigit(3);
        QTest::keyClick(&w, Qt::Key_4);
        QCOMPARE(c.pinLength(), 0);
        c.submitPin();
        QCOMPARE(card.read_calls, 0);

        // Staff: text size and language.
        const double before = w.textScale();
        w.findChild<QPushButton*>("staffLarger")->click();
        QVERIFY(w.textScale() > before);
        w.findChild<QPushButton*>("staffLanguage")->click();
        QCOMPARE(w.language(), QString("en"));
        w.findChild<QPushButton*>("staffLanguage")->click();
        QCOMPARE(w.language(), QString("ja"));
        QVERIFY(any_contains(visible_texts(w), "Virtual Reader 0"));  // reader status

        // The citizen reads the card after staff mode ends.
        w.findChild<QPushButton*>("staffExit")->click();
        QVERIFY(!c.staffMode());
        QVERIFY(w.staffBannerVisible());  // "staff mode has ended" stays a moment
        for (int d : {1, 2, 3, 4}) c.appendDigit(d);
        c.submitPin();
        card.answerRead(card_data());
        QCOMPARE(c.state(), KioskState::handover);
        c.setMyNumberRevealed(true);
        QVERIFY(c.myNumberRevealed());

        // Staff mode during handover: the My Number is masked and stays so.
        QCOMPARE(c.staffLogin("246813"), StaffLogin::ok);
        QVERIFY(!c.myNumberRevealed());
        c.setMyNumberRevealed(true);
        QVERIFY(!c.myNumberRevealed());
        QVERIFY(!w.findChild<QPushButton*>("numberToggle")->isEnabled());
        QVERIFY(!any_contains(visible_texts(w), QString::fromStdString(my_number)));
        QVERIFY(!any_contains(visible_texts(w), "4443 2173"));

        // Back to start: the citizen's data is wiped (card still in → take it).
        w.findChild<QPushButton*>("staffRestart")->click();
        QCOMPARE(c.state(), KioskState::remove_card);
        verify_no_card_strings(c, w);
    }

    void staffModeLocksAndDisables() {
        FakeBackend card;
        KioskController none(test_config(), card);
        QCOMPARE(none.staffLogin("246813"), StaffLogin::disabled);
        KioskConfig cfg = test_config();
        cfg.operator_pin_hash = hash_operator_pin("246813", test_iterations);
        KioskController c(cfg, card);
        for (int i = 0; i < 4; ++i) QCOMPARE(c.staffLogin("111111"), StaffLogin::wrong_pin);
        QCOMPARE(c.staffLogin("111111"), StaffLogin::locked);
        QCOMPARE(c.staffLogin("246813"), StaffLogin::locked);  // even the right one, for a while
        QVERIFY(!c.staffMode());
    }

    void staffModeEndsWhenIdle() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.idle_timeout_seconds = 1;
        cfg.operator_pin_hash = hash_operator_pin("246813", test_iterations);
        KioskController c(cfg, card);
        c.updateReaders(readers(true));
        card.answerTries(3);
        QCOMPARE(c.staffLogin("246813"), StaffLogin::ok);
        QTRY_VERIFY_WITH_TIMEOUT(!c.staffMode(), 3000);
        QCOMPARE(c.state(), KioskState::pin_entry);  // the citizen's PIN entry has no limit
        QVERIFY(wait_past(cfg.idle_timeout_seconds * 1000));
        QCOMPARE(c.state(), KioskState::pin_entry);
    }

    // --- window -------------------------------------------------------------------

    void contrastAtLeastSevenToOne() {
        const std::vector<std::pair<QRgb, QRgb>> pairs = {
            {KioskColors::text, KioskColors::background},
            {KioskColors::button_text, KioskColors::button},
            {KioskColors::button_text, KioskColors::confirm},
            {KioskColors::text, KioskColors::focus},
            {KioskColors::alert_text, KioskColors::alert},
            {KioskColors::staff_text, KioskColors::staff},
            {KioskColors::notice_text, KioskColors::background},
        };
        for (const auto& [fg, bg] : pairs)
            QVERIFY2(contrast_ratio(QColor(fg), QColor(bg)) >= 7.0,
                     qPrintable(QColor(fg).name() + " on " + QColor(bg).name()));
        QCOMPARE(qRound(contrast_ratio(Qt::black, Qt::white)), 21);
    }

    void japaneseByDefaultWithToggle() {
        FakeBackend card;
        KioskController c(test_config(), card);
        KioskWindow w(c);
        QCOMPARE(w.language(), QString("ja"));
        auto* start = w.findChild<QLabel*>("startText");
        QCOMPARE(start->text(), QString("マイナンバーカードをカードリーダーに置いてください"));
        auto* toggle = w.findChild<QPushButton*>("languageToggle");
        QCOMPARE(toggle->text(), QString("English"));
        w.resize(1280, 900);
        toggle->click();
        QCOMPARE(w.language(), QString("en"));
        QCOMPARE(start->text(), QString("Please place your My Number Card on the card reader."));
        QCOMPARE(toggle->text(), QString("日本語"));
        save_screenshot(w, "kiosk-start");
        toggle->click();
        QCOMPARE(start->text(), QString("マイナンバーカードをカードリーダーに置いてください"));
    }

    void everyControlHasAnAccessibleName() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.operator_pin_hash = hash_operator_pin("246813", test_iterations);
        KioskController c(cfg, card, nullptr, [](std::string_view) { return true; });
        KioskWindow w(c);
        c.updateReaders(readers(true));
        card.answerTries(3);
        for (const QString lang : {"ja", "en"}) {
            w.setLanguage(lang);
            for (auto* b : w.findChildren<QPushButton*>())
                QVERIFY2(!b->accessibleName().isEmpty(), qPrintable(b->objectName()));
            for (auto* e : w.findChildren<QLineEdit*>())
                QVERIFY2(!e->accessibleName().isEmpty(), qPrintable(e->objectName()));
            for (auto* p : w.findChildren<QProgressBar*>()) QVERIFY(!p->accessibleName().isEmpty());
            for (auto* b : w.findChildren<QPushButton*>())
                QVERIFY2(b->focusPolicy() & Qt::TabFocus, qPrintable(b->objectName()));
        }
        w.setLanguage("ja");
    }

    void keyboardOperation() {
        FakeBackend card;
        KioskController c(test_config(), card);
        KioskWindow w(c);
        w.show();
        c.updateReaders(readers(true));
        card.answerTries(3);
        QTest::keyClick(&w, Qt::Key_1);
        QTest::keyClick(&w, Qt::Key_2);
        QTest::keyClick(&w, Qt::Key_3, Qt::KeypadModifier);
        QCOMPARE(c.pinLength(), 3);
        QTest::keyClick(&w, Qt::Key_Backspace);
        QCOMPARE(c.pinLength(), 2);
        QTest::keyClick(&w, Qt::Key_Return);  // two digits: refused before the card
        QCOMPARE(c.notice(), KioskNotice::pin_format);
        QCOMPARE(card.read_calls, 0);
        QTest::keyClick(&w, Qt::Key_3);
        QTest::keyClick(&w, Qt::Key_4);
        QTest::keyClick(&w, Qt::Key_Enter);
        QCOMPARE(card.read_calls, 1);
        card.answerRead(Error(Errc::pin_incorrect, "wrong", 2));
        QTest::keyClick(&w, Qt::Key_Escape);
        QCOMPARE(c.state(), KioskState::remove_card);
        QCOMPARE(c.notice(), KioskNotice::cancelled);
    }

    void randomisedKeypadReshufflesPerAttempt() {
        FakeBackend card;
        KioskConfig cfg = test_config();
        cfg.randomise_keypad = true;
        KioskController c(cfg, card);
        KioskWindow w(c);
        c.updateReaders(readers(true));
        card.answerTries(3);
        const KeypadOrder first = w.keypad()->order();
        for (int d : {9, 9, 9, 9}) w.keypad()->digitButton(d)->click();
        w.keypad()->okButton()->click();
        card.answerRead(Error(Errc::pin_incorrect, "wrong", 2));
        QVERIFY(w.keypad()->order() != first);
    }
};

QTEST_MAIN(TestKiosk)
#include "tst_kiosk.moc"
