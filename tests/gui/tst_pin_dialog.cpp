// PinDialog without a process (offscreen): the format rules of each PIN,
// the keypad, the last-try confirmation, cancel/accept and what is left in
// the field, the blocked explanation, the facts shown, the Japanese text.
#include <QAbstractButton>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

#include "gui/common/i18n.h"
#include "gui/pin/pin_dialog.h"

using mynacard::SecureBytes;
using mynacard::card::Pin;
using mynacard::gui::PinDialog;
using mynacard::pinhelper::Purpose;
using mynacard::pinhelper::Request;

namespace {

Request request(Pin pin, int tries, Purpose purpose = Purpose::login) {
    Request r;
    r.pin = pin;
    r.purpose = purpose;
    r.program = "/usr/lib/firefox-esr/firefox-esr";
    r.pid = 4242;
    r.reader = "Virtual My Number Reader 00 00";
    r.tries_left = tries;
    return r;
}

QString all_text(const QWidget& w) {
    QStringList parts{w.windowTitle()};
    for (const QLabel* l : w.findChildren<QLabel*>()) parts << l->text();
    return parts.join(QLatin1Char('\n'));
}

QString as_string(const SecureBytes& b) {
    return QString::fromLatin1(reinterpret_cast<const char*>(b.data()),
                               static_cast<qsizetype>(b.size()));
}

}  // namespace

class TestPinDialog : public QObject {
    Q_OBJECT

  private slots:
    void init() { mynacard::gui::install_translations(*qApp, mynacard::gui::Language::en); }

    void authPinNeedsFourDigits() {
        PinDialog d(request(Pin::auth, 3));
        d.show();
        QLineEdit* f = d.pin_field();
        QVERIFY(f != nullptr);
        QCOMPARE(f->echoMode(), QLineEdit::Password);
        QTest::keyClicks(f, "123");
        QCOMPARE(f->text(), QStringLiteral("123"));
        QVERIFY(!d.ok_button()->isEnabled());
        QVERIFY(d.message_label()->text().contains(QStringLiteral("4 digits")));
        QTest::keyClicks(f, "a");  // letters never get in
        QCOMPARE(f->text(), QStringLiteral("123"));
        QTest::keyClicks(f, "4");
        QVERIFY(d.ok_button()->isEnabled());
        QVERIFY(d.message_label()->text().isEmpty());
        QTest::keyClicks(f, "5");  // a fifth digit does not fit
        QCOMPARE(f->text(), QStringLiteral("1234"));
    }

    void textPinIsLikeTheAuthPin() {
        PinDialog d(request(Pin::text, 3, Purpose::read_text));
        d.show();
        QTest::keyClicks(d.pin_field(), "12b34");
        QCOMPARE(d.pin_field()->text(), QStringLiteral("1234"));
        QVERIFY(d.ok_button()->isEnabled());
        QVERIFY(d.keypad_button(5) != nullptr);
    }

    void signPasswordRules() {
        PinDialog d(request(Pin::sign, 5, Purpose::sign));
        d.show();
        QLineEdit* f = d.pin_field();
        QVERIFY(d.keypad_button(1) == nullptr);  // letters: the keyboard, no keypad
        QTest::keyClicks(f, "abc12");
        QCOMPARE(f->text(), QStringLiteral("ABC12"));  // upper-cased as typed
        mynacard::gui::save_screenshot(d, QStringLiteral("pin-dialog-sign"));
        QVERIFY(!d.ok_button()->isEnabled());
        QVERIFY(d.message_label()->text().contains(QStringLiteral("at least 6")));
        QTest::keyClicks(f, "-! ");  // only A–Z and 0–9 get in
        f->insert(QStringLiteral("é"));
        f->insert(QStringLiteral("３"));  // a full-width digit is not one the card knows
        QTest::keyClicks(f, "3");
        QCOMPARE(f->text(), QStringLiteral("ABC123"));
        QVERIFY(d.ok_button()->isEnabled());

        f->clear();
        QTest::keyClicks(f, "abcdef");
        QVERIFY(!d.ok_button()->isEnabled());
        QVERIFY(d.message_label()->text().contains(QStringLiteral("one letter and one digit")));
        f->clear();
        QTest::keyClicks(f, "123456");
        QVERIFY(!d.ok_button()->isEnabled());
        f->clear();
        QTest::keyClicks(f, "a1b2c3d4e5f6g7h8i9");  // 18: the field stops at 16
        QCOMPARE(f->text(), QStringLiteral("A1B2C3D4E5F6G7H8"));
        QVERIFY(d.ok_button()->isEnabled());
    }

