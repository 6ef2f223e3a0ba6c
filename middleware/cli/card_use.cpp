#include "cli/card_use.h"

#include <sys/prctl.h>

#include "cli/messages.h"
#include "core/error.h"
#include "session/pcsc_source.h"

namespace mynacard::cli {

void protect_secrets() noexcept {
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

namespace {

// The reader `wanted` names, or the error that says, in the user's words,
// why there is none (docs/cli.md: exit 3 for each).
std::string chosen_reader(session::Session& session, std::string_view wanted) {
    auto choice = session.find_reader(wanted);
    if (choice.reader) return *std::move(choice.reader);
    switch (choice.reason) {
        case session::NoReader::none_connected:
            throw Error(Errc::reader_unavailable, std::string(text(Msg::no_reader)));
        case session::NoReader::no_match:
            throw Error(Errc::reader_unavailable, format(Msg::reader_not_found, {wanted}));
        case session::NoReader::no_card:
            break;
    }
    throw Error(Errc::no_card, std::string(text(Msg::no_card)));
}

}  // namespace

CardUse::CardUse(std::string_view wanted, const std::filesystem::path& audit_log)
    : session_(session::pcsc_source(),
               session::AuditTrail(audit_log, session::AuditWrite::required)),
      reader_(chosen_reader(session_, wanted)) {
    // Connecting sends no APDU; it only makes "no card" an answer before a
    // PIN is asked rather than after.
    session_.use(reader_, [](card::MyNumberCard&) {});
}

void CardUse::record_done(audit::Operation operation, const session::Subject& subject) {
    session_.trail().record(reader_, operation, audit::Result::ok, subject);
}

}  // namespace mynacard::cli
