// CardViewController against a fake backend: the PIN flows (tries shown
// before asking, the last try only with confirmation, nothing sent on
// cancel), text data wiped when the card leaves, a replaced card's data
// dropped, errors in the user's words. No card, no pcscd.
#include <QSignalSpy>
#include <QtTest>

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gui/common/messages.h"
#include "gui/view/card_view_controller.h"
#include "scratch_dir.h"

using namespace mynacard;
using namespace mynacard::gui;

namespace {

const QString kReader = QStringLiteral("Test Reader 00");

SecureBytes secret(std::string_view s) {
    return {s.begin(), s.end()};
}

// Answers every call at once from what the test set up (or keeps the
// answer back until release() when `hold` is set), and logs each call.
class FakeBackend final : public CardViewBackend {
  public:
    QList<ReaderInfo> list{{kReader, true, false}};
    std::vector<std::string> calls;
    Status status{{true, true, true}, 3, 5, 10};
    std::map<card::Pin, Outcome<int>> tries{
        {card::Pin::auth, 3}, {card::Pin::sign, 5}, {card::Pin::text, 10}};
    std::optional<Error> status_error;
    std::optional<Error> text_error;
    std::optional<Error> change_error;
    // What the card got.
    std::vector<std::string> pins_sent;
    std::vector<card::PinOptions> options_sent;
    bool hold = false;
    std::deque<std::function<void()>> held;

    [[nodiscard]] QList<ReaderInfo> readers() const override { return list; }
    [[nodiscard]] std::filesystem::path auditLogPath() const override { return "/nonexistent"; }

    void setCard(bool present) {
        list = {{kReader, present, false}};
        emit readersChanged();
    }
    // Answers the calls held so far (not those they lead to).
    void release() {
        std::deque<std::function<void()>> now;
        now.swap(held);
        for (auto& f : now) f();
    }

    void readStatus(const QString&, QObject*, Done<Status> done) override {
        calls.emplace_back("status");
        answer([this, done]() {
            done(status_error ? Outcome<Status>(*status_error) : Outcome<Status>(status));
        });
    }
    void readTries(const QString&, card::Pin pin, QObject*, Done<int> done) override {
        calls.push_back("tries " + std::string(card::to_string(pin)));
        answer([this, pin, done]() { done(tries.at(pin)); });
    }
    void readCertificates(const QString&, QObject*, Done<Certificates> done) override {
        calls.emplace_back("certificates");
        answer([done]() { done(Certificates{}); });
    }
    void readSignCertificate(const QString&, std::shared_ptr<const SecureBytes> pin,
                             card::PinOptions options, QObject*, Done<Bytes> done) override {
        calls.emplace_back("sign certificate");
        sent(*pin, options);
        answer([done]() { done(Error(Errc::pin_incorrect, "wrong", 4)); });
    }
    void changePin(const QString&, card::Pin pin, std::shared_ptr<const SecureBytes> current,
                   std::shared_ptr<const SecureBytes> next, card::PinOptions options, QObject*,
                   Done<bool> done) override {
        calls.push_back("change " + std::string(card::to_string(pin)));
        sent(*current, options);
        pins_sent.emplace_back(reinterpret_cast<const char*>(next->data()), next->size());
        answer([this, done]() {
            done(change_error ? Outcome<bool>(*change_error) : Outcome<bool>(true));
        });
    }
    void readText(const QString&, std::shared_ptr<const SecureBytes> pin, card::PinOptions options,
                  QObject*, Done<card::TextApData> done) override {
        calls.emplace_back("text");
        sent(*pin, options);
        answer([this, done]() {
            if (text_error) return done(*text_error);
            card::TextApData t;
            t.my_number = "123456789018";
            t.basic.name = "山田　花子";
            t.basic.address = "東京都";
            t.basic.birth_date = "19800217";
            t.basic.sex = "2";
            done(std::move(t));
        });
    }
    void readFace(const QString&, std::shared_ptr<const SecureBytes> code, card::PinOptions options,
                  QObject*, Done<card::FaceData> done) override {
        calls.emplace_back("face");
        sent(*code, options);
        // As the card layer: one try left refuses an unconfirmed code.
        if (face_tries == 1 && !options.confirm_last_try)
            return answer([done]() { done(Error(Errc::confirmation_required, "last try", 1)); });
        answer([done]() { done(card::FaceData{}); });
    }
    int face_tries = 10;
    void recordExport(const QString&, card::Certificate, ByteView) override {
        calls.emplace_back("export");
    }

  private:
    void sent(const SecureBytes& pin, card::PinOptions options) {
        pins_sent.emplace_back(reinterpret_cast<const char*>(pin.data()), pin.size());
        options_sent.push_back(options);
    }
    void answer(std::function<void()> f) {
        if (hold) {
            held.push_back(std::move(f));
        } else {
            f();
        }
    }
};

// Scripted PIN answers; each request is kept with the backend calls made
// before it.
struct Asker {
    FakeBackend& backend;
    std::deque<std::optional<std::string>> answers;
    std::vector<pinhelper::Request> requests;
    std::vector<std::size_t> calls_before;

