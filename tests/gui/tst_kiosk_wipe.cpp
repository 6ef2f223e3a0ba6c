// The kiosk's hand-over JSON leaves no copy of the My Number in freed heap
// memory, however long the address. Its own program: it replaces the global
// operator delete to look at every block freed while a check is armed.
#include <malloc.h>

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "gui/kiosk_controller.h"

namespace {

const std::string kMyNumber = "987650432109";  // in no other data of this program
std::atomic<bool> g_armed{false};
std::atomic<int> g_leaks{0};

void inspect(void* p) noexcept {
    if (p == nullptr || !g_armed.load()) return;
    const auto* begin = static_cast<const char*>(p);
    const auto* end = begin + ::malloc_usable_size(p);
    if (std::search(begin, end, kMyNumber.begin(), kMyNumber.end()) != end) ++g_leaks;
}

}  // namespace

void* operator new(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void operator delete(void* p) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    inspect(p);
    std::free(p);
}

class TestKioskWipe : public QObject {
    Q_OBJECT

  private slots:
    void detectorSeesAnUnwipedCopy() {
        g_leaks = 0;
        g_armed = true;
        { const std::string copy = kMyNumber + std::string(64, 'x'); }
        g_armed = false;
        QCOMPARE(g_leaks.load(), 1);
        g_leaks = 0;
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
        g_leaks = 0;
        g_armed = true;
        std::string json = mynacard::gui::kiosk_handover_json(d, reader, when);
        g_armed = false;
        QVERIFY(json.find(kMyNumber) != std::string::npos);
        QCOMPARE(g_leaks.load(), 0);
        mynacard::wipe(json);
    }
};

QTEST_APPLESS_MAIN(TestKioskWipe)
#include "tst_kiosk_wipe.moc"
