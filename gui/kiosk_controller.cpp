#include "gui/kiosk_controller.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "audit/audit.h"
#include "card/facts.h"
#include "core/error.h"

namespace mynacard::gui {

namespace {

// The 券面事項入力補助 PIN is four digits (card-facts.md §2.3); the keypad
// stops taking digits there.
constexpr std::size_t text_pin_length = 4;
// Staff mode: five wrong operator PINs lock the prompt for five minutes, so
// guessing at an unattended kiosk is slow.
constexpr int staff_max_failures = 5;
constexpr int staff_lock_seconds = 300;
constexpr int ms_per_second = 1000;

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

// --- CardServiceKioskBackend ---------------------------------------------

void CardServiceKioskBackend::queryTriesLeft(const QString& reader, QObject* receiver,
                                             std::function<void(Outcome<int>)> done) {
    service_.run<int>(
        reader,
        [](CardJob& j) {
            try {
                const int tries = j.card().tries_left(card::Pin::text);
                j.record(audit::Operation::pin_status, audit::Result::ok, "text");
                return tries;
            } catch (const Error& e) {
                j.record(audit::Operation::pin_status, audit::result_of(e.code()), "text");
                throw;
            }
        },
        receiver, std::move(done));
}

void CardServiceKioskBackend::readText(
    const QString& reader, std::shared_ptr<SecureBytes> pin, card::PinOptions options,
    QObject* receiver, std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> done) {
    service_.run<std::shared_ptr<KioskCardData>>(
        reader,
        [pin = std::move(pin), options](CardJob& j) {
            // The PIN is overwritten as soon as the card has had it, whatever
            // the outcome (decision 5).
            struct ZeroPin {
                SecureBytes& p;
                ~ZeroPin() {
                    if (!p.empty()) secure_zero(p.data(), p.size());
                    p.clear();
                }
            } zero{*pin};
            try {
                card::TextApData d = j.card().read_text_ap(*pin, options);
                auto out = take_kiosk_card_data(d);
                j.record(audit::Operation::read_text_ap, audit::Result::ok, "text");
                return out;
            } catch (const Error& e) {
                j.record(audit::Operation::read_text_ap, audit::result_of(e.code()), "text");
                throw;
            }
        },
        receiver, std::move(done));
}

// --- KioskController -------------------------------------------------------

KioskController::KioskController(KioskConfig config, KioskCardBackend& backend, QObject* parent,
                                 OutputWriter output)
    : QObject(parent), config_(std::move(config)), backend_(backend), output_(std::move(output)) {
    if (!output_) {
        output_ = [out = config_.output](std::string_view line) {
            return write_kiosk_output(out, line);
        };
    }
    pin_.reserve(text_pin_length);  // no reallocation, so no stray copies of digits
    idle_timer_.setSingleShot(true);
    idle_timer_.setInterval(config_.idle_timeout_seconds * ms_per_second);
    pin_timer_.setSingleShot(true);
    pin_timer_.setInterval(config_.pin_timeout_seconds * ms_per_second);
    alert_timer_.setSingleShot(true);
    alert_timer_.setInterval(config_.card_left_alert_seconds * ms_per_second);
    connect(&idle_timer_, &QTimer::timeout, this, &KioskController::onIdle);
    connect(&pin_timer_, &QTimer::timeout, this, &KioskController::onPinTimeout);
    connect(&alert_timer_, &QTimer::timeout, this, &KioskController::onAlert);
}

KioskController::~KioskController() {
    if (!pin_.empty()) secure_zero(pin_.data(), pin_.size());
    mynacard::wipe(json_);
}

void KioskController::follow(CardService& service) {
    connect(&service, &CardService::readersChanged, this,
            [this, &service]() { updateReaders(service.readers()); });
    updateReaders(service.readers());
}

bool KioskController::readerMatches(const QString& name) const {
    return config_.reader.isEmpty() || name.contains(config_.reader, Qt::CaseInsensitive);
}

QList<ReaderInfo> KioskController::matchingReaders() const {
    QList<ReaderInfo> out;
    for (const auto& r : readers_)
        if (readerMatches(r.name)) out.push_back(r);
    return out;
}

bool KioskController::activeCardPresent() const {
    return !reader_.isEmpty() && present_.contains(reader_);
}

bool KioskController::isTakeCardState() const noexcept {
    return state_ == KioskState::handover || state_ == KioskState::remove_card ||
           state_ == KioskState::blocked || state_ == KioskState::failed;
}

void KioskController::updateReaders(const QList<ReaderInfo>& readers) {
    readers_ = readers;
    QSet<QString> now;
    QString arrived;
    bool arrived_mute = false;
    for (const auto& r : readers) {
        if (!readerMatches(r.name) || !r.card_present) continue;
        now.insert(r.name);
        if (!present_.contains(r.name) && arrived.isEmpty()) {
            arrived = r.name;
            arrived_mute = r.mute;
        }
    }
    present_ = now;
    if (state_ != KioskState::start && !reader_.isEmpty() && !now.contains(reader_)) {
        // The card was taken (or its reader unplugged): whatever was on the
        // screen belongs to nobody now.
        wipe();
        reader_.clear();
        setAlert(false);
        alert_timer_.stop();
        enter(KioskState::start);
    }
    if (state_ == KioskState::start && !arrived.isEmpty())
        beginFlow(arrived, arrived_mute);
    else
        emit changed();  // reader status in staff mode
}

void KioskController::beginFlow(const QString& reader, bool mute) {
    wipe();
    reader_ = reader;
    if (mute) {
        enter(KioskState::failed, KioskNotice::card_unreadable);
        return;
    }
    enter(KioskState::checking);
    backend_.queryTriesLeft(reader_, this,
                            [this, flow = flow_](Outcome<int> o) { onTries(flow, std::move(o)); });
}

void KioskController::onTries(int flow, Outcome<int> outcome) {
    if (flow != flow_ || state_ != KioskState::checking) return;
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::card_removed:
            case Errc::no_card:
                resetFlow(KioskNotice::none);
                return;
            case Errc::not_found:
            case Errc::unsupported:
                enter(KioskState::failed, KioskNotice::not_my_number_card);
                return;
            case Errc::pin_blocked:
                enter(KioskState::blocked);
                return;
            default:
                enter(KioskState::failed, KioskNotice::card_unreadable);
                return;
        }
    }
    tries_left_ = std::get<int>(outcome);
    if (tries_left_ <= 0) {
        enter(KioskState::blocked);
        return;
    }
    enter(KioskState::pin_entry);
    emit pinEntryStarted();
}

