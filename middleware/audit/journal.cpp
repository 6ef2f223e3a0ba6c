#include "audit/journal.h"

#include <dlfcn.h>
#include <sys/uio.h>
// No CODE_FILE/CODE_LINE/CODE_FUNC fields: they would carry source paths of
// the build, which say nothing about the card's use.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include <string>
#include <vector>

namespace mynacard::audit::detail {

namespace {

// libsystemd is opened at the first event, not linked: linked, it and the
// six libraries it pulls in (libgcrypt, liblzma, libzstd, liblz4, libcap,
// libgpg-error) were loaded with every program and module that links the
// audit log, card or no card — most of the time of loading
// mynacard-pkcs11.so through C_Finalize (docs/performance.md). Kept loaded
// (RTLD_NODELETE) once opened. Without libsystemd there is no journal copy,
// as without a running journal; the file is the record.
using SendV = decltype(&sd_journal_sendv);

SendV journal_sendv() noexcept {
    static const SendV fn = []() -> SendV {
        void* lib = ::dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (lib == nullptr) return nullptr;
        return reinterpret_cast<SendV>(::dlsym(lib, "sd_journal_sendv"));
    }();
    return fn;
}

}  // namespace

// Sends the event to the journal with the same PII-free fields as its log
// line (and the line's seq and hash when it was written, so a rewritten file
// can be compared with the journal). Where no journal runs,
// sd_journal_sendv fails on the missing /run/systemd/journal/socket: ignored.
void send_to_journal(const Entry& e, bool written) noexcept {
    try {
        const std::string op(to_string(e.event.operation));
        const std::string res(to_string(e.event.result));
        std::vector<std::string> fields{
            "MESSAGE=mynacard: " + op + " " + res,
            "MESSAGE_ID=" + std::string(journal_message_id),
            "PRIORITY=6",  // informational (syslog LOG_INFO)
            "SYSLOG_IDENTIFIER=mynacard",
            "MYNACARD_OPERATION=" + op,
            "MYNACARD_RESULT=" + res,
            "MYNACARD_PROGRAM=" + e.program,
            "MYNACARD_READER=" + e.event.reader,
            "MYNACARD_KEY=" + e.event.key,
            "MYNACARD_CERT_SERIAL_HASH=" + e.event.cert_serial_hash,
        };
        if (written) {
            fields.push_back("MYNACARD_SEQ=" + std::to_string(e.seq));
            fields.push_back("MYNACARD_ENTRY_HASH=" + e.hash);
        }
        std::vector<iovec> iov;
        iov.reserve(fields.size());
        for (auto& f : fields) iov.push_back(iovec{f.data(), f.size()});
        if (const SendV send = journal_sendv(); send != nullptr)
            (void)send(iov.data(), static_cast<int>(iov.size()));
    } catch (...) {  // NOLINT(bugprone-empty-catch): the file is the record; the journal a copy
    }
}

}  // namespace mynacard::audit::detail
