#include "gui/card_view.h"
#include "gui/jpeg2000.h"

#include <QAccessible>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSaveFile>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <utility>

#include "audit/audit.h"
#include "card/facts.h"
#include "gui/audit_history_model.h"
#include "gui/certificate_info.h"
#include "gui/messages.h"
#include "gui/pin_dialog.h"

namespace mynacard::gui {

namespace {

// Keeps a table's first column as wide as its widest entry.
void fit_first_column(QTableView* table, QAbstractItemModel* model) {
    const auto fit = [table]() { table->resizeColumnToContents(0); };
    QObject::connect(model, &QAbstractItemModel::rowsInserted, table, fit);
    QObject::connect(model, &QAbstractItemModel::dataChanged, table, fit);
    QObject::connect(model, &QAbstractItemModel::modelReset, table, fit);
}

constexpr std::array<card::Pin, 3> kPins{card::Pin::auth, card::Pin::sign, card::Pin::text};
// The order users meet them in: their own certificates first.
constexpr std::array<card::Certificate, 4> kCertOrder{
    card::Certificate::auth, card::Certificate::sign, card::Certificate::auth_ca,
    card::Certificate::sign_ca};
constexpr int kKindRole = Qt::UserRole + 1;
// The consent answer a row of the "Sharing" page stands for.
constexpr int kProgramRole = Qt::UserRole + 2;
constexpr int kCertificateHashRole = Qt::UserRole + 3;
constexpr int kSharingPage = 5;
// How long a just-inserted card is given before its status is read again.
constexpr std::chrono::milliseconds kSettleRetry{300};

// Card data is overwritten before it is dropped: mynacard::wipe for strings
// and bytes, card::wipe for the 券面事項入力補助 and 券面 data.
using card::wipe;
using mynacard::wipe;
// Labels are overwritten before they are emptied, so the old text does not
// linger in the one buffer QLabel keeps.
void wipe(QLabel* label) {
    QString text = label->text();
    text.fill(QLatin1Char(' '));
    label->setText(text);
    label->clear();
}

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

std::string audit_key(card::Certificate kind) {
    if (kind == card::Certificate::auth) return "auth";
    if (kind == card::Certificate::sign) return "sign";
    return "";
}
std::string audit_key(card::Pin pin) {
    return std::string(card::to_string(pin));
}

std::string serial_hash_of(const Bytes& der) {
    try {
        return audit::serial_hash(x509::Certificate::from_der(der).serial());
    } catch (const Error&) {
        return {};
    }
}

// The My Number as decision 11 wants it by default (card/facts.h).
QString masked(const std::string& number) {
    std::string m = card::mask_my_number(number);
    QString out = QString::fromStdString(m);
    wipe(m);
    return out;
}

QString pin_tries_text(const std::optional<int>& tries, const card::PinRule& rule) {
    if (!tries) return CardView::tr("not on this card");
    if (*tries == 0) return CardView::tr("blocked (reset at your municipal office)");
    return CardView::tr("%1 of %2 tries left").arg(*tries).arg(rule.max_tries);
}

QLabel* value_label(const QString& accessible_name) {
    auto* l = new QLabel;
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setWordWrap(true);
    l->setAccessibleName(accessible_name);
    return l;
}

}  // namespace

std::optional<SecureBytes> ask_pin_with_dialog(const pinhelper::Request& request, QWidget* parent) {
    PinDialog dialog(request, parent);
    dialog.exec();
    if (dialog.outcome() != PinDialog::Outcome::entered) return std::nullopt;
    return dialog.take_pin();
}

CardView::CardView(CardService& service, QWidget* parent)
    : QMainWindow(parent), service_(service), pin_provider_(&ask_pin_with_dialog) {
    setWindowTitle(tr("My Number Card"));
    setAccessibleName(tr("My Number Card"));
    resize(960, 640);

    auto* splitter = new QSplitter(this);
    readers_ = new QListWidget(splitter);
    readers_->setAccessibleName(tr("Card readers"));
    readers_->setAccessibleDescription(tr("Choose the reader whose card is shown"));
    readers_->setMinimumWidth(280);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    card_title_ = new QLabel(right);
    card_title_->setAccessibleName(tr("Card"));
    QFont big = card_title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
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
    tabs_ = new QTabWidget(right);
    tabs_->setAccessibleName(tr("Card information"));
    tabs_->addTab(buildOverviewPage(), tr("&Card and PINs"));
    tabs_->addTab(buildCertificatePage(), tr("C&ertificates"));
    tabs_->addTab(buildTextPage(), tr("My &Number and basic facts"));
    tabs_->addTab(buildFacePage(), tr("Card &face"));
    tabs_->addTab(buildHistoryPage(), tr("Usage &history"));
    tabs_->addTab(buildSharingPage(), tr("Sh&aring"));
    rightLayout->addWidget(card_title_);
    rightLayout->addWidget(message_);
    rightLayout->addWidget(tabs_, 1);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0);  // indeterminate: card jobs do not report progress
    busy_->setMaximumWidth(160);
    busy_->setAccessibleName(tr("Working with the card"));
    busy_->hide();
    statusBar()->addPermanentWidget(busy_);

    connect(&service_, &CardService::busyChanged, this, [this](bool busy) {
        busy_->setVisible(busy);
        if (busy) {
            statusBar()->showMessage(tr("Working with the card…"));
        } else {
            statusBar()->clearMessage();
        }
    });
    connect(&service_, &CardService::readersChanged, this, &CardView::onReadersChanged);
    connect(&service_, &CardService::cardReplaced, this, &CardView::onCardReplaced);
    connect(readers_, &QListWidget::currentItemChanged, this, &CardView::onReaderSelected);
    connect(tabs_, &QTabWidget::currentChanged, this, &CardView::onTabChanged);

