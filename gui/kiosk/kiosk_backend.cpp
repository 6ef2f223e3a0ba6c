#include "gui/kiosk/kiosk_backend.h"

#include "audit/audit.h"
#include "core/error.h"
#include "session/audit_trail.h"

namespace mynacard::gui {

void CardServiceKioskBackend::queryTriesLeft(const QString& reader, QObject* receiver,
                                             std::function<void(Outcome<int>)> done) {
    service_.run<int>(
        reader,
        [](CardJob& j) {
            return j.audited(
                audit::Operation::pin_status, session::Subject::of(card::Pin::text),
                [](card::MyNumberCard& card) { return card.tries_left(card::Pin::text); });
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
            return j.audited(audit::Operation::read_text_ap, session::Subject::of(card::Pin::text),
                             [&](card::MyNumberCard& card) {
                                 card::TextApData d = card.read_text_ap(*pin, options);
                                 return take_kiosk_card_data(d);
                             });
        },
        receiver, std::move(done));
}

}  // namespace mynacard::gui
