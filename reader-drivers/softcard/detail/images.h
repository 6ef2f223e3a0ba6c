#pragma once

// Card-face images for generated profiles (card-facts.md §4.4: name, address,
// My Number and security code as 1-bit PNG, the photo as greyscale JPEG 2000
// in a JP2 container). The pictures are fictional placeholders: digits use a
// built-in 3×5 font, other characters a pattern derived from the code point,
// so the bytes change with the text but no font is needed.

#include <cstdint>
#include <string_view>

#include "core/bytes.h"

namespace mynacard::softcard::detail {

// 1-bit greyscale PNG of `text` (UTF-8), 12 pixels high, 8 pixels per character.
[[nodiscard]] Bytes render_text_png(std::string_view utf8);

// Greyscale JP2 "photo" (a shaded head-and-shoulders silhouette), width × height
// pixels, encoded by libopenjp2. `seed` varies the shading per profile.
[[nodiscard]] Bytes render_photo_jp2(unsigned width, unsigned height, std::uint32_t seed);

}  // namespace mynacard::softcard::detail
