#pragma once

#include <QString>

#include "core/error.h"

namespace mynacard::gui {

// The one place where an Error becomes words for a person (decision 7): every
// Errc has a translated sentence that says what happened and what to do, never
// the technical detail (that stays in Error::what() for logs and bug reports).
// Context "Messages" in the catalogues.
[[nodiscard]] QString describe(const mynacard::Error& error);

}  // namespace mynacard::gui
