// mynacard-qualification-server: the reference qualification service
// (architecture decision 10, backend (b)). Set-up and use:
// docs/qualification.md, "The reference service".
// GCC 12 reports a null dereference inside std::string when CLI11's option
// parsing is inlined here (-Wnull-dereference, a false positive: the
// vector it relocates has just been allocated). Only this file, only that
// warning; it is placed before the first include because the report points
// into the standard library's headers.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>
#include <thread>

#include "core/error.h"
#include "qualification_server/admin.h"
#include "qualification_server/service.h"

using namespace mynacard;
using namespace mynacard::qualification::server;

namespace {

// "host:port", "[v6]:port" or a port alone.
void parse_listen(const std::string& text, std::string& host, int& port) {
    std::string_view rest(text), port_text;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
            throw Error(Errc::invalid_argument, "--listen: expected [address]:port");
        host = std::string(rest.substr(1, close - 1));
        port_text = rest.substr(close + 2);
    } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = std::string(rest.substr(0, colon));
        port_text = rest.substr(colon + 1);
    } else {
        port_text = rest;
    }
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535)
        throw Error(Errc::invalid_argument, "--listen: bad port");
}

int serve(ServiceOptions options, const std::string& listen) {
    parse_listen(listen, options.host, options.port);
    // SIGTERM/SIGINT are taken by one thread with sigwait: blocked here
    // before any other thread exists, so every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that goes away mid-answer must not end the process.
    ::signal(SIGPIPE, SIG_IGN);

    Service service(std::move(options));
    const int port = service.bind();
    std::cout << "listening on port " << port << std::endl;
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        service.stop();  // stop listening; in-flight requests finish
    });
    service.run();
    // run() also returns when listening failed: wake the waiter to end it.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "mynacard-qualification-server: the reference qualification service that plays the "
        "national side for demos, staff training and tests (never the real system)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "mynacard-qualification-server " MYNACARD_VERSION);

    std::string state;
    const auto add_state = [&](CLI::App* cmd) {
        cmd->add_option("--state", state, "state directory (database, TLS key, trusted CAs)")
            ->required();
    };

    auto* init =
        app.add_subcommand("init", "create the state directory, its TLS key and certificate");
    add_state(init);
    std::vector<std::string> codes, hosts;
    bool renew = false;
    init->add_option("--institution-code", codes,
                     "10-digit medical institution code the service accepts (repeatable)")
        ->required();
    init->add_option("--host-name", hosts,
                     "name or address clients use (repeatable; default localhost, 127.0.0.1, ::1)");
    init->add_flag("--renew-tls", renew, "replace an existing TLS key and certificate");

    auto* trust = app.add_subcommand("trust", "trust a CA for card auth certificates");
    add_state(trust);
    std::string ca;
    trust->add_option("--ca", ca, "CA certificate, PEM or DER")->required();

    auto* enroll_cmd =
        app.add_subcommand("enroll", "link an insured record to a card's auth certificate");
    add_state(enroll_cmd);
    std::string cert, record;
    enroll_cmd->add_option("--cert", cert, "the card's auth certificate, PEM or DER")->required();
    enroll_cmd
        ->add_option("--record", record,
                     "JSON object whose keys are ResultOfQualificationConfirmation elements")
        ->required();

    auto* revoke_cmd = app.add_subcommand("revoke", "refuse a certificate from now on");
    add_state(revoke_cmd);
    revoke_cmd->add_option("--cert", cert, "certificate, PEM or DER")->required();

    auto* crl_cmd = app.add_subcommand("import-crl", "import a CRL signed by a trusted CA");
    add_state(crl_cmd);
    std::string crl;
    crl_cmd->add_option("crl", crl, "CRL file, PEM or DER")->required();

    auto* serve_cmd = app.add_subcommand("serve", "answer card checks over HTTPS until SIGTERM");
    add_state(serve_cmd);
    ServiceOptions options;
    std::string listen = "127.0.0.1:8443";
    std::string terminal;
    serve_cmd->add_option("--listen", listen, "address:port (default 127.0.0.1:8443, loopback)");
    serve_cmd->add_option("--terminal-dir", terminal,
                          "also play the qualification terminal: answer req/, drop face/ results");
    serve_cmd->add_option("--threads", options.threads, "worker threads (default 8)")
        ->check(CLI::Range(1, 256));
    serve_cmd->add_option("--max-body", options.max_body, "largest request body in bytes")
        ->check(CLI::Range(1024, 16 * 1024 * 1024));
    serve_cmd
        ->add_option("--rate-limit", options.rate_per_second,
                     "requests per second per client address (0: no limit; default 20)")
        ->check(CLI::Range(0.0, 1e6));

    // app.parse(args) rather than CLI11_PARSE(argc, argv): that overload,
    // inlined, makes GCC 12 report a null dereference in std::string that
    // is not there (-Wnull-dereference). CLI11 takes the arguments last first.
    std::vector<std::string> args;
    for (int i = argc - 1; i > 0; --i) args.emplace_back(argv[i]);
    if (argc > 0) app.name(argv[0]);
    try {
        app.parse(std::move(args));
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        if (*init) {
            init_state(state, codes, hosts, renew);
            std::cout << "state directory ready; clients use --server-ca " << state
                      << "/server.pem\n";
        } else if (*trust) {
            trust_ca(state, ca);
        } else if (*enroll_cmd) {
            enroll(state, cert, record);
        } else if (*revoke_cmd) {
            revoke(state, cert);
        } else if (*crl_cmd) {
            std::cout << import_crl(state, crl) << " revoked serial(s) imported\n";
        } else if (*serve_cmd) {
            options.state_dir = state;
            options.burst = std::max(1.0, 2 * options.rate_per_second);
            if (!terminal.empty()) options.terminal_dir = terminal;
            return serve(std::move(options), listen);
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "mynacard-qualification-server: " << e.what() << '\n';
        return 1;
    }
}
