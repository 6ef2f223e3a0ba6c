#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

#include "audit/audit.h"
#include "card/card.h"
#include "core/bytes.h"
#include "gui/common/card_service.h"
#include "qualification/export_queue.h"
#include "qualification/face_watcher.h"
#include "qualification/reference_protocol.h"
#include "qualification/xml_msg.h"
#include "x509/x509.h"

namespace mynacard::gui {

// What the desk learns of a card before anyone types a PIN: that it is a
// My Number Card (the JPKI application answers), when its authentication
// certificate ends, and the tries left of the 4-digit 利用者証明用 PIN.
struct DeskCard {
    x509::TimePoint certificate_not_after{};
    int tries_left = -1;
};

// Everything the front desk does outside the UI thread: the card (through
// CardService), the reference service, the terminal folders, the face
// folder, the export folder and the audit log. FrontDeskDeskBackend in the
// helper, a fake in tests. Asynchronous calls answer on `receiver`'s thread
// and not at all when the receiver is gone.
class FrontDeskBackend {
  public:
    virtual ~FrontDeskBackend() = default;

    // A card check needs the reference service; queries, 照会番号 and face
    // results need the terminal folders.
    [[nodiscard]] virtual bool canCheckCards() const = 0;
    [[nodiscard]] virtual bool hasTerminal() const = 0;

    // Reads the public authentication certificate and the auth PIN's tries
    // (no PIN). Errc::not_found / unsupported: not a My Number Card.
    virtual void inspectCard(const QString& reader, QObject* receiver,
                             std::function<void(Outcome<DeskCard>)> done) = 0;
    // The card check (decision 5): the card's authentication key signs the
    // service's challenge after VERIFY with `pin`, which the backend
    // zeroises once the card has had it, whatever the outcome. Recorded in
    // the audit log (qualification_check), never the PIN nor the answer.
    virtual void checkCard(const QString& reader, std::shared_ptr<SecureBytes> pin,
                           card::PinOptions options,
                           std::vector<qualification::ConsentItem> consents, QObject* receiver,
                           std::function<void(Outcome<qualification::Received>)> done) = 0;
    // A request through the terminal folders (req/ → res/): a query by
    // numbers or a 照会番号 registration, the exchange following from the body.
    virtual void ask(qualification::XmlMsg request, QObject* receiver,
                     std::function<void(Outcome<qualification::Received>)> done) = 0;
    // One look at the face folder: the results that arrived since the last.
    virtual void pollFaces(
        QObject* receiver,
        std::function<void(Outcome<std::vector<qualification::FaceResult>>)> done) = 0;

    // The export folder (qualification::ExportQueue): a failed write stays
    // queued and is written by a later retry.
    [[nodiscard]] virtual qualification::ExportOutcome exportResult(
        const qualification::ExportItem& item) = 0;
    virtual std::size_t retryExports() = 0;
    [[nodiscard]] virtual std::size_t pendingExports() const = 0;

    // Records a desk operation that does not touch the card (a query, a face
    // result opened): time, program, outcome, nothing personal.
    virtual void record(audit::Operation operation, audit::Result result) = 0;
};

}  // namespace mynacard::gui
