#include "gui/view/card_view.h"

#include <QAccessible>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include "gui/pin/pin_dialog.h"
#include "gui/view/certificate_page.h"
#include "gui/view/face_page.h"
#include "gui/view/history_page.h"
#include "gui/view/overview_page.h"
#include "gui/view/page_util.h"
#include "gui/view/sharing_page.h"
#include "gui/view/text_page.h"

namespace mynacard::gui {

namespace {

// The pages, in tab order.
enum Page { overview_page, certificate_page, text_page, face_page, history_page, sharing_page };
constexpr int kReaderListWidth = 280;
constexpr int kBusyWidth = 160;
constexpr double kTitleScale = 1.3;

}  // namespace

std::optional<SecureBytes> ask_pin_with_dialog(const pinhelper::Request& request, QWidget* parent) {
    PinDialog dialog(request, parent);
    dialog.exec();
    if (dialog.outcome() != PinDialog::Outcome::entered) return std::nullopt;
    return dialog.take_pin();
}

CardView::CardView(CardService& service, QWidget* parent)
    : QMainWindow(parent),
      own_backend_(std::make_unique<CardServiceViewBackend>(service)),
      controller_(*own_backend_) {
    buildUi();
}

CardView::CardView(CardViewBackend& backend, QWidget* parent)
    : QMainWindow(parent), controller_(backend) {
    buildUi();
}

CardView::~CardView() {
    // Nothing read from the card stays on screen; the pages refer to the
    // controller, so they go first, while it is alive.
    controller_.wipe();
    controller_.disconnect(this);
    delete takeCentralWidget();
}

void CardView::buildUi() {
    setWindowTitle(tr("My Number Card"));
    setAccessibleName(tr("My Number Card"));
    resize(960, 640);

    auto* splitter = new QSplitter(this);
    readers_ = new QListWidget(splitter);
    readers_->setAccessibleName(tr("Card readers"));
    readers_->setAccessibleDescription(tr("Choose the reader whose card is shown"));
    readers_->setMinimumWidth(kReaderListWidth);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    card_title_ = new QLabel(right);
    card_title_->setAccessibleName(tr("Card"));
    QFont big = card_title_->font();
    big.setPointSizeF(big.pointSizeF() * kTitleScale);
    big.setBold(true);
    card_title_->setFont(big);
    // "Insert your card into <reader name>" is long: wrapped, not widening the window.
    card_title_->setWordWrap(true);
    message_ = new QLabel(right);
    message_->setWordWrap(true);
    message_->setAccessibleName(tr("Message"));
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    message_->setFrameShape(QFrame::StyledPanel);
    message_->hide();
    overview_ = new OverviewPage(controller_);
    certificates_ = new CertificatePage(controller_);
    text_ = new TextPage(controller_);
    face_ = new FacePage(controller_);
    history_ = new HistoryPage;
    sharing_ = new SharingPage(controller_);
    tabs_ = new QTabWidget(right);
    tabs_->setAccessibleName(tr("Card information"));
    tabs_->addTab(overview_, tr("&Card and PINs"));
    tabs_->addTab(certificates_, tr("C&ertificates"));
    tabs_->addTab(text_, tr("My &Number and basic facts"));
    tabs_->addTab(face_, tr("Card &face"));
    tabs_->addTab(history_, tr("Usage &history"));
    tabs_->addTab(sharing_, tr("Sh&aring"));
    rightLayout->addWidget(card_title_);
    rightLayout->addWidget(message_);
    rightLayout->addWidget(tabs_, 1);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0);  // indeterminate: card jobs do not report progress
    busy_->setMaximumWidth(kBusyWidth);
    busy_->setAccessibleName(tr("Working with the card"));
    busy_->hide();
    statusBar()->addPermanentWidget(busy_);

    controller_.setPinAsker(
        [this](const pinhelper::Request& request) { return ask_pin_with_dialog(request, this); });
    connect(&controller_, &CardViewController::busyChanged, this, [this](bool busy) {
        busy_->setVisible(busy);
        if (busy) {
            statusBar()->showMessage(tr("Working with the card…"));
        } else {
            statusBar()->clearMessage();
        }
    });
    connect(&controller_, &CardViewController::promptChanged, this, [this](const QString& hint) {
        if (hint.isEmpty()) {
            statusBar()->clearMessage();
        } else {
            statusBar()->showMessage(hint);
        }
    });
    connect(&controller_, &CardViewController::readersChanged, this, &CardView::showReaders);
    connect(&controller_, &CardViewController::cardStateChanged, this,
            [this]() { card_title_->setText(controller_.cardTitle()); });
    connect(&controller_, &CardViewController::messageChanged, this, &CardView::showMessage);
    connect(&controller_, &CardViewController::historyChanged, this, &CardView::refreshHistory);
    connect(&controller_, &CardViewController::jobFinished, this, &CardView::jobFinished);
    connect(readers_, &QListWidget::currentItemChanged, this, [this]() {
        if (QListWidgetItem* item = readers_->currentItem())
            controller_.selectReader(item->data(Qt::UserRole).toString());
    });
    connect(tabs_, &QTabWidget::currentChanged, this, &CardView::onTabChanged);
    connect(history_->reloadButton(), &QPushButton::clicked, this, &CardView::refreshHistory);

