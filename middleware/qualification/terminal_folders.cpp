#include "qualification/terminal_folders.h"

#include <sys/random.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <ctime>

#include "core/error.h"
#include "qualification/folder_io.h"

namespace mynacard::qualification {

std::string_view file_prefix(Exchange exchange) noexcept {
    switch (exchange) {
        case Exchange::qualification:
            return "OQSsiquc01";
        case Exchange::reference_number:
            return "OQSsiimm01";
    }
    return "OQSsiquc01";
}

TerminalFolders::TerminalFolders(std::filesystem::path root, FolderOptions options)
    : root_(std::move(root)), options_(options) {}

std::string TerminalFolders::new_identifier() {
    std::array<std::uint8_t, 4> random{};
    std::size_t got = 0;
    while (got < random.size()) {
        const ssize_t n = ::getrandom(random.data() + got, random.size() - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::internal, "getrandom failed");
        }
        got += static_cast<std::size_t>(n);
    }
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    std::array<char, 16> stamp{};
    std::strftime(stamp.data(), stamp.size(), "%Y%m%d%H%M%S", &local);
    return std::string(stamp.data()) + to_hex(random, false);
}

XmlMsg TerminalFolders::ask(const XmlMsg& request, std::chrono::milliseconds timeout) {
    return ask(request.body.registration ? Exchange::reference_number : Exchange::qualification,
               request, timeout);
}

XmlMsg TerminalFolders::ask(Exchange exchange, const XmlMsg& request,
                            std::chrono::milliseconds timeout) {
    Received received = ask_received(exchange, request, timeout);
    wipe(received.bytes);  // personal data: not left in freed memory
    return std::move(received.message);
}

Received TerminalFolders::ask_received(Exchange exchange, const XmlMsg& request,
                                       std::chrono::milliseconds timeout) {
    std::error_code ec;
    for (const auto& dir : {req_dir(), res_dir()})
        if (!std::filesystem::is_directory(dir, ec))
            throw Error(Errc::not_found, "terminal folder " + dir.filename().string() +
                                             "/ is missing under the configured root");
    const std::string id = new_identifier();
    const std::string prefix(file_prefix(exchange));
    const std::string req_name = prefix + "req_" + id + ".xml";
    const std::string res_name = prefix + "res_" + id + ".xml";

    XmlMsg sent = request;
    if (!sent.header.arbitrary_file_identifier || sent.header.arbitrary_file_identifier->empty())
        sent.header.arbitrary_file_identifier = id;
    const std::string expected = *sent.header.arbitrary_file_identifier;

    // Watch before writing, so an answer faster than us is not missed.
    detail::FolderWatch watch(res_dir());
    detail::SettleTracker settle(options_.stable_for);
    detail::write_atomically(req_dir(), req_name, write(sent, options_.request_encoding));

    const auto answer = res_dir() / res_name;
    const auto deadline = detail::Clock::now() + timeout;
    for (;;) {
        const auto now = detail::Clock::now();
        if (const auto state = detail::file_state(answer);
            state && settle.settled(res_name, *state, now)) {
            auto bytes = detail::read_bounded(answer, kMaxFileSize);
            if (bytes) {
                XmlMsg reply = parse(*bytes);
                const auto& got = reply.header.arbitrary_file_identifier;
                // Left in place: a person has to look at an answer that is
                // not ours, and it is not ours to delete.
                if (!got || *got != expected)
                    throw Error(Errc::malformed_data, "ArbitraryFileIdentifier: the answer " +
                                                          res_name + " names another request");
                if (options_.remove_answers) std::filesystem::remove(answer, ec);
                return {std::move(reply), std::move(*bytes)};
            }
        }
        if (now >= deadline) break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                          std::chrono::milliseconds(1);
        auto step = std::min(options_.poll_interval, left);
        // A pending answer is looked at again as soon as it may have settled.
        if (detail::file_state(answer))
            step = std::min(step, options_.stable_for / 2 + std::chrono::milliseconds(1));
        watch.wait(step);
    }
    // Withdrawn, so that the terminal does not answer after we stopped waiting.
    std::filesystem::remove(req_dir() / req_name, ec);
    throw Error(Errc::timeout,
                "no answer to " + req_name + " within " + std::to_string(timeout.count()) + " ms");
}

}  // namespace mynacard::qualification
