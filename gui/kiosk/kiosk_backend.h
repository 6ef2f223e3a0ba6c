#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"
#include "gui/kiosk/kiosk_handover.h"

namespace mynacard::gui {

// What the controller needs from the card: CardService in the kiosk, a fake
// in unit tests. Both calls run on a worker thread and answer on
// `receiver`'s thread.
class KioskCardBackend {
  public:
    virtual ~KioskCardBackend() = default;
    virtual void queryTriesLeft(const QString& reader, QObject* receiver,
                                std::function<void(Outcome<int>)> done) = 0;
    // The backend zeroises `pin` once the card has it.
    virtual void readText(const QString& reader, std::shared_ptr<SecureBytes> pin,
                          card::PinOptions options, QObject* receiver,
                          std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> done) = 0;
};

// The kiosk's card I/O through CardService; every use goes to the audit log
// (read_text_ap / pin_status, key "text"), never the PIN nor personal data.
class CardServiceKioskBackend final : public KioskCardBackend {
  public:
    explicit CardServiceKioskBackend(CardService& service) : service_(service) {}
    void queryTriesLeft(const QString& reader, QObject* receiver,
                        std::function<void(Outcome<int>)> done) override;
    void readText(const QString& reader, std::shared_ptr<SecureBytes> pin, card::PinOptions options,
                  QObject* receiver,
                  std::function<void(Outcome<std::shared_ptr<KioskCardData>>)> done) override;

  private:
    CardService& service_;
};

}  // namespace mynacard::gui
