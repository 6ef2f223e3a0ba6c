// `mynacard-helper pin`: the trusted PIN dialog the PKCS#11 module and the
// CLI run (decision 9; protocol in pinhelper/pinhelper.h, docs/pin-helper.md).
// The PIN goes to --pin-fd only — never stdout, never argv or a file.
#include <fcntl.h>
#include <unistd.h>

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/paths.h"
#include "gui/app/commands.h"
#include "gui/app/helper_app.h"
#include "gui/common/caller.h"
#include "gui/common/i18n.h"
#include "gui/pin/pin_dialog.h"
#include "pinhelper/pinhelper.h"

namespace mynacard::gui {

namespace {

namespace ph = pinhelper;

// The caller's end of the pipe: open, writable, not stdin/stdout/stderr.
[[nodiscard]] bool writable_fd(int fd) {
    if (fd <= STDERR_FILENO) return false;
    const int fl = ::fcntl(fd, F_GETFL);
    if (fl < 0) return false;
    const int mode = fl & O_ACCMODE;
    if (mode != O_WRONLY && mode != O_RDWR) return false;
    // Nothing this process might start inherits it.
    return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

[[nodiscard]] bool write_all(int fd, const SecureBytes& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The command line, checked completely before anything is shown.
struct Options {
    card::Pin pin = card::Pin::auth;
    ph::Purpose purpose = ph::Purpose::login;
    ph::Entry entry = ph::Entry::current;
    std::string program;
    long pid = 0;
    std::string reader;
    int tries_left = -1;
    long timeout = 0;
    int pin_fd = -1;
    QString lang;
};

[[nodiscard]] bool to_long(const QString& text, long min, long max, long& out) {
    bool ok = false;
    const qlonglong v = text.toLongLong(&ok);
    if (!ok || v < min || v > max) return false;
    out = static_cast<long>(v);
    return true;
}

// QCommandLineParser on a plain QStringList: it needs no QCoreApplication,
// so usage errors and "no display" are answered without starting Qt.
[[nodiscard]] std::optional<Options> parse(int argc, char** argv) {
    QStringList args;
    for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);  // argv[1] = "pin"
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption pin(QStringLiteral("pin"), "auth | sign | text", "kind");
    const QCommandLineOption purpose(QStringLiteral("purpose"),
                                     "login | sign | read-certificate | change-pin | read-text",
                                     "purpose");
    const QCommandLineOption program(QStringLiteral("program"),
                                     "the calling program (executable path)", "path");
    const QCommandLineOption pid(QStringLiteral("pid"), "the calling process", "n");
    const QCommandLineOption reader(QStringLiteral("reader"), "the card reader", "name");
    const QCommandLineOption tries(QStringLiteral("tries-left"), "tries left, read before asking",
                                   "n");
    const QCommandLineOption timeout(QStringLiteral("timeout"), "seconds until the dialog gives up",
                                     "seconds");
    const QCommandLineOption fd(QStringLiteral("pin-fd"), "descriptor the PIN is written to", "fd");
    const QCommandLineOption entry(QStringLiteral("entry"),
                                   "current | new | repeat (changing a PIN; default current) | "
                                   "confirm (allow the last try of a PIN the program supplied)",
                                   "which");
    const QCommandLineOption lang(QStringLiteral("lang"), "ja | en (default: the system locale)",
                                  "lang");
    p.addOptions({pin, purpose, program, pid, reader, tries, timeout, fd, entry, lang});
    const auto fail = [](const QString& why) -> std::optional<Options> {
        std::cerr << "mynacard-helper pin: " << why.toStdString()
                  << "\nusage: mynacard-helper pin --pin auth|sign|text --purpose "
                     "login|sign|read-certificate|change-pin|read-text --program PATH --pid N "
                     "--reader NAME [--tries-left N] [--timeout SECONDS] "
                     "[--entry current|new|repeat|confirm] --pin-fd FD [--lang ja|en]\n";
        return std::nullopt;
    };
    if (!p.parse(args)) return fail(p.errorText());
    if (!p.positionalArguments().isEmpty()) return fail("unexpected arguments");
    for (const auto* o : {&pin, &purpose, &program, &pid, &reader, &fd})
        if (!p.isSet(*o)) return fail("--" + o->names().constFirst() + " is required");

    Options o;
    const QString kind = p.value(pin);
    if (kind == "auth")
        o.pin = card::Pin::auth;
    else if (kind == "sign")
        o.pin = card::Pin::sign;
    else if (kind == "text")
        o.pin = card::Pin::text;
    else
        return fail("--pin must be auth, sign or text");
    const auto why = ph::purpose_from_string(p.value(purpose).toStdString());
    if (!why) return fail("unknown --purpose");
    o.purpose = *why;
    if (p.isSet(entry)) {
        const auto which = ph::entry_from_string(p.value(entry).toStdString());
        if (!which) return fail("--entry must be current, new, repeat or confirm");
        o.entry = *which;
    }
    o.program = p.value(program).toStdString();
    o.reader = p.value(reader).toStdString();
    long n = 0;
    if (!to_long(p.value(pid), 1, std::numeric_limits<int>::max(), o.pid)) return fail("bad --pid");
    if (p.isSet(tries)) {
        if (!to_long(p.value(tries), 0, 99, n)) return fail("bad --tries-left");
        o.tries_left = static_cast<int>(n);
    }
    if (p.isSet(timeout) && !to_long(p.value(timeout), 0, 86400, o.timeout))
        return fail("bad --timeout");
    if (!to_long(p.value(fd), 3, 1 << 20, n)) return fail("bad --pin-fd");
    o.pin_fd = static_cast<int>(n);
    if (p.isSet(lang)) {
        o.lang = p.value(lang);
        if (o.lang != "ja" && o.lang != "en") return fail("--lang must be ja or en");
    }
    return o;
}

}  // namespace

int run_pin_command(int argc, char** argv) {
    const std::optional<Options> parsed = parse(argc, argv);
    if (!parsed) return ph::exit_usage;
    const Options& o = *parsed;
    const int pin_fd = o.pin_fd;
    if (!writable_fd(pin_fd)) {
        std::cerr << "mynacard-helper pin: --pin-fd " << pin_fd << " is not a writable pipe\n";
        return ph::exit_usage;
    }

    // Checked before QApplication, which aborts the process when it finds
    // no display instead of returning an error.
    if (!display_available()) {
        std::cerr << "mynacard-helper pin: no display (DISPLAY / WAYLAND_DISPLAY unset)\n";
        return ph::exit_no_display;
    }
    // The caller may be gone by the time the PIN is written.
    std::signal(SIGPIPE, SIG_IGN);  // NOLINT: own process, before any thread

    ph::Request request;
    request.pin = o.pin;
    request.purpose = o.purpose;
    request.entry = o.entry;
    // The dialog names the process the helper verified itself (its parent:
    // the module or the CLI spawned it); --program is only the caller's
    // claim, shown as a subtitle, and --pid never overrides the verified one.
    request.pid = verified_caller_pid();
    request.program = executable_of(request.pid).value_or(std::string());
    request.reader = o.reader;
    // Tries left and the last try concern the PIN the card holds now.
    request.tries_left = o.entry == ph::Entry::current ? o.tries_left : -1;
    request.timeout = std::chrono::seconds(o.timeout);

    HelperApplication helper_app(argv[0]);
    QApplication& app = helper_app.app();
    try {
        install_translations(app, language_from(o.lang));
    } catch (const Error&) {
        return ph::exit_usage;
    }

    PinDialog dialog(request, QString::fromStdString(o.program));
    dialog.show();
    dialog.raise();
    dialog.activateWindow();
    (void)dialog.exec();

    switch (dialog.outcome()) {
        case PinDialog::Outcome::entered: {
            SecureBytes line = dialog.take_pin();
            line.push_back('\n');
            const bool ok = write_all(pin_fd, line);
            ::close(pin_fd);
            // An unwritable pipe: the caller is gone or broken; it reads a
            // cancellation (no PIN arrived), which spends no try.
            return ok ? ph::exit_entered : ph::exit_cancelled;
        }
        case PinDialog::Outcome::confirmed: {
            // A line of its own, not just exit 0: a helper that crashed
            // or was replaced never reads as consent.
            SecureBytes line(ph::confirmed_answer.begin(), ph::confirmed_answer.end());
            line.push_back('\n');
            const bool ok = write_all(pin_fd, line);
            ::close(pin_fd);
            return ok ? ph::exit_entered : ph::exit_cancelled;
        }
        case PinDialog::Outcome::timed_out:
            return ph::exit_timed_out;
        case PinDialog::Outcome::blocked:
            return ph::exit_blocked;
        case PinDialog::Outcome::cancelled:
            break;
    }
    return ph::exit_cancelled;
}

}  // namespace mynacard::gui
