#include "gui/kiosk/kiosk_handover.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "card/facts.h"
#include "core/error.h"

namespace mynacard::gui {

namespace {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(ch);
        } else if (c < 0x20) {
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0x0F]);
        } else {
            out.push_back(ch);  // UTF-8 passes through (validated by the card layer)
        }
    }
    out.push_back('"');
}

// YYYYMMDD → YYYY-MM-DD (ISO 8601, what forms and databases take); anything
// else is handed over unchanged rather than guessed at.
std::string iso_date(const std::string& yyyymmdd) {
    if (yyyymmdd.size() != 8) return yyyymmdd;
    return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

bool write_all_stdout(std::string_view line) {
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) return false;
    if (std::fputc('\n', stdout) == EOF) return false;
    return std::fflush(stdout) == 0;
}

// Whether the socket at `path` sits only in directories that nobody but
// root, the kiosk itself and the receiver can change: a directory another
// user can write lets that user put their own socket there (and receive the
// holder's data), unless the sticky bit keeps them from replacing entries
// they do not own. Every ancestor counts: renaming one moves the rest.
bool socket_directory_trusted(const std::filesystem::path& path, unsigned peer_uid,
                              std::string& why) {
    const auto own = static_cast<unsigned>(::geteuid());
    std::filesystem::path dir;
    for (const auto& part : path.parent_path()) {
        dir /= part;
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            why = dir.string() + " is not a directory";
            return false;
        }
        if (st.st_uid != 0 && st.st_uid != own && st.st_uid != peer_uid) {
            why = dir.string() + " belongs to another user (uid " + std::to_string(st.st_uid) + ")";
            return false;
        }
        if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0) {
            why = dir.string() + " can be written by other users";
            return false;
        }
    }
    return true;
}

// Refusals say why on stderr (never any card data), for the kiosk's log.
bool refuse(const std::string& why) {
    std::cerr << "mynacard-helper --kiosk: not handed over: " << why << std::endl;
    return false;
}

bool write_all_socket(const KioskOutput& output, std::string_view line) {
    const std::string& path = output.socket_path;
    const unsigned peer_uid = output.peer_uid.value_or(static_cast<unsigned>(::geteuid()));
    std::string why;
    if (!socket_directory_trusted(path, peer_uid, why)) return refuse(why);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    timeval tv{};
    tv.tv_sec = 2;
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path, path.data(), path.size());
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return false;
    // The kernel's word on who listens, taken when it called listen(): a
    // process of another uid gets nothing, whoever made the socket file.
    ucred peer{};
    socklen_t size = sizeof peer;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || size != sizeof peer)
        return refuse("cannot read the receiver's credentials");
    if (static_cast<unsigned>(peer.uid) != peer_uid)
        return refuse("the receiver runs as uid " + std::to_string(peer.uid) + ", not " +
                      std::to_string(peer_uid) + " (socket_peer_uid)");
    std::size_t sent = 0;
    bool ok = true;
    // The line, then the newline: no second buffer holding the data.
    for (const std::string_view part : {line, std::string_view("\n")}) {
        sent = 0;
        while (ok && sent < part.size()) {
            const ssize_t n = ::send(fd, part.data() + sent, part.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                ok = false;
                break;
            }
            sent += static_cast<std::size_t>(n);
        }
    }
    return ok;
}

}  // namespace

void KioskCardData::wipe() noexcept {
    mynacard::wipe(my_number);
    mynacard::wipe(name);
    mynacard::wipe(address);
    mynacard::wipe(birth_date);
    mynacard::wipe(sex);
}

std::shared_ptr<KioskCardData> take_kiosk_card_data(card::TextApData& data) {
    auto out = std::make_shared<KioskCardData>();
    out->my_number = data.my_number;
    out->name = data.basic.name;
    out->address = data.basic.address;
    out->birth_date = data.basic.birth_date;
    out->sex = data.basic.sex;
    card::wipe(data);
    return out;
}

QString mask_my_number(std::string_view my_number) {
    // The one rule of card/facts.h, as a QString for the screen.
    std::string m = card::mask_my_number(my_number);
    QString out = QString::fromStdString(m);
    mynacard::wipe(m);
    return out;
}

std::string kiosk_handover_json(const KioskCardData& data, const QString& reader,
                                const QDateTime& when) {
    // Reserved once for the worst case (every byte escaped as \u00XX, six
    // bytes), so the string never grows: a reallocation would free the old
    // buffer with the data in it, out of reach of the caller's wipe.
    const QByteArray reader_utf8 = reader.toUtf8();
    constexpr std::size_t fixed = 256;  // keys, punctuation, time, ISO date
    constexpr std::size_t escaped = 6;
    std::string out;
    out.reserve(fixed + escaped * (static_cast<std::size_t>(reader_utf8.size()) +
                                   data.my_number.size() + data.name.size() + data.address.size() +
                                   data.birth_date.size() + data.sex.size()));
    out += R"({"type":"mynacard.kiosk.text_ap","version":1,"time":)";
    append_json_string(out, when.toUTC().toString(Qt::ISODate).toStdString());
    out += ",\"reader\":";
    append_json_string(out, std::string_view(reader_utf8.constData(),
                                             static_cast<std::size_t>(reader_utf8.size())));
    out += ",\"my_number\":";
    append_json_string(out, data.my_number);
    out += ",\"name\":";
    append_json_string(out, data.name);
    out += ",\"address\":";
    append_json_string(out, data.address);
    out += ",\"birth_date\":";
    std::string date = iso_date(data.birth_date);
    append_json_string(out, date);
    mynacard::wipe(date);
    out += ",\"sex\":";
    append_json_string(out, data.sex);
    out += "}";
    return out;
}

bool write_kiosk_output(const KioskOutput& output, std::string_view line) {
    if (output.kind == KioskOutput::Kind::unix_socket) return write_all_socket(output, line);
    return write_all_stdout(line);
}

}  // namespace mynacard::gui
