#pragma once

#include <QMainWindow>
#include <QString>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "card/card.h"
#include "consent/consent.h"
#include "core/bytes.h"
#include "core/error.h"
#include "gui/card_service.h"
#include "pinhelper/pinhelper.h"
#include "x509/x509.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace mynacard::gui {

class AuditHistoryModel;

// The main window of `mynacard-helper`: readers and cards live (hot-plug),
// per card the applications and every PIN's tries left, the certificates
// with holder attributes and an expiry warning, PIN change, the
// 券面事項入力補助 data (My Number masked until asked, decision 11), the card
// face, certificate export, the audit history and the remembered consent
// answers for the signature certificate (docs/consent.md), which the holder
// can forget so that the program asks again. Card I/O only through
// CardService jobs, each recorded in the audit log; everything read from a
// card is wiped when that card goes, or when a job finds another card in the
// reader (CardService::cardReplaced), which is then read afresh.
class CardView : public QMainWindow {
    Q_OBJECT
  public:
    // Asks the holder for a PIN (PinDialog by default); nothing when cancelled.
    using PinProvider = std::function<std::optional<SecureBytes>(const pinhelper::Request& request,
                                                                 QWidget* parent)>;

    explicit CardView(CardService& service, QWidget* parent = nullptr);
    ~CardView() override;
    CardView(const CardView&) = delete;
    CardView& operator=(const CardView&) = delete;

    // Tests replace the dialog with scripted answers.
    void setPinProvider(PinProvider provider) { pin_provider_ = std::move(provider); }
    // The consent store whose answers the "Sharing" page lists (default:
    // consent::Store::default_path()); reads it again.
    void setConsentStorePath(std::filesystem::path path);
    // Empty when there is none (no home directory).
    [[nodiscard]] std::filesystem::path consentStorePath() const {
        return consent_path_.value_or(std::filesystem::path());
    }

    // The reader whose card is shown ("" when none).
    [[nodiscard]] QString currentReader() const { return reader_; }
    void selectReader(const QString& name);
    // Whether anything read from a card is still held (models, labels, images).
    [[nodiscard]] bool holdsCardData() const;
    // The last error shown to the user (describe()), empty when none.
    [[nodiscard]] QString lastError() const;
    // The message shown above the pages (error or confirmation), empty when none.
    [[nodiscard]] QString message() const;

    // Models and controls, for tests and accessibility tools.
    [[nodiscard]] QListWidget* readerList() const noexcept { return readers_; }
    [[nodiscard]] QStandardItemModel* applicationModel() const noexcept { return apps_; }
    [[nodiscard]] QStandardItemModel* pinModel() const noexcept { return pins_; }
    [[nodiscard]] QStandardItemModel* certificateModel() const noexcept { return certs_; }
    [[nodiscard]] AuditHistoryModel* historyModel() const noexcept { return history_; }
    [[nodiscard]] QLabel* certificateWarning() const noexcept { return cert_warning_; }
    [[nodiscard]] QLabel* historyStatus() const noexcept { return history_status_; }
    [[nodiscard]] QLabel* myNumberLabel() const noexcept { return my_number_; }
    [[nodiscard]] QPushButton* showMyNumberButton() const noexcept { return show_number_; }
    [[nodiscard]] QLabel* photoLabel() const noexcept { return photo_; }
    [[nodiscard]] QTabWidget* pages() const noexcept { return tabs_; }
    // The remembered consent answers, newest first: program, answer, when,
    // certificate (columns ConsentColumn).
    enum ConsentColumn { consent_program, consent_answer, consent_time, consent_certificate };
    [[nodiscard]] QStandardItemModel* consentModel() const noexcept { return consents_; }
    [[nodiscard]] QTableView* consentTable() const noexcept { return consent_table_; }
    [[nodiscard]] QPushButton* forgetConsentButton() const noexcept { return forget_consent_; }
    [[nodiscard]] QLabel* consentStatus() const noexcept { return consent_status_; }

  signals:
    // After the outcome of every card job has been shown.
    void jobFinished();

  public slots:
    void refreshStatus();
    void readCertificates();
    void readSignCertificate();
    void changePin(mynacard::card::Pin pin);
    void readTextData();
    // 券面AP with 照合番号B: the 14 digits typed in the field.
    void readFaceData();
    void refreshHistory();
    // Reads the consent store again and lists its answers.
    void refreshConsents();
    // Forgets the answer in the selected row (that program and certificate
    // only); false when none is selected or the store cannot be written.
    bool forgetSelectedConsent();
    // Writes a certificate already read to `path` (DER or PEM); false with
    // the error shown when it could not.
    bool exportCertificate(mynacard::card::Certificate which, const QString& path, bool pem);

