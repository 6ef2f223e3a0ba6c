#pragma once

#include <QApplication>

#include <array>
#include <string>

// What every screen of mynacard-helper starts with.
namespace mynacard::gui {

// A display to show a window on: $DISPLAY, $WAYLAND_DISPLAY or an explicit
// Qt platform (offscreen in tests). Checked before Qt starts, so that "no
// display" is an exit code, not an abort inside Qt.
[[nodiscard]] bool display_available();

// The QApplication of a screen. Qt sees no caller-controlled argument (a
// reader named "-platform" must not configure it).
class HelperApplication {
  public:
    explicit HelperApplication(char* argv0);
    [[nodiscard]] QApplication& app() noexcept { return app_; }

  private:
    int argc_ = 1;
    std::array<char*, 2> argv_;
    QApplication app_;  // after argc_ and argv_, which it keeps references to
};

}  // namespace mynacard::gui