    try {
        consent_path_ = consent::Store::default_path();
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): no home; the page says so
    }

    onReadersChanged();
    refreshHistory();
    refreshConsents();
    readers_->setFocus();
}

CardView::~CardView() {
    wipeCardData();
}

// ------------------------------------------------------------ pages

QWidget* CardView::buildOverviewPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);

    apps_ = new QStandardItemModel(0, 2, this);
    apps_->setHorizontalHeaderLabels({tr("Application"), tr("On this card")});
    auto* appTable = new QTableView(page);
    appTable->setModel(apps_);
    appTable->setAccessibleName(tr("Applications on the card"));
    // The names column fits its text whenever rows change (ResizeToContents
    // left the names elided when the rows arrived while the page was
    // hidden); the answer column takes the rest.
    appTable->horizontalHeader()->setStretchLastSection(true);
    appTable->setWordWrap(false);
    fit_first_column(appTable, apps_);
    appTable->verticalHeader()->hide();
    appTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    appTable->setMaximumHeight(130);

    pins_ = new QStandardItemModel(0, 2, this);
    pins_->setHorizontalHeaderLabels({tr("PIN"), tr("Tries left")});
    auto* pinTable = new QTableView(page);
    pinTable->setModel(pins_);
    pinTable->setAccessibleName(tr("PINs and tries left"));
    // The names column fits its text whenever rows change (ResizeToContents
    // left the names elided when the rows arrived while the page was
    // hidden); the answer column takes the rest.
    pinTable->horizontalHeader()->setStretchLastSection(true);
    pinTable->setWordWrap(false);
    fit_first_column(pinTable, pins_);
    pinTable->verticalHeader()->hide();
    pinTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    pinTable->setMaximumHeight(130);

    // One change button per PIN, one under the other: side by side their
    // long names made the window wider than a 1024-pixel screen.
    auto* changes = new QVBoxLayout;
    for (std::size_t i = 0; i < kPins.size(); ++i) {
        const card::Pin pin = kPins[i];
        auto* b = new QPushButton(tr("Change %1…").arg(pin_title(pin)), page);
        b->setAccessibleName(tr("Change %1").arg(pin_title(pin)));
        b->setEnabled(false);
        connect(b, &QPushButton::clicked, this, [this, pin]() { changePin(pin); });
        change_pin_[i] = b;
        changes->addWidget(b);
    }
    auto* refresh = new QPushButton(tr("&Refresh"), page);
    refresh->setAccessibleName(tr("Read the tries left again"));
    connect(refresh, &QPushButton::clicked, this, &CardView::refreshStatus);
    auto* buttons = new QHBoxLayout;
    buttons->addLayout(changes);
    buttons->addStretch();
    buttons->addWidget(refresh, 0, Qt::AlignTop);

    layout->addWidget(new QLabel(tr("Applications"), page));
    layout->addWidget(appTable);
    layout->addWidget(new QLabel(tr("PINs"), page));
    layout->addWidget(pinTable);
    layout->addLayout(buttons);
    layout->addStretch();
    return page;
}

QWidget* CardView::buildCertificatePage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);

    cert_warning_ = new QLabel(page);
    cert_warning_->setWordWrap(true);
    cert_warning_->setAccessibleName(tr("Certificate warning"));
    cert_warning_->setStyleSheet(
        QStringLiteral("QLabel { background: #fff3cd; color: #5c3c00; border: 1px solid #c99a00; "
                       "padding: 6px; }"));
    cert_warning_->hide();

    certs_ = new QStandardItemModel(0, 3, this);
    certs_->setHorizontalHeaderLabels({tr("Certificate"), tr("Valid until"), tr("State")});
    cert_table_ = new QTableView(page);
    cert_table_->setModel(certs_);
    cert_table_->setAccessibleName(tr("Certificates on the card"));
    cert_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    cert_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    cert_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    cert_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    cert_table_->horizontalHeader()->setStretchLastSection(true);
    cert_table_->verticalHeader()->hide();
    cert_table_->setWordWrap(false);
    connect(cert_table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CardView::showCertificateDetails);

    cert_details_ = value_label(tr("Certificate details"));
    cert_details_->setTextFormat(Qt::PlainText);

    auto* buttons = new QHBoxLayout;
    auto* read = new QPushButton(tr("Read &certificates"), page);
    read->setAccessibleName(tr("Read the certificates that need no PIN"));
    connect(read, &QPushButton::clicked, this, &CardView::readCertificates);
    auto* readSign = new QPushButton(tr("Read &signature certificate…"), page);
    readSign->setAccessibleName(
        tr("Read the signature certificate (needs the signature password)"));
    connect(readSign, &QPushButton::clicked, this, &CardView::readSignCertificate);
    export_ = new QPushButton(tr("&Save to file…"), page);
    export_->setAccessibleName(tr("Save the selected certificate to a file"));
    export_->setEnabled(false);
    connect(export_, &QPushButton::clicked, this, &CardView::exportSelected);
    buttons->addWidget(read);
    buttons->addWidget(readSign);
    buttons->addStretch();
    buttons->addWidget(export_);

    layout->addWidget(cert_warning_);
    layout->addWidget(cert_table_, 1);
    layout->addWidget(cert_details_);
    layout->addLayout(buttons);
    return page;
}

