#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"

namespace mynacard::gui {

// What the card view needs from the card: CardService in the helper
// (CardServiceViewBackend), a fake in unit tests. Every card call runs off
// the UI thread and answers on `receiver`'s thread (nothing when the
// receiver is gone). Every card use is recorded in the audit log by the
// backend (decision 11), never a PIN nor personal data.
class CardViewBackend : public QObject {
    Q_OBJECT
  public:
    using Status = card::MyNumberCard::Status;
    using Certificates = std::map<card::Certificate, Bytes>;
    template <class R>
    using Done = std::function<void(Outcome<R>)>;

    using QObject::QObject;

    // The last known readers and cards (UI thread).
    [[nodiscard]] virtual QList<ReaderInfo> readers() const = 0;
    [[nodiscard]] virtual std::filesystem::path auditLogPath() const = 0;

    // Applications and every PIN's tries left (pin_status, no key).
    virtual void readStatus(const QString& reader, QObject* receiver, Done<Status> done) = 0;
    // One PIN's tries left (decision 5: shown before the PIN is asked for).
    virtual void readTries(const QString& reader, card::Pin pin, QObject* receiver,
                           Done<int> done) = 0;
    // The certificates that need no PIN (auth, auth CA, sign CA); one the
    // card does not have is left out.
    virtual void readCertificates(const QString& reader, QObject* receiver,
                                  Done<Certificates> done) = 0;
    // The PINs are zeroised by their owners once the last copy goes.
    virtual void readSignCertificate(const QString& reader, std::shared_ptr<const SecureBytes> pin,
                                     card::PinOptions options, QObject* receiver,
                                     Done<Bytes> done) = 0;
    virtual void changePin(const QString& reader, card::Pin pin,
                           std::shared_ptr<const SecureBytes> current,
                           std::shared_ptr<const SecureBytes> next, card::PinOptions options,
                           QObject* receiver, Done<bool> done) = 0;
    virtual void readText(const QString& reader, std::shared_ptr<const SecureBytes> pin,
                          card::PinOptions options, QObject* receiver,
                          Done<card::TextApData> done) = 0;
    // 券面AP with 照合番号B (the last try only with options.confirm_last_try).
    virtual void readFace(const QString& reader, std::shared_ptr<const SecureBytes> code,
                          card::PinOptions options, QObject* receiver,
                          Done<card::FaceData> done) = 0;
    // A certificate already read was written to a file (a disclosure the
    // holder may want to find later; the CLI records it the same way).
    // Best effort: the file is written already.
    virtual void recordExport(const QString& reader, card::Certificate which, ByteView der) = 0;

  signals:
    void readersChanged();
    void busyChanged(bool busy);
    // Another card is in `reader` than the one read before (found after a
    // reset), before the outcome of the job that found it.
    void cardReplaced(const QString& reader);
};

// The card view's card I/O through CardService; every use goes through the
// session's audit trail with the words every front end writes.
class CardServiceViewBackend final : public CardViewBackend {
  public:
    explicit CardServiceViewBackend(CardService& service, QObject* parent = nullptr);
    [[nodiscard]] QList<ReaderInfo> readers() const override { return service_.readers(); }
    [[nodiscard]] std::filesystem::path auditLogPath() const override {
        return service_.auditLogPath();
    }
    void readStatus(const QString& reader, QObject* receiver, Done<Status> done) override;
    void readTries(const QString& reader, card::Pin pin, QObject* receiver,
                   Done<int> done) override;
    void readCertificates(const QString& reader, QObject* receiver,
                          Done<Certificates> done) override;
    void readSignCertificate(const QString& reader, std::shared_ptr<const SecureBytes> pin,
                             card::PinOptions options, QObject* receiver,
                             Done<Bytes> done) override;
    void changePin(const QString& reader, card::Pin pin, std::shared_ptr<const SecureBytes> current,
                   std::shared_ptr<const SecureBytes> next, card::PinOptions options,
                   QObject* receiver, Done<bool> done) override;
    void readText(const QString& reader, std::shared_ptr<const SecureBytes> pin,
                  card::PinOptions options, QObject* receiver,
                  Done<card::TextApData> done) override;
    void readFace(const QString& reader, std::shared_ptr<const SecureBytes> code,
                  card::PinOptions options, QObject* receiver, Done<card::FaceData> done) override;
    void recordExport(const QString& reader, card::Certificate which, ByteView der) override;

  private:
    CardService& service_;
};

}  // namespace mynacard::gui
