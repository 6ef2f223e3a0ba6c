// KeypadPin: the digits of a PIN typed on the front desk's and the kiosk's
// keypads. Only digits, never more than the PIN's length, and nothing of a
// digit left in its buffer once it is removed, cleared or taken.
#include <QtTest>

#include <string>

#include "gui/common/keypad_pin.h"

using mynacard::SecureBytes;
using mynacard::gui::KeypadPin;

namespace {

std::string text_of(const SecureBytes& b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// The reserved buffer behind the digits, past its current size: where
// removed and cleared digits were.
bool zero_up_to(const SecureBytes& b, std::size_t n) {
    const std::uint8_t* p = b.data();
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] != 0) return false;
    return true;
}

}  // namespace

class TestKeypadPin : public QObject {
    Q_OBJECT

  private slots:
    void takesDigitsUpToItsLength() {
        KeypadPin pin(4);
        for (int d : {1, 2, 3, 4}) QVERIFY(pin.append(d));
        QVERIFY(!pin.append(5));
        QCOMPARE(pin.size(), std::size_t{4});
        QCOMPARE(text_of(pin.digits()), std::string("1234"));
    }

    void refusesWhatIsNotADigit() {
        KeypadPin pin(4);
        QVERIFY(!pin.append(-1));
        QVERIFY(!pin.append(10));
        QVERIFY(pin.empty());
        QVERIFY(pin.append(0));
        QCOMPARE(text_of(pin.digits()), std::string("0"));
    }

    void aRemovedDigitIsZeroised() {
        KeypadPin pin(4);
        QVERIFY(pin.append(7));
        QVERIFY(pin.append(8));
        const std::uint8_t* buffer = pin.digits().data();
        QVERIFY(pin.removeLast());
        QCOMPARE(text_of(pin.digits()), std::string("7"));
        QCOMPARE(buffer[1], std::uint8_t{0});
        QVERIFY(pin.removeLast());
        QVERIFY(!pin.removeLast());
        QVERIFY(zero_up_to(pin.digits(), 2));
    }

    void theBufferNeverMoves() {
        // Reserved at the start: no digit is copied to a new buffer and
        // left behind in the old one.
        KeypadPin pin(8);
        const std::uint8_t* buffer = pin.digits().data();
        for (int d = 0; d < 8; ++d) QVERIFY(pin.append(d));
        QCOMPARE(pin.digits().data(), buffer);
    }

    void clearZeroises() {
        KeypadPin pin(4);
        for (int d : {9, 9, 9, 9}) QVERIFY(pin.append(d));
        pin.clear();
        QVERIFY(pin.empty());
        QVERIFY(zero_up_to(pin.digits(), 4));
    }

    void takeHandsTheDigitsOverAndEmpties() {
        KeypadPin pin(4);
        for (int d : {2, 0, 2, 6}) QVERIFY(pin.append(d));
        const auto taken = pin.take();
        QVERIFY(taken);
        QCOMPARE(text_of(*taken), std::string("2026"));
        QVERIFY(taken->data() != pin.digits().data());
        QVERIFY(pin.empty());
        QVERIFY(zero_up_to(pin.digits(), 4));
        QVERIFY(pin.append(1));  // usable again for the next try
        QCOMPARE(text_of(pin.digits()), std::string("1"));
    }
};

QTEST_MAIN(TestKeypadPin)
#include "tst_keypad_pin.moc"
