// `mynacard-helper [--lang ja|en]`: the card view, the helper's main window
// (readers, PINs, certificates, card data, usage history).
#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <array>
#include <cstdlib>
#include <iostream>

#include "core/error.h"
#include "gui/app/commands.h"
#include "gui/app/helper_app.h"
#include "gui/common/card_service.h"
#include "gui/common/i18n.h"
#include "gui/view/card_view.h"

namespace mynacard::gui {

int run_card_view(int argc, char** argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("My Number Card: readers, PINs, certificates, "
                       "card data and usage history\n\n"
                       "Other screens: pin and consent (run by the PKCS#11 module and the "
                       "command-line tool), --kiosk (see --kiosk --help).\n"
                       "--version prints the version (no display needed)."));
    p.addHelpOption();
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QStringLiteral("ja | en (default: the system locale)"),
                                  QStringLiteral("lang"));
    p.addOption(lang);
    if (!p.parse(args) || !p.positionalArguments().isEmpty()) {
        std::cerr << "mynacard-helper: "
                  << (p.errorText().isEmpty() ? std::string("unexpected arguments")
                                              : p.errorText().toStdString())
                  << "\nusage: mynacard-helper [--lang ja|en] | pin … | consent … | --kiosk …\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        // No QCoreApplication yet: name the program ourselves.
        std::cout << p.helpText()
                         .replace(QStringLiteral("<executable_name>"),
                                  QStringLiteral("mynacard-helper"))
                         .toStdString();
        return 0;
    }
    if (!display_available()) {
        std::cerr << "mynacard-helper: no display (DISPLAY / WAYLAND_DISPLAY unset); "
                     "use the command-line tool `mynacard` instead\n";
        return 12;
    }

    HelperApplication helper_app(argv[0]);
    QApplication& app = helper_app.app();
    try {
        install_translations(app, language_from(p.value(lang)));
    } catch (const Error& e) {
        std::cerr << "mynacard-helper: " << e.what() << '\n';
        return 2;
    }
    CardService service;
    CardView view(service);
    view.show();
    return QApplication::exec();
}

}  // namespace mynacard::gui
