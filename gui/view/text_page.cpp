#include "gui/view/text_page.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "card/facts.h"
#include "gui/common/certificate_info.h"
#include "gui/common/messages.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

namespace {

// The My Number as decision 11 wants it by default (card/facts.h).
QString masked(const std::string& number) {
    std::string m = card::mask_my_number(number);
    QString out = QString::fromStdString(m);
    mynacard::wipe(m);
    return out;
}

}  // namespace

TextPage::TextPage(CardViewController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The card-information application (券面事項入力補助AP) holds "
                                "your My Number and the four basic facts. Reading it needs the "
                                "4-digit card-information PIN."),
                             this);
    intro->setWordWrap(true);

    auto* form = new QFormLayout;
    my_number_ = value_label(tr("My Number"));
    show_number_ = new QPushButton(tr("S&how"), this);
    show_number_->setCheckable(true);
    show_number_->setEnabled(false);
    show_number_->setAccessibleName(tr("Show the My Number"));
    connect(show_number_, &QPushButton::toggled, this, &TextPage::toggleMyNumber);
    auto* numberRow = new QHBoxLayout;
    numberRow->addWidget(my_number_, 1);
    numberRow->addWidget(show_number_);
    name_ = value_label(tr("Name"));
    address_ = value_label(tr("Address"));
    birth_ = value_label(tr("Date of birth"));
    sex_ = value_label(tr("Sex"));
    integrity_ = value_label(tr("Signature of the data"));
    form->addRow(tr("My Number:"), numberRow);
    form->addRow(tr("Name:"), name_);
    form->addRow(tr("Address:"), address_);
    form->addRow(tr("Date of birth:"), birth_);
    form->addRow(tr("Sex:"), sex_);
    form->addRow(tr("Signature:"), integrity_);

    auto* read = new QPushButton(tr("&Read with the card-information PIN…"), this);
    read->setAccessibleName(tr("Read the My Number and basic facts"));
    connect(read, &QPushButton::clicked, &controller_, &CardViewController::readTextData);

    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(read, 0, Qt::AlignLeft);
    layout->addStretch();

    connect(&controller_, &CardViewController::textChanged, this, &TextPage::showText);
    connect(&controller_, &CardViewController::cardDataWiped, this, &TextPage::wipeShown);
}

bool TextPage::holdsData() const {
    for (const QLabel* l : {my_number_, name_, address_, birth_, sex_})
        if (!l->text().isEmpty()) return true;
    return false;
}

void TextPage::wipeShown() {
    number_shown_ = false;
    {
        const QSignalBlocker block(show_number_);
        show_number_->setChecked(false);
        show_number_->setText(tr("S&how"));
    }
    show_number_->setEnabled(false);
    for (QLabel* l : {my_number_, name_, address_, birth_, sex_, integrity_}) wipe(l);
}

void TextPage::showText() {
    const auto& text = controller_.data().text;
    if (!text) return;
    const auto& t = *text;
    my_number_->setText(number_shown_ ? q(t.my_number) : masked(t.my_number));
    my_number_->setAccessibleDescription(number_shown_ ? QString()
                                                       : tr("hidden except the last 4 digits"));
    show_number_->setEnabled(true);
    name_->setText(q(t.basic.name));
    address_->setText(q(t.basic.address));
    birth_->setText(date_text(t.basic.birth_date));
    sex_->setText(sex_text(t.basic.sex));
    try {
        const auto r = x509::verify_text_ap_integrity(
            t.my_number_file, t.basic_file, t.integrity_record, t.ap_certificate, std::nullopt);
        integrity_->setText(r.ok ? tr("The card's signature over this data is valid.")
                                 : tr("The card's signature over this data does not verify: "
                                      "the data may have been altered."));
    } catch (const Error& e) {
        integrity_->setText(describe(e));
    }
}

void TextPage::toggleMyNumber() {
    number_shown_ = show_number_->isChecked();
    show_number_->setText(number_shown_ ? tr("&Hide") : tr("S&how"));
    show_number_->setAccessibleName(number_shown_ ? tr("Hide the My Number")
                                                  : tr("Show the My Number"));
    showText();
}

}  // namespace mynacard::gui
