#include "gui/view/history_page.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/common/audit_history_model.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

HistoryPage::HistoryPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("When and by which program your card was used. Each entry is "
                                "chained to the one before, so a changed history shows."),
                             this);
    intro->setWordWrap(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Check of the history"));
    history_ = new AuditHistoryModel(this);
    auto* table = new QTableView(this);
    table->setModel(history_);
    table->setAccessibleName(tr("Usage history"));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    auto* refresh = new QPushButton(tr("Re&load"), this);
    refresh->setAccessibleName(tr("Read the history again"));
    reload_ = refresh;
    layout->addWidget(intro);
    layout->addWidget(status_);
    layout->addWidget(table, 1);
    layout->addWidget(refresh, 0, Qt::AlignRight);
}

void HistoryPage::load(const std::filesystem::path& path) {
    history_->load(path);
    status_->setText(history_->status());
    status_->setStyleSheet(history_->intact() ? QString() : error_style());
}

}  // namespace mynacard::gui
