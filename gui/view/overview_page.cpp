#include "gui/view/overview_page.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <array>

#include "gui/common/certificate_info.h"
#include "gui/pin/pin_dialog.h"
#include "gui/view/page_util.h"

namespace mynacard::gui {

namespace {

constexpr std::array<card::Pin, 3> kPins{card::Pin::auth, card::Pin::sign, card::Pin::text};
// The short tables of this page stay short: three rows each.
constexpr int kTableHeight = 130;

QString pin_tries_text(const std::optional<int>& tries, const card::PinRule& rule) {
    if (!tries) return CardViewText::tr("not on this card");
    if (*tries == 0) return CardViewText::tr("blocked (reset at your municipal office)");
    return CardViewText::tr("%1 of %2 tries left").arg(*tries).arg(rule.max_tries);
}

QTableView* short_table(QStandardItemModel* model, const QString& name, QWidget* page) {
    auto* table = new QTableView(page);
    table->setModel(model);
    table->setAccessibleName(name);
    // The names column fits its text whenever rows change (ResizeToContents
    // left the names elided when the rows arrived while the page was
    // hidden); the answer column takes the rest.
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    fit_first_column(table, model);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setMaximumHeight(kTableHeight);
    return table;
}

}  // namespace

OverviewPage::OverviewPage(CardViewController& controller, QWidget* parent)
    : QWidget(parent), controller_(controller) {
    auto* layout = new QVBoxLayout(this);

    apps_ = new QStandardItemModel(0, 2, this);
    apps_->setHorizontalHeaderLabels({tr("Application"), tr("On this card")});
    auto* appTable = short_table(apps_, tr("Applications on the card"), this);

    pins_ = new QStandardItemModel(0, 2, this);
    pins_->setHorizontalHeaderLabels({tr("PIN"), tr("Tries left")});
    auto* pinTable = short_table(pins_, tr("PINs and tries left"), this);

    // One change button per PIN, one under the other: side by side their
    // long names made the window wider than a 1024-pixel screen.
    auto* changes = new QVBoxLayout;
    for (std::size_t i = 0; i < kPins.size(); ++i) {
        const card::Pin pin = kPins[i];
        auto* b = new QPushButton(tr("Change %1…").arg(pin_title(pin)), this);
        b->setAccessibleName(tr("Change %1").arg(pin_title(pin)));
        b->setEnabled(false);
        connect(b, &QPushButton::clicked, &controller_,
                [this, pin]() { controller_.changePin(pin); });
        change_pin_[i] = b;
        changes->addWidget(b);
    }
    auto* refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setAccessibleName(tr("Read the tries left again"));
    connect(refresh, &QPushButton::clicked, &controller_, &CardViewController::refreshStatus);
    auto* buttons = new QHBoxLayout;
    buttons->addLayout(changes);
    buttons->addStretch();
    buttons->addWidget(refresh, 0, Qt::AlignTop);

    layout->addWidget(new QLabel(tr("Applications"), this));
    layout->addWidget(appTable);
    layout->addWidget(new QLabel(tr("PINs"), this));
    layout->addWidget(pinTable);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(&controller_, &CardViewController::statusChanged, this, &OverviewPage::showStatus);
    connect(&controller_, &CardViewController::cardDataWiped, this, &OverviewPage::showStatus);
}

bool OverviewPage::holdsData() const {
    return apps_->rowCount() > 0 || pins_->rowCount() > 0;
}

void OverviewPage::showStatus() {
    apps_->removeRows(0, apps_->rowCount());
    pins_->removeRows(0, pins_->rowCount());
    for (QPushButton* b : change_pin_) b->setEnabled(false);
    const auto& status = controller_.data().status;
    if (!status) return;
    const auto& s = *status;
    const auto yes = [](bool b) { return b ? tr("yes") : tr("no"); };
    const std::array<std::pair<QString, bool>, 3> apps{{
        {tr("JPKI (authentication and signature)"), s.applications.jpki},
        {tr("券面事項入力補助AP (My Number and basic facts)"), s.applications.text},
        {tr("券面AP (card face)"), s.applications.face},
    }};
    for (const auto& [name, present] : apps)
        apps_->appendRow({new QStandardItem(name), new QStandardItem(yes(present))});
    const auto& profile = card::CardProfile::my_number_card();
    const std::array<std::optional<int>, 3> tries{s.auth, s.sign, s.text};
    for (std::size_t i = 0; i < kPins.size(); ++i) {
        auto* name = new QStandardItem(pin_title(kPins[i]));
        auto* left = new QStandardItem(pin_tries_text(tries[i], profile.rule(kPins[i])));
        left->setData(tries[i] ? QVariant(*tries[i]) : QVariant(), Qt::UserRole);
        pins_->appendRow({name, left});
        change_pin_[i]->setEnabled(tries[i].has_value() && *tries[i] > 0);
    }
}

}  // namespace mynacard::gui
