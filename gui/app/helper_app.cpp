#include "gui/app/helper_app.h"

#include <unistd.h>

#include <cstdlib>

namespace mynacard::gui {

namespace {

[[nodiscard]] bool has_env(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): before any thread
    return v != nullptr && *v != '\0';
}

}  // namespace

bool display_available() {
    return has_env("DISPLAY") || has_env("WAYLAND_DISPLAY") || has_env("QT_QPA_PLATFORM");
}

HelperApplication::HelperApplication(char* argv0)
    : argv_{argv0, nullptr}, app_(argc_, argv_.data()) {
    QApplication::setApplicationName(QStringLiteral("mynacard-helper"));
    QApplication::setApplicationDisplayName(QStringLiteral("mynacard"));
}

}  // namespace mynacard::gui
