// face: the 券面AP — card-face images and photo, unlocked with 照合番号A or B.
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/card_use.h"
#include "cli/commands/command.h"
#include "cli/exit_codes.h"
#include "cli/files.h"

namespace mynacard::cli {

namespace {

namespace fs = std::filesystem;

struct FaceOptions {
    std::string out;         // directory for the images
    std::string code = "a";  // a: 照合番号A (My Number), b: 照合番号B
};

int face(Context& c, const FaceOptions& o) {
    const bool b = o.code == "b";
    if (!b && o.code != "a") throw Error(Errc::invalid_argument, "--code must be a or b");
    CardUse card(c.global.reader, c.audit_log);
    const SecureBytes code = c.pins.code(b ? Msg::enter_code_b : Msg::enter_code_a);
    card::FaceData f;
    card::PinOptions options{.confirm_last_try = c.global.confirm_last_try};
    // The 券面AP has no PIN of its own: the log names no key (`mynacard
    // log` shows "face").
    const auto read = [&] {
        card.audited(
            audit::Operation::read_face_ap, session::Subject(), [&](card::MyNumberCard& on_card) {
                f = on_card.read_face_ap(b ? card::FaceCode::b : card::FaceCode::a, code, options);
            });
    };
    try {
        read();
    } catch (const Error& e) {
        // Decision 5: the card showed one try left and nothing was sent. The
        // counter is only known once the card is asked, so the question comes
        // now; a yes sends the same 照合番号 once.
        if (e.code() != Errc::confirmation_required || options.confirm_last_try ||
            !c.pins.confirm_code_last_try())
            throw;
        options.confirm_last_try = true;
        read();
    }
    // Decision 11: nothing personal is written except what the user asked for.
    // A directory made here is the holder's alone (an existing one is used as is).
    if (fs::create_directories(o.out))
        fs::permissions(o.out, fs::perms::owner_all, fs::perm_options::replace);
    const fs::path dir(o.out);
    write_file((dir / "name.png").string(), f.name_png);
    write_file((dir / "address.png").string(), f.address_png);
    write_file((dir / "photo.jp2").string(), f.photo_jp2);
    write_file((dir / "security-code.png").string(), f.security_code_png);
    if (c.out.json())
        c.out.print({{"directory", o.out},
                     {"files", {"name.png", "address.png", "photo.jp2", "security-code.png"}},
                     {"birth_date", f.birth_date},
                     {"sex", f.sex},
                     {"expiry", f.expiry}});
    else
        c.out.human() << o.out << ": name.png address.png photo.jp2 security-code.png\n";
    card::wipe(f);
    return exit_ok;
}

}  // namespace

void add_face(CLI::App& app, Commands& commands) {
    auto o = std::make_shared<FaceOptions>();
    auto* face_command = app.add_subcommand("face", "card-face images and photo (券面AP)");
    face_command->add_option("--out", o->out, "directory for the images")->required();
    face_command->add_option("--code", o->code, "a: 照合番号A (My Number), b: 照合番号B")
        ->default_val("a");
    commands.add(face_command, [o](Context& c) { return face(c, *o); });
}

}  // namespace mynacard::cli
