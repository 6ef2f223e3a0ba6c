#include "cli/session.h"

#include "cli/messages.h"
#include "core/error.h"

namespace mynacard::cli {

std::optional<std::string> match_reader(const std::vector<std::string>& readers,
                                        const std::string& wanted) {
    for (const auto& r : readers)
        if (r == wanted) return r;
    std::optional<std::string> found;
    for (const auto& r : readers) {
        if (r.find(wanted) == std::string::npos) continue;
        if (found) return std::nullopt;  // ambiguous
        found = r;
    }
    return found;
}

Session::Session(const std::string& reader, const std::filesystem::path& audit_path)
    : context_(std::make_unique<pcsc::Context>()), log_(audit_path) {
    const auto states = context_->states();
    if (states.empty()) throw Error(Errc::reader_unavailable, std::string(text(Msg::no_reader)));
    if (!reader.empty()) {
        std::vector<std::string> names;
        for (const auto& s : states) names.push_back(s.name);
        auto m = match_reader(names, reader);
        if (!m) throw Error(Errc::reader_unavailable, format(Msg::reader_not_found, {reader}));
        reader_ = *m;
    } else {
        for (const auto& s : states)
            if (s.present) {
                reader_ = s.name;
                break;
            }
        if (reader_.empty()) throw Error(Errc::no_card, std::string(text(Msg::no_card)));
    }
    connection_ = std::make_unique<pcsc::Connection>(*context_, reader_);
    card_ = std::make_unique<card::MyNumberCard>(*connection_);
}

void Session::record(audit::Operation op, audit::Result result, const std::string& key,
                     const std::string& cert_serial_hash) {
    audit::Event e;
    e.operation = op;
    e.result = result;
    e.reader = reader_;
    e.key = key;
    e.cert_serial_hash = cert_serial_hash;
    log_.append(e);
}

}  // namespace mynacard::cli