void KioskController::enter(KioskState s, KioskNotice n) {
    state_ = s;
    notice_ = n;
    pin_timer_.stop();
    switch (s) {
        case KioskState::pin_entry:
        case KioskState::confirm_last_try:
            // No time limit unless configured (accessibility, §B.3).
            idle_timer_.stop();
            if (config_.pin_timeout_seconds > 0) pin_timer_.start();
            break;
        case KioskState::checking:
        case KioskState::reading:
            idle_timer_.stop();  // the card is working; removal still wipes
            break;
        default:
            idle_timer_.start();
            break;
    }
    // Staff mode always ends on its own when left alone, whatever screen.
    if (staff_) idle_timer_.start();
    if (isTakeCardState()) {
        // 取り忘れ対策 (§B.2): counted from the first screen that asks for
        // the card back, not restarted by later ones.
        if (!alert_ && !alert_timer_.isActive()) alert_timer_.start();
    } else {
        alert_timer_.stop();
    }
    emit stateChanged(s);
    emit changed();
}

void KioskController::wipe() noexcept {
    ++flow_;
    if (!pin_.empty()) secure_zero(pin_.data(), pin_.size());
    pin_.clear();
    data_.reset();  // KioskCardData overwrites itself
    mynacard::wipe(json_);
    revealed_ = false;
    tries_left_ = -1;
    notice_ = KioskNotice::none;
    emit wiped();
}

