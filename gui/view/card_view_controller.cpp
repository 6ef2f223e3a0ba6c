#include "gui/view/card_view_controller.h"

#include <QCoreApplication>
#include <QSaveFile>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "gui/common/certificate_info.h"
#include "gui/common/messages.h"
#include "gui/pin/pin_dialog.h"
#include "gui/view/view_text.h"

namespace mynacard::gui {

namespace {

// How long a just-inserted card is given before its status is read again.
constexpr std::chrono::milliseconds kSettleRetry{300};
// 照合番号B: birth date (YYMMDD), expiry year (YYYY), security code (4).
constexpr std::size_t kFaceCodeLength = 14;

}  // namespace

CardViewController::CardViewController(CardViewBackend& backend, QObject* parent)
    : QObject(parent), backend_(backend) {
    connect(&backend_, &CardViewBackend::readersChanged, this, &CardViewController::updateReaders);
    connect(&backend_, &CardViewBackend::cardReplaced, this, &CardViewController::onCardReplaced);
    connect(&backend_, &CardViewBackend::busyChanged, this, &CardViewController::busyChanged);
    try {
        consent_path_ = consent::Store::default_path();
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): no home; the page says so
    }
}

CardViewController::~CardViewController() {
    if (data_.text) card::wipe(*data_.text);
    if (data_.face) card::wipe(*data_.face);
}

void CardViewController::setCertificatesWanted(bool wanted) {
    certificates_wanted_ = wanted;
    if (wanted && card_present_ && data_.certificates.empty()) readCertificates();
}

// ------------------------------------------------------------ readers and cards

void CardViewController::updateReaders() {
    const QList<ReaderInfo> list = backend_.readers();
    // Keep the reader shown; else the first with a card, else the first.
    const auto shown = std::find_if(list.begin(), list.end(),
                                    [this](const ReaderInfo& r) { return r.name == reader_; });
    if (shown == list.end()) {
        auto pick = std::find_if(list.begin(), list.end(),
                                 [](const ReaderInfo& r) { return r.card_present && !r.mute; });
        if (pick == list.end()) pick = list.begin();
        wipeCardData();
        card_present_ = false;
        reader_ = pick != list.end() ? pick->name : QString();
    }
    emit readersChanged();
    updateCardState();
}

QString CardViewController::cardTitle() const {
    const QList<ReaderInfo> list = backend_.readers();
    const auto current = std::find_if(list.begin(), list.end(),
                                      [this](const ReaderInfo& r) { return r.name == reader_; });
    const bool found = current != list.end();
    if (list.isEmpty())
        return CardViewText::tr(
            "No card reader found. Connect a reader; if one is connected, "
            "check that the smart card service (pcscd) is running.");
    if (found && current->card_present && !current->mute)
        return CardViewText::tr("Card in %1").arg(reader_);
    return found && current->mute
               ? CardViewText::tr("The card in %1 does not respond. Insert it again.").arg(reader_)
               : CardViewText::tr("Insert your My Number Card into %1.").arg(reader_);
}

void CardViewController::updateCardState() {
    const QList<ReaderInfo> list = backend_.readers();
    const auto current = std::find_if(list.begin(), list.end(),
                                      [this](const ReaderInfo& r) { return r.name == reader_; });
    const bool present = current != list.end() && current->card_present && !current->mute;
    if (!present) {
        // The card went: nothing read from it stays (decision 11).
        if (card_present_ || holdsCardData()) wipeCardData();
        card_present_ = false;
    } else if (!card_present_) {
        card_present_ = true;
        clearMessage();
        readStatus(2);
        if (certificates_wanted_) readCertificates();
    }
    emit cardStateChanged();
}

void CardViewController::onCardReplaced(const QString& reader) {
    if (reader != reader_ || !card_present_) return;
    // Nothing of the old card may be shown as this card's (decision 11);
    // the job that found the other card is dropped with the old data, and
    // the new card is read as if it had just been put in.
    wipeCardData();
    showErrorText(
        CardViewText::tr("Another card is now in %1. Showing that card; nothing of the previous "
                         "card is kept.")
            .arg(reader_));
    readStatus(2);
    if (certificates_wanted_) readCertificates();
}

void CardViewController::selectReader(const QString& name) {
    if (name == reader_) return;
    wipeCardData();
    card_present_ = false;
    reader_ = name;
    updateCardState();
}

