#pragma once

// Backend (a) of architecture decision 10: the file exchange with the
// official qualification terminal (docs/qualification.md). The clinic side
// writes a request into `req`; the terminal's 連携アプリ answers into `res`
// under the same base name (…req_<id>.xml → …res_<id>.xml) [A28][A41][A42];
// card checks at the face reader arrive in `face` unasked (FaceWatcher).

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "qualification/xml_msg.h"

namespace mynacard::qualification {

// Which exchange a request belongs to: it names the files ([A45][A40]).
enum class Exchange {
    qualification,     // OQSsiquc01: one person's qualification by card numbers
    reference_number,  // OQSsiimm01: register a 照会番号 for one person
};
[[nodiscard]] std::string_view file_prefix(Exchange exchange) noexcept;

struct FolderOptions {
    // How often `res` is looked at: inotify wakes us earlier where it works,
    // but on SMB/NFS mounts it often sees nothing.
    std::chrono::milliseconds poll_interval{250};
    // An answer counts as completely written once its size and mtime have
    // not changed for this long (the terminal may write it in parts).
    std::chrono::milliseconds stable_for{300};
    // Requests carry only card numbers, never names: UTF-8 always fits.
    // CharacterCodeIdentifier in the request follows, and with it the
    // encoding the terminal answers in.
    Encoding request_encoding = Encoding::utf8;
    // Decision 11: answers hold personal data; they are removed once read.
    bool remove_answers = true;
};

class TerminalFolders {
  public:
    // `root` holds the terminal's req, res and face folders.
    explicit TerminalFolders(std::filesystem::path root, FolderOptions options = {});

    // Sends `request` and waits up to `timeout` for its answer. The file
    // name gets a fresh identifier; ArbitraryFileIdentifier is set to it
    // unless the request carries one. Throws Error(timeout) when no complete
    // answer arrived (the unanswered request is withdrawn),
    // Error(malformed_data) when the answer does not parse or its
    // ArbitraryFileIdentifier is not the request's, Error(not_found) when
    // `req` or `res` is missing, Error(io) on a write failure.
    [[nodiscard]] XmlMsg ask(Exchange exchange, const XmlMsg& request,
                             std::chrono::milliseconds timeout);
    // The same, with the answer's bytes as read from `res` (the file itself
    // is removed as remove_answers says).
    [[nodiscard]] Received ask_received(Exchange exchange, const XmlMsg& request,
                                        std::chrono::milliseconds timeout);
    // The exchange follows from the body: ReferenceNumberRegistrationInfo
    // registers a 照会番号, anything else asks for qualification.
    [[nodiscard]] XmlMsg ask(const XmlMsg& request, std::chrono::milliseconds timeout);

    [[nodiscard]] std::filesystem::path req_dir() const { return root_ / "req"; }
    [[nodiscard]] std::filesystem::path res_dir() const { return root_ / "res"; }
    [[nodiscard]] std::filesystem::path face_dir() const { return root_ / "face"; }

    // A file-name identifier: local time to the second and 32 random bits
    // ("20250301093015a1b2c3d4"), unique across processes and restarts.
    [[nodiscard]] static std::string new_identifier();

  private:
    std::filesystem::path root_;
    FolderOptions options_;
};

}  // namespace mynacard::qualification
