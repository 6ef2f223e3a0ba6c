#include "gui/frontdesk/desk_backend.h"

#include <system_error>

#include "core/error.h"
#include "x509/x509.h"

namespace mynacard::gui {

namespace q = qualification;
namespace fs = std::filesystem;

namespace {

// The desk's state folder holds the export queue (answers not yet written:
// personal data) and the face journal: the owner's only.
fs::path owner_only_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(Errc::io, "cannot create the state folder " + dir.string());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    return dir;
}

}  // namespace

DeskBackend::DeskBackend(const q::DeskConfig& config, CardService& service)
    : service_(service),
      institution_code_(config.institution_code),
      answer_timeout_(config.timeouts.check),
      audit_(service.auditLogPath()),
      worker_(std::make_unique<DeskWorker>()) {
    const fs::path state = owner_only_dir(config.state_dir);
    if (config.reference)
        client_ = std::make_shared<q::ReferenceClient>(config.reference->url, config.reference->ca,
                                                       config.timeouts.check);
    if (config.terminal) folders_ = std::make_shared<q::TerminalFolders>(config.terminal->root);
    if (!config.face_dir.empty())
        faces_ = std::make_shared<q::FaceWatcher>(config.face_dir, state / "face-journal.sqlite");
    exports_ = std::make_unique<q::ExportQueue>(config.export_dir, state / "export-queue.sqlite");
}

DeskBackend::~DeskBackend() {
    worker_.reset();
}

void DeskBackend::inspectCard(const QString& reader, QObject* receiver,
                              std::function<void(Outcome<DeskCard>)> done) {
    service_.run<DeskCard>(
        reader,
        [](CardJob& j) {
            DeskCard out;
            const Bytes der = j.audited(
                audit::Operation::read_certificate, session::Subject::of(card::Certificate::auth),
                [](card::MyNumberCard& card, session::Subject& s) {
                    // Decision 6: SELECT of the AID only. No JPKI: not a My
                    // Number Card (or one without the certificate).
                    if (!card.detect().jpki)
                        throw Error(Errc::not_found, "no JPKI application on the card");
                    Bytes cert = card.read_certificate(card::Certificate::auth);
                    s.certificate(cert);
                    return cert;
                });
            out.certificate_not_after = x509::Certificate::from_der(der).not_after();
            out.tries_left = j.audited(
                audit::Operation::pin_status, session::Subject::of(card::Pin::auth),
                [](card::MyNumberCard& card) { return card.tries_left(card::Pin::auth); });
            return out;
        },
        receiver, std::move(done));
}

void DeskBackend::checkCard(const QString& reader, std::shared_ptr<SecureBytes> pin,
                            card::PinOptions options, std::vector<q::ConsentItem> consents,
                            QObject* receiver, std::function<void(Outcome<q::Received>)> done) {
    service_.run<q::Received>(
        reader,
        [client = client_, pin = std::move(pin), options,
         request = q::CardCheck{institution_code_, std::move(consents)}](CardJob& j) {
            // The PIN is overwritten as soon as the card has had it, whatever
            // the outcome (decision 5).
            struct ZeroPin {
                SecureBytes& p;
                ~ZeroPin() {
                    if (!p.empty()) secure_zero(p.data(), p.size());
                    p.clear();
                }
            } zero{*pin};
            if (!client) throw Error(Errc::unsupported, "no reference service configured");
            const Bytes cert_der = j.use([](card::MyNumberCard& card) {
                return card.read_certificate(card::Certificate::auth);
            });
            const auto cert = x509::Certificate::from_der(cert_der);
            return j.audited(
                audit::Operation::qualification_check,
                session::Subject::of(card::Key::auth).serial(cert.serial()),
                [&](card::MyNumberCard& card) {
                    return client->check_received(request, cert_der, [&](ByteView digest_info) {
                        Bytes signature = card.sign(card::Key::auth, *pin, digest_info, options);
                        secure_zero(pin->data(), pin->size());
                        pin->clear();
                        return signature;
                    });
                });
        },
        receiver, std::move(done));
}

void DeskBackend::ask(q::XmlMsg request, QObject* receiver,
                      std::function<void(Outcome<q::Received>)> done) {
    if (!folders_) {
        done(Error(Errc::unsupported, "no terminal folders configured"));
        return;
    }
    const q::Exchange exchange =
        request.body.registration ? q::Exchange::reference_number : q::Exchange::qualification;
    worker_->run<q::Received>(
        [folders = folders_, exchange, request = std::move(request), timeout = answer_timeout_]() {
            return folders->ask_received(exchange, request, timeout);
        },
        receiver, std::move(done));
}

void DeskBackend::pollFaces(QObject* receiver,
                            std::function<void(Outcome<std::vector<q::FaceResult>>)> done) {
    if (!faces_) {
        done(std::vector<q::FaceResult>{});
        return;
    }
    worker_->run<std::vector<q::FaceResult>>(
        [faces = faces_]() {
            std::vector<q::FaceResult> out;
            faces->poll([&](const q::FaceResult& r) { out.push_back(r); });
            return out;
        },
        receiver, std::move(done));
}

q::ExportOutcome DeskBackend::exportResult(const q::ExportItem& item) {
    return exports_->submit(item);
}

std::size_t DeskBackend::retryExports() {
    return exports_->retry();
}

std::size_t DeskBackend::pendingExports() const {
    return exports_->pending();
}

void DeskBackend::record(audit::Operation operation, audit::Result result) {
    // No reader: a query or a face result does not touch a card.
    audit_.record("", operation, result);
}

}  // namespace mynacard::gui