void CardViewController::wipeCardData() {
    ++generation_;  // outcomes of jobs still running are dropped
    status_pending_ = false;
    flow_active_ = false;
    face_last_try_warned_ = false;
    if (data_.text) card::wipe(*data_.text);
    if (data_.face) card::wipe(*data_.face);
    data_ = CardData{};
    emit cardDataWiped();
    // Which answers were for this card's certificate goes with the card.
    emit consentsChanged();
}

bool CardViewController::holdsCardData() const noexcept {
    return data_.status || !data_.certificates.empty() || data_.text || data_.face;
}

std::optional<int> CardViewController::knownTries(card::Pin pin) const {
    if (!data_.status) return std::nullopt;
    switch (pin) {
        case card::Pin::auth:
            return data_.status->auth;
        case card::Pin::sign:
            return data_.status->sign;
        case card::Pin::text:
            return data_.status->text;
    }
    return std::nullopt;
}

void CardViewController::setTries(card::Pin pin, int tries) {
    if (!data_.status) return;
    switch (pin) {
        case card::Pin::auth:
            data_.status->auth = tries;
            break;
        case card::Pin::sign:
            data_.status->sign = tries;
            break;
        case card::Pin::text:
            data_.status->text = tries;
            break;
    }
    emit statusChanged();
}

// ------------------------------------------------------------ messages

void CardViewController::showError(const Error& error) {
    showErrorText(describe(error));
}

void CardViewController::showErrorText(const QString& text) {
    message_ = text;
    message_is_error_ = true;
    emit messageChanged();
}

void CardViewController::showInfo(const QString& text) {
    message_ = text;
    message_is_error_ = false;
    emit messageChanged();
}

void CardViewController::clearMessage() {
    message_.clear();
    message_is_error_ = false;
    emit messageChanged();
}

// ------------------------------------------------------------ jobs

template <class R>
CardViewBackend::Done<R> CardViewController::handled(std::function<void(R&)> shown,
                                                     std::function<void()> finally) {
    return [this, generation = generation_, shown = std::move(shown),
            finally = std::move(finally)](Outcome<R> outcome) {
        if (generation == generation_) {
            if (finally) finally();
            if (auto* e = std::get_if<Error>(&outcome)) {
                showError(*e);
                if (e->code() == Errc::pin_incorrect || e->code() == Errc::pin_blocked)
                    refreshStatus();  // the counter changed: show it
            } else {
                shown(std::get<0>(outcome));
            }
        }
        // Every job wrote to the audit log: keep the history current.
        emit historyChanged();
        emit jobFinished();
    };
}

void CardViewController::refreshStatus() {
    readStatus(0);
}

void CardViewController::readStatus(int retries) {
    if (!card_present_ || status_pending_) return;
    status_pending_ = true;
    using Status = CardViewBackend::Status;
    const quint64 generation = generation_;
    backend_.readStatus(reader_, this, [this, generation, retries](Outcome<Status> outcome) {
        if (generation == generation_) {
            status_pending_ = false;
            if (auto* e = std::get_if<Error>(&outcome)) {
                // A card just inserted can still be powering up (pcscd
                // reports it before it answers): one quiet retry.
                const bool settling = e->code() == Errc::card_removed ||
                                      e->code() == Errc::card_reset || e->code() == Errc::no_card ||
                                      e->code() == Errc::transport;
                if (settling && retries > 0) {
                    QTimer::singleShot(kSettleRetry, this, [this, generation, retries]() {
                        if (generation == generation_) readStatus(retries - 1);
                    });
                } else {
                    showError(*e);
                }
            } else {
                data_.status = std::get<0>(outcome);
                emit statusChanged();
            }
        }
        emit historyChanged();
        emit jobFinished();
    });
}

std::optional<SecureBytes> CardViewController::askPin(card::Pin pin, pinhelper::Purpose purpose,
                                                      int tries_left, const QString& hint,
                                                      pinhelper::Entry entry) {
    if (!ask_pin_) return std::nullopt;
    pinhelper::Request request;
    request.pin = pin;
    request.purpose = purpose;
    request.entry = entry;
    request.program = QCoreApplication::applicationFilePath().toStdString();
    request.pid = static_cast<long>(::getpid());
    request.reader = reader_.toStdString();
    request.tries_left = tries_left;
    if (!hint.isEmpty()) emit promptChanged(hint);
    auto result = ask_pin_(request);
    emit promptChanged(QString());
    return result;
}

