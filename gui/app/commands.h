#pragma once

// The helper's screens, one entry point each (gui/app/<name>_command.cpp).
// Each takes the arguments after the program name and returns the exit code.
namespace mynacard::gui {

[[nodiscard]] int run_pin_command(int argc, char** argv);      // `mynacard-helper pin …`
[[nodiscard]] int run_consent_command(int argc, char** argv);  // `mynacard-helper consent …`
[[nodiscard]] int run_kiosk_command(int argc, char** argv);    // `mynacard-helper --kiosk …`
[[nodiscard]] int run_front_desk_command(int argc,
                                         char** argv);   // `mynacard-helper --front-desk …`
[[nodiscard]] int run_card_view(int argc, char** argv);  // `mynacard-helper` (default)

}  // namespace mynacard::gui
