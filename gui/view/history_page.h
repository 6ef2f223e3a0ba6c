#pragma once

#include <QWidget>

#include <filesystem>

#include "gui/view/view_text.h"

class QLabel;
class QPushButton;

namespace mynacard::gui {

class AuditHistoryModel;

// "Usage history": the audit log, newest first, and whether its chain
// holds (a changed history shows).
class HistoryPage : public QWidget {
    Q_DECLARE_TR_FUNCTIONS(mynacard::gui::CardView)
  public:
    explicit HistoryPage(QWidget* parent = nullptr);

    // Reads the log at `path` again.
    void load(const std::filesystem::path& path);
    [[nodiscard]] AuditHistoryModel* model() const noexcept { return history_; }
    [[nodiscard]] QLabel* status() const noexcept { return status_; }
    // The reload button (the window connects it).
    [[nodiscard]] QPushButton* reloadButton() const noexcept { return reload_; }

  private:
    AuditHistoryModel* history_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* reload_ = nullptr;
};

}  // namespace mynacard::gui
