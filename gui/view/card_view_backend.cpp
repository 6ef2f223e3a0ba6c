#include "gui/view/card_view_backend.h"

#include "audit/audit.h"
#include "session/audit_trail.h"

namespace mynacard::gui {

using session::Subject;

CardServiceViewBackend::CardServiceViewBackend(CardService& service, QObject* parent)
    : CardViewBackend(parent), service_(service) {
    connect(&service_, &CardService::readersChanged, this, &CardViewBackend::readersChanged);
    connect(&service_, &CardService::busyChanged, this, &CardViewBackend::busyChanged);
    connect(&service_, &CardService::cardReplaced, this, &CardViewBackend::cardReplaced);
}

void CardServiceViewBackend::readStatus(const QString& reader, QObject* receiver,
                                        Done<Status> done) {
    service_.run<Status>(
        reader,
        [](CardJob& j) {
            return j.audited(audit::Operation::pin_status, Subject{},
                             [](card::MyNumberCard& card) { return card.status(); });
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::readTries(const QString& reader, card::Pin pin, QObject* receiver,
                                       Done<int> done) {
    service_.run<int>(
        reader,
        [pin](CardJob& j) {
            return j.audited(audit::Operation::pin_status, Subject::of(pin),
                             [pin](card::MyNumberCard& card) { return card.tries_left(pin); });
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::readCertificates(const QString& reader, QObject* receiver,
                                              Done<Certificates> done) {
    service_.run<Certificates>(
        reader,
        [](CardJob& j) {
            Certificates out;
            for (const card::Certificate kind :
                 {card::Certificate::auth, card::Certificate::auth_ca,
                  card::Certificate::sign_ca}) {
                try {
                    out[kind] = j.audited(audit::Operation::read_certificate, Subject::of(kind),
                                          [kind](card::MyNumberCard& card, Subject& s) {
                                              Bytes der = card.read_certificate(kind);
                                              s.certificate(der);
                                              return der;
                                          });
                } catch (const Error& e) {
                    // A card without this certificate (a minor's card has
                    // no signature CA either) shows the others.
                    if (e.code() != Errc::not_found) throw;
                }
            }
            return out;
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::readSignCertificate(const QString& reader,
                                                 std::shared_ptr<const SecureBytes> pin,
                                                 card::PinOptions options, QObject* receiver,
                                                 Done<Bytes> done) {
    service_.run<Bytes>(
        reader,
        [pin = std::move(pin), options](CardJob& j) {
            return j.audited(audit::Operation::read_sign_certificate,
                             Subject::of(card::Certificate::sign),
                             [&](card::MyNumberCard& card, Subject& s) {
                                 Bytes der = card.read_sign_certificate(*pin, options);
                                 s.certificate(der);
                                 return der;
                             });
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::changePin(const QString& reader, card::Pin pin,
                                       std::shared_ptr<const SecureBytes> current,
                                       std::shared_ptr<const SecureBytes> next,
                                       card::PinOptions options, QObject* receiver,
                                       Done<bool> done) {
    service_.run<bool>(
        reader,
        [pin, current = std::move(current), next = std::move(next), options](CardJob& j) {
            j.audited(
                audit::Operation::pin_change, Subject::of(pin),
                [&](card::MyNumberCard& card) { card.change_pin(pin, *current, *next, options); });
            return true;
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::readText(const QString& reader, std::shared_ptr<const SecureBytes> pin,
                                      card::PinOptions options, QObject* receiver,
                                      Done<card::TextApData> done) {
    service_.run<card::TextApData>(
        reader,
        [pin = std::move(pin), options](CardJob& j) {
            return j.audited(
                audit::Operation::read_text_ap, Subject::of(card::Pin::text),
                [&](card::MyNumberCard& card) { return card.read_text_ap(*pin, options); });
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::readFace(const QString& reader,
                                      std::shared_ptr<const SecureBytes> code,
                                      card::PinOptions options, QObject* receiver,
                                      Done<card::FaceData> done) {
    service_.run<card::FaceData>(
        reader,
        [code = std::move(code), options](CardJob& j) {
            return j.audited(audit::Operation::read_face_ap, Subject{},
                             [&](card::MyNumberCard& card) {
                                 return card.read_face_ap(card::FaceCode::b, *code, options);
                             });
        },
        receiver, std::move(done));
}

void CardServiceViewBackend::recordExport(const QString& reader, card::Certificate which,
                                          ByteView der) {
    Subject subject = Subject::of(which);
    subject.certificate(der);
    session::AuditTrail(service_.auditLogPath(), session::AuditWrite::best_effort)
        .record(reader.toStdString(), audit::Operation::export_certificate, audit::Result::ok,
                subject);
}

}  // namespace mynacard::gui
