// mynacard: the My Number Card from the command line. See docs/cli.md for
// every command, the --json keys and the exit codes; README.md for how the
// commands are laid out.
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "audit/audit.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/pin_input.h"
#include "cli/pin_prompt.h"
#include "core/error.h"
#include "pinhelper/pinhelper.h"

namespace mynacard::cli {
namespace {

// Runs the command the user named; every error ends here as a sentence and
// an exit code (exit_codes.h).
int run(const Run& command, GlobalOptions& o) {
    const Output out(o.json);
    PinInput input(o.pin_stdin);
    PinPrompt pins(input, o);
    try {
        // Started from a desktop launcher or another program: no terminal to
        // ask on, but a screen (decision 9).
        if (!o.pin_stdin && !o.pin_dialog && ::isatty(STDIN_FILENO) == 0 && pinhelper::available())
            o.pin_dialog = true;
        Context context{
            o, out, pins,
            o.audit_log.empty() ? audit::Log::default_path() : std::filesystem::path(o.audit_log)};
        return command(context);
    } catch (const Error& e) {
        return report(e, pins.asked(), out);
    } catch (const std::exception& e) {
        return report(Error(Errc::internal, e.what()), pins.asked(), out);
    }
}

}  // namespace
}  // namespace mynacard::cli

int main(int argc, char** argv) {
    using namespace mynacard::cli;
    GlobalOptions o;
    CLI::App app{"mynacard: use your My Number Card (マイナンバーカード) on Linux"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mynacard " MYNACARD_VERSION);
    // Global options also after the command (`mynacard status --json`).
    app.fallthrough();
    app.add_option("--reader", o.reader,
                   "reader name, or a part of it (default: the first with a card)");
    app.add_flag("--json", o.json, "machine-readable output (keys: docs/cli.md)");
    auto* pin_stdin_flag =
        app.add_flag("--pin-stdin", o.pin_stdin, "read PINs from standard input, one per line");
    app.add_flag("--pin-dialog", o.pin_dialog,
                 "ask every PIN in the mynacard-helper dialog (the default when standard input "
                 "is not a terminal and a display is available)")
        ->excludes(pin_stdin_flag);
    app.add_flag("--confirm-last-try", o.confirm_last_try,
                 "allow a PIN entry when only one try is left");
    app.add_option("--audit-log", o.audit_log,
                   "audit log file (default: $XDG_STATE_HOME/mynacard/audit.jsonl)");

    Commands commands;
    add_readers(app, commands);
    add_status(app, commands);
    add_certificates(app, commands);
    add_signatures(app, commands);
    add_pin(app, commands);
    add_info(app, commands);
    add_face(app, commands);
    add_log(app, commands);
    add_watch(app, commands);
    add_qualify(app, commands);

    // What app.parse(argc, argv) does, spelt out: that overload, inlined,
    // makes GCC 12 see a null dereference in std::string that is not there
    // (-Wnull-dereference, an error with MYNACARD_WERROR). CLI11 takes the
    // arguments last first; the program name as the usage line shows it.
    std::vector<std::string> args;
    for (int i = argc - 1; i > 0; --i) args.emplace_back(argv[i]);
    if (argc > 0) app.name(argv[0]);
    try {
        app.parse(std::move(args));
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    const Run* command = commands.chosen();
    if (command == nullptr) return exit_usage;
    return run(*command, o);
}
