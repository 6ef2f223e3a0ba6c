#pragma once

#include <QString>

#include <string>

class QAbstractItemModel;
class QLabel;
class QTableView;

namespace mynacard::gui {

// Small pieces the card view's pages share.

// Keeps a table's first column as wide as its widest entry.
void fit_first_column(QTableView* table, QAbstractItemModel* model);
// A selectable, wrapped label for a value read from the card.
[[nodiscard]] QLabel* value_label(const QString& accessible_name);
// Labels are overwritten before they are emptied, so the old text does not
// linger in the one buffer QLabel keeps.
void wipe(QLabel* label);
[[nodiscard]] inline QString q(const std::string& s) {
    return QString::fromStdString(s);
}
// The style of a message that reports a problem.
[[nodiscard]] QString error_style();

}  // namespace mynacard::gui