    void keypadTypesDigits() {
        PinDialog d(request(Pin::auth, 3));
        d.show();
        for (const int digit : {1, 2, 3, 9})
            QTest::mouseClick(d.keypad_button(digit), Qt::LeftButton);
        QCOMPARE(d.pin_field()->text(), QStringLiteral("1239"));
        QVERIFY(d.ok_button()->isEnabled());
        auto* del = d.findChild<QPushButton*>(QStringLiteral("keypad_delete"));
        QVERIFY(del != nullptr);
        QTest::mouseClick(del, Qt::LeftButton);
        QCOMPARE(d.pin_field()->text(), QStringLiteral("123"));
        QVERIFY(!d.ok_button()->isEnabled());
        QTest::mouseClick(d.keypad_button(0), Qt::LeftButton);
        QTest::mouseClick(d.ok_button(), Qt::LeftButton);
        QCOMPARE(d.outcome(), PinDialog::Outcome::entered);
        QCOMPARE(as_string(d.take_pin()), QStringLiteral("1230"));
        QVERIFY(d.take_pin().empty());  // handed over once
    }

    void lastTryNeedsConfirmation() {
        PinDialog d(request(Pin::auth, 1));
        d.show();
        QVERIFY(d.last_try_box() != nullptr);
        QTest::keyClicks(d.pin_field(), "1234");
        QVERIFY(!d.ok_button()->isEnabled());
        QTest::keyClick(d.pin_field(), Qt::Key_Return);  // Enter does nothing yet
        QVERIFY(d.isVisible());
        mynacard::gui::save_screenshot(d, QStringLiteral("pin-dialog-last-try"));
        d.last_try_box()->setChecked(true);
        QVERIFY(d.ok_button()->isEnabled());
        QTest::keyClick(d.pin_field(), Qt::Key_Return);
        QCOMPARE(d.outcome(), PinDialog::Outcome::entered);
        QCOMPARE(as_string(d.take_pin()), QStringLiteral("1234"));

        PinDialog more(request(Pin::auth, 2));
        QVERIFY(more.last_try_box() == nullptr);
    }

    void enterAcceptsTheNormalisedPin() {
        PinDialog d(request(Pin::sign, 5, Purpose::sign));
        d.show();
        QTest::keyClicks(d.pin_field(), "abc123");
        QTest::keyClick(d.pin_field(), Qt::Key_Enter);
        QVERIFY(!d.isVisible());
        QCOMPARE(d.outcome(), PinDialog::Outcome::entered);
        QCOMPARE(as_string(d.take_pin()), QStringLiteral("ABC123"));
        QVERIFY(d.pin_field()->text().isEmpty());
        QVERIFY(!d.pin_field()->isUndoAvailable());
    }

    void malformedNeverReachesTheCaller() {
        PinDialog d(request(Pin::auth, 3));
        d.show();
        QTest::keyClicks(d.pin_field(), "12");
        d.accept();  // even called directly
        QVERIFY(d.isVisible());
        QVERIFY(d.outcome() != PinDialog::Outcome::entered);
        QVERIFY(d.take_pin().empty());
    }