void KioskController::resetFlow(KioskNotice n) {
    wipe();
    if (activeCardPresent()) {
        enter(KioskState::remove_card, n);
    } else {
        reader_.clear();
        setAlert(false);
        enter(KioskState::start, n);
    }
}

void KioskController::appendDigit(int digit) {
    if (state_ != KioskState::pin_entry || staff_ || digit < 0 || digit > 9) return;
    noteActivity();
    if (pin_.size() >= text_pin_length) return;
    pin_.push_back(static_cast<std::uint8_t>('0' + digit));
    if (notice_ == KioskNotice::pin_format) notice_ = KioskNotice::none;
    emit changed();
}

void KioskController::removeDigit() {
    if (state_ != KioskState::pin_entry || pin_.empty()) return;
    noteActivity();
    pin_.back() = 0;
    pin_.pop_back();
    emit changed();
}

void KioskController::clearPin() {
    if (!pin_.empty()) secure_zero(pin_.data(), pin_.size());
    pin_.clear();
    noteActivity();
    emit changed();
}

void KioskController::submitPin() {
    if (state_ != KioskState::pin_entry || staff_) return;
    noteActivity();
    try {
        // Decision 5: a PIN that breaks the format never reaches the card.
        card::check_pin_format(card::CardProfile::my_number_card(), card::Pin::text, pin_);
    } catch (const Error&) {
        notice_ = KioskNotice::pin_format;
        emit changed();
        return;
    }
    if (tries_left_ == 1) {
        enter(KioskState::confirm_last_try, notice_);
        return;
    }
    startRead(false);
}

void KioskController::confirmLastTry() {
    if (state_ != KioskState::confirm_last_try || staff_) return;
    startRead(true);
}

void KioskController::startRead(bool confirmed) {
    auto pin = std::make_shared<SecureBytes>();
    pin->reserve(pin_.size());
    pin->assign(pin_.begin(), pin_.end());
    secure_zero(pin_.data(), pin_.size());
    pin_.clear();
    enter(KioskState::reading);
    card::PinOptions options;
    options.confirm_last_try = confirmed;
    backend_.readText(reader_, std::move(pin), options, this,
                      [this, flow = flow_](Outcome<std::shared_ptr<KioskCardData>> o) {
                          onRead(flow, std::move(o));
                      });
}

void KioskController::onRead(int flow, Outcome<std::shared_ptr<KioskCardData>> outcome) {
    if (flow != flow_ || state_ != KioskState::reading) return;  // the data wipes itself
    if (const auto* e = std::get_if<Error>(&outcome)) {
        switch (e->code()) {
            case Errc::pin_incorrect:
                // Never retried by software: the citizen decides (decision 5).
                tries_left_ = e->tries_left();
                if (tries_left_ == 0) {
                    enter(KioskState::blocked);
                } else {
                    enter(KioskState::pin_entry, KioskNotice::pin_incorrect);
                    emit pinEntryStarted();
                }
                return;
            case Errc::pin_blocked:
                tries_left_ = 0;
                enter(KioskState::blocked);
                return;
            case Errc::confirmation_required:
                tries_left_ = 1;
                enter(KioskState::confirm_last_try);
                return;
            case Errc::pin_format:
                enter(KioskState::pin_entry, KioskNotice::pin_format);
                emit pinEntryStarted();
                return;
            case Errc::card_removed:
            case Errc::no_card:
                resetFlow(KioskNotice::none);
                return;
            case Errc::not_found:
                enter(KioskState::failed, KioskNotice::not_my_number_card);
                return;
            default:
                enter(KioskState::failed, KioskNotice::card_unreadable);
                return;
        }
    }
    data_ = std::move(std::get<std::shared_ptr<KioskCardData>>(outcome));
    json_ = kiosk_handover_json(*data_, reader_, QDateTime::currentDateTimeUtc());
    const bool sent = output_(json_);
    mynacard::wipe(json_);
    if (!sent) {
        data_.reset();
        enter(KioskState::failed, KioskNotice::send_failed);
        return;
    }
    enter(KioskState::handover);
    emit handedOver();
}

