#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "card/card.h"
#include "consent/consent.h"
#include "core/bytes.h"
#include "core/error.h"
#include "gui/common/card_service.h"
#include "gui/view/card_view_backend.h"
#include "pinhelper/pinhelper.h"
#include "x509/x509.h"

namespace mynacard::gui {

// Everything the card view decides, without a widget (so tests drive it
// with a fake backend): which reader is shown and whether a card is in it,
// what has been read from that card, the PIN flows (tries shown before
// asking, decision 5; the last try only with the holder's explicit
// confirmation; nothing sent when the holder cancels), certificate export,
// the remembered consent answers, and errors turned into the user's
// message (decision 7). Everything read from a card is wiped when that card
// goes, or when a job finds another card in the reader
// (CardViewBackend::cardReplaced), which is then read afresh.
class CardViewController : public QObject {
    Q_OBJECT
  public:
    // Asks the holder for a PIN; nothing when cancelled.
    using PinAsker = std::function<std::optional<SecureBytes>(const pinhelper::Request& request)>;
    // What has been read from the card in the current reader.
    struct CardData {
        std::optional<card::MyNumberCard::Status> status;
        std::map<card::Certificate, x509::Certificate> certificates;
        std::optional<card::TextApData> text;
        std::optional<card::FaceData> face;
    };

    explicit CardViewController(CardViewBackend& backend, QObject* parent = nullptr);
    ~CardViewController() override;
    CardViewController(const CardViewController&) = delete;
    CardViewController& operator=(const CardViewController&) = delete;

    void setPinAsker(PinAsker asker) { ask_pin_ = std::move(asker); }
    // Whether the certificates are on screen: they are then read as soon as
    // a card is in.
    void setCertificatesWanted(bool wanted);

    [[nodiscard]] CardViewBackend& backend() noexcept { return backend_; }
    // Takes the backend's readers: keeps the reader shown, else picks the
    // first with a card (called on every CardViewBackend::readersChanged).
    void updateReaders();
    // Drops everything read from the card (the window closes).
    void wipe() { wipeCardData(); }
    [[nodiscard]] QList<ReaderInfo> readers() const { return backend_.readers(); }
    [[nodiscard]] QString currentReader() const { return reader_; }
    void selectReader(const QString& name);
    [[nodiscard]] bool cardPresent() const noexcept { return card_present_; }
    // "Card in …", "Insert your My Number Card into …", no reader…
    [[nodiscard]] QString cardTitle() const;

    [[nodiscard]] const CardData& data() const noexcept { return data_; }
    [[nodiscard]] bool holdsCardData() const noexcept;
    [[nodiscard]] std::optional<int> knownTries(card::Pin pin) const;

    // The message shown above the pages (error or confirmation), empty when
    // none; lastError() only when it is an error.
    [[nodiscard]] QString message() const { return message_; }
    [[nodiscard]] bool messageIsError() const noexcept { return message_is_error_; }
    [[nodiscard]] QString lastError() const { return message_is_error_ ? message_ : QString(); }
    void showError(const Error& error);
    void showErrorText(const QString& text);
    void showInfo(const QString& text);
    void clearMessage();

    // Card actions; each does nothing without a card, and a PIN flow does
    // nothing while another one is under way (a second click must not open
    // a second dialog).
    void refreshStatus();
    void readCertificates();
    void readSignCertificate();
    void changePin(card::Pin pin);
    void readTextData();
    // 券面AP with 照合番号B (14 digits, checked before the card is touched).
    void readFaceData(SecureBytes code);
    // Writes a certificate already read to `path` (DER or PEM) and records
    // it; false with the error shown when it could not.
    bool exportCertificate(card::Certificate which, const QString& path, bool pem);

    // The remembered consent answers (docs/consent.md), newest first.
    void setConsentStorePath(std::filesystem::path path);
    [[nodiscard]] const std::optional<std::filesystem::path>& consentStorePath() const noexcept {
        return consent_path_;
    }
    void refreshConsents();
    [[nodiscard]] const std::vector<consent::Record>& consentRecords() const noexcept {
        return consent_records_;
    }
    // The hash consent answers name the signature certificate of the card
    // shown by, when it has been read; empty otherwise.
    [[nodiscard]] std::string signCertificateHash() const;
    // Forgets one answer (that program and certificate only); false when the
    // store cannot be written or the answer was gone already.
    bool forgetConsent(const QString& program, const QString& certificate_hash,
                       const QString& shown_name);

  signals:
    void readersChanged();
    void cardStateChanged();  // cardTitle(), cardPresent()
    void busyChanged(bool busy);
    void messageChanged();
    void statusChanged();        // data().status
    void certificatesChanged();  // data().certificates
    void textChanged();          // data().text
    void faceChanged();          // data().face
    void consentsChanged();
    // Everything read from the card is gone: screens wipe what they show.
    void cardDataWiped();
    // A PIN dialog is about to open with this hint ("" when it closed).
    void promptChanged(const QString& hint);
    // Every card job writes to the audit log.
    void historyChanged();
    // After the outcome of every card job has been handled.
    void jobFinished();

  private:
    void onCardReplaced(const QString& reader);
    void updateCardState();
    void wipeCardData();
    void readStatus(int retries);
    [[nodiscard]] std::optional<SecureBytes> askPin(
        card::Pin pin, pinhelper::Purpose purpose, int tries_left, const QString& hint = {},
        pinhelper::Entry entry = pinhelper::Entry::current);
    // Runs a card call for the current reader; drops the outcome when the
    // card changed meanwhile (generation_), shows errors; `finally` runs
    // after either outcome for the same card.
    template <class R>
    [[nodiscard]] CardViewBackend::Done<R> handled(std::function<void(R&)> shown,
                                                   std::function<void()> finally = {});
    // A PIN flow: reads the tries left, then `next(tries)` for the same card.
    void withTries(card::Pin pin, std::function<void(int)> next);
    void setTries(card::Pin pin, int tries);

    CardViewBackend& backend_;
    PinAsker ask_pin_;
    QString reader_;
    bool card_present_ = false;
    bool certificates_wanted_ = false;
    quint64 generation_ = 0;  // bumped whenever the card data is wiped
    bool status_pending_ = false;
    bool flow_active_ = false;
    // The card showed one try left for 照合番号B and the holder was told:
    // the next read may spend it (decision 5). Cleared with the card data.
    bool face_last_try_warned_ = false;
    CardData data_;
    QString message_;
    bool message_is_error_ = false;

    std::optional<std::filesystem::path> consent_path_;
    std::vector<consent::Record> consent_records_;
};

}  // namespace mynacard::gui