QWidget* CardView::buildTextPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* intro = new QLabel(tr("The card-information application (券面事項入力補助AP) holds "
                                "your My Number and the four basic facts. Reading it needs the "
                                "4-digit card-information PIN."),
                             page);
    intro->setWordWrap(true);

    auto* form = new QFormLayout;
    my_number_ = value_label(tr("My Number"));
    show_number_ = new QPushButton(tr("S&how"), page);
    show_number_->setCheckable(true);
    show_number_->setEnabled(false);
    show_number_->setAccessibleName(tr("Show the My Number"));
    connect(show_number_, &QPushButton::toggled, this, &CardView::toggleMyNumber);
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

    auto* read = new QPushButton(tr("&Read with the card-information PIN…"), page);
    read->setAccessibleName(tr("Read the My Number and basic facts"));
    connect(read, &QPushButton::clicked, this, &CardView::readTextData);

    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(read, 0, Qt::AlignLeft);
    layout->addStretch();
    return page;
}

QWidget* CardView::buildFacePage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* intro = new QLabel(
        tr("The card-face application (券面AP) holds the images printed on the card. It is "
           "unlocked with 照合番号B, 14 digits: your date of birth (YYMMDD), the card's expiry "
           "year (YYYY) and the 4-digit security code printed on the front."),
        page);
    intro->setWordWrap(true);

    auto* row = new QHBoxLayout;
    auto* codeLabel = new QLabel(tr("照合番号&B:"), page);
    code_b_ = new QLineEdit(page);
    code_b_->setEchoMode(QLineEdit::Password);
    code_b_->setMaxLength(14);
    code_b_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[0-9]{0,14}")), code_b_));
    code_b_->setAccessibleName(tr("照合番号B, 14 digits"));
    code_b_->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData |
                                 Qt::ImhNoPredictiveText);
    codeLabel->setBuddy(code_b_);
    auto* read = new QPushButton(tr("Read card &face"), page);
    read->setAccessibleName(tr("Read the card face images"));
    connect(read, &QPushButton::clicked, this, &CardView::readFaceData);
    connect(code_b_, &QLineEdit::returnPressed, this, &CardView::readFaceData);
    row->addWidget(codeLabel);
    row->addWidget(code_b_);
    row->addWidget(read);
    row->addStretch();

    face_name_ = new QLabel(page);
    face_name_->setAccessibleName(tr("Name as printed on the card"));
    face_address_ = new QLabel(page);
    face_address_->setAccessibleName(tr("Address as printed on the card"));
    photo_ = new QLabel(page);
    photo_->setWordWrap(true);
    photo_->setAccessibleName(tr("Photo"));
    photo_->setMinimumWidth(160);
    face_facts_ = value_label(tr("Facts printed on the card"));
    save_photo_ = new QPushButton(tr("Save &photo…"), page);
    save_photo_->setAccessibleName(tr("Save the photo (JPEG 2000) to a file"));
    save_photo_->setEnabled(false);
    connect(save_photo_, &QPushButton::clicked, this, &CardView::savePhoto);

    auto* images = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(face_name_);
    left->addWidget(face_address_);
    left->addWidget(face_facts_);
    left->addStretch();
    auto* photoColumn = new QVBoxLayout;
    photoColumn->addWidget(photo_);
    photoColumn->addWidget(save_photo_);
    photoColumn->addStretch();
    images->addLayout(left, 1);
    images->addLayout(photoColumn);

    auto* inner = new QWidget;
    inner->setLayout(images);
    auto* scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);

    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(scroll, 1);
    return page;
}

QWidget* CardView::buildHistoryPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* intro = new QLabel(tr("When and by which program your card was used. Each entry is "
                                "chained to the one before, so a changed history shows."),
                             page);
    intro->setWordWrap(true);
    history_status_ = new QLabel(page);
    history_status_->setWordWrap(true);
    history_status_->setAccessibleName(tr("Check of the history"));
    history_ = new AuditHistoryModel(this);
    auto* table = new QTableView(page);
    table->setModel(history_);
    table->setAccessibleName(tr("Usage history"));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    auto* refresh = new QPushButton(tr("Re&load"), page);
    refresh->setAccessibleName(tr("Read the history again"));
    connect(refresh, &QPushButton::clicked, this, &CardView::refreshHistory);
    layout->addWidget(intro);
    layout->addWidget(history_status_);
    layout->addWidget(table, 1);
    layout->addWidget(refresh, 0, Qt::AlignRight);
    return page;
}

