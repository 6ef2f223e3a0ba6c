// `mynacard-helper --front-desk --config FILE`: the clinic front desk's
// qualification check (docs/front-desk.md): the receptionist's window and
// the patient panel, a second window that can go on a screen facing the
// patient (`--patient-screen N`).
#include <QApplication>
#include <QGuiApplication>
#include <QScreen>

#include <charconv>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "gui/app/commands.h"
#include "gui/app/helper_app.h"
#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/frontdesk/desk_backend.h"
#include "gui/frontdesk/front_desk_controller.h"
#include "gui/frontdesk/patient_panel.h"
#include "gui/frontdesk/reception_window.h"
#include "qualification/desk_config.h"

namespace mynacard::gui {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;
constexpr int exit_no_display = 12;  // as the other screens

constexpr std::string_view usage =
    "usage: mynacard-helper --front-desk --config FILE [--patient-screen N]\n"
    "The configuration keys are described in docs/front-desk.md. --patient-screen puts the\n"
    "patient panel on screen N (0 is the first); without it, it opens beside the\n"
    "receptionist's window.\n";

Language gui_language(qualification::Language l) {
    return l == qualification::Language::ja ? Language::ja : Language::en;
}

FrontDeskSettings settings_from(const qualification::DeskConfig& c) {
    FrontDeskSettings s;
    s.institution_code = c.institution_code;
    s.reader = QString::fromStdString(c.reader);
    s.idle = c.timeouts.idle;
    s.pin = c.timeouts.pin;
    s.check = c.timeouts.check;
    s.result = c.timeouts.result;
    return s;
}

}  // namespace

int run_front_desk_command(int argc, char** argv) {
    // Parsed by hand like --kiosk (CLI11's header trips GCC 12's
    // -Wnull-dereference here). Qt sees none of them (HelperApplication).
    std::string config_path;
    int patient_screen = -1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--front-desk") continue;
        if (a == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (a == "--patient-screen" && i + 1 < argc) {
            const std::string_view n = argv[++i];
            const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), patient_screen);
            if (ec != std::errc() || end != n.data() + n.size() || patient_screen < 0) {
                std::cerr << "mynacard-helper: --patient-screen takes a screen number (0, 1, …)\n";
                return exit_usage;
            }
        } else if (a == "--help" || a == "-h") {
            std::cout << usage;
            return exit_ok;
        } else {
            std::cerr << "mynacard-helper: unknown option " << a << '\n' << usage;
            return exit_usage;
        }
    }
    if (config_path.empty()) {
        std::cerr << "mynacard-helper: --front-desk needs --config FILE (see docs/front-desk.md)\n";
        return exit_usage;
    }
    qualification::DeskConfig config;
    try {
        config = qualification::load_desk_config(config_path);
    } catch (const Error& e) {
        std::cerr << "mynacard-helper: " << e.what() << '\n';
        return exit_usage;
    }
    if (!display_available()) {
        std::cerr << "mynacard-helper: no display (DISPLAY / WAYLAND_DISPLAY unset)\n";
        return exit_no_display;
    }
    HelperApplication helper_app(argv[0]);
    // The receptionist's language is the configuration's; the patient
    // panel carries its own (PanelText) and the patient may switch it.
    install_translations(helper_app.app(), gui_language(config.reception_language));
    try {
        auto service = std::make_unique<CardService>();
        DeskBackend backend(config, *service);
        FrontDeskController controller(settings_from(config), backend);
        ReceptionWindow reception(controller, gui_language(config.reception_language),
                                  config.large_text);
        PatientPanel patient(controller, gui_language(config.patient_language), config.large_text);
        controller.follow(*service);
        reception.show();
        const auto screens = QGuiApplication::screens();
        if (patient_screen >= 0 && patient_screen < screens.size()) {
            patient.setGeometry(screens.at(patient_screen)->geometry());
            patient.showFullScreen();
        } else {
            if (patient_screen >= 0)
                std::cerr << "mynacard-helper: no screen " << patient_screen
                          << "; the patient panel opens as a window\n";
            patient.show();
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
