#include "gui/view/sharing_page.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/common/audit_history_model.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

namespace {

// The consent answer a row stands for.
constexpr int kProgramRole = Qt::UserRole + 2;
constexpr int kCertificateHashRole = Qt::UserRole + 3;

}  // namespace

SharingPage::SharingPage(CardViewController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("The answers you gave when a program asked for your digital signature "
                      "certificate, which shows your name, address, date of birth and sex; an "
                      "answer is used again without asking you until you forget it here."),
                   this);
    intro->setWordWrap(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setAccessibleName(tr("Remembered answers"));
    status_->hide();

    consents_ = new QStandardItemModel(0, 4, this);
    consents_->setHorizontalHeaderLabels(
        {tr("Program"), tr("Your answer"), tr("Decided on"), tr("Certificate")});
    table_ = new QTableView(this);
    table_->setModel(consents_);
    table_->setAccessibleName(tr("Remembered answers"));
    table_->setAccessibleDescription(
        tr("Select an answer and press Delete or the Forget button to be asked again"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setTabKeyNavigation(false);
    // Columns fit their text whenever rows change (ResizeToContents leaves
    // them elided when the rows arrive while the page is hidden).
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SharingPage::updateForgetButton);
    // Delete on the list forgets the selected answer, like the button.
    auto* del = new QShortcut(QKeySequence::Delete, table_);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &SharingPage::forgetSelected);

    forget_ = new QPushButton(tr("F&orget answer"), this);
    forget_->setAccessibleName(tr("Forget the selected answer"));
    forget_->setAccessibleDescription(
        tr("You are asked again the next time the program wants the signature certificate"));
    forget_->setEnabled(false);
    connect(forget_, &QPushButton::clicked, this, &SharingPage::forgetSelected);
    auto* reload = new QPushButton(tr("Re&load"), this);
    reload->setAccessibleName(tr("Read the remembered answers again"));
    connect(reload, &QPushButton::clicked, &controller_, &CardViewController::refreshConsents);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(forget_);
    buttons->addStretch();
    buttons->addWidget(reload);

    layout->addWidget(intro);
    layout->addWidget(status_);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);

    connect(&controller_, &CardViewController::consentsChanged, this, &SharingPage::showConsents);
    showConsents();
}

void SharingPage::showConsents() {
    const int selected =
        table_->selectionModel()->hasSelection() ? table_->currentIndex().row() : -1;
    // The hash of the signature certificate of the card shown, when read.
    const std::string card_hash = controller_.signCertificateHash();
    const auto& records = controller_.consentRecords();

    consents_->removeRows(0, consents_->rowCount());
    for (const consent::Record& r : records) {
        const QString path = q(r.program);
        const QString name = QFileInfo(path).fileName();
        auto* program = new QStandardItem(name.isEmpty() ? path : name);
        program->setToolTip(path);
        program->setData(path, Qt::AccessibleDescriptionRole);
        program->setData(path, kProgramRole);
        program->setData(q(r.certificate_sha256), kCertificateHashRole);
        auto* answer = new QStandardItem(r.decision == consent::Decision::allow ? tr("allowed")
                                                                                : tr("refused"));
        auto* when = new QStandardItem(r.time.empty() ? QStringLiteral("—")
                                                      : AuditHistoryModel::time_text(r.time));
        auto* cert = new QStandardItem(!card_hash.empty() && r.certificate_sha256 == card_hash
                                           ? tr("the signature certificate on this card")
                                           : tr("another or unknown certificate"));
        cert->setToolTip(tr("SHA-256 of the certificate: %1").arg(q(r.certificate_sha256)));
        consents_->appendRow({program, answer, when, cert});
    }
    // The last column takes the rest of the width.
    for (const int c : {program_column, answer_column, time_column})
        table_->resizeColumnToContents(c);

    if (!controller_.consentStorePath()) {
        status_->setText(tr("Your answers cannot be found: there is no home directory for them."));
    } else if (records.empty()) {
        status_->setText(
            tr("No answers are remembered: you are asked whenever a program wants the "
               "signature certificate."));
    } else {
        status_->clear();
    }
    status_->setVisible(!status_->text().isEmpty());
    if (selected >= 0 && consents_->rowCount() > 0)
        table_->selectRow(std::min(selected, consents_->rowCount() - 1));
    updateForgetButton();
}

void SharingPage::updateForgetButton() {
    const bool had_focus = forget_->hasFocus();
    forget_->setEnabled(table_->selectionModel()->hasSelection());
    // A disabled button cannot keep the keyboard focus: the list takes it.
    if (had_focus && !forget_->isEnabled()) table_->setFocus();
}

bool SharingPage::forgetSelected() {
    if (!controller_.consentStorePath() || !table_->selectionModel()->hasSelection()) return false;
    const int row = table_->currentIndex().row();
    if (row < 0 || row >= consents_->rowCount()) return false;
    const QStandardItem* item = consents_->item(row, program_column);
    return controller_.forgetConsent(item->data(kProgramRole).toString(),
                                     item->data(kCertificateHashRole).toString(), item->text());
}

}  // namespace mynacard::gui
