#include "gui/view/page_util.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QTableView>

#include "gui/common/secret_field.h"

namespace mynacard::gui {

void fit_first_column(QTableView* table, QAbstractItemModel* model) {
    const auto fit = [table]() { table->resizeColumnToContents(0); };
    QObject::connect(model, &QAbstractItemModel::rowsInserted, table, fit);
    QObject::connect(model, &QAbstractItemModel::dataChanged, table, fit);
    QObject::connect(model, &QAbstractItemModel::modelReset, table, fit);
}

QLabel* value_label(const QString& accessible_name) {
    auto* l = new QLabel;
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setWordWrap(true);
    l->setAccessibleName(accessible_name);
    return l;
}

void wipe(QLabel* label) {
    overwrite_shared(label->text());
    label->clear();
}

QString error_style() {
    return QStringLiteral(
        "QLabel { background: #f8d7da; color: #58151c; border: 1px solid #b02a37; "
        "padding: 6px; }");
}

}  // namespace mynacard::gui