void CardViewController::withTries(card::Pin pin, std::function<void(int)> next) {
    flow_active_ = true;
    backend_.readTries(reader_, pin, this,
                       handled<int>(
                           [this, pin, next = std::move(next)](int& tries) {
                               setTries(pin, tries);
                               next(tries);
                           },
                           [this]() { flow_active_ = false; }));
}

void CardViewController::readCertificates() {
    if (!card_present_) return;
    using Read = CardViewBackend::Certificates;
    backend_.readCertificates(reader_, this, handled<Read>([this](Read& read) {
                                  for (auto& [kind, der] : read) {
                                      try {
                                          data_.certificates.insert_or_assign(
                                              kind, x509::Certificate::from_der(der));
                                      } catch (const Error& e) {
                                          showError(e);
                                      }
                                  }
                                  emit certificatesChanged();
                                  emit consentsChanged();
                              }));
}

void CardViewController::readSignCertificate() {
    if (!card_present_ || flow_active_) return;
    withTries(card::Pin::sign, [this](int tries) {
        const quint64 generation = generation_;
        auto pin = askPin(card::Pin::sign, pinhelper::Purpose::read_certificate, tries);
        if (!pin || generation != generation_) return;
        auto secret = std::make_shared<const SecureBytes>(std::move(*pin));
        // Decision 5: the dialog asked for the holder's confirmation of a
        // last try; only then may it be spent.
        const card::PinOptions options{.confirm_last_try = tries == 1};
        flow_active_ = true;
        backend_.readSignCertificate(reader_, std::move(secret), options, this,
                                     handled<Bytes>(
                                         [this](Bytes& der) {
                                             try {
                                                 data_.certificates.insert_or_assign(
                                                     card::Certificate::sign,
                                                     x509::Certificate::from_der(der));
                                             } catch (const Error& e) {
                                                 showError(e);
                                             }
                                             clearMessage();
                                             emit certificatesChanged();
                                             emit consentsChanged();
                                             refreshStatus();
                                         },
                                         [this]() { flow_active_ = false; }));
    });
}

void CardViewController::changePin(card::Pin pin) {
    if (!card_present_ || flow_active_) return;
    withTries(pin, [this, pin](int tries) {
        const quint64 generation = generation_;
        if (tries == 0) {
            showError(Error(Errc::pin_blocked, "blocked", 0));
            return;
        }
        auto current = askPin(pin, pinhelper::Purpose::change_pin, tries,
                              CardViewText::tr("Enter the current %1.").arg(pin_title(pin)));
        if (!current || generation != generation_) return;
        auto next = askPin(pin, pinhelper::Purpose::change_pin, -1,
                           CardViewText::tr("Enter the new %1.").arg(pin_title(pin)),
                           pinhelper::Entry::new_pin);
        if (!next || generation != generation_) return;
        auto again = askPin(pin, pinhelper::Purpose::change_pin, -1,
                            CardViewText::tr("Enter the new %1 again.").arg(pin_title(pin)),
                            pinhelper::Entry::repeat_new);
        if (!again || generation != generation_) return;
        if (*next != *again) {
            showErrorText(
                CardViewText::tr("The two new PINs are not the same. Nothing was changed."));
            return;
        }
        auto cur = std::make_shared<const SecureBytes>(std::move(*current));
        auto nxt = std::make_shared<const SecureBytes>(std::move(*next));
        const card::PinOptions options{.confirm_last_try = tries == 1};
        flow_active_ = true;
        backend_.changePin(
            reader_, pin, std::move(cur), std::move(nxt), options, this,
            handled<bool>(
                [this, pin](bool&) {
                    showInfo(CardViewText::tr("The %1 was changed.").arg(pin_title(pin)));
                    refreshStatus();
                },
                [this]() { flow_active_ = false; }));
    });
}

