// The kiosk's hand-over JSON leaves no copy of the My Number in freed heap
// memory, however long the address. Its own program: it replaces the global
// operator delete (tests/support/freed_memory.h).
#include <QtTest>

#include <string>

#include "../support/freed_memory.h"
#include "gui/kiosk/kiosk_controller.h"

namespace {
const std::string kMyNumber = "987650432109";  // in no other data of this program
}  // namespace

class TestKioskWipe : public QObject {
    Q_OBJECT

  private slots:
    void init() {
        freed_memory::pattern = kMyNumber;
        freed_memory::hits = 0;
    }

    void detectorSeesAnUnwipedCopy() {
        freed_memory::armed = true;
        { const std::string copy = kMyNumber + std::string(64, 'x'); }
        freed_memory::armed = false;
        QVERIFY(freed_memory::hits.load() >= 1);
    }

    void handoverJsonNeverReallocates() {
        mynacard::gui::KioskCardData d;
        d.my_number = kMyNumber;
        d.name = "山田　花子";
        // Long and full of characters that need escaping: the worst case.
        d.address = std::string(700, '"') + std::string(700, '\x01') + "東京都清瀬市";
        d.birth_date = "19800217";
        d.sex = "2";
        const QString reader = QString(300, QChar('R'));
        const QDateTime when = QDateTime::currentDateTimeUtc();
        freed_memory::armed = true;
        std::string json = mynacard::gui::kiosk_handover_json(d, reader, when);
        freed_memory::armed = false;
        QVERIFY(json.find(kMyNumber) != std::string::npos);
        QCOMPARE(freed_memory::hits.load(), 0);
        mynacard::wipe(json);
    }
};

QTEST_APPLESS_MAIN(TestKioskWipe)
#include "tst_kiosk_wipe.moc"