    std::optional<SecureBytes> operator()(const pinhelper::Request& r) {
        requests.push_back(r);
        calls_before.push_back(backend.calls.size());
        if (answers.empty()) return std::nullopt;
        auto a = answers.front();
        answers.pop_front();
        if (!a) return std::nullopt;
        return secret(*a);
    }
};

}  // namespace

class TestCardViewController : public QObject {
    Q_OBJECT

    ScratchDir dir_;
    std::unique_ptr<FakeBackend> backend_;
    std::unique_ptr<CardViewController> controller_;
    std::shared_ptr<Asker> asker_;

    void answer(std::initializer_list<std::optional<std::string>> answers) {
        asker_->answers = answers;
    }

  private slots:
    void init() {
        backend_ = std::make_unique<FakeBackend>();
        controller_ = std::make_unique<CardViewController>(*backend_);
        controller_->setConsentStorePath(
            dir_.filePath(QStringLiteral("consent.json")).toStdString());
        asker_ = std::make_shared<Asker>(Asker{*backend_, {}, {}, {}});
        controller_->setPinAsker(
            [asker = asker_](const pinhelper::Request& r) { return (*asker)(r); });
        controller_->updateReaders();
    }
    void cleanup() {
        controller_.reset();
        backend_.reset();
    }

    void readsTheCardWhenItIsIn() {
        QCOMPARE(controller_->currentReader(), kReader);
        QVERIFY(controller_->cardPresent());
        QCOMPARE(backend_->calls, std::vector<std::string>{"status"});
        QVERIFY(controller_->data().status.has_value());
        QCOMPARE(controller_->knownTries(card::Pin::sign), std::optional<int>(5));
        QCOMPARE(controller_->cardTitle(), QStringLiteral("Card in %1").arg(kReader));
    }

    void triesAreShownBeforeThePinIsAskedFor() {
        answer({"1234"});
        controller_->readTextData();
        QCOMPARE(asker_->requests.size(), std::size_t{1});
        const auto& r = asker_->requests[0];
        QCOMPARE(r.pin, card::Pin::text);
        QCOMPARE(r.purpose, pinhelper::Purpose::read_text);
        QCOMPARE(r.tries_left, 10);
        QCOMPARE(r.reader, kReader.toStdString());
        // The tries were read from the card before the dialog opened.
        QCOMPARE(backend_->calls[asker_->calls_before[0] - 1], std::string("tries text"));
        QCOMPARE(backend_->pins_sent, std::vector<std::string>{"1234"});
        QVERIFY(!backend_->options_sent.at(0).confirm_last_try);
        QVERIFY(controller_->data().text.has_value());
        QCOMPARE(controller_->data().text->my_number, std::string("123456789018"));
    }

    void wrongPinSaysHowManyTriesAreLeft() {
        backend_->text_error = Error(Errc::pin_incorrect, "wrong", 9);
        answer({"1111"});
        const auto before = backend_->calls.size();
        controller_->readTextData();
        QCOMPARE(controller_->lastError(), describe(Error(Errc::pin_incorrect, "wrong", 9)));
        QVERIFY(controller_->lastError().contains(QStringLiteral("9")));
        QVERIFY(!controller_->data().text.has_value());
        // The counter changed: it is read again.
        QCOMPARE(backend_->calls.back(), std::string("status"));
        QVERIFY(backend_->calls.size() > before + 2);
    }

    void lastTryOnlyWithConfirmation() {
        backend_->tries[card::Pin::text] = 1;
        answer({"1234"});
        controller_->readTextData();
        // The dialog is told it is the last try (it asks for the explicit
        // confirmation); only then does the card get it with confirm set.
        QCOMPARE(asker_->requests.at(0).tries_left, 1);
        QCOMPARE(backend_->options_sent.size(), std::size_t{1});
        QVERIFY(backend_->options_sent[0].confirm_last_try);

        backend_->tries[card::Pin::sign] = 2;
        answer({"ABC123"});
        controller_->readSignCertificate();
        QCOMPARE(asker_->requests.at(1).tries_left, 2);
        QVERIFY(!backend_->options_sent.at(1).confirm_last_try);
    }

    void cancelSendsNothing() {
        answer({std::nullopt});
        controller_->readTextData();
        answer({std::nullopt});
        controller_->readSignCertificate();
        answer({"1234", std::nullopt});
        controller_->changePin(card::Pin::auth);
        answer({"1234", "5678", std::nullopt});
        controller_->changePin(card::Pin::auth);
        QVERIFY(backend_->pins_sent.empty());
        for (const auto& c : backend_->calls)
            QVERIFY2(c == "status" || c.rfind("tries ", 0) == 0, c.c_str());
        QVERIFY(controller_->lastError().isEmpty());
    }

    void newPinsThatDifferChangeNothing() {
        answer({"1234", "5678", "5679"});
        controller_->changePin(card::Pin::auth);
        QVERIFY(backend_->pins_sent.empty());
        QVERIFY(controller_->lastError().contains(QStringLiteral("not the same")));
        answer({"1234", "5678", "5678"});
        controller_->changePin(card::Pin::auth);
        QCOMPARE(backend_->pins_sent, (std::vector<std::string>{"1234", "5678"}));
        QVERIFY(controller_->lastError().isEmpty());
        QVERIFY(controller_->message().contains(QStringLiteral("was changed")));
    }

