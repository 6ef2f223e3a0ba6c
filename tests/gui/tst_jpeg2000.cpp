// The card-face photo decoder (gui/jpeg2000.h): the software card's photo
// decodes to its size; data that is not JPEG 2000, truncated or lying about
// its size gives a null image, never a crash.
#include <QFile>
#include <QTest>

#include "gui/common/jpeg2000.h"

using mynacard::Bytes;
using mynacard::ByteView;
using mynacard::gui::decode_jpeg2000;

namespace {

Bytes photo() {
    QFile f(qEnvironmentVariable("MYNACARD_BUILD_DIR") +
            QStringLiteral("/share/mynacard/sim/profiles/default/photo.jp2"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray raw = f.readAll();
    return Bytes(raw.begin(), raw.end());
}

}  // namespace

class TestJpeg2000 : public QObject {
    Q_OBJECT

  private slots:
    void decodesTheCardPhoto() {
        const Bytes jp2 = photo();
        QVERIFY2(!jp2.empty(), "run through ctest (MYNACARD_BUILD_DIR, built profiles)");
        const QImage image = decode_jpeg2000(jp2);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 16 && image.height() >= 16);
        QCOMPARE(image.format(), QImage::Format_Grayscale8);
        // A silhouette on a background: not one flat colour.
        QVERIFY(image.pixelColor(image.width() / 2, image.height() / 2) != image.pixelColor(0, 0) ||
                image.pixelColor(image.width() / 2, image.height() - 1) != image.pixelColor(0, 0));
    }

    void refusesWhatIsNotJpeg2000() {
        QVERIFY(decode_jpeg2000(ByteView{}).isNull());
        const Bytes png{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0};
        QVERIFY(decode_jpeg2000(png).isNull());
    }

    void refusesTruncatedAndCorruptData() {
        const Bytes jp2 = photo();
        QVERIFY(!jp2.empty());
        for (const std::size_t keep :
             {std::size_t{12}, std::size_t{40}, jp2.size() / 3, jp2.size() - 10}) {
            const Bytes cut(jp2.begin(), jp2.begin() + static_cast<std::ptrdiff_t>(keep));
            (void)decode_jpeg2000(cut);  // null or a partial image, never a crash
        }
        Bytes flipped = jp2;
        for (std::size_t i = 40; i < flipped.size(); i += 7) flipped[i] ^= 0x5A;
        (void)decode_jpeg2000(flipped);
        QVERIFY(decode_jpeg2000(Bytes(jp2.begin(), jp2.begin() + 12)).isNull());
    }
};

QTEST_MAIN(TestJpeg2000)
#include "tst_jpeg2000.moc"
