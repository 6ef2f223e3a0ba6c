// The card-face photo wrapper (gui/common/jpeg2000.h) around libopenjp2:
// anything from the card gives an image within the documented bounds or a
// null image, never a crash. (libopenjp2 itself is Debian's, not
// instrumented for coverage; the target covers our checks around it.)

#include "gui/common/jpeg2000.h"
#include "fuzz_target.h"

using mynacard::fuzz::require;

MYNACARD_FUZZ_TARGET(jpeg2000) {
    const QImage image = mynacard::gui::decode_jpeg2000(mynacard::fuzz::view(data, size));
    if (!image.isNull()) {
        require(image.width() > 0 && image.height() > 0, "an image without pixels");
        // Read every row's ends: a wrong stride or size shows as a read out
        // of bounds under ASan.
        unsigned sum = 0;
        for (int y = 0; y < image.height(); ++y) {
            const uchar* row = image.constScanLine(y);
            sum += static_cast<unsigned>(row[0]) + row[image.bytesPerLine() - 1];
        }
        require(sum != ~0U, "unreachable: keeps the reads");
    }
    return 0;
}