    showReaders();
    card_title_->setText(controller_.cardTitle());
    // The first reader with a card, as if the readers had just changed.
    controller_.updateReaders();
    refreshHistory();
    refreshConsents();
    readers_->setFocus();
}

void CardView::setPinProvider(PinProvider provider) {
    controller_.setPinAsker([this, provider = std::move(provider)](const pinhelper::Request& r) {
        return provider(r, this);
    });
}

void CardView::setConsentStorePath(std::filesystem::path path) {
    controller_.setConsentStorePath(std::move(path));
}

void CardView::showReaders() {
    const QList<ReaderInfo> list = controller_.readers();
    const QSignalBlocker block(readers_);
    readers_->clear();
    for (const ReaderInfo& r : list) {
        QString state;
        if (r.mute) {
            state = tr("card does not respond");
        } else if (r.card_present) {
            state = tr("card inserted");
        } else {
            state = tr("empty");
        }
        auto* item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(r.name, state), readers_);
        item->setData(Qt::UserRole, r.name);
        item->setData(Qt::AccessibleTextRole, tr("%1: %2").arg(r.name, state));
        if (r.name == controller_.currentReader()) readers_->setCurrentItem(item);
    }
}

void CardView::showMessage() {
    const QString text = controller_.message();
    if (text.isEmpty()) {
        message_->clear();
        message_->hide();
        return;
    }
    message_->setStyleSheet(controller_.messageIsError()
                                ? error_style()
                                : QStringLiteral("QLabel { background: #d1e7dd; color: #0a3622; "
                                                 "border: 1px solid #146c43; padding: 6px; }"));
    message_->setText(text);
    message_->show();
    if (controller_.messageIsError()) {
        // Screen readers announce the change of the message as an alert.
        QAccessibleEvent event(message_, QAccessible::Alert);
        QAccessible::updateAccessibility(&event);
    }
}

void CardView::onTabChanged(int index) {
    controller_.setCertificatesWanted(index == certificate_page);
    if (index == history_page) refreshHistory();
    if (index == sharing_page) refreshConsents();
}

void CardView::readFaceData() {
    face_->readFaceData();
}

void CardView::refreshHistory() {
    history_->load(controller_.backend().auditLogPath());
}

bool CardView::forgetSelectedConsent() {
    return sharing_->forgetSelected();
}

bool CardView::holdsCardData() const {
    return controller_.holdsCardData() || overview_->holdsData() || certificates_->holdsData() ||
           text_->holdsData() || face_->holdsData();
}

QStandardItemModel* CardView::applicationModel() const noexcept {
    return overview_->applicationModel();
}
QStandardItemModel* CardView::pinModel() const noexcept {
    return overview_->pinModel();
}
QStandardItemModel* CardView::certificateModel() const noexcept {
    return certificates_->certificateModel();
}
AuditHistoryModel* CardView::historyModel() const noexcept {
    return history_->model();
}
QLabel* CardView::certificateWarning() const noexcept {
    return certificates_->certificateWarning();
}
QLabel* CardView::historyStatus() const noexcept {
    return history_->status();
}
QLabel* CardView::myNumberLabel() const noexcept {
    return text_->myNumberLabel();
}
QPushButton* CardView::showMyNumberButton() const noexcept {
    return text_->showMyNumberButton();
}
QLabel* CardView::photoLabel() const noexcept {
    return face_->photoLabel();
}
QStandardItemModel* CardView::consentModel() const noexcept {
    return sharing_->model();
}
QTableView* CardView::consentTable() const noexcept {
    return sharing_->table();
}
QPushButton* CardView::forgetConsentButton() const noexcept {
    return sharing_->forgetButton();
}
QLabel* CardView::consentStatus() const noexcept {
    return sharing_->status();
}

}  // namespace mynacard::gui
