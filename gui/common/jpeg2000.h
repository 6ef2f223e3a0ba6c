#pragma once

#include <QImage>

#include "core/bytes.h"

namespace mynacard::gui {

// Decodes the card-face photo (券面AP, JPEG 2000: a JP2 file or a bare J2K
// codestream, card-facts.md §4.4) with libopenjp2, because Debian's Qt 6 has
// no JPEG 2000 image plugin. The data comes from the card: every dimension
// and component is checked, and anything unexpected gives a null image,
// never a crash. Greyscale (1 component) or RGB (3), 8 to 16 bits.
[[nodiscard]] QImage decode_jpeg2000(ByteView data);

}  // namespace mynacard::gui
