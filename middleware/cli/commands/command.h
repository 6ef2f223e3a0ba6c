#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "cli/options.h"
#include "cli/output.h"
#include "cli/pin_prompt.h"

namespace CLI {
class App;
}

namespace mynacard::cli {

// What every command gets when it runs: the options before its name, the
// printer, the PIN prompt and where the audit log is. A command that talks
// to the card makes its own CardUse from them (card_use.h).
struct Context {
    const GlobalOptions& global;
    const Output& out;
    PinPrompt& pins;
    std::filesystem::path audit_log;
};

// A command's body: returns the exit code, throws Error for exit_codes.h.
using Run = std::function<int(Context&)>;

// The commands the app knows, each with its own options struct, which the
// parser fills and its Run reads (no field shared between commands).
class Commands {
  public:
    // `command` is a subcommand of the app; `run` is what it does.
    void add(CLI::App* command, Run run);
    // The one the command line named (CLI11 parsed it), if any.
    [[nodiscard]] const Run* chosen() const;

  private:
    struct Entry {
        CLI::App* command;
        Run run;
    };
    std::vector<Entry> entries_;
};

// Each adds its subcommand(s) to `app` (commands/<file>.cpp).
void add_readers(CLI::App& app, Commands& commands);
void add_status(CLI::App& app, Commands& commands);        // status
void add_pin(CLI::App& app, Commands& commands);           // pin status, pin change
void add_certificates(CLI::App& app, Commands& commands);  // cert list/show/export, verify-chain
void add_signatures(CLI::App& app, Commands& commands);    // sign, verify
void add_info(CLI::App& app, Commands& commands);
void add_face(CLI::App& app, Commands& commands);
void add_log(CLI::App& app, Commands& commands);
void add_watch(CLI::App& app, Commands& commands);
void add_qualify(CLI::App& app, Commands& commands);  // qualify (オンライン資格確認)

}  // namespace mynacard::cli