QWidget* CardView::buildSharingPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* intro =
        new QLabel(tr("The answers you gave when a program asked for your digital signature "
                      "certificate, which shows your name, address, date of birth and sex; an "
                      "answer is used again without asking you until you forget it here."),
                   page);
    intro->setWordWrap(true);
    consent_status_ = new QLabel(page);
    consent_status_->setWordWrap(true);
    consent_status_->setAccessibleName(tr("Remembered answers"));
    consent_status_->hide();

    consents_ = new QStandardItemModel(0, 4, this);
    consents_->setHorizontalHeaderLabels(
        {tr("Program"), tr("Your answer"), tr("Decided on"), tr("Certificate")});
    consent_table_ = new QTableView(page);
    consent_table_->setModel(consents_);
    consent_table_->setAccessibleName(tr("Remembered answers"));
    consent_table_->setAccessibleDescription(
        tr("Select an answer and press Delete or the Forget button to be asked again"));
    consent_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    consent_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    consent_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    consent_table_->setTabKeyNavigation(false);
    // Columns fit their text whenever rows change (ResizeToContents leaves
    // them elided when the rows arrive while the page is hidden).
    consent_table_->horizontalHeader()->setStretchLastSection(true);
    consent_table_->verticalHeader()->hide();
    consent_table_->setWordWrap(false);
    connect(consent_table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CardView::updateForgetButton);
    // Delete on the list forgets the selected answer, like the button.
    auto* del = new QShortcut(QKeySequence::Delete, consent_table_);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &CardView::forgetSelectedConsent);

    forget_consent_ = new QPushButton(tr("F&orget answer"), page);
    forget_consent_->setAccessibleName(tr("Forget the selected answer"));
    forget_consent_->setAccessibleDescription(
        tr("You are asked again the next time the program wants the signature certificate"));
    forget_consent_->setEnabled(false);
    connect(forget_consent_, &QPushButton::clicked, this, &CardView::forgetSelectedConsent);
    auto* reload = new QPushButton(tr("Re&load"), page);
    reload->setAccessibleName(tr("Read the remembered answers again"));
    connect(reload, &QPushButton::clicked, this, &CardView::refreshConsents);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(forget_consent_);
    buttons->addStretch();
    buttons->addWidget(reload);

    layout->addWidget(intro);
    layout->addWidget(consent_status_);
    layout->addWidget(consent_table_, 1);
    layout->addLayout(buttons);
    return page;
}

// ------------------------------------------------------------ readers and cards

void CardView::onReadersChanged() {
    const QList<ReaderInfo> list = service_.readers();
    // Keep the reader shown; else the first with a card, else the first.
    const auto shown = std::find_if(list.begin(), list.end(),
                                    [this](const ReaderInfo& r) { return r.name == reader_; });
    if (shown == list.end()) {
        auto pick = std::find_if(list.begin(), list.end(),
                                 [](const ReaderInfo& r) { return r.card_present && !r.mute; });
        if (pick == list.end()) pick = list.begin();
        wipeCardData();
        card_present_ = false;
        reader_ = pick != list.end() ? pick->name : QString();
    }
    {
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
            if (r.name == reader_) readers_->setCurrentItem(item);
        }
    }
    updateCardState();
}

void CardView::updateCardState() {
    const QList<ReaderInfo> list = service_.readers();
    const auto current = std::find_if(list.begin(), list.end(),
                                      [this](const ReaderInfo& r) { return r.name == reader_; });
    const bool found = current != list.end();
    const bool present = found && current->card_present && !current->mute;
    if (list.isEmpty()) {
        card_title_->setText(
            tr("No card reader found. Connect a reader; if one is connected, "
               "check that the smart card service (pcscd) is running."));
    } else if (!present) {
        card_title_->setText(
            found && current->mute
                ? tr("The card in %1 does not respond. Insert it again.").arg(reader_)
                : tr("Insert your My Number Card into %1.").arg(reader_));
    } else {
        card_title_->setText(tr("Card in %1").arg(reader_));
    }
    if (!present) {
        // The card went: nothing read from it stays (decision 11).
        if (card_present_ || holdsCardData()) wipeCardData();
        card_present_ = false;
    } else if (!card_present_) {
        card_present_ = true;
        clearMessage();
        readStatus(2);
        if (tabs_->currentIndex() == 1) readCertificates();
    }
}

void CardView::onCardReplaced(const QString& reader) {
    if (reader != reader_ || !card_present_) return;
    // Nothing of the old card may be shown as this card's (decision 11);
    // the job that found the other card is dropped with the old data, and
    // the new card is read as if it had just been put in.
    wipeCardData();
    showErrorText(tr("Another card is now in %1. Showing that card; nothing of the previous card "
                     "is kept.")
                      .arg(reader_));
    readStatus(2);
    if (tabs_->currentIndex() == 1) readCertificates();
}

void CardView::onReaderSelected() {
    QListWidgetItem* item = readers_->currentItem();
    if (item == nullptr) return;
    selectReader(item->data(Qt::UserRole).toString());
}

void CardView::selectReader(const QString& name) {
    if (name == reader_) return;
    wipeCardData();
    card_present_ = false;
    reader_ = name;
    updateCardState();
}

void CardView::onTabChanged(int index) {
    QWidget* page = tabs_->widget(index);
    if (page == nullptr) return;
    if (index == 1 && card_present_ && data_.certificates.empty()) readCertificates();
    if (index == 4) refreshHistory();
    if (index == kSharingPage) refreshConsents();
}

void CardView::wipeCardData() {
    ++generation_;  // outcomes of jobs still running are dropped
    status_pending_ = false;
    flow_active_ = false;
    if (data_.text) wipe(*data_.text);
    if (data_.face) wipe(*data_.face);
    data_ = CardData{};
    number_shown_ = false;

    apps_->removeRows(0, apps_->rowCount());
    pins_->removeRows(0, pins_->rowCount());
    certs_->removeRows(0, certs_->rowCount());
    for (QPushButton* b : change_pin_) b->setEnabled(false);
    cert_warning_->clear();
    cert_warning_->hide();
    wipe(cert_details_);
    export_->setEnabled(false);

    {
        const QSignalBlocker block(show_number_);
        show_number_->setChecked(false);
        show_number_->setText(tr("S&how"));
    }
    show_number_->setEnabled(false);
    for (QLabel* l : {my_number_, name_, address_, birth_, sex_, integrity_, face_facts_}) wipe(l);
    face_name_->clear();
    face_address_->clear();
    wipe(photo_);
    photo_->clear();
    save_photo_->setEnabled(false);
    // The code typed for this card is worth nothing for the next one.
    QString code = code_b_->text();
    code.fill(QLatin1Char('0'));
    code_b_->setText(code);
    code_b_->clear();
    // Which answers were for this card's certificate goes with the card.
    showConsents();
}

