#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <filesystem>
#include <vector>

#include "audit/audit.h"

namespace mynacard::gui {

// The audit log as a readable history (decision 11: "when and by which
// program your card was used"), newest first, with the hash chain's verdict.
class AuditHistoryModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { time, program, operation, key, result, column_count };

    explicit AuditHistoryModel(QObject* parent = nullptr);

    // Reads and verifies the log; a log that cannot be read leaves the
    // history empty and says why in status().
    void load(const std::filesystem::path& log);
    void clear();

    [[nodiscard]] const audit::VerifyResult& verification() const noexcept { return verify_; }
    // Whether the hash chain holds (which detects damage and edits, not a
    // rewrite of the whole file: middleware/audit/README.md) or where it breaks.
    [[nodiscard]] QString status() const { return status_; }
    [[nodiscard]] bool intact() const noexcept { return verify_.ok; }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    // Words for the log's closed vocabularies (also used in tooltips).
    [[nodiscard]] static QString operation_text(audit::Operation op);
    [[nodiscard]] static QString result_text(audit::Result result);
    [[nodiscard]] static QString key_text(const std::string& key);
    // RFC 3339 UTC as local time in the user's locale.
    [[nodiscard]] static QString time_text(const std::string& rfc3339);

  private:
    std::vector<audit::Entry> entries_;  // newest first
    audit::VerifyResult verify_;
    QString status_;
};

}  // namespace mynacard::gui
