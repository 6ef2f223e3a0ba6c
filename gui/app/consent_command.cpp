// `mynacard-helper consent --program PATH --pid N [--lang ja|en]`, the
// certificate DER on stdin: asks the holder whether PATH may receive the
// signature certificate (decision 11; protocol in docs/consent.md, client in
// middleware/consent). Exit 0 allow, 10 deny, 12 no display, 2 usage.
#include <unistd.h>

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <string>

#include "audit/audit.h"
#include "consent/consent.h"
#include "core/error.h"
#include "gui/app/commands.h"
#include "gui/app/helper_app.h"
#include "gui/common/caller.h"
#include "gui/consent/consent_dialog.h"
#include "gui/common/i18n.h"
#include "x509/x509.h"

namespace mynacard::gui {

namespace {

// A certificate is a few kilobytes; anything much larger is not one.
constexpr std::size_t kMaxCertificate = 64 * 1024;

[[nodiscard]] std::optional<Bytes> read_stdin() {
    Bytes out;
    std::array<unsigned char, 4096> buf{};
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::nullopt;
        }
        if (n == 0) break;
        out.insert(out.end(), buf.begin(), buf.begin() + n);
        if (out.size() > kMaxCertificate) return std::nullopt;
    }
    return out;
}

struct Options {
    std::string program;
    long pid = 0;
    QString lang;
};

[[nodiscard]] std::optional<Options> parse(int argc, char** argv) {
    QStringList args;
    for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);  // argv[1] = "consent"
    QCommandLineParser p;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption program(QStringLiteral("program"),
                                     QStringLiteral("the asking program (executable path)"),
                                     QStringLiteral("path"));
    const QCommandLineOption pid(QStringLiteral("pid"), QStringLiteral("its process id"),
                                 QStringLiteral("n"));
    const QCommandLineOption lang(QStringLiteral("lang"),
                                  QStringLiteral("ja | en (default: the system locale)"),
                                  QStringLiteral("lang"));
    p.addOptions({program, pid, lang});
    const auto fail = [](const QString& why) -> std::optional<Options> {
        std::cerr << "mynacard-helper consent: " << why.toStdString()
                  << "\nusage: mynacard-helper consent --program PATH --pid N [--lang ja|en] "
                     "< certificate.der\n";
        return std::nullopt;
    };
    if (!p.parse(args)) return fail(p.errorText());
    if (!p.positionalArguments().isEmpty()) return fail("unexpected arguments");
    if (!p.isSet(program) || p.value(program).isEmpty()) return fail("--program is required");
    if (!p.isSet(pid)) return fail("--pid is required");
    Options o;
    o.program = p.value(program).toStdString();
    bool ok = false;
    const qlonglong n = p.value(pid).toLongLong(&ok);
    if (!ok || n < 1 || n > std::numeric_limits<int>::max()) return fail("bad --pid");
    o.pid = static_cast<long>(n);
    if (p.isSet(lang)) {
        o.lang = p.value(lang);
        if (o.lang != "ja" && o.lang != "en") return fail("--lang must be ja or en");
    }
    return o;
}

// The holder's choice goes to the audit log (decision 11); a log that cannot
// be written does not change the answer, it is reported on stderr.
void record(bool allowed, const x509::Certificate& cert) {
    try {
        audit::Event e;
        e.operation = allowed ? audit::Operation::consent_given : audit::Operation::consent_refused;
        e.result = audit::Result::ok;
        e.key = "sign";
        e.cert_serial_hash = audit::serial_hash(cert.serial());
        audit::Log(audit::Log::default_path()).append(e);
    } catch (const Error& e) {
        std::cerr << "mynacard-helper consent: audit log: " << e.what() << '\n';
    }
}

}  // namespace

int run_consent_command(int argc, char** argv) {
    const std::optional<Options> parsed = parse(argc, argv);
    if (!parsed) return consent::exit_usage;
    const auto der = read_stdin();
    if (!der || der->empty()) {
        std::cerr << "mynacard-helper consent: no certificate on standard input\n";
        return consent::exit_usage;
    }
    std::optional<x509::Certificate> cert;
    try {
        cert = x509::Certificate::from_der(*der);
    } catch (const Error&) {
        std::cerr << "mynacard-helper consent: standard input is not a DER certificate\n";
        return consent::exit_usage;
    }
    // Checked before QApplication, which aborts the process when it finds
    // no display instead of returning an error.
    if (!display_available()) {
        std::cerr << "mynacard-helper consent: no display (DISPLAY / WAYLAND_DISPLAY unset)\n";
        return consent::exit_no_display;
    }

    HelperApplication helper_app(argv[0]);
    QApplication& app = helper_app.app();
    try {
        install_translations(app, language_from(parsed->lang));
    } catch (const Error&) {
        return consent::exit_usage;
    }

    // The dialog names the process the helper verified itself (the peer of
    // its stdin socket, else its parent); --program is only the caller's
    // claim and --pid never overrides the verified one.
    const consent::Caller caller = consent::identify_caller(verified_caller_pid(STDIN_FILENO));
    ConsentDialog dialog(*cert, caller, QString::fromStdString(parsed->program));
    dialog.exec();
    const bool allowed = dialog.allowed();
    record(allowed, *cert);
    return allowed ? consent::exit_allow : consent::exit_deny;
}

}  // namespace mynacard::gui