bool CardView::holdsCardData() const {
    if (data_.status || !data_.certificates.empty() || data_.text || data_.face) return true;
    if (apps_->rowCount() > 0 || pins_->rowCount() > 0 || certs_->rowCount() > 0) return true;
    for (const QLabel* l : {my_number_, name_, address_, birth_, sex_, cert_details_, face_facts_})
        if (!l->text().isEmpty()) return true;
    return !face_name_->pixmap().isNull() || !face_address_->pixmap().isNull() ||
           !photo_->pixmap().isNull();
}

// ------------------------------------------------------------ messages

void CardView::showError(const Error& error) {
    showErrorText(describe(error));
}

void CardView::showErrorText(const QString& text) {
    message_is_error_ = true;
    message_->setStyleSheet(
        QStringLiteral("QLabel { background: #f8d7da; color: #58151c; border: 1px solid #b02a37; "
                       "padding: 6px; }"));
    message_->setText(text);
    message_->show();
    // Screen readers announce the change of the message as an alert.
    QAccessibleEvent event(message_, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
}

void CardView::showInfo(const QString& text) {
    message_is_error_ = false;
    message_->setStyleSheet(
        QStringLiteral("QLabel { background: #d1e7dd; color: #0a3622; border: 1px solid #146c43; "
                       "padding: 6px; }"));
    message_->setText(text);
    message_->show();
}

void CardView::clearMessage() {
    message_is_error_ = false;
    message_->clear();
    message_->hide();
}

QString CardView::message() const {
    return message_->text();
}

QString CardView::lastError() const {
    return message_is_error_ ? message_->text() : QString();
}

// ------------------------------------------------------------ jobs

template <class R>
void CardView::runJob(std::function<R(CardJob&)> job, std::function<void(R&)> shown,
                      std::function<void()> finally) {
    if (reader_.isEmpty()) return;
    const quint64 generation = generation_;
    service_.run<R>(
        reader_, std::move(job), this,
        [this, generation, shown = std::move(shown),
         finally = std::move(finally)](Outcome<R> outcome) {
            if (generation == generation_) {
                if (finally) finally();
                if (auto* e = std::get_if<Error>(&outcome)) {
                    showError(*e);
                    if (e->code() == Errc::pin_incorrect || e->code() == Errc::pin_blocked)
                        refreshStatus();  // the counter changed: show it
                } else {
                    shown(std::get<0>(outcome));
                }
            }
            // Every job wrote to the audit log: keep the history current.
            refreshHistory();
            emit jobFinished();
        });
}

void CardView::refreshStatus() {
    readStatus(0);
}

void CardView::readStatus(int retries) {
    if (!card_present_ || status_pending_) return;
    status_pending_ = true;
    using Status = card::MyNumberCard::Status;
    const quint64 generation = generation_;
    service_.run<Status>(
        reader_,
        [](CardJob& j) {
            try {
                auto s = j.card().status();
                j.record(audit::Operation::pin_status, audit::Result::ok);
                return s;
            } catch (const Error& e) {
                j.record(audit::Operation::pin_status, audit::result_of(e.code()));
                throw;
            }
        },
        this,
        [this, generation, retries](Outcome<Status> outcome) {
            if (generation == generation_) {
                status_pending_ = false;
                if (auto* e = std::get_if<Error>(&outcome)) {
                    // A card just inserted can still be powering up (pcscd
                    // reports it before it answers): one quiet retry.
                    const bool settling =
                        e->code() == Errc::card_removed || e->code() == Errc::card_reset ||
                        e->code() == Errc::no_card || e->code() == Errc::transport;
                    if (settling && retries > 0) {
                        QTimer::singleShot(kSettleRetry, this, [this, generation, retries]() {
                            if (generation == generation_) readStatus(retries - 1);
                        });
                    } else {
                        showError(*e);
                    }
                } else {
                    data_.status = std::get<0>(outcome);
                    showStatus();
                }
            }
            refreshHistory();
            emit jobFinished();
        });
}

void CardView::showStatus() {
    apps_->removeRows(0, apps_->rowCount());
    pins_->removeRows(0, pins_->rowCount());
    if (!data_.status) return;
    const auto& s = *data_.status;
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

std::optional<int> CardView::knownTries(card::Pin pin) const {
    if (!data_.status) return std::nullopt;
    switch (pin) {
        case card::Pin::auth:
            return data_.status->auth;
        case card::Pin::sign:
            return data_.status->sign;
        case card::Pin::text:
            return data_.status->text;
    }
    return std::nullopt;
}

std::optional<SecureBytes> CardView::askPin(card::Pin pin, pinhelper::Purpose purpose,
                                            int tries_left, const QString& title,
                                            pinhelper::Entry entry) {
    pinhelper::Request request;
    request.pin = pin;
    request.purpose = purpose;
    request.entry = entry;
    request.program = QCoreApplication::applicationFilePath().toStdString();
    request.pid = static_cast<long>(::getpid());
    request.reader = reader_.toStdString();
    request.tries_left = tries_left;
    if (!title.isEmpty()) statusBar()->showMessage(title);
    auto result = pin_provider_(request, this);
    statusBar()->clearMessage();
    return result;
}

namespace {

// Reads a PIN's tries left on the worker (decision 5: shown before asking).
int read_tries(CardJob& j, card::Pin pin) {
    try {
        const int n = j.card().tries_left(pin);
        j.record(audit::Operation::pin_status, audit::Result::ok, audit_key(pin));
        return n;
    } catch (const Error& e) {
        j.record(audit::Operation::pin_status, audit::result_of(e.code()), audit_key(pin));
        throw;
    }
}

}  // namespace

void CardView::readCertificates() {
    if (!card_present_) return;
    using Read = std::map<card::Certificate, Bytes>;
    runJob<Read>(
        [](CardJob& j) {
            Read out;
            for (const card::Certificate kind :
                 {card::Certificate::auth, card::Certificate::auth_ca,
                  card::Certificate::sign_ca}) {
                try {
                    out[kind] = j.card().read_certificate(kind);
                    j.record(audit::Operation::read_certificate, audit::Result::ok, audit_key(kind),
                             serial_hash_of(out[kind]));
                } catch (const Error& e) {
                    j.record(audit::Operation::read_certificate, audit::result_of(e.code()),
                             audit_key(kind));
                    // A card without this certificate (a minor's card has
                    // no signature CA either) shows the others.
                    if (e.code() != Errc::not_found) throw;
                }
            }
            return out;
        },
        [this](Read& read) {
            for (auto& [kind, der] : read) {
                try {
                    data_.certificates.insert_or_assign(kind, x509::Certificate::from_der(der));
                } catch (const Error& e) {
                    showError(e);
                }
            }
            showCertificates();
        });
}

void CardView::readSignCertificate() {
    if (!card_present_ || flow_active_) return;
    flow_active_ = true;
    runJob<int>([](CardJob& j) { return read_tries(j, card::Pin::sign); },
                [this](int& tries) {
                    if (data_.status) data_.status->sign = tries;
                    showStatus();
                    const quint64 generation = generation_;
                    auto pin = askPin(card::Pin::sign, pinhelper::Purpose::read_certificate, tries);
                    if (!pin || generation != generation_) return;
                    auto secret = std::make_shared<SecureBytes>(std::move(*pin));
                    const card::PinOptions options{.confirm_last_try = tries == 1};
                    flow_active_ = true;
                    runJob<Bytes>(
                        [secret, options](CardJob& j) {
                            try {
                                Bytes der = j.card().read_sign_certificate(*secret, options);
                                j.record(audit::Operation::read_sign_certificate, audit::Result::ok,
                                         "sign", serial_hash_of(der));
                                return der;
                            } catch (const Error& e) {
                                j.record(audit::Operation::read_sign_certificate,
                                         audit::result_of(e.code()), "sign");
                                throw;
                            }
                        },
                        [this](Bytes& der) {
                            try {
                                data_.certificates.insert_or_assign(
                                    card::Certificate::sign, x509::Certificate::from_der(der));
                            } catch (const Error& e) {
                                showError(e);
                            }
                            clearMessage();
                            showCertificates();
                            showConsents();
                            refreshStatus();
                        },
                        [this]() { flow_active_ = false; });
                },
                [this]() { flow_active_ = false; });
}

void CardView::showCertificates() {
    certs_->removeRows(0, certs_->rowCount());
    QStringList warnings;
    const auto now = std::chrono::system_clock::now();
    for (const card::Certificate kind : kCertOrder) {
        const auto it = data_.certificates.find(kind);
        if (it == data_.certificates.end()) continue;
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
    cert_warning_->setText(warnings.join(QLatin1Char('\n')));
    cert_warning_->setVisible(!warnings.isEmpty());
    if (!warnings.isEmpty()) {
        QAccessibleEvent event(cert_warning_, QAccessible::Alert);
        QAccessible::updateAccessibility(&event);
    }
    if (certs_->rowCount() > 0) cert_table_->selectRow(0);
    showCertificateDetails();
}

void CardView::showCertificateDetails() {
    const QModelIndex index = cert_table_->currentIndex();
    export_->setEnabled(index.isValid());
    if (!index.isValid()) {
        wipe(cert_details_);
        return;
    }
    const auto kind =
        static_cast<card::Certificate>(certs_->index(index.row(), 0).data(kKindRole).toInt());
    const auto it = data_.certificates.find(kind);
    if (it == data_.certificates.end()) return;
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
        } else if (kind == card::Certificate::auth) {
            lines << tr("This certificate carries no name, address, birth date or sex.");
        }
    } catch (const Error& e) {
        lines << describe(e);
    }
    cert_details_->setText(lines.join(QLatin1Char('\n')));
}

void CardView::exportSelected() {
    const QModelIndex index = cert_table_->currentIndex();
    if (!index.isValid()) return;
    const auto kind =
        static_cast<card::Certificate>(certs_->index(index.row(), 0).data(kKindRole).toInt());
    const QString pemFilter = tr("PEM certificate (*.pem)");
    const QString derFilter = tr("DER certificate (*.der *.cer)");
    QString selected = pemFilter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save certificate"),
        QStringLiteral("%1.pem").arg(QString::fromUtf8(card::to_string(kind).data())),
        pemFilter + QStringLiteral(";;") + derFilter, &selected);
    if (path.isEmpty()) return;
    const bool pem = selected == pemFilter && !path.endsWith(QStringLiteral(".der")) &&
                     !path.endsWith(QStringLiteral(".cer"));
    if (exportCertificate(kind, path, pem))
        showInfo(tr("The certificate was saved to %1.").arg(path));
}

