// Every screen of mynacard-helper in Japanese and in English, each in a real
// state: the PIN dialog (sign in, signature password, last try, blocked),
// the disclosure consent, the card view's pages with the virtual card
// (integration fixture), the kiosk from start to the card left behind,
// with its errors and staff mode, and the clinic front desk (both panels,
// every patient step, results, errors, the query form, pending exports). For each screen and
// language it checks what a new user would meet: the texts are in the language asked for (Japanese
// in ja; no kana left in en), the headline differs between the two, no button, tab or heading is
// empty or clipped, and the My Number never shows unmasked. With $MYNACARD_SCREENSHOT_DIR set
// (scripts/ screenshots, under Xvfb) each screen is saved as <name>-<lang>.png.
#include <QAbstractButton>
#include <QAbstractItemView>
#include <QCheckBox>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "consent/consent.h"
#include "core/error.h"
#include "front_desk_fake.h"
#include "gui/common/audit_history_model.h"
#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/consent/consent_dialog.h"
#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/patient_panel.h"
#include "gui/frontdesk/reception_window.h"
#include "gui/kiosk/kiosk_config.h"
#include "gui/kiosk/kiosk_controller.h"
#include "gui/kiosk/kiosk_keypad.h"
#include "gui/kiosk/kiosk_window.h"
#include "gui/pin/pin_dialog.h"
#include "gui/view/card_view.h"
#include "scratch_dir.h"
#include "x509/x509.h"

using namespace mynacard;
using namespace mynacard::gui;