    void cancelReturnsNothingAndClears() {
        PinDialog d(request(Pin::auth, 3));
        d.show();
        QTest::keyClicks(d.pin_field(), "1234");
        QTest::mouseClick(d.cancel_button(), Qt::LeftButton);
        QCOMPARE(d.outcome(), PinDialog::Outcome::cancelled);
        QVERIFY(d.take_pin().empty());
        QVERIFY(d.pin_field()->text().isEmpty());
        QVERIFY(!d.pin_field()->isUndoAvailable());

        PinDialog e(request(Pin::auth, 3));
        e.show();
        QTest::keyClicks(e.pin_field(), "1234");
        QTest::keyClick(e.pin_field(), Qt::Key_Escape);
        QVERIFY(!e.isVisible());
        QCOMPARE(e.outcome(), PinDialog::Outcome::cancelled);
        QVERIFY(e.pin_field()->text().isEmpty());
    }

    void blockedExplainsAndAsksNothing() {
        PinDialog d(request(Pin::sign, 0, Purpose::sign));
        d.show();
        QVERIFY(d.pin_field() == nullptr);
        QVERIFY(d.ok_button() == nullptr);
        QVERIFY(d.keypad_button(1) == nullptr);
        QCOMPARE(d.findChildren<QLineEdit*>().size(), 0);
        QCOMPARE(d.cancel_button()->text(), QStringLiteral("Close"));
        const QString text = all_text(d);
        QVERIFY2(text.contains(QStringLiteral("blocked")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("municipal office")));
        QVERIFY(text.contains(QStringLiteral("convenience-store")));
        mynacard::gui::save_screenshot(d, QStringLiteral("pin-dialog-blocked"));
        QTest::keyClick(&d, Qt::Key_Escape);
        QCOMPARE(d.outcome(), PinDialog::Outcome::blocked);
        QVERIFY(d.take_pin().empty());

        PinDialog text_pin(request(Pin::text, 0, Purpose::read_text));
        const QString t = all_text(text_pin);
        QVERIFY(t.contains(QStringLiteral("municipal office")));
        QVERIFY(!t.contains(QStringLiteral("convenience-store")));  // no kiosk reset for it
    }

    // Changing a PIN: the new one is asked as such, twice, without the
    // current PIN's tries or its last-try confirmation.
    void newPinEntries() {
        Request r = request(Pin::auth, 1, Purpose::change_pin);
        r.entry = mynacard::pinhelper::Entry::new_pin;
        PinDialog d(r);
        d.show();
        const QString text = all_text(d);
        QVERIFY2(text.contains(QStringLiteral("Choose your new user authentication PIN")),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("Tries left")));
        QVERIFY(d.last_try_box() == nullptr);
        QTest::keyClicks(d.pin_field(), "12a4");
        QVERIFY(!d.ok_button()->isEnabled());  // the new PIN's format is checked too
        d.pin_field()->clear();
        QTest::keyClicks(d.pin_field(), "5678");
        QTest::keyClick(d.pin_field(), Qt::Key_Return);
        QCOMPARE(d.outcome(), PinDialog::Outcome::entered);
        QCOMPARE(as_string(d.take_pin()), QStringLiteral("5678"));