bool CardView::exportCertificate(card::Certificate which, const QString& path, bool pem) {
    const auto it = data_.certificates.find(which);
    if (it == data_.certificates.end()) return false;
    const x509::Certificate& c = it->second;
    QByteArray bytes;
    if (pem) {
        const std::string text = c.pem();
        bytes = QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    } else {
        bytes = QByteArray(reinterpret_cast<const char*>(c.der().data()),
                           static_cast<qsizetype>(c.der().size()));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        showError(Error(Errc::io, "cannot write " + path.toStdString()));
        return false;
    }
    // A certificate written to disk is a disclosure the holder may want to
    // find later (the CLI records it the same way).
    try {
        audit::Event e;
        e.operation = audit::Operation::export_certificate;
        e.result = audit::Result::ok;
        e.reader = reader_.toStdString();
        e.key = audit_key(which);
        e.cert_serial_hash = audit::serial_hash(c.serial());
        audit::Log(service_.auditLogPath()).append(e);
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): the file is written already
    }
    refreshHistory();
    return true;
}

void CardView::changePin(card::Pin pin) {
    if (!card_present_ || flow_active_) return;
    flow_active_ = true;
    runJob<int>(
        [pin](CardJob& j) { return read_tries(j, pin); },
        [this, pin](int& tries) {
            const quint64 generation = generation_;
            if (tries == 0) {
                showError(Error(Errc::pin_blocked, "blocked", 0));
                return;
            }
            auto current = askPin(pin, pinhelper::Purpose::change_pin, tries,
                                  tr("Enter the current %1.").arg(pin_title(pin)));
            if (!current || generation != generation_) return;
            auto next =
                askPin(pin, pinhelper::Purpose::change_pin, -1,
                       tr("Enter the new %1.").arg(pin_title(pin)), pinhelper::Entry::new_pin);
            if (!next || generation != generation_) return;
            auto again = askPin(pin, pinhelper::Purpose::change_pin, -1,
                                tr("Enter the new %1 again.").arg(pin_title(pin)),
                                pinhelper::Entry::repeat_new);
            if (!again || generation != generation_) return;
            if (*next != *again) {
                showErrorText(tr("The two new PINs are not the same. Nothing was changed."));
                return;
            }
            auto cur = std::make_shared<SecureBytes>(std::move(*current));
            auto nxt = std::make_shared<SecureBytes>(std::move(*next));
            const card::PinOptions options{.confirm_last_try = tries == 1};
            flow_active_ = true;
            runJob<bool>(
                [pin, cur, nxt, options](CardJob& j) {
                    try {
                        j.card().change_pin(pin, *cur, *nxt, options);
                        j.record(audit::Operation::pin_change, audit::Result::ok, audit_key(pin));
                        return true;
                    } catch (const Error& e) {
                        j.record(audit::Operation::pin_change, audit::result_of(e.code()),
                                 audit_key(pin));
                        throw;
                    }
                },
                [this, pin](bool&) {
                    showInfo(tr("The %1 was changed.").arg(pin_title(pin)));
                    refreshStatus();
                },
                [this]() { flow_active_ = false; });
        },
        [this]() { flow_active_ = false; });
}