namespace {

constexpr int kWait = 20000;  // ms: pcscd polls presence every 400 ms; the machine is shared
const QString kProgram = QStringLiteral("/usr/lib/firefox-esr/firefox-esr");
const QString kOperatorPin = QStringLiteral("246813");
// The kiosk full screen on a Full HD touch display (at 1280x800 its PIN
// page does not fit); the card view as a window on a small laptop screen.
const QSize kKioskSize(1920, 1080);
const QSize kViewSize(1024, 720);

QString build_dir() {
    return qEnvironmentVariable("MYNACARD_BUILD_DIR");
}
QString profile_dir() {
    return build_dir() + QStringLiteral("/share/mynacard/sim/profiles/default");
}

// A value of the generated default card ("holder.name", "secrets.text.value").
QString profile_value(const QString& path) {
    QFile f(profile_dir() + QStringLiteral("/profile.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    QJsonValue v = QJsonDocument::fromJson(f.readAll()).object();
    for (const QString& key : path.split(QLatin1Char('.'))) v = v.toObject().value(key);
    return v.toString();
}

bool sim(const QStringList& args) {
    QProcess p;
    p.start(build_dir() + QStringLiteral("/bin/mynacard-sim"), args);
    if (!p.waitForFinished(30000)) return false;
    if (p.exitCode() != 0) qWarning() << "mynacard-sim" << args << p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool insert_card() {
    return sim({QStringLiteral("insert"), QStringLiteral("--reader"), QStringLiteral("0"),
                QStringLiteral("--fresh"), profile_dir()});
}

void remove_card() {
    sim({QStringLiteral("remove"), QStringLiteral("--reader"), QStringLiteral("0")});
    QProcess::execute(build_dir() + QStringLiteral("/bin/pcsc_probe"),
                      {QStringLiteral("wait-state"), QStringLiteral("0"), QStringLiteral("empty"),
                       QStringLiteral("5")});
}

bool is_kana(char16_t c) {
    return c >= 0x3040 && c <= 0x30FF;
}
bool is_japanese(char16_t c) {
    return is_kana(c) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF01 && c <= 0xFF9F) ||
           (c >= 0x3000 && c <= 0x303F);
}
bool has(const QString& s, bool (*pred)(char16_t)) {
    for (const QChar c : s)
        if (pred(c.unicode())) return true;
    return false;
}

// One text on the screen and what carries it.
struct Shown {
    QString kind;  // title, label, button, group, tab, header, cell, field
    QString text;  // without mnemonic ampersands
    const QWidget* widget = nullptr;
};

QString plain(QString text) {
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text;
}

// Everything a person sees in `top`: the title, labels, buttons, group
// boxes, tabs, table headers and cells, fields (hidden widgets excluded).
QList<Shown> shown_texts(const QWidget& top) {
    QList<Shown> out;
    out.append({QStringLiteral("title"), top.windowTitle(), &top});
    const auto visible = [&top](const QWidget* w) { return w->isVisibleTo(&top); };
    for (const QLabel* l : top.findChildren<QLabel*>())
        if (visible(l) && l->pixmap().isNull()) out.append({QStringLiteral("label"), l->text(), l});
    for (const QAbstractButton* b : top.findChildren<QAbstractButton*>())
        if (visible(b) && b->icon().isNull() && !b->inherits("QToolButton"))
            out.append({QStringLiteral("button"), plain(b->text()), b});
    for (const QGroupBox* g : top.findChildren<QGroupBox*>())
        if (visible(g)) out.append({QStringLiteral("group"), plain(g->title()), g});
    for (const QTabBar* t : top.findChildren<QTabBar*>())
        if (visible(t))
            for (int i = 0; i < t->count(); ++i)
                out.append({QStringLiteral("tab"), plain(t->tabText(i)), t});
    for (const QLineEdit* e : top.findChildren<QLineEdit*>())
        if (visible(e)) out.append({QStringLiteral("field"), e->displayText(), e});
    for (const QAbstractItemView* v : top.findChildren<QAbstractItemView*>()) {
        if (!visible(v) || v->model() == nullptr || v->inherits("QHeaderView")) continue;
        const QAbstractItemModel* m = v->model();
        for (int c = 0; c < m->columnCount(); ++c)
            out.append({QStringLiteral("header"), m->headerData(c, Qt::Horizontal).toString(), v});
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c)
                out.append({QStringLiteral("cell"), m->index(r, c).data().toString(), v});
    }
    for (const QStatusBar* s : top.findChildren<QStatusBar*>())
        if (visible(s)) out.append({QStringLiteral("label"), s->currentMessage(), s});
    return out;
}

// Visible controls whose text does not fit the space the layout gave them.
QStringList clipped(const QWidget& top) {
    QStringList out;
    const auto name = [](const QWidget* w, const QString& text) {
        return QStringLiteral("%1 \"%2\"")
            .arg(QLatin1String(w->metaObject()->className()), text.left(60));
    };
    for (const QAbstractButton* b : top.findChildren<QAbstractButton*>()) {
        if (!b->isVisibleTo(&top) || b->text().isEmpty()) continue;
        // Narrower than its text, or lower than a line of it plus the frame
        // (less padding than asked for is not clipping).
        const int line = b->fontMetrics().height() * static_cast<int>(b->text().count(u'\n') + 1);
        if (b->sizeHint().width() > b->width() + 1 ||
            std::min(line + 8, b->sizeHint().height()) > b->height() + 1)
            out << name(b, b->text()) + QStringLiteral(" %1x%2 < hint %3x%4")
                                            .arg(b->width())
                                            .arg(b->height())
                                            .arg(b->sizeHint().width())
                                            .arg(b->sizeHint().height());
    }
    for (const QLabel* l : top.findChildren<QLabel*>()) {
        if (!l->isVisibleTo(&top) || l->text().isEmpty() || !l->pixmap().isNull()) continue;
        // Labels inside a scroll area are as large as they need to be.
        const bool fits = l->wordWrap() ? l->heightForWidth(l->width()) <= l->height() + 1
                                        : l->sizeHint().width() <= l->width() + 1 &&
                                              l->sizeHint().height() <= l->height() + 1;
        if (!fits)
            out << name(l, l->text()) + QStringLiteral(" %1x%2").arg(l->width()).arg(l->height());
    }
    for (const QTabBar* t : top.findChildren<QTabBar*>())
        if (t->isVisibleTo(&top) && t->sizeHint().width() > t->width() + 1)
            out << QStringLiteral("tab bar: %1 px needed, %2 px wide")
                       .arg(t->sizeHint().width())
                       .arg(t->width());
    return out;
}

// Buttons in Japanese screens that rightly stay in Latin letters.
bool latin_on_purpose(const QString& text) {
    static const QStringList words = {QStringLiteral("English"), QStringLiteral("OK"),
                                      QStringLiteral("PIN")};
    return words.contains(text.trimmed());
}

// Answers the card view's PIN requests from a script.
struct ScriptedPins {
    std::deque<QString> answers;
    CardView::PinProvider provider() {
        return [this](const pinhelper::Request&, QWidget*) -> std::optional<SecureBytes> {
            if (answers.empty()) return std::nullopt;
            const std::string a = answers.front().toStdString();
            answers.pop_front();
            return SecureBytes(a.begin(), a.end());
        };
    }
};

// The kiosk's card without a card: answers when the test says so.
class FakeBackend final : public KioskCardBackend {
  public:
    void queryTriesLeft(const QString&, QObject*, std::function<void(Outcome<int>)> done) override {
        tries_done = std::move(done);
    }
    void readText(const QString&, std::shared_ptr<SecureBytes> pin, card::PinOptions, QObject*,
                  std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> done) override {
        secure_zero(pin->data(), pin->size());
        read_done = std::move(done);
    }
    std::function<void(Outcome<int>)> tries_done;
    std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> read_done;
};

}  // namespace

class TestScreens : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanupTestCase();

    void pinDialogs();
    void consent();
    void cardView();
    void kioskWithCard();
    void kioskStates();
    void frontDesk();