void CardViewController::readTextData() {
    if (!card_present_ || flow_active_) return;
    withTries(card::Pin::text, [this](int tries) {
        if (tries == 0) {
            showError(Error(Errc::pin_blocked, "blocked", 0));
            return;
        }
        const quint64 generation = generation_;
        auto pin = askPin(card::Pin::text, pinhelper::Purpose::read_text, tries);
        if (!pin || generation != generation_) return;
        auto secret = std::make_shared<const SecureBytes>(std::move(*pin));
        const card::PinOptions options{.confirm_last_try = tries == 1};
        flow_active_ = true;
        backend_.readText(reader_, std::move(secret), options, this,
                          handled<card::TextApData>(
                              [this](card::TextApData& t) {
                                  if (data_.text) card::wipe(*data_.text);
                                  data_.text = std::move(t);
                                  card::wipe(t);
                                  clearMessage();
                                  emit textChanged();
                                  refreshStatus();
                              },
                              [this]() { flow_active_ = false; }));
    });
}

void CardViewController::readFaceData(SecureBytes code) {
    if (!card_present_ || flow_active_) return;
    if (code.size() != kFaceCodeLength) {
        showErrorText(CardViewText::tr("照合番号B has 14 digits. Nothing was sent to the card."));
        return;
    }
    // Decision 5: the last try of a 照合番号 goes only after the holder was
    // told it is the last one and entered the number again.
    const card::PinOptions options{.confirm_last_try = face_last_try_warned_};
    face_last_try_warned_ = false;
    auto shown = handled<card::FaceData>([this](card::FaceData& f) {
        if (data_.face) card::wipe(*data_.face);
        data_.face = std::move(f);
        card::wipe(f);
        clearMessage();
        emit faceChanged();
    });
    backend_.readFace(
        reader_, std::make_shared<const SecureBytes>(std::move(code)), options, this,
        [this, generation = generation_,
         shown = std::move(shown)](Outcome<card::FaceData> outcome) {
            const auto* e = std::get_if<Error>(&outcome);
            if (generation == generation_ && e != nullptr &&
                e->code() == Errc::confirmation_required) {
                face_last_try_warned_ = true;
                showErrorText(CardViewText::tr(
                    "Only one try is left for 照合番号B: a wrong number locks the card face until "
                    "the city office resets it. Nothing was sent to the card. Check the number "
                    "printed on the card, type it again and read to use the last try."));
                emit historyChanged();
                emit jobFinished();
                return;
            }
            shown(std::move(outcome));
        });
}

// ------------------------------------------------------------ export and consent

bool CardViewController::exportCertificate(card::Certificate which, const QString& path, bool pem) {
    const auto it = data_.certificates.find(which);
    if (it == data_.certificates.end()) return false;
    const x509::Certificate& c = it->second;
    QByteArray bytes;
    if (pem) {
        const std::string text = c.pem();
        bytes = QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    } else {
        bytes = QByteArray(reinterpret_cast<const char*>(c.der().data()),
                           static_cast<qsizetype>(c.der().size()));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        showError(Error(Errc::io, "cannot write " + path.toStdString()));
        return false;
    }
    try {
        backend_.recordExport(reader_, which, c.der());
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): the file is written already
    }
    emit historyChanged();
    return true;
}

void CardViewController::setConsentStorePath(std::filesystem::path path) {
    consent_path_ = std::move(path);
    refreshConsents();
}

void CardViewController::refreshConsents() {
    consent_records_ =
        consent_path_ ? consent::Store(*consent_path_).records() : std::vector<consent::Record>{};
    // Newest first, like the usage history (RFC 3339 UTC sorts as text).
    std::stable_sort(
        consent_records_.begin(), consent_records_.end(),
        [](const consent::Record& a, const consent::Record& b) { return a.time > b.time; });
    emit consentsChanged();
}

std::string CardViewController::signCertificateHash() const {
    const auto it = data_.certificates.find(card::Certificate::sign);
    return it == data_.certificates.end() ? std::string() : consent::certificate_hash(it->second);
}

bool CardViewController::forgetConsent(const QString& program, const QString& certificate_hash,
                                       const QString& shown_name) {
    if (!consent_path_) return false;
    bool forgotten = false;
    try {
        forgotten = consent::Store(*consent_path_)
                        .forget(program.toStdString(), certificate_hash.toStdString());
    } catch (const Error& e) {
        showError(e);
        return false;
    }
    refreshConsents();
    if (!forgotten) return false;  // another program removed it meanwhile
    showInfo(
        CardViewText::tr("The answer for %1 was forgotten: you are asked again the next time it "
                         "wants your signature certificate.")
            .arg(shown_name));
    return true;
}

}  // namespace mynacard::gui
