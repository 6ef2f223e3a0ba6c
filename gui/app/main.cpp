// mynacard-helper: picks the screen from the first argument and hands the
// command line to it. Each screen parses its own options (gui/app/*_command.cpp).
#include <sys/prctl.h>

#include <cstring>
#include <iostream>

#include "gui/app/commands.h"

int main(int argc, char** argv) {
    using namespace mynacard::gui;
    // Every screen holds a PIN or the holder's personal data (the PIN and
    // consent dialogs, the kiosk, the card view): no core dump of this
    // process, and no ptrace or /proc/<pid>/mem access by other processes of
    // the same user while it runs.
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Before any screen: no display, no Qt needed to say which build this is.
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::cout << "mynacard-helper " MYNACARD_VERSION "\n";
        return 0;
    }
    if (argc > 1 && std::strcmp(argv[1], "pin") == 0) return run_pin_command(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "consent") == 0) return run_consent_command(argc, argv);
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--kiosk") == 0) return run_kiosk_command(argc, argv);
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--front-desk") == 0) return run_front_desk_command(argc, argv);
    return run_card_view(argc, argv);
}