    void blockedPinIsNotAskedFor() {
        backend_->tries[card::Pin::text] = 0;
        answer({"1234"});
        controller_->readTextData();
        QVERIFY(asker_->requests.empty());
        QCOMPARE(controller_->lastError(), describe(Error(Errc::pin_blocked, "blocked", 0)));
    }

    void textDataIsWipedWhenTheCardLeaves() {
        answer({"1234"});
        controller_->readTextData();
        QVERIFY(controller_->data().text.has_value());
        QSignalSpy wiped(controller_.get(), &CardViewController::cardDataWiped);
        backend_->setCard(false);
        QVERIFY(!controller_->cardPresent());
        QVERIFY(!controller_->holdsCardData());
        QVERIFY(!controller_->data().text.has_value());
        QVERIFY(!wiped.isEmpty());
        QCOMPARE(controller_->cardTitle(),
                 QStringLiteral("Insert your My Number Card into %1.").arg(kReader));
        // Nothing is read without a card.
        const auto before = backend_->calls.size();
        controller_->readTextData();
        QCOMPARE(backend_->calls.size(), before);
    }

    void replacedCardLeavesNothingOfTheOld() {
        answer({"1234"});
        controller_->readTextData();
        QVERIFY(controller_->data().text.has_value());
        backend_->calls.clear();
        emit backend_->cardReplaced(kReader);
        QVERIFY(!controller_->data().text.has_value());
        QVERIFY(controller_->lastError().contains(QStringLiteral("Another card")));
        // The new card is read as if it had just been put in.
        QCOMPARE(backend_->calls, std::vector<std::string>{"status"});
        QVERIFY(controller_->data().status.has_value());
        // Another reader's card changing is not this one's business.
        emit backend_->cardReplaced(QStringLiteral("Other Reader"));
        QVERIFY(controller_->data().status.has_value());
    }

    void lateAnswerForAGoneCardIsDropped() {
        backend_->hold = true;
        answer({"1234"});
        controller_->readTextData();  // the tries are on their way
        backend_->release();          // ... asked, the text is on its way
        QCOMPARE(backend_->calls.back(), std::string("text"));
        emit backend_->cardReplaced(kReader);
        backend_->release();
        QVERIFY(!controller_->data().text.has_value());
    }

    void errorsInTheUsersWords() {
        backend_->status_error = Error(Errc::service_stopped, "SCardEstablishContext: no service");
        controller_->refreshStatus();
        QCOMPARE(controller_->lastError(), describe(*backend_->status_error));
        QVERIFY(!controller_->lastError().contains(QStringLiteral("SCard")));
        backend_->change_error = Error(Errc::pin_blocked, "blocked", 0);
        backend_->status_error.reset();
        answer({"1234", "5678", "5678"});
        controller_->changePin(card::Pin::auth);
        QCOMPARE(controller_->lastError(), describe(*backend_->change_error));
    }

    void faceCodeMustHave14Digits() {
        controller_->readFaceData(secret("1234"));
        QVERIFY(controller_->lastError().contains(QStringLiteral("14 digits")));
        QCOMPARE(std::count(backend_->calls.begin(), backend_->calls.end(), "face"), 0);
        controller_->readFaceData(secret("80021720301234"));
        QCOMPARE(backend_->calls.back(), std::string("face"));
        QCOMPARE(backend_->pins_sent.back(), std::string("80021720301234"));
        QVERIFY(controller_->lastError().isEmpty());
        QVERIFY(!backend_->options_sent.back().confirm_last_try);
    }

    // Decision 5 for the 照合番号: the card's last try is refused until the
    // holder was told and entered the number again; a new card starts over.
    void faceCodeLastTryNeedsTheHoldersSecondEntry() {
        backend_->face_tries = 1;
        controller_->readFaceData(secret("80021720301234"));
        QVERIFY(!backend_->options_sent.back().confirm_last_try);
        QVERIFY(controller_->lastError().contains(QStringLiteral("Only one try is left")));
        controller_->readFaceData(secret("80021720301234"));
        QVERIFY(backend_->options_sent.back().confirm_last_try);
        QVERIFY(controller_->lastError().isEmpty());
        controller_->readFaceData(secret("80021720301234"));
        QVERIFY(!backend_->options_sent.back().confirm_last_try);
        controller_->wipe();
        controller_->readFaceData(secret("80021720301234"));
        QVERIFY(!backend_->options_sent.back().confirm_last_try);
    }

    void noReaderSaysSo() {
        backend_->list.clear();
        emit backend_->readersChanged();
        QVERIFY(controller_->currentReader().isEmpty());
        QVERIFY(controller_->cardTitle().contains(QStringLiteral("No card reader")));
    }
};

QTEST_MAIN(TestCardViewController)
#include "tst_card_view_controller.moc"
