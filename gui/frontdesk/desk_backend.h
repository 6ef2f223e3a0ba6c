#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "gui/frontdesk/desk_worker.h"
#include "gui/frontdesk/front_desk_backend.h"
#include "qualification/desk_config.h"
#include "qualification/export_queue.h"
#include "qualification/face_watcher.h"
#include "qualification/reference_client.h"
#include "qualification/terminal_folders.h"
#include "session/audit_trail.h"

namespace mynacard::gui {

// The front desk's backend in the helper: the card through CardService, the
// reference service (ReferenceClient), the terminal folders and the face
// folder (TerminalFolders, FaceWatcher) on a DeskWorker thread, exports
// through ExportQueue, desk operations into the audit log.
class DeskBackend final : public FrontDeskBackend {
  public:
    // Opens the export queue and the face journal under config.state_dir
    // (created, owner only). Throws Error(io) when they cannot be opened.
    DeskBackend(const qualification::DeskConfig& config, CardService& service);
    ~DeskBackend() override;
    DeskBackend(const DeskBackend&) = delete;
    DeskBackend& operator=(const DeskBackend&) = delete;

    [[nodiscard]] bool canCheckCards() const override { return client_ != nullptr; }
    [[nodiscard]] bool hasTerminal() const override { return folders_ != nullptr; }
    void inspectCard(const QString& reader, QObject* receiver,
                     std::function<void(Outcome<DeskCard>)> done) override;
    void checkCard(const QString& reader, std::shared_ptr<SecureBytes> pin,
                   card::PinOptions options, std::vector<qualification::ConsentItem> consents,
                   QObject* receiver,
                   std::function<void(Outcome<qualification::Received>)> done) override;
    void ask(qualification::XmlMsg request, QObject* receiver,
             std::function<void(Outcome<qualification::Received>)> done) override;
    void pollFaces(
        QObject* receiver,
        std::function<void(Outcome<std::vector<qualification::FaceResult>>)> done) override;
    [[nodiscard]] qualification::ExportOutcome exportResult(
        const qualification::ExportItem& item) override;
    std::size_t retryExports() override;
    [[nodiscard]] std::size_t pendingExports() const override;
    void record(audit::Operation operation, audit::Result result) override;

  private:
    CardService& service_;
    std::string institution_code_;
    std::chrono::milliseconds answer_timeout_;
    std::shared_ptr<qualification::ReferenceClient> client_;
    std::shared_ptr<qualification::TerminalFolders> folders_;
    std::shared_ptr<qualification::FaceWatcher> faces_;
    std::unique_ptr<qualification::ExportQueue> exports_;
    session::AuditTrail audit_;
    // Last: joined first, so no job outlives what it uses.
    std::unique_ptr<DeskWorker> worker_;
};

}  // namespace mynacard::gui