void CardView::readTextData() {
    if (!card_present_ || flow_active_) return;
    flow_active_ = true;
    runJob<int>([](CardJob& j) { return read_tries(j, card::Pin::text); },
                [this](int& tries) {
                    if (data_.status) data_.status->text = tries;
                    showStatus();
                    if (tries == 0) {
                        showError(Error(Errc::pin_blocked, "blocked", 0));
                        return;
                    }
                    const quint64 generation = generation_;
                    auto pin = askPin(card::Pin::text, pinhelper::Purpose::read_text, tries);
                    if (!pin || generation != generation_) return;
                    auto secret = std::make_shared<SecureBytes>(std::move(*pin));
                    const card::PinOptions options{.confirm_last_try = tries == 1};
                    flow_active_ = true;
                    runJob<card::TextApData>(
                        [secret, options](CardJob& j) {
                            try {
                                auto t = j.card().read_text_ap(*secret, options);
                                j.record(audit::Operation::read_text_ap, audit::Result::ok, "text");
                                return t;
                            } catch (const Error& e) {
                                j.record(audit::Operation::read_text_ap, audit::result_of(e.code()),
                                         "text");
                                throw;
                            }
                        },
                        [this](card::TextApData& t) {
                            if (data_.text) wipe(*data_.text);
                            data_.text = std::move(t);
                            wipe(t);
                            clearMessage();
                            showText();
                            refreshStatus();
                        },
                        [this]() { flow_active_ = false; });
                },
                [this]() { flow_active_ = false; });
}

