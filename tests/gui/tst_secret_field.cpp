// take_secret(): the one way a secret leaves a QLineEdit. Nothing of the
// typed text stays reachable through the field: not its text, not its undo
// history, not the buffer other QStrings shared with it.
#include <QLineEdit>
#include <QtTest>

#include <string>

#include "gui/common/secret_field.h"

using mynacard::SecureBytes;
using mynacard::gui::take_secret;
using mynacard::gui::wipe_secret;

namespace {

std::string text_of(const SecureBytes& b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

bool all_zero(const QString& s) {
    for (const QChar c : s)
        if (c.unicode() != 0) return false;
    return true;
}

}  // namespace

class TestSecretField : public QObject {
    Q_OBJECT

  private slots:
    // What the test looks for is real: QLineEdit::clear() keeps the typed
    // text for undo(), and QString::fill() on a copy leaves the field's.
    void clearLeavesTheTextForUndo() {
        QLineEdit field;
        QTest::keyClicks(&field, QStringLiteral("1234"));
        QString copy = field.text();
        copy.fill(QLatin1Char('0'));
        QCOMPARE(field.text(), QStringLiteral("1234"));
        field.clear();
        QVERIFY(field.text().isEmpty());
        field.undo();
        QCOMPARE(field.text(), QStringLiteral("1234"));
    }

    void takesTheTypedSecretAndLeavesNothing_data() {
        QTest::addColumn<int>("echo");
        QTest::newRow("password") << static_cast<int>(QLineEdit::Password);
        QTest::newRow("normal") << static_cast<int>(QLineEdit::Normal);
        QTest::newRow("echo on edit") << static_cast<int>(QLineEdit::PasswordEchoOnEdit);
    }
    void takesTheTypedSecretAndLeavesNothing() {
        QFETCH(int, echo);
        QLineEdit field;
        field.setEchoMode(static_cast<QLineEdit::EchoMode>(echo));
        QTest::keyClicks(&field, QStringLiteral("12a4"));
        QTest::keyClick(&field, Qt::Key_Backspace);
        QTest::keyClicks(&field, QStringLiteral("34"));
        // Shares the field's own buffer, as any copy handed out before would.
        const QString shared = field.text();
        QCOMPARE(shared, QStringLiteral("12a34"));

        const SecureBytes secret = take_secret(&field);
        QCOMPARE(text_of(secret), std::string("12a34"));
        QVERIFY(field.text().isEmpty());
        QVERIFY(field.displayText().isEmpty());
        QVERIFY(!field.isModified());
        QVERIFY(!field.isUndoAvailable());
        QVERIFY(!field.isRedoAvailable());
        for (int i = 0; i < 8; ++i) field.undo();
        QVERIFY2(field.text().isEmpty(), qPrintable(field.text()));
        for (int i = 0; i < 8; ++i) field.redo();
        QVERIFY2(field.text().isEmpty(), qPrintable(field.text()));
        // The buffer the field held was overwritten where it is, not copied.
        QCOMPARE(shared.size(), 5);
        QVERIFY(all_zero(shared));
    }

    void wipeDropsASecretNobodyTakes() {
        QLineEdit field;
        field.setEchoMode(QLineEdit::Password);
        QTest::keyClicks(&field, QStringLiteral("98765432109876"));
        const QString shared = field.text();
        wipe_secret(&field);
        QVERIFY(field.text().isEmpty());
        field.undo();
        QVERIFY(field.text().isEmpty());
        QVERIFY(all_zero(shared));
    }

    void textFromALiteralIsTakenToo() {
        QLineEdit field;
        field.setText(QStringLiteral("0000"));  // read-only static data: not written
        QCOMPARE(text_of(take_secret(&field)), std::string("0000"));
        QVERIFY(field.text().isEmpty());
        field.undo();
        QVERIFY(field.text().isEmpty());
    }

    void utf8() {
        QLineEdit field;
        field.insert(QStringLiteral("ａ1€"));  // QTest types ASCII only
        field.insert(QString::fromUcs4(U"\U0001F511"));
        QCOMPARE(text_of(take_secret(&field)), std::string("ａ1€\U0001F511"));
        QVERIFY(field.text().isEmpty());
    }

    void emptyAndNull() {
        QLineEdit field;
        QVERIFY(take_secret(&field).empty());
        QVERIFY(take_secret(nullptr).empty());
        wipe_secret(nullptr);
    }
};

QTEST_MAIN(TestSecretField)
#include "tst_secret_field.moc"