  private:
    // Checks the screen as a new user meets it and saves its screenshot.
    // `headline`: what the screen says first; `data`: card or caller data
    // that may show in any language.
    void screen(QWidget& w, const QString& name, const QString& headline,
                const QStringList& data = {}, const QSize& size = {});
    [[nodiscard]] KioskConfig kioskConfig() const;

    QString lang_;
    std::map<QString, QString> ja_headlines_;  // screen → headline of the ja run
    QString my_number_;
    QStringList holder_;  // name, address: the card's data, in Japanese in both runs
    QString reader0_;
    std::string operator_hash_;
};

void TestScreens::initTestCase_data() {
    QTest::addColumn<QString>("lang");
    QTest::newRow("ja") << QStringLiteral("ja");
    QTest::newRow("en") << QStringLiteral("en");
}

void TestScreens::initTestCase() {
    QVERIFY2(!build_dir().isEmpty(), "run through ctest (MYNACARD_BUILD_DIR)");
    my_number_ = profile_value(QStringLiteral("holder.my_number"));
    QCOMPARE(my_number_.size(), 12);
    holder_ = {profile_value(QStringLiteral("holder.name")),
               profile_value(QStringLiteral("holder.address"))};
    operator_hash_ = hash_operator_pin(kOperatorPin.toStdString(), operator_pin_min_iterations);
    // Readers 1 and 2 empty, no faults anywhere: the same screens every run.
    for (const char* r : {"0", "1", "2"})
        QVERIFY(sim({QStringLiteral("fault"), QStringLiteral("--reader"), QLatin1String(r),
                     QStringLiteral("clear")}));
    for (const char* r : {"1", "2"})
        QVERIFY(sim({QStringLiteral("remove"), QStringLiteral("--reader"), QLatin1String(r)}));
}

void TestScreens::init() {
    QFETCH_GLOBAL(QString, lang);
    lang_ = lang;
    install_translations(*QCoreApplication::instance(), language_from(lang_));
}

void TestScreens::cleanupTestCase() {
    install_translations(*QCoreApplication::instance(), Language::en);
    // The next program using the fixture expects the default card in reader 0.
    insert_card();
}

KioskConfig TestScreens::kioskConfig() const {
    KioskConfig c;
    c.reader = QStringLiteral("Virtual Reader 0");
    c.language = lang_;
    c.idle_timeout_seconds = 120;
    c.card_left_alert_seconds = 2;
    c.operator_pin_hash = operator_hash_;
    return c;
}

void TestScreens::screen(QWidget& w, const QString& name, const QString& headline,
                         const QStringList& data, const QSize& size) {
    if (!w.isVisible()) w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // Language changes and new texts relayout through posted events.
    QTest::qWait(50);
    save_screenshot(w, name);
    // The failure message: kept alive here until the next one.
    QByteArray message;
    const auto context = [&name, &message, this](const QString& what) {
        message = (name + QLatin1Char('-') + lang_ + QStringLiteral(": ") + what).toUtf8();
        return message.constData();
    };
    QVERIFY2(!headline.trimmed().isEmpty(), context(QStringLiteral("no headline")));
    const bool ja = lang_ == QLatin1String("ja");
    // English may name a Japanese term (券面事項入力補助) but has no kana.
    QVERIFY2(ja ? has(headline, is_japanese) : !has(headline, is_kana),
             context(QStringLiteral("headline in the wrong language: ") + headline));
    if (ja) {
        ja_headlines_[name] = headline;
    } else if (const auto it = ja_headlines_.find(name); it != ja_headlines_.end()) {
        QVERIFY2(it->second != headline,
                 context(QStringLiteral("same headline in ja and en: ") + headline));
    }

    const auto is_data = [&data](const QString& text) {
        for (const QString& d : data)
            if (!d.isEmpty() && text.contains(d)) return true;
        return false;
    };
    static const QRegularExpression english_word(QStringLiteral("[A-Za-z]{3,}"));
    static const QRegularExpression glossed(QStringLiteral("[(（][^()（）]*[)）]"));
    const QString spaced =
        my_number_.left(4) + QLatin1Char(' ') + my_number_.mid(4, 4) + QLatin1Char(' ');
    for (const Shown& s : shown_texts(w)) {
        const QString what = s.kind + QStringLiteral(" \"") + s.text + QLatin1Char('"');
        // Headings and controls say something.
        if (s.kind != QLatin1String("label") && s.kind != QLatin1String("cell") &&
            s.kind != QLatin1String("field"))
            QVERIFY2(!s.text.trimmed().isEmpty(), context(QStringLiteral("empty ") + s.kind));
        // The My Number only masked (no screen here asked to show it).
        QVERIFY2(!s.text.contains(my_number_) && !s.text.contains(spaced),
                 context(QStringLiteral("My Number unmasked in ") + what));
        if (s.kind == QLatin1String("cell") || s.kind == QLatin1String("field") || is_data(s.text))
            continue;
        if (ja) {
            // Untranslated: Latin words and not one Japanese character.
            const bool untranslated = !has(s.text, is_japanese) &&
                                      english_word.match(s.text).hasMatch() &&
                                      !latin_on_purpose(s.text) && !s.text.startsWith(u'/');
            QVERIFY2(!untranslated, context(QStringLiteral("untranslated ") + what));
        } else {
            // A Japanese term may stand in brackets after its English
            // explanation ("municipal office (市区町村の窓口)"); nothing else.
            QString outside = s.text;
            outside.remove(glossed);
            QVERIFY2(!has(outside, is_kana), context(QStringLiteral("Japanese in ") + what));
        }
    }
    const QStringList cut = clipped(w);
    QVERIFY2(cut.isEmpty(), context(QStringLiteral("clipped: ") + cut.join(QStringLiteral("; "))));
    // The screen fits the size asked for: a window that grows past it
    // would be cut off on a screen of that size.
    if (size.isValid())
        QVERIFY2(w.size() == size, context(QStringLiteral("%1x%2 instead of %3x%4")
                                               .arg(w.width())
                                               .arg(w.height())
                                               .arg(size.width())
                                               .arg(size.height())));
    const QSize need = w.minimumSizeHint();
    QVERIFY2(need.width() <= w.width() && need.height() <= w.height(),
             context(QStringLiteral("window %1x%2 below its minimum %3x%4")
                         .arg(w.width())
                         .arg(w.height())
                         .arg(need.width())
                         .arg(need.height())));
}