void CardView::showText() {
    if (!data_.text) return;
    const auto& t = *data_.text;
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

void CardView::toggleMyNumber() {
    number_shown_ = show_number_->isChecked();
    show_number_->setText(number_shown_ ? tr("&Hide") : tr("S&how"));
    show_number_->setAccessibleName(number_shown_ ? tr("Hide the My Number")
                                                  : tr("Show the My Number"));
    showText();
}

void CardView::readFaceData() {
    if (!card_present_ || flow_active_) return;
    QString typed = code_b_->text();
    if (typed.size() != 14) {
        showErrorText(tr("照合番号B has 14 digits. Nothing was sent to the card."));
        return;
    }
    const QByteArray latin = typed.toLatin1();
    auto code = std::make_shared<SecureBytes>(latin.begin(), latin.end());
    // The typed code leaves the field: it is as good as a PIN for the images.
    typed.fill(QLatin1Char('0'));
    code_b_->setText(typed);
    code_b_->clear();
    runJob<card::FaceData>(
        [code](CardJob& j) {
            try {
                auto f = j.card().read_face_ap(card::FaceCode::b, *code);
                j.record(audit::Operation::read_face_ap, audit::Result::ok);
                return f;
            } catch (const Error& e) {
                j.record(audit::Operation::read_face_ap, audit::result_of(e.code()));
                throw;
            }
        },
        [this](card::FaceData& f) {
            if (data_.face) wipe(*data_.face);
            data_.face = std::move(f);
            wipe(f);
            clearMessage();
            showFace();
        });
}

void CardView::showFace() {
    if (!data_.face) return;
    const auto& f = *data_.face;
    const auto pixmap = [](const Bytes& png) {
        QPixmap p;
        p.loadFromData(png.data(), static_cast<uint>(png.size()), "PNG");
        return p;
    };
    face_name_->setPixmap(pixmap(f.name_png));
    face_address_->setPixmap(pixmap(f.address_png));
    face_facts_->setText(tr("Date of birth: %1\nSex: %2\nCard valid until: %3")
                             .arg(date_text(f.birth_date), sex_text(f.sex), date_text(f.expiry)));
    // The photo is JPEG 2000 (card-facts.md §4.4), decoded with libopenjp2.
    QImage photo = decode_jpeg2000(f.photo_jp2);
    if (!photo.isNull()) {
        photo_->setPixmap(QPixmap::fromImage(photo));
    } else {
        photo_->setText(
            tr("The photo on the card could not be decoded. You can still save it to a "
               "file (JPEG 2000)."));
    }
    save_photo_->setEnabled(!f.photo_jp2.empty());
}

void CardView::savePhoto() {
    if (!data_.face || data_.face->photo_jp2.empty()) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save photo"), QStringLiteral("photo.jp2"), tr("JPEG 2000 image (*.jp2)"));
    if (path.isEmpty()) return;
    const Bytes& jp2 = data_.face->photo_jp2;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(reinterpret_cast<const char*>(jp2.data()), static_cast<qint64>(jp2.size())) !=
            static_cast<qint64>(jp2.size()) ||
        !file.commit()) {
        showError(Error(Errc::io, "cannot write the photo"));
        return;
    }
    showInfo(tr("The photo was saved to %1.").arg(path));
}

void CardView::refreshHistory() {
    history_->load(service_.auditLogPath());
    history_status_->setText(history_->status());
    history_status_->setStyleSheet(
        history_->intact() ? QString()
                           : QStringLiteral("QLabel { background: #f8d7da; color: #58151c; "
                                            "border: 1px solid #b02a37; padding: 6px; }"));
}

// ------------------------------------------------------------ consent answers

void CardView::setConsentStorePath(std::filesystem::path path) {
    consent_path_ = std::move(path);
    refreshConsents();
}

void CardView::refreshConsents() {
    consent_records_ =
        consent_path_ ? consent::Store(*consent_path_).records() : std::vector<consent::Record>{};
    // Newest first, like the usage history (RFC 3339 UTC sorts as text).
    std::stable_sort(
        consent_records_.begin(), consent_records_.end(),
        [](const consent::Record& a, const consent::Record& b) { return a.time > b.time; });
    showConsents();
}

void CardView::showConsents() {
    if (consents_ == nullptr) return;
    const int selected = consent_table_->selectionModel()->hasSelection()
                             ? consent_table_->currentIndex().row()
                             : -1;
    // The hash of the signature certificate of the card shown, when read.
    std::string card_hash;
    if (const auto it = data_.certificates.find(card::Certificate::sign);
        it != data_.certificates.end())
        card_hash = consent::certificate_hash(it->second);

    consents_->removeRows(0, consents_->rowCount());
    for (const consent::Record& r : consent_records_) {
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
    for (const int c : {consent_program, consent_answer, consent_time})
        consent_table_->resizeColumnToContents(c);

    if (!consent_path_) {
        consent_status_->setText(
            tr("Your answers cannot be found: there is no home directory for them."));
    } else if (consent_records_.empty()) {
        consent_status_->setText(
            tr("No answers are remembered: you are asked whenever a program wants the "
               "signature certificate."));
    } else {
        consent_status_->clear();
    }
    consent_status_->setVisible(!consent_status_->text().isEmpty());
    if (selected >= 0 && consents_->rowCount() > 0)
        consent_table_->selectRow(std::min(selected, consents_->rowCount() - 1));
    updateForgetButton();
}

void CardView::updateForgetButton() {
    const bool had_focus = forget_consent_->hasFocus();
    forget_consent_->setEnabled(consent_table_->selectionModel()->hasSelection());
    // A disabled button cannot keep the keyboard focus: the list takes it.
    if (had_focus && !forget_consent_->isEnabled()) consent_table_->setFocus();
}

bool CardView::forgetSelectedConsent() {
    if (!consent_path_ || !consent_table_->selectionModel()->hasSelection()) return false;
    const int row = consent_table_->currentIndex().row();
    if (row < 0 || row >= consents_->rowCount()) return false;
    const QStandardItem* item = consents_->item(row, consent_program);
    const QString program = item->data(kProgramRole).toString();
    const QString hash = item->data(kCertificateHashRole).toString();
    const QString name = item->text();
    bool forgotten = false;
    try {
        forgotten =
            consent::Store(*consent_path_).forget(program.toStdString(), hash.toStdString());
    } catch (const Error& e) {
        showError(e);
        return false;
    }
    refreshConsents();
    if (!forgotten) return false;  // another program removed it meanwhile
    showInfo(tr("The answer for %1 was forgotten: you are asked again the next time it wants "
                "your signature certificate.")
                 .arg(name));
    return true;
}

}  // namespace mynacard::gui