        r.entry = mynacard::pinhelper::Entry::repeat_new;
        r.tries_left = 0;  // not this PIN's counter: no "blocked" screen either
        PinDialog again(r);
        QVERIFY(all_text(again).contains(
            QStringLiteral("Enter the new user authentication PIN again")));
        QVERIFY(again.pin_field() != nullptr);
    }

    void namesProgramPurposeReaderAndTries() {
        PinDialog d(request(Pin::auth, 3, Purpose::login));
        const QString text = all_text(d);
        QVERIFY2(text.contains(QStringLiteral("firefox-esr")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("/usr/lib/firefox-esr/firefox-esr")));
        QVERIFY(text.contains(QStringLiteral("4242")));
        QVERIFY(text.contains(QStringLiteral("Virtual My Number Reader 00 00")));
        QVERIFY(text.contains(QStringLiteral("Sign in with your card")));
        QVERIFY(text.contains(QStringLiteral("user authentication PIN")));
        QVERIFY(text.contains(QStringLiteral("3 of 3")));

        PinDialog s(request(Pin::sign, 4, Purpose::read_certificate));
        const QString st = all_text(s);
        QVERIFY(st.contains(QStringLiteral("digital signature password")));
        QVERIFY(st.contains(QStringLiteral("Read your signature certificate")));
        QVERIFY(st.contains(QStringLiteral("4 of 5")));

        // The caller's strings are shown as text, never as markup.
        Request evil = request(Pin::auth, 3);
        evil.program = "<b>trusted</b>";
        PinDialog e(evil);
        for (const QLabel* l : e.findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral("<b>"))) QCOMPARE(l->textFormat(), Qt::PlainText);
    }

    // Decision 5 for a PIN the program supplied itself: no PIN is asked,
    // the person allows the last try (ticked box, then Allow) or not.
    void confirmLastTryAsksNoPin() {
        Request r = request(Pin::auth, 3, Purpose::login);
        r.entry = mynacard::pinhelper::Entry::confirm_last_try;
        PinDialog d(r);
        d.show();
        QVERIFY(d.pin_field() == nullptr);
        QCOMPARE(d.findChildren<QLineEdit*>().size(), 0);
        for (int digit = 0; digit <= 9; ++digit) QVERIFY(d.keypad_button(digit) == nullptr);
        const QString text = all_text(d);
        QVERIFY2(text.contains(QStringLiteral("Allow this program to use the last try?")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("firefox-esr")));
        QVERIFY(text.contains(QStringLiteral("/usr/lib/firefox-esr/firefox-esr")));
        QVERIFY(text.contains(QStringLiteral("4242")));
        QVERIFY(text.contains(QStringLiteral("Virtual My Number Reader 00 00")));
        QVERIFY(text.contains(QStringLiteral("supplied the PIN itself")));
        QVERIFY(text.contains(QStringLiteral("1 of 3")));  // one try, whatever the caller said
        QVERIFY(text.contains(QStringLiteral("blocked")));
        QVERIFY(text.contains(QStringLiteral("市区町村の窓口")));
        QVERIFY(text.contains(QStringLiteral("user authentication PIN")));
        QCOMPARE(d.ok_button()->text(), QStringLiteral("Allow"));
        QCOMPARE(d.cancel_button()->text(), QStringLiteral("Cancel"));
        QVERIFY(d.cancel_button()->isDefault());
        QVERIFY(!d.ok_button()->isDefault());
        QVERIFY(d.last_try_box() != nullptr);
        QVERIFY(!d.last_try_box()->isChecked());
        QVERIFY(!d.ok_button()->isEnabled());
        QVERIFY(!d.can_accept());
        for (const QWidget* w : d.findChildren<QWidget*>())
            if (qobject_cast<const QAbstractButton*>(w) != nullptr)
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
        mynacard::gui::save_screenshot(d, QStringLiteral("pin-dialog-confirm-last-try"));

        // Enter before the box is ticked: the default, Cancel.
        QTest::keyClick(&d, Qt::Key_Return);
        QVERIFY(!d.isVisible());
        QCOMPARE(d.outcome(), PinDialog::Outcome::cancelled);

        PinDialog allow(r);
        allow.show();
        QTest::mouseClick(allow.ok_button(), Qt::LeftButton);  // disabled: nothing happens
        QVERIFY(allow.isVisible());
        allow.last_try_box()->setChecked(true);
        QVERIFY(allow.ok_button()->isEnabled());
        allow.last_try_box()->setChecked(false);
        QVERIFY(!allow.ok_button()->isEnabled());
        allow.last_try_box()->setChecked(true);
        QTest::mouseClick(allow.ok_button(), Qt::LeftButton);
        QVERIFY(!allow.isVisible());
        QCOMPARE(allow.outcome(), PinDialog::Outcome::confirmed);
        QVERIFY(allow.take_pin().empty());  // nothing typed, nothing handed over

        // Ticked, then Escape: still a no.
        PinDialog esc(r);
        esc.show();
        esc.last_try_box()->setChecked(true);
        QTest::keyClick(&esc, Qt::Key_Escape);
        QCOMPARE(esc.outcome(), PinDialog::Outcome::cancelled);

        // The time limit applies as to a PIN entry.
        r.timeout = std::chrono::seconds(1);
        PinDialog slow(r);
        slow.show();
        QTRY_VERIFY_WITH_TIMEOUT(!slow.isVisible(), 5000);
        QCOMPARE(slow.outcome(), PinDialog::Outcome::timed_out);
    }

    void everyControlHasAnAccessibleName() {
        for (const int tries : {3, 1, 0}) {
            PinDialog d(request(Pin::auth, tries));
            for (const QWidget* w : d.findChildren<QWidget*>()) {
                if (qobject_cast<const QAbstractButton*>(w) == nullptr &&
                    qobject_cast<const QLineEdit*>(w) == nullptr)
                    continue;
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
            }
        }
    }

    void timesOut() {
        Request r = request(Pin::auth, 3);
        r.timeout = std::chrono::seconds(1);
        PinDialog d(r);
        d.show();
        QTest::keyClicks(d.pin_field(), "12");
        QTRY_VERIFY_WITH_TIMEOUT(!d.isVisible(), 5000);
        QCOMPARE(d.outcome(), PinDialog::Outcome::timed_out);
        QVERIFY(d.pin_field()->text().isEmpty());
    }

    // The helper puts the executable it verified itself into the request;
    // the caller's --program text is a subtitle, never the name.
    void statedProgramIsOnlyASubtitle() {
        Request r = request(Pin::auth, 3);
        r.program = "/usr/bin/ssh";
        PinDialog d(r, QStringLiteral("/usr/bin/firefox"));
        QVERIFY(d.program_label() != nullptr);
        QCOMPARE(d.program_label()->text(), QStringLiteral("ssh"));
        QVERIFY(d.stated_label() != nullptr);
        QVERIFY(d.stated_label()->text().contains(QStringLiteral("/usr/bin/firefox")));
        for (const QLabel* l : d.findChildren<QLabel*>()) {
            if (l == d.stated_label()) continue;
            QVERIFY2(!l->text().contains(QStringLiteral("firefox")), qPrintable(l->text()));
        }
        PinDialog same(r, QStringLiteral("/usr/bin/ssh"));
        QVERIFY(same.stated_label() == nullptr);
        r.program.clear();  // /proc/<pid>/exe unreadable: no name is made up
        PinDialog unknown(r, QStringLiteral("/usr/bin/firefox"));
        QCOMPARE(unknown.program_label()->text(), QStringLiteral("An unknown program"));
    }

    void japanese() {
        mynacard::gui::install_translations(*qApp,
                                            mynacard::gui::language_from(QStringLiteral("ja")));
        PinDialog d(request(Pin::auth, 3));
        QCOMPARE(d.windowTitle(), QStringLiteral("マイナンバーカードの暗証番号"));
        QVERIFY(all_text(d).contains(QStringLiteral("利用者証明用電子証明書の暗証番号")));
        PinDialog b(request(Pin::sign, 0));
        QVERIFY(all_text(b).contains(QStringLiteral("市区町村の窓口")));
        mynacard::gui::save_screenshot(b, QStringLiteral("pin-dialog-blocked"));
        mynacard::gui::save_screenshot(d, QStringLiteral("pin-dialog"));
        Request r = request(Pin::sign, 1, Purpose::sign);
        r.entry = mynacard::pinhelper::Entry::confirm_last_try;
        PinDialog c(r);
        const QString ct = all_text(c);
        QVERIFY2(ct.contains(QStringLiteral("最後の1回")), qPrintable(ct));
        QVERIFY(ct.contains(QStringLiteral("市区町村の窓口")));
        QVERIFY(ct.contains(QStringLiteral("署名用電子証明書の暗証番号")));
        QCOMPARE(c.ok_button()->text(), QStringLiteral("許可する"));
        QVERIFY(!c.last_try_box()->text().contains(QStringLiteral("last")));
    }
};

QTEST_MAIN(TestPinDialog)
#include "tst_pin_dialog.moc"