void KioskController::cancel() {
    if (state_ != KioskState::pin_entry && state_ != KioskState::confirm_last_try &&
        state_ != KioskState::checking)
        return;
    wipe();
    enter(KioskState::remove_card, KioskNotice::cancelled);
}

void KioskController::finish() {
    if (state_ != KioskState::handover) return;
    data_.reset();
    revealed_ = false;
    enter(KioskState::remove_card);
}

void KioskController::setMyNumberRevealed(bool revealed) {
    if (state_ != KioskState::handover || staff_) return;
    noteActivity();
    revealed_ = revealed;
    emit changed();
}

void KioskController::noteActivity() {
    if (idle_timer_.isActive()) idle_timer_.start();
    if (pin_timer_.isActive()) pin_timer_.start();
}

StaffLogin KioskController::staffLogin(std::string_view operator_pin) {
    if (!staffAvailable()) return StaffLogin::disabled;
    const auto now = QDateTime::currentDateTimeUtc();
    if (staff_locked_until_.isValid() && now < staff_locked_until_) return StaffLogin::locked;
    if (!verify_operator_pin(config_.operator_pin_hash, operator_pin)) {
        if (++staff_failures_ >= staff_max_failures) {
            staff_failures_ = 0;
            staff_locked_until_ = now.addSecs(staff_lock_seconds);
            return StaffLogin::locked;
        }
        return StaffLogin::wrong_pin;
    }
    staff_failures_ = 0;
    staff_ = true;
    // Staff never continue a PIN the citizen started (proxy-authority abuse).
    if (!pin_.empty()) secure_zero(pin_.data(), pin_.size());
    pin_.clear();
    revealed_ = false;
    idle_timer_.start();  // staff mode ends on its own when left alone
    emit staffModeChanged(true);
    emit changed();
    return StaffLogin::ok;
}

void KioskController::staffLogout() {
    if (!staff_) return;
    staff_ = false;
    // Back to the citizen's timers (no idle limit on PIN entry).
    enter(state_, notice_);
    emit staffModeChanged(false);
}

void KioskController::staffReturnToStart() {
    if (!staff_) return;
    resetFlow(KioskNotice::none);
    emit changed();
}

void KioskController::onIdle() {
    staffLogout();
    if (isTakeCardState()) resetFlow(KioskNotice::timed_out);
}

void KioskController::onPinTimeout() {
    if (state_ != KioskState::pin_entry && state_ != KioskState::confirm_last_try) return;
    wipe();
    enter(KioskState::remove_card, KioskNotice::timed_out);
}

void KioskController::onAlert() {
    if (!activeCardPresent() || !isTakeCardState()) return;
    setAlert(true);
    if (state_ == KioskState::handover) {
        // Nobody is looking at the data any more: take it off the screen.
        data_.reset();
        revealed_ = false;
        enter(KioskState::remove_card);
    }
}

void KioskController::setAlert(bool on) {
    if (alert_ == on) return;
    alert_ = on;
    emit cardLeftAlertChanged(on);
    emit changed();
}

QString KioskController::name() const {
    return data_ ? QString::fromStdString(data_->name) : QString();
}
QString KioskController::address() const {
    return data_ ? QString::fromStdString(data_->address) : QString();
}
QString KioskController::birthDate() const {
    return data_ ? QString::fromStdString(data_->birth_date) : QString();
}
QString KioskController::sex() const {
    return data_ ? QString::fromStdString(data_->sex) : QString();
}
QString KioskController::displayedMyNumber() const {
    if (!data_) return {};
    if (myNumberRevealed()) {
        // Groups of four, as on the card.
        const QString n = QString::fromStdString(data_->my_number);
        QString out;
        for (qsizetype i = 0; i < n.size(); ++i) {
            if (i > 0 && i % 4 == 0) out += ' ';
            out += n[i];
        }
        return out;
    }
    return mask_my_number(data_->my_number);
}

}  // namespace mynacard::gui
