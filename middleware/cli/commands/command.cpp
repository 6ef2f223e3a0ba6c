#include "cli/commands/command.h"

#include <CLI/CLI.hpp>

namespace mynacard::cli {

void Commands::add(CLI::App* command, Run run) {
    entries_.push_back({command, std::move(run)});
}

const Run* Commands::chosen() const {
    for (const auto& e : entries_)
        if (e.command->parsed()) return &e.run;
    return nullptr;
}

}  // namespace mynacard::cli
