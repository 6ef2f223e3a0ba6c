#include "gui/view/certificate_page.h"

#include <QAccessible>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <array>
#include <chrono>

#include "gui/common/certificate_info.h"
#include "gui/common/messages.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

namespace {

// The order users meet them in: their own certificates first.
constexpr std::array<card::Certificate, 4> kCertOrder{
    card::Certificate::auth, card::Certificate::sign, card::Certificate::auth_ca,
    card::Certificate::sign_ca};
constexpr int kKindRole = Qt::UserRole + 1;

}  // namespace

CertificatePage::CertificatePage(CardViewController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);

    warning_ = new QLabel(this);
    warning_->setWordWrap(true);
    warning_->setAccessibleName(tr("Certificate warning"));
    warning_->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #5c3c00; border: 1px solid #c99a00; "
                       "padding: 6px; }"));
    warning_->hide();

    certs_ = new QStandardItemModel(0, 3, this);
    certs_->setHorizontalHeaderLabels({tr("Certificate"), tr("Valid until"), tr("State")});
    table_ = new QTableView(this);
    table_->setModel(certs_);
    table_->setAccessibleName(tr("Certificates on the card"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CertificatePage::showDetails);

    details_ = value_label(tr("Certificate details"));
    details_->setTextFormat(Qt::PlainText);

    auto* buttons = new QHBoxLayout;
    auto* read = new QPushButton(tr("Read &certificates"), this);
    read->setAccessibleName(tr("Read the certificates that need no PIN"));
    connect(read, &QPushButton::clicked, &controller_, &CardViewController::readCertificates);
    auto* readSign = new QPushButton(tr("Read &signature certificate…"), this);
    readSign->setAccessibleName(
        tr("Read the signature certificate (needs the signature password)"));
    connect(readSign, &QPushButton::clicked, &controller_,
            &CardViewController::readSignCertificate);
    export_ = new QPushButton(tr("&Save to file…"), this);
    export_->setAccessibleName(tr("Save the selected certificate to a file"));
    export_->setEnabled(false);
    connect(export_, &QPushButton::clicked, this, &CertificatePage::exportSelected);
    buttons->addWidget(read);
    buttons->addWidget(readSign);
    buttons->addStretch();
    buttons->addWidget(export_);

    layout->addWidget(warning_);
    layout->addWidget(table_, 1);
    layout->addWidget(details_);
    layout->addLayout(buttons);

    connect(&controller_, &CardViewController::certificatesChanged, this,
            &CertificatePage::showCertificates);
    connect(&controller_, &CardViewController::cardDataWiped, this,
            &CertificatePage::showCertificates);
}

bool CertificatePage::holdsData() const {
    return certs_->rowCount() > 0 || !details_->text().isEmpty();
}

void CertificatePage::showCertificates() {
    certs_->removeRows(0, certs_->rowCount());
    QStringList warnings;
    const auto now = std::chrono::system_clock::now();
    const auto& certificates = controller_.data().certificates;
    for (const card::Certificate kind : kCertOrder) {
        const auto it = certificates.find(kind);
        if (it == certificates.end()) continue;
        const x509::Certificate& c = it->second;
        const Validity v = validity_of(c, now);
        auto* title = new QStandardItem(certificate_title(kind));
        title->setData(static_cast<int>(kind), kKindRole);
        auto* until = new QStandardItem(local_time_text(c.not_after()));
        auto* state = new QStandardItem(validity_text(v));
        if (v != Validity::valid) {
            state->setForeground(QColor(0xb0, 0x2a, 0x37));
            warnings << tr("%1: %2").arg(certificate_title(kind), validity_warning(c, now));
        }
        certs_->appendRow({title, until, state});
    }
    warning_->setText(warnings.join(QLatin1Char('\n')));
    warning_->setVisible(!warnings.isEmpty());
    if (!warnings.isEmpty()) {
        QAccessibleEvent event(warning_, QAccessible::Alert);
        QAccessible::updateAccessibility(&event);
    }
    if (certs_->rowCount() > 0) table_->selectRow(0);
    showDetails();
}

std::optional<card::Certificate> CertificatePage::selected() const {
    const QModelIndex index = table_->currentIndex();
    if (!index.isValid()) return std::nullopt;
    return static_cast<card::Certificate>(certs_->index(index.row(), 0).data(kKindRole).toInt());
}

void CertificatePage::showDetails() {
    const auto kind = selected();
    export_->setEnabled(kind.has_value());
    if (!kind) {
        wipe(details_);
        return;
    }
    const auto& certificates = controller_.data().certificates;
    const auto it = certificates.find(*kind);
    if (it == certificates.end()) return;
    const x509::Certificate& c = it->second;
    QStringList lines;
    lines << tr("Issuer: %1").arg(q(c.issuer()));
    lines << tr("Valid from %1 until %2")
                 .arg(local_time_text(c.not_before()), local_time_text(c.not_after()));
    try {
        if (const auto a = x509::jpki_attributes(c)) {
            lines << tr("This certificate discloses to every program that receives it:");
            lines << tr("Name: %1").arg(q(a->name));
            lines << tr("Address: %1").arg(q(a->address));
            lines << tr("Date of birth: %1").arg(date_text(a->birth_date));
            lines << tr("Sex: %1").arg(sex_text(a->sex));
        } else if (*kind == card::Certificate::auth) {
            lines << tr("This certificate carries no name, address, birth date or sex.");
        }
    } catch (const Error& e) {
        lines << describe(e);
    }
    details_->setText(lines.join(QLatin1Char('\n')));
}

void CertificatePage::exportSelected() {
    const auto kind = selected();
    if (!kind) return;
    const QString pemFilter = tr("PEM certificate (*.pem)");
    const QString derFilter = tr("DER certificate (*.der *.cer)");
    QString chosen = pemFilter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save certificate"),
        QStringLiteral("%1.pem").arg(QString::fromUtf8(card::to_string(*kind).data())),
        pemFilter + QStringLiteral(";;") + derFilter, &chosen);
    if (path.isEmpty()) return;
    const bool pem = chosen == pemFilter && !path.endsWith(QStringLiteral(".der")) &&
                     !path.endsWith(QStringLiteral(".cer"));
    if (controller_.exportCertificate(*kind, path, pem))
        controller_.showInfo(tr("The certificate was saved to %1.").arg(path));
}

}  // namespace mynacard::gui
