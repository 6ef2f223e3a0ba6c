#include "gui/common/audit_history_model.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

#include "core/error.h"

namespace mynacard::gui {

AuditHistoryModel::AuditHistoryModel(QObject* parent) : QAbstractTableModel(parent) {
    verify_.ok = true;
}

void AuditHistoryModel::load(const std::filesystem::path& log) {
    beginResetModel();
    entries_.clear();
    try {
        const audit::Log l(log);
        entries_ = l.read();
        std::reverse(entries_.begin(), entries_.end());
        verify_ = l.verify();
        if (verify_.ok) {
            status_ = tr(
                "No entry was damaged or changed without rewriting the whole history (%n entries).",
                nullptr, static_cast<int>(verify_.entries));
        } else {
            status_ = tr("Warning: the history was changed or damaged at line %1. Entries from "
                         "there on cannot be trusted.")
                          .arg(verify_.first_bad_line);
        }
    } catch (const Error&) {
        entries_.clear();
        verify_ = {};
        status_ = tr("The history could not be read.");
    }
    endResetModel();
}

void AuditHistoryModel::clear() {
    beginResetModel();
    entries_.clear();
    verify_ = {};
    verify_.ok = true;
    status_.clear();
    endResetModel();
}

int AuditHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

int AuditHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant AuditHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
    const audit::Entry& e = entries_[static_cast<std::size_t>(index.row())];
    const QString path = QString::fromStdString(e.program);
    if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
            case time:
                return time_text(e.time);
            case program:
                return QFileInfo(path).fileName();
            case operation:
                return operation_text(e.event.operation);
            case key:
                return key_text(e.event.key);
            case result:
                return result_text(e.event.result);
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
            case program:
                return tr("%1 (process %2)").arg(path).arg(e.pid);
            case operation:
                return e.event.reader.empty()
                           ? QVariant()
                           : QVariant(tr("Reader: %1").arg(QString::fromStdString(e.event.reader)));
            case time:
                return QString::fromStdString(e.time);
            default:
                return {};
        }
    }
    if (role == Qt::UserRole) return QVariant::fromValue(static_cast<qulonglong>(e.seq));
    return {};
}

QVariant AuditHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case time:
            return tr("When");
        case program:
            return tr("Program");
        case operation:
            return tr("What");
        case key:
            return tr("PIN / key");
        case result:
            return tr("Result");
        default:
            return {};
    }
}

QString AuditHistoryModel::operation_text(audit::Operation op) {
    switch (op) {
        case audit::Operation::read_certificate:
            return tr("read a certificate");
        case audit::Operation::read_sign_certificate:
            return tr("read the signature certificate");
        case audit::Operation::sign:
            return tr("signed");
        case audit::Operation::login:
            return tr("checked a PIN (log-in)");
        case audit::Operation::pin_status:
            return tr("read the tries left");
        case audit::Operation::pin_change:
            return tr("changed a PIN");
        case audit::Operation::read_text_ap:
            return tr("read the card information (My Number, name, address)");
        case audit::Operation::read_face_ap:
            return tr("read the card face images");
        case audit::Operation::export_certificate:
            return tr("saved a certificate to a file");
        case audit::Operation::consent_given:
            return tr("allowed a program to receive the signature certificate");
        case audit::Operation::consent_refused:
            return tr("refused a program the signature certificate");
        case audit::Operation::qualification_check:
            return tr("checked the health insurance qualification with the card");
        case audit::Operation::qualification_query:
            return tr("checked a health insurance qualification by its numbers");
        case audit::Operation::qualification_result:
            return tr("opened a face reader's qualification result");
    }
    return QString::fromUtf8(audit::to_string(op).data());
}

QString AuditHistoryModel::result_text(audit::Result r) {
    switch (r) {
        case audit::Result::ok:
            return tr("done");
        case audit::Result::pin_incorrect:
            return tr("wrong PIN");
        case audit::Result::pin_blocked:
            return tr("PIN blocked");
        case audit::Result::cancelled:
            return tr("cancelled");
        case audit::Result::card_removed:
            return tr("card removed");
        case audit::Result::error:
            return tr("failed");
    }
    return {};
}

QString AuditHistoryModel::key_text(const std::string& k) {
    if (k == "auth") return tr("user authentication");
    if (k == "sign") return tr("digital signature");
    if (k == "text") return tr("card information");
    return QStringLiteral("—");
}

QString AuditHistoryModel::time_text(const std::string& rfc3339) {
    const QDateTime t = QDateTime::fromString(QString::fromStdString(rfc3339), Qt::ISODate);
    if (!t.isValid()) return QString::fromStdString(rfc3339);
    return QLocale().toString(t.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

}  // namespace mynacard::gui