  private:
    // What has been read from the card in the current reader.
    struct CardData {
        std::optional<card::MyNumberCard::Status> status;
        std::map<card::Certificate, x509::Certificate> certificates;
        std::optional<card::TextApData> text;
        std::optional<card::FaceData> face;
    };

    QWidget* buildOverviewPage();
    QWidget* buildCertificatePage();
    QWidget* buildTextPage();
    QWidget* buildFacePage();
    QWidget* buildHistoryPage();
    QWidget* buildSharingPage();

    void onReadersChanged();
    void onReaderSelected();
    // Another card than the one shown was found in `reader` (after a reset).
    void onCardReplaced(const QString& reader);
    void updateCardState();
    void onTabChanged(int index);
    void wipeCardData();
    void showError(const Error& error);
    void showErrorText(const QString& text);
    void showInfo(const QString& text);
    void clearMessage();

    // Reads applications and tries left; `retries` quiet retries while a
    // just-inserted card settles.
    void readStatus(int retries);
    void showStatus();
    void showCertificates();
    void showCertificateDetails();
    void showText();
    void showFace();
    void toggleMyNumber();
    void exportSelected();
    void savePhoto();
    // Lists consent_records_; marks the answers for the signature
    // certificate of the card shown when it has been read.
    void showConsents();
    void updateForgetButton();

    [[nodiscard]] std::optional<SecureBytes> askPin(
        card::Pin pin, pinhelper::Purpose purpose, int tries_left, const QString& title = {},
        pinhelper::Entry entry = pinhelper::Entry::current);
    [[nodiscard]] std::optional<int> knownTries(card::Pin pin) const;
    // Runs a card job for the current reader; drops the outcome when the card
    // changed meanwhile (generation_), shows errors through describe();
    // `finally` runs after either outcome for the same card.
    template <class R>
    void runJob(std::function<R(CardJob&)> job, std::function<void(R&)> shown,
                std::function<void()> finally = {});

    CardService& service_;
    PinProvider pin_provider_;
    QString reader_;
    bool card_present_ = false;
    quint64 generation_ = 0;  // bumped whenever the card data is wiped
    bool status_pending_ = false;
    // A PIN flow (tries → dialog → card) is under way: a second click must
    // not open a second dialog.
    bool flow_active_ = false;
    CardData data_;
    bool number_shown_ = false;
    bool message_is_error_ = false;

    QListWidget* readers_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* card_title_ = nullptr;
    QProgressBar* busy_ = nullptr;

    QStandardItemModel* apps_ = nullptr;
    QStandardItemModel* pins_ = nullptr;
    QPushButton* change_pin_[3] = {};

    QStandardItemModel* certs_ = nullptr;
    QTableView* cert_table_ = nullptr;
    QLabel* cert_warning_ = nullptr;
    QLabel* cert_details_ = nullptr;
    QPushButton* export_ = nullptr;

    QLabel* my_number_ = nullptr;
    QPushButton* show_number_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* address_ = nullptr;
    QLabel* birth_ = nullptr;
    QLabel* sex_ = nullptr;
    QLabel* integrity_ = nullptr;

    QLineEdit* code_b_ = nullptr;
    QLabel* face_name_ = nullptr;
    QLabel* face_address_ = nullptr;
    QLabel* photo_ = nullptr;
    QLabel* face_facts_ = nullptr;
    QPushButton* save_photo_ = nullptr;

    AuditHistoryModel* history_ = nullptr;
    QLabel* history_status_ = nullptr;

    std::optional<std::filesystem::path> consent_path_;
    std::vector<consent::Record> consent_records_;
    QStandardItemModel* consents_ = nullptr;
    QTableView* consent_table_ = nullptr;
    QLabel* consent_status_ = nullptr;
    QPushButton* forget_consent_ = nullptr;
};

// The PinDialog as a PinProvider: the helper's trusted dialog, in-process.
[[nodiscard]] std::optional<SecureBytes> ask_pin_with_dialog(const pinhelper::Request& request,
                                                             QWidget* parent);

}  // namespace mynacard::gui