// --- the PIN dialog and the consent (no card) -----------------------------

void TestScreens::pinDialogs() {
    const auto request = [](card::Pin pin, pinhelper::Purpose purpose, int tries) {
        pinhelper::Request r;
        r.pin = pin;
        r.purpose = purpose;
        r.program = kProgram.toStdString();
        r.pid = 4242;
        r.reader = "mynacard Virtual Reader 0 00 00";
        r.tries_left = tries;
        return r;
    };
    const QStringList data = {kProgram, QStringLiteral("firefox-esr"),
                              QStringLiteral("Virtual Reader")};
    const auto heading = [](const PinDialog& d) {
        // The first label: "Enter your …" / "Your … is blocked".
        const auto labels = d.findChildren<QLabel*>();
        return labels.isEmpty() ? QString() : labels.first()->text();
    };
    {
        // Sign in with the user authentication PIN: 3 tries, two digits typed.
        PinDialog d(request(card::Pin::auth, pinhelper::Purpose::login, 3));
        d.show();
        QTest::mouseClick(d.keypad_button(1), Qt::LeftButton);
        QTest::mouseClick(d.keypad_button(2), Qt::LeftButton);
        QVERIFY(!d.ok_button()->isEnabled());
        QVERIFY(!d.message_label()->text().isEmpty());  // says how many digits
        screen(d, QStringLiteral("pin-auth"), heading(d), data);
        if (QTest::currentTestFailed()) return;
    }
    {
        // A signature, with the time limit the caller set.
        auto r = request(card::Pin::sign, pinhelper::Purpose::sign, 5);
        r.timeout = std::chrono::seconds(60);
        PinDialog d(r);
        d.show();
        QTest::keyClicks(d.pin_field(), QStringLiteral("abc"));
        QCOMPARE(d.pin_field()->text(), QStringLiteral("ABC"));
        screen(d, QStringLiteral("pin-sign"), heading(d), data);
        if (QTest::currentTestFailed()) return;
    }
    {
        // The last try: OK only once the risk is confirmed.
        PinDialog d(request(card::Pin::auth, pinhelper::Purpose::login, 1));
        d.show();
        QTest::keyClicks(d.pin_field(), QStringLiteral("1234"));
        QVERIFY(d.last_try_box() != nullptr);
        QVERIFY(!d.ok_button()->isEnabled());
        screen(d, QStringLiteral("pin-last-try"), d.last_try_box()->text(), data);
        if (QTest::currentTestFailed()) return;
    }
    {
        // The program supplied the PIN itself and one try is left: the
        // person allows that last try or not; no PIN field.
        auto r = request(card::Pin::auth, pinhelper::Purpose::login, 1);
        r.entry = pinhelper::Entry::confirm_last_try;
        PinDialog d(r);
        d.show();
        QVERIFY(d.pin_field() == nullptr);
        QVERIFY(d.last_try_box() != nullptr);
        QVERIFY(!d.ok_button()->isEnabled());
        screen(d, QStringLiteral("pin-confirm-last-try"), heading(d), data);
        if (QTest::currentTestFailed()) return;
    }
    {
        // Blocked: only where to reset it.
        PinDialog d(request(card::Pin::text, pinhelper::Purpose::read_text, 0));
        d.show();
        QVERIFY(d.pin_field() == nullptr);
        screen(d, QStringLiteral("pin-blocked"), heading(d), data);
    }
}

