#include "qualification/desk_config.h"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/paths.h"

namespace mynacard::qualification {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kInstitutionCodeLength = 10;

[[noreturn]] void refuse(const std::string& key, const std::string& what) {
    throw Error(Errc::invalid_argument, "desk configuration: \"" + key + "\" " + what);
}

void only_keys(const json& object, const std::string& where,
               std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : object.items()) {
        bool known = false;
        for (const auto a : allowed) known = known || key == a;
        if (!known)
            refuse(where.empty() ? key : where + "." + key,
                   "is not a key of the configuration (docs/front-desk.md)");
    }
}

const json* member(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const json& object_at(const json& object, const char* key, const std::string& name) {
    const json* v = member(object, key);
    if (v == nullptr || !v->is_object()) refuse(name, "must be an object");
    return *v;
}

std::string string_at(const json& object, const char* key, const std::string& name) {
    const json* v = member(object, key);
    if (v == nullptr) refuse(name, "is required");
    if (!v->is_string()) refuse(name, "must be a string");
    return v->get<std::string>();
}

fs::path path_at(const json& object, const char* key, const std::string& name) {
    const std::string s = string_at(object, key, name);
    if (s.empty() || s.find('\0') != std::string::npos) refuse(name, "must be a path");
    // Relative paths would depend on the folder the desk is started from.
    const fs::path p(s);
    if (!p.is_absolute()) refuse(name, "must be an absolute path");
    return p.lexically_normal();
}

Language language_at(const json& object, const char* key, const std::string& name) {
    const std::string s = string_at(object, key, name);
    if (s == "ja") return Language::ja;
    if (s == "en") return Language::en;
    refuse(name, "must be \"ja\" or \"en\"");
}

std::chrono::seconds seconds_at(const json& object, const char* key, const std::string& name,
                                TimeoutBounds bounds) {
    const json* v = member(object, key);
    if (v == nullptr || !v->is_number_integer()) refuse(name, "must be a whole number of seconds");
    const auto n = v->get<long long>();
    if (n < bounds.min.count() || n > bounds.max.count())
        refuse(name, "must be between " + std::to_string(bounds.min.count()) + " and " +
                         std::to_string(bounds.max.count()) + " seconds");
    return std::chrono::seconds(n);
}

// `name` says which text in an error: "desk configuration" and, for a
// file, its path.
json parse_json(std::string_view text, const std::string& name) {
    if (text.size() > kMaxDeskConfigSize)
        throw Error(Errc::invalid_argument, name + " is larger than 64 KiB");
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw Error(Errc::invalid_argument,
                    name + " is not JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const json::out_of_range&) {
        // A number beyond a double (1e999) is out_of_range, not parse_error.
        throw Error(Errc::invalid_argument, name + " is not JSON (a number out of range)");
    }
}

std::string read_text(const fs::path& file, const std::string& name) {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (!fs::exists(status)) throw Error(Errc::not_found, name + " not found");
    if (!fs::is_regular_file(status)) throw Error(Errc::invalid_argument, name + " is not a file");
    if (fs::file_size(file, ec) > kMaxDeskConfigSize)
        throw Error(Errc::invalid_argument, name + " is larger than 64 KiB");
    // std::ifstream + istreambuf_iterator trips gcc 12's -Wnull-dereference.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rbe"),
                                                       &std::fclose);
    if (!in) throw Error(Errc::io, name + " cannot be read");
    std::string text;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0 &&
           text.size() <= kMaxDeskConfigSize)
        text.append(buffer.data(), n);
    return text;
}

DeskConfig parse(std::string_view text, const std::string& name) {
    const json root = parse_json(text, name);
    if (!root.is_object()) refuse("(top level)", "must be an object");
    only_keys(root, "",
              {"institution_code", "reference", "terminal", "face_dir", "export_dir", "state_dir",
               "language", "large_text", "reader", "timeouts"});
    DeskConfig c;
    c.institution_code = string_at(root, "institution_code", "institution_code");
    if (c.institution_code.size() != kInstitutionCodeLength ||
        c.institution_code.find_first_not_of("0123456789") != std::string::npos)
        refuse("institution_code", "must be the 10-digit 医療機関コード");

    if (member(root, "reference")) {
        const json& r = object_at(root, "reference", "reference");
        only_keys(r, "reference", {"url", "ca"});
        DeskConfig::Reference ref{string_at(r, "url", "reference.url"),
                                  path_at(r, "ca", "reference.ca")};
        // The client checks the rest of the URL; plain HTTP is never used.
        if (ref.url.rfind("https://", 0) != 0 || ref.url.size() <= 8)
            refuse("reference.url", "must be an https:// URL");
        c.reference = std::move(ref);
    }
    if (member(root, "terminal")) {
        const json& t = object_at(root, "terminal", "terminal");
        only_keys(t, "terminal", {"root"});
        c.terminal = DeskConfig::Terminal{path_at(t, "root", "terminal.root")};
    }
    if (!c.reference && !c.terminal)
        refuse("reference", "or \"terminal\" is required: the desk needs a backend");

    if (member(root, "face_dir"))
        c.face_dir = path_at(root, "face_dir", "face_dir");
    else if (c.terminal)
        c.face_dir = c.terminal->root / "face";
    c.export_dir = path_at(root, "export_dir", "export_dir");
    c.state_dir = member(root, "state_dir")
                      ? path_at(root, "state_dir", "state_dir")
                      : xdg_directory("XDG_STATE_HOME", ".local/state") / "mynacard" / "front-desk";

    if (member(root, "language")) {
        const json& l = object_at(root, "language", "language");
        only_keys(l, "language", {"reception", "patient"});
        if (member(l, "reception"))
            c.reception_language = language_at(l, "reception", "language.reception");
        if (member(l, "patient"))
            c.patient_language = language_at(l, "patient", "language.patient");
    }
    if (const json* v = member(root, "large_text")) {
        if (!v->is_boolean()) refuse("large_text", "must be true or false");
        c.large_text = v->get<bool>();
    }
    if (member(root, "reader")) {
        c.reader = string_at(root, "reader", "reader");
        // A PC/SC reader name: printable, bounded (pcsc-lite: MAX_READERNAME 128).
        constexpr std::size_t kMaxReaderName = 128;
        if (c.reader.size() > kMaxReaderName) refuse("reader", "is longer than 128 bytes");
        for (const char ch : c.reader)
            if (static_cast<unsigned char>(ch) < 0x20)
                refuse("reader", "contains a control character");
    }
    if (member(root, "timeouts")) {
        const json& t = object_at(root, "timeouts", "timeouts");
        only_keys(t, "timeouts", {"idle", "pin", "check", "result"});
        auto& to = c.timeouts;
        if (member(t, "idle")) to.idle = seconds_at(t, "idle", "timeouts.idle", kIdleBounds);
        if (member(t, "pin")) to.pin = seconds_at(t, "pin", "timeouts.pin", kPinBounds);
        if (member(t, "check")) to.check = seconds_at(t, "check", "timeouts.check", kCheckBounds);
        if (member(t, "result"))
            to.result = seconds_at(t, "result", "timeouts.result", kResultBounds);
    }
    return c;
}

}  // namespace

DeskConfig parse_desk_config(std::string_view json_text) {
    return parse(json_text, "desk configuration");
}

DeskConfig load_desk_config(const fs::path& file) {
    const std::string name = "desk configuration " + file.string();
    return parse(read_text(file, name), name);
}

}  // namespace mynacard::qualification
