// `mynacard-helper --kiosk --config FILE`: the unattended 申請書作成支援
// terminal (docs/kiosk.md). `--kiosk --hash-operator-pin` prints the hash
// for the config's operator_pin_hash, reading the PIN from stdin.
#include <termios.h>
#include <unistd.h>

#include <QApplication>
#include <QScreen>

#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/error.h"
#include "gui/app/commands.h"
#include "gui/app/helper_app.h"
#include "gui/common/card_service.h"
#include "gui/kiosk/kiosk_config.h"
#include "gui/kiosk/kiosk_controller.h"
#include "gui/kiosk/kiosk_window.h"

namespace mynacard::gui {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

// Reads one line from stdin without echo when it is a terminal, so the
// operator PIN does not appear on screen or in the shell's scrollback.
std::string read_secret_line() {
    termios old{};
    const bool tty = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        std::cerr << "operator PIN (6-16 digits): " << std::flush;
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        (void)::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        (void)::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::cerr << '\n';
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int hash_operator_pin_command() {
    std::string pin = read_secret_line();
    try {
        const std::string hash = hash_operator_pin(pin);
        secure_zero(pin.data(), pin.size());
        std::cout << hash << '\n';
        return exit_ok;
    } catch (const Error& e) {
        secure_zero(pin.data(), pin.size());
        std::cerr << "mynacard-helper: " << e.what() << '\n';
        return exit_usage;
    }
}

constexpr std::string_view usage =
    "usage: mynacard-helper --kiosk --config FILE [--windowed]\n"
    "       mynacard-helper --kiosk --hash-operator-pin   (PIN on stdin)\n"
    "The configuration keys are described in docs/kiosk.md.\n";

}  // namespace

int run_kiosk_command(int argc, char** argv) {
    // A handful of flags, parsed by hand (CLI11's header trips GCC 12's
    // -Wnull-dereference here). Qt sees none of them (HelperApplication).
    bool hash_pin = false;
    bool windowed = false;
    std::string config_path;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--kiosk") continue;
        if (a == "--hash-operator-pin") {
            hash_pin = true;
        } else if (a == "--windowed") {
            windowed = true;
        } else if (a == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (a.starts_with("--config=")) {
            config_path = std::string(a.substr(std::string_view("--config=").size()));
        } else if (a == "--help" || a == "-h") {
            std::cout << usage;
            return exit_ok;
        } else if (a.starts_with("--")) {
            std::cerr << "mynacard-helper: unknown option " << a << '\n' << usage;
            return exit_usage;
        }
    }
    if (hash_pin) return hash_operator_pin_command();
    if (config_path.empty()) {
        std::cerr << "mynacard-helper: --kiosk needs --config FILE (see docs/kiosk.md)\n";
        return exit_usage;
    }
    KioskConfig config;
    try {
        config = load_kiosk_config(config_path);
    } catch (const Error& e) {
        std::cerr << "mynacard-helper: " << e.what() << '\n';
        return exit_usage;
    }

    if (!display_available()) {
        std::cerr << "mynacard-helper: no display (DISPLAY / WAYLAND_DISPLAY unset)\n";
        return 12;
    }
    HelperApplication helper_app(argv[0]);
    try {
        auto service = std::make_unique<CardService>();
        CardServiceKioskBackend backend(*service);
        KioskController controller(config, backend);
        KioskWindow window(controller);
        controller.follow(*service);
        if (windowed) {
            window.show();
        } else {
            // Covers the screen even without a window manager (a bare X
            // session is common on kiosks), then asks for full screen.
            if (const QScreen* screen = QGuiApplication::primaryScreen())
                window.setGeometry(screen->geometry());
            window.showFullScreen();
        }
        const int rc = QApplication::exec();
        // The service first: its worker may still hand a result to the
        // controller, which must outlive the worker thread.
        service.reset();
        return rc;
    } catch (const Error& e) {
        std::cerr << "mynacard-helper: " << e.what() << '\n';
        return exit_failure;
    }
}

}  // namespace mynacard::gui