void TestScreens::consent() {
    const auto cert = x509::Certificate::from_file(
        (profile_dir() + QStringLiteral("/sign_cert.der")).toStdString());
    ConsentDialog d(cert, kProgram, 4242);
    d.show();
    QVERIFY(d.denyButton()->isDefault());
    // The personal facts are what this dialog is about: they show.
    const auto attrs = x509::jpki_attributes(cert);
    QVERIFY(attrs.has_value());
    screen(d, QStringLiteral("consent"), d.windowTitle(),
           {kProgram, QStringLiteral("firefox-esr"), QString::fromStdString(attrs->name),
            QString::fromStdString(attrs->address)});
}

// --- the card view with the virtual card ----------------------------------

void TestScreens::cardView() {
    ScratchDir dir;
    QVERIFY(dir.isValid());
    remove_card();
    CardService service(
        std::filesystem::path(dir.filePath(QStringLiteral("audit.jsonl")).toStdString()));
    ScriptedPins pins;
    CardView view(service);
    const std::filesystem::path consents =
        dir.filePath(QStringLiteral("consent.json")).toStdString();
    view.setConsentStorePath(consents);
    view.setPinProvider(pins.provider());
    view.resize(kViewSize);
    view.show();
    QTRY_COMPARE_WITH_TIMEOUT(view.readerList()->count(), 3, kWait);
    QString reader0;
    for (const ReaderInfo& r : service.readers())
        if (r.name.startsWith(QStringLiteral("mynacard Virtual Reader 0"))) reader0 = r.name;
    QVERIFY(!reader0.isEmpty());
    view.selectReader(reader0);
    QVERIFY(insert_card());
    QTRY_COMPARE_WITH_TIMEOUT(view.pinModel()->rowCount(), 3, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service.busy(), kWait);
    const QStringList data = holder_ + QStringList{QStringLiteral("Virtual Reader")};
    const QSize size = kViewSize;
    const auto headline = [&view]() {
        return view.windowTitle() + QStringLiteral(" — ") +
               plain(view.pages()->tabText(view.pages()->currentIndex()));
    };

    view.pages()->setCurrentIndex(0);
    screen(view, QStringLiteral("view-card"), headline(), data, size);
    if (QTest::currentTestFailed()) return;

    // Certificates: those without a PIN when the page opens, then the
    // signature certificate with the signature password; its details shown.
    view.pages()->setCurrentIndex(1);
    QTRY_COMPARE_WITH_TIMEOUT(view.certificateModel()->rowCount(), 3, kWait);
    pins.answers = {profile_value(QStringLiteral("secrets.sign.value"))};
    view.readSignCertificate();
    QTRY_COMPARE_WITH_TIMEOUT(view.certificateModel()->rowCount(), 4, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service.busy(), kWait);
    QVERIFY2(view.lastError().isEmpty(), qPrintable(view.lastError()));
    if (auto* table = view.pages()->currentWidget()->findChild<QAbstractItemView*>())
        table->setCurrentIndex(table->model()->index(1, 0));
    screen(view, QStringLiteral("view-certificates"), headline(), data, size);
    if (QTest::currentTestFailed()) return;

    // 券面事項入力補助: the My Number masked to its last four digits.
    view.pages()->setCurrentIndex(2);
    pins.answers = {profile_value(QStringLiteral("secrets.text.value"))};
    view.readTextData();
    QTRY_VERIFY_WITH_TIMEOUT(!view.myNumberLabel()->text().isEmpty(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service.busy(), kWait);
    QVERIFY2(view.lastError().isEmpty(), qPrintable(view.lastError()));
    const QString masked = view.myNumberLabel()->text();
    QVERIFY2(!masked.contains(my_number_.left(8)), qPrintable(masked));
    QVERIFY2(masked.endsWith(my_number_.right(4)), qPrintable(masked));
    screen(view, QStringLiteral("view-text"), headline(), data, size);
    if (QTest::currentTestFailed()) return;

    // Card face with 照合番号B.
    view.pages()->setCurrentIndex(3);
    auto* code = view.pages()->currentWidget()->findChild<QLineEdit*>();
    QVERIFY(code != nullptr);
    QTest::keyClicks(code, profile_value(QStringLiteral("secrets.face_b.value")));
    view.readFaceData();
    QTRY_VERIFY_WITH_TIMEOUT(
        !view.photoLabel()->text().isEmpty() || !view.photoLabel()->pixmap().isNull(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!service.busy(), kWait);
    QVERIFY2(view.lastError().isEmpty(), qPrintable(view.lastError()));
    screen(view, QStringLiteral("view-face"), headline(), data, size);
    if (QTest::currentTestFailed()) return;

    // The usage history of this session, its chain intact.
    view.pages()->setCurrentIndex(4);
    view.refreshHistory();
    QTRY_VERIFY_WITH_TIMEOUT(view.historyModel()->rowCount() >= 4, kWait);
    QVERIFY(view.historyModel()->intact());
    screen(view, QStringLiteral("view-history"), headline(), data, size);
    if (QTest::currentTestFailed()) return;

    // Sharing: the remembered consent answers; Firefox's is for the
    // signature certificate read above.
    {
        consent::Store store(consents);
        const auto sign = x509::Certificate::from_file(
            (profile_dir() + QStringLiteral("/sign_cert.der")).toStdString());
        store.remember("/usr/lib/libreoffice/program/soffice.bin", std::string(64, 'e'),
                       consent::Decision::deny);
        store.remember(kProgram.toStdString(), consent::certificate_hash(sign),
                       consent::Decision::allow);
    }
    view.pages()->setCurrentIndex(5);
    const QStandardItemModel* consents_shown = view.consentModel();
    QCOMPARE(consents_shown->rowCount(), 2);
    // In either language, Firefox's answer is marked as for this card's
    // certificate and the other is not.
    const auto certificate_cell = [consents_shown](int row) {
        return consents_shown->index(row, CardView::consent_certificate).data().toString();
    };
    QVERIFY(certificate_cell(0) != certificate_cell(1));
    view.consentTable()->selectRow(0);
    QVERIFY(view.forgetConsentButton()->isEnabled());
    screen(view, QStringLiteral("view-sharing"), headline(), data, size);
}

// --- the kiosk ----------------------------------------------------------

// A citizen's visit with the virtual card through pcscd: start, PIN, a
// wrong PIN, the handover, take your card, the card left behind; then staff.
void TestScreens::kioskWithCard() {
    ScratchDir dir;
    QVERIFY(dir.isValid());
    remove_card();
    auto service = std::make_unique<CardService>(
        std::filesystem::path(dir.filePath(QStringLiteral("audit.jsonl")).toStdString()));
    CardServiceKioskBackend backend(*service);
    std::size_t sent = 0;
    KioskController c(kioskConfig(), backend, nullptr, [&sent](std::string_view line) {
        if (!line.empty()) ++sent;
        return true;
    });
    KioskWindow w(c);
    w.resize(kKioskSize);
    w.show();
    c.follow(*service);
    QTRY_VERIFY_WITH_TIMEOUT(!c.matchingReaders().isEmpty(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::start, kWait);
    const auto text = [&w](const char* object) {
        auto* l = w.findChild<QLabel*>(QLatin1String(object));
        return l ? l->text() : QString();
    };
    const auto type = [&w](const QString& digits) {
        for (const QChar ch : digits) w.keypad()->digitButton(ch.digitValue())->click();
    };
    const QStringList data = holder_ + QStringList{QStringLiteral("Virtual Reader")};

    QCOMPARE(w.currentPage(), KioskPage::start);
    screen(w, QStringLiteral("kiosk-start"), text("startText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;

    QVERIFY(insert_card());
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::pin_entry, kWait);
    type(QStringLiteral("12"));
    QCOMPARE(c.pinLength(), 2);
    screen(w, QStringLiteral("kiosk-pin"), text("pinTitle"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;

    // A wrong PIN: the card counts it, the screen says how many are left.
    c.clearPin();
    const QString pin = profile_value(QStringLiteral("secrets.text.value"));
    type(pin == QLatin1String("9999") ? QStringLiteral("8888") : QStringLiteral("9999"));
    w.keypad()->okButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(c.notice(), KioskNotice::pin_incorrect, kWait);
    QCOMPARE(c.state(), KioskState::pin_entry);
    QCOMPARE(c.triesLeft(), 2);
    QVERIFY(text("pinTries").contains(QLatin1Char('2')));
    screen(w, QStringLiteral("kiosk-wrong-pin"), text("pinNotice"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;

    // The right PIN: the data is handed over and shown, the My Number masked.
    type(pin);
    w.keypad()->okButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::handover, kWait);
    QCOMPARE(sent, std::size_t{1});
    const QString shown = text("numberValue");
    QVERIFY2(shown.endsWith(my_number_.right(4)) && !shown.contains(my_number_.left(4)),
             qPrintable(shown));
    QCOMPARE(text("nameValue"), holder_.at(0));
    screen(w, QStringLiteral("kiosk-handover"), text("handoverTitle"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;

    // Done: take your card; left there, the banner flashes.
    c.finish();
    QCOMPARE(c.state(), KioskState::remove_card);
    QVERIFY(!w.alertBannerVisible());
    screen(w, QStringLiteral("kiosk-remove-card"), text("removeText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    QTRY_VERIFY_WITH_TIMEOUT(c.cardLeftAlert(), 6000);
    QVERIFY(w.alertBannerVisible());
    screen(w, QStringLiteral("kiosk-card-left"), text("alertBanner"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    remove_card();
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::start, kWait);

    // Staff: the prompt (Ctrl+Alt+S), then the staff panel with the readers.
    w.openOperatorPrompt();
    QVERIFY(w.operatorPromptOpen());
    QCOMPARE(w.currentPage(), KioskPage::operator_login);
    auto* prompt = w.findChild<QLineEdit*>(QStringLiteral("operatorPin"));
    QVERIFY(prompt != nullptr);
    QTest::keyClicks(prompt, QStringLiteral("000000"));
    QTest::keyClick(prompt, Qt::Key_Return);
    QVERIFY(!c.staffMode());
    QTest::keyClicks(prompt, QStringLiteral("1234"));
    screen(w, QStringLiteral("kiosk-staff-login"), text("operatorError"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    prompt->clear();
    QTest::keyClicks(prompt, kOperatorPin);
    QTest::keyClick(prompt, Qt::Key_Return);
    QVERIFY(c.staffMode());
    QVERIFY(w.staffBannerVisible());
    QVERIFY(insert_card());
    QTRY_COMPARE_WITH_TIMEOUT(c.state(), KioskState::pin_entry, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(text("staffReaderStatus").contains(QStringLiteral("Virtual Reader 0")),
                             kWait);
    screen(w, QStringLiteral("kiosk-staff"), text("staffBanner"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    c.staffLogout();

    // The service (and its worker thread) before the controller it answers to.
    service.reset();
}

// States a visit reaches rarely, with a card the test answers for: the
// last try, reading, a blocked PIN, a card that is not a My Number Card.
void TestScreens::kioskStates() {
    const QList<ReaderInfo> in = {
        ReaderInfo{QStringLiteral("mynacard Virtual Reader 0 00 00"), true, false}};
    const QList<ReaderInfo> out = {
        ReaderInfo{QStringLiteral("mynacard Virtual Reader 0 00 00"), false, false}};
    const QStringList data = {QStringLiteral("Virtual Reader")};
    FakeBackend card;
    KioskController c(kioskConfig(), card, nullptr, [](std::string_view) { return true; });
    KioskWindow w(c);
    w.resize(kKioskSize);
    w.show();
    const auto text = [&w](const char* object) {
        auto* l = w.findChild<QLabel*>(QLatin1String(object));
        return l ? l->text() : QString();
    };

    c.updateReaders(in);
    QCOMPARE(w.currentPage(), KioskPage::checking);
    screen(w, QStringLiteral("kiosk-checking"), text("checkingText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    QVERIFY(card.tries_done);
    card.tries_done(1);
    for (const int d : {1, 2, 3, 4}) w.keypad()->digitButton(d)->click();
    w.keypad()->okButton()->click();
    QCOMPARE(c.state(), KioskState::confirm_last_try);
    QCOMPARE(w.currentPage(), KioskPage::confirm);
    screen(w, QStringLiteral("kiosk-last-try"), text("confirmText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    c.confirmLastTry();
    QCOMPARE(w.currentPage(), KioskPage::reading);
    screen(w, QStringLiteral("kiosk-reading"), text("readingText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;
    QVERIFY(card.read_done);
    card.read_done(Error(Errc::pin_incorrect, "wrong PIN", 0));
    QCOMPARE(c.state(), KioskState::blocked);
    QCOMPARE(w.currentPage(), KioskPage::blocked);
    screen(w, QStringLiteral("kiosk-blocked"), text("blockedText"), data, kKioskSize);
    if (QTest::currentTestFailed()) return;

    c.updateReaders(out);
    QCOMPARE(c.state(), KioskState::start);
    c.updateReaders(in);
    QVERIFY(card.tries_done);
    card.tries_done(Error(Errc::not_found, "no 券面事項入力補助AP"));
    QCOMPARE(c.state(), KioskState::failed);
    QCOMPARE(w.currentPage(), KioskPage::failed);
    screen(w, QStringLiteral("kiosk-not-my-number-card"), text("failedText"), data, kKioskSize);
}

// The front desk's screens: the patient panel at 1024×600 through every
// step, the receptionist's window at 1280×1024 with a result, an error
// answer, a desk problem and the query form.
void TestScreens::frontDesk() {
    using namespace front_desk_fake;
    namespace q = mynacard::qualification;
    const QSize patient_size(1024, 600);
    const QSize reception_size(1280, 1024);
    const QList<ReaderInfo> in = {
        ReaderInfo{QStringLiteral("mynacard Virtual Reader 0 00 00"), true, false}};
    const QList<ReaderInfo> out = {
        ReaderInfo{QStringLiteral("mynacard Virtual Reader 0 00 00"), false, false}};
    FakeDeskBackend backend;
    FrontDeskSettings settings;
    settings.institution_code = "1312345678";
    FrontDeskController c(settings, backend);
    PatientPanel p(c, language_from(lang_), false);
    ReceptionWindow r(c, language_from(lang_), false);
    p.resize(patient_size);
    r.resize(reception_size);
    p.show();
    const auto text = [&p](const char* object) {
        auto* l = p.findChild<QLabel*>(QLatin1String(object));
        return l ? l->text() : QString();
    };
    const auto patient = [&](const char* name, const char* headline) {
        screen(p, QStringLiteral("front-desk-patient-") + QLatin1String(name), text(headline), {},
               patient_size);
    };

    patient("waiting", "waitingLabel");
    if (QTest::currentTestFailed()) return;
    c.updateReaders(in);
    patient("reading", "inspectingLabel");
    if (QTest::currentTestFailed()) return;
    FakeDeskBackend::answer(backend.inspect_done,
                            Outcome<DeskCard>(good_card(1, std::chrono::hours(24 * 30))));
    patient("consent", "consentTitle");
    if (QTest::currentTestFailed()) return;
    p.setLargeText(true);
    patient("consent-large", "consentTitle");
    if (QTest::currentTestFailed()) return;
    p.setLargeText(false);
    c.setConsent(q::ConsentItem::medication, true);
    c.continueToPin();
    for (const int d : {1, 2}) p.keypad()->digitButton(d)->click();
    patient("pin", "pinTitle");
    if (QTest::currentTestFailed()) return;
    for (const int d : {3, 4}) p.keypad()->digitButton(d)->click();
    p.keypad()->okButton()->click();
    QCOMPARE(p.currentPage(), PatientPage::confirm);
    patient("last-try", "confirmLabel");
    if (QTest::currentTestFailed()) return;
    c.confirmLastTry();
    patient("checking", "checkingLabel");
    if (QTest::currentTestFailed()) return;
    FakeDeskBackend::answer(backend.check_done, Outcome<q::Received>(received(answer("1"))));
    patient("done", "doneLabel");
    if (QTest::currentTestFailed()) return;

    const QStringList person = {QString::fromStdString(patient_name), QStringLiteral("ｶｸｳ"),
                                QStringLiteral("架空健康保険組合"), QStringLiteral("06139990")};
    r.show();
    screen(r, QStringLiteral("front-desk-reception-result"),
           r.findChild<QLabel*>(QStringLiteral("verdict"))->text(), person, reception_size);
    if (QTest::currentTestFailed()) return;
    c.updateReaders(out);
    c.updateReaders(in);
    FakeDeskBackend::answer(backend.inspect_done, Outcome<DeskCard>(good_card(0)));
    patient("blocked", "failedTitle");
    if (QTest::currentTestFailed()) return;
    c.updateReaders(out);
    c.updateReaders(in);
    FakeDeskBackend::answer(backend.inspect_done,
                            Outcome<DeskCard>(Error(Errc::not_found, "no JPKI")));
    patient("not-my-number-card", "failedTitle");
    if (QTest::currentTestFailed()) return;
    c.updateReaders(out);

    backend.export_fails = true;
    QVERIFY(c.confirmExport());
    screen(r, QStringLiteral("front-desk-reception-export-pending"),
           r.findChild<QLabel*>(QStringLiteral("deskProblem"))->text(), {}, reception_size);
    if (QTest::currentTestFailed()) return;
    backend.export_fails = false;
    c.retryExports();
    // An answer with validity 4 (no record) from a query by numbers, the
    // form still showing a message for a mistyped insurer number.
    q::NumberQuery form;
    form.insurer = "0613201";
    form.number = "3456";
    form.birth = "19800217";
    r.queryField(q::QueryField::insurer)->setText(QString::fromStdString(form.insurer));
    r.queryField(q::QueryField::number)->setText(QString::fromStdString(form.number));
    r.queryField(q::QueryField::birth)->setText(QString::fromStdString(form.birth));
    c.setQuery(form);
    q::FaceResult face;
    face.message = answer("4");
    backend.next_faces.push_back(face);
    q::FaceResult second;
    second.message = answer("", "MQS010");
    backend.next_faces.push_back(second);
    c.pollFaces();
    QCOMPARE(r.faceList()->count(), 2);
    QVERIFY(c.openFace(c.faceQueue().front().id));
    // The next step names マイナポータル, the portal's name in English too.
    screen(r, QStringLiteral("front-desk-reception-no-record"),
           r.findChild<QLabel*>(QStringLiteral("verdict"))->text(),
           person + QStringList{QStringLiteral("マイナポータル")}, reception_size);
    if (QTest::currentTestFailed()) return;
    c.clearResult();
    QVERIFY(c.openFace(c.faceQueue().front().id));
    screen(r, QStringLiteral("front-desk-reception-error"),
           r.findChild<QLabel*>(QStringLiteral("verdict"))->text(), person, reception_size);
}

QTEST_MAIN(TestScreens)
#include "tst_it_screens.moc"
