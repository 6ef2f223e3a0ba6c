#include "gui/frontdesk/reception_window.h"

#include <QApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QVBoxLayout>

#include <array>
#include <string>
#include <utility>

#include "gui/common/secret_field.h"

namespace mynacard::gui {

namespace q = qualification;

namespace {

// The receptionist's screen (issue 12).
constexpr int window_width = 1280;
constexpr int window_height = 1024;
constexpr int normal_points = 11;
constexpr int large_points = 15;
// 照会番号: 1–10 ASCII letters or digits (OQSsiimm01).
constexpr int reference_number_max = 10;

}  // namespace

ReceptionWindow::ReceptionWindow(FrontDeskController& controller, Language language,
                                 bool large_text, QWidget* parent)
    : QWidget(parent), controller_(controller), language_(desk_language(language)) {
    setObjectName(QStringLiteral("receptionWindow"));
    setWindowTitle(tr("Front desk — qualification check"));
    auto* root = new QHBoxLayout(this);
    root->addWidget(buildResult(), 3);
    root->addWidget(buildSide(), 2);
    setStyleSheet(
        QStringLiteral("QWidget#receptionWindow QWidget { font-size: %1pt; }"
                       "QLabel[deskRole=\"heading\"] { font-weight: bold; margin-top: 8px; }"
                       "QLabel[deskRole=\"warning\"] { color: #6b4500; font-weight: bold; }"
                       "QLabel[deskRole=\"next\"] { font-weight: bold; }"
                       "QLabel[deskRole=\"field\"] { color: #8b0000; }")
            .arg(large_text ? large_points : normal_points));
    connect(&controller_, &FrontDeskController::changed, this, &ReceptionWindow::refresh);
    connect(&controller_, &FrontDeskController::resultChanged, this,
            &ReceptionWindow::refreshResult);
    connect(&controller_, &FrontDeskController::faceQueueChanged, this,
            &ReceptionWindow::refreshFaces);
    connect(&controller_, &FrontDeskController::wiped, this, [this]() { wipe_secret(reference_); });
    // Any key or click anywhere in the program is activity: the idle
    // time-out counts from the last one.
    qApp->installEventFilter(this);
    refreshResult();
    refreshFaces();
    refresh();
    resize(window_width, window_height);
}

QWidget* ReceptionWindow::buildResult() {
    auto* box = new QWidget(this);
    auto* l = new QVBoxLayout(box);
    problem_ = new QLabel(box);
    problem_->setObjectName(QStringLiteral("deskProblem"));
    problem_->setWordWrap(true);
    problem_->setAccessibleName(tr("Desk notice"));
    idle_note_ = new QLabel(tr("No result. Waiting for a card, a face result or a query."), box);
    idle_note_->setObjectName(QStringLiteral("idleNote"));
    idle_note_->setWordWrap(true);
    sheet_ = new ResultSheet(language_, box);
    auto* scroll = new QScrollArea(box);
    scroll->setWidgetResizable(true);
    scroll->setWidget(sheet_);
    scroll->setAccessibleName(tr("Result"));
    l->addWidget(problem_);
    l->addWidget(idle_note_);
    l->addWidget(scroll, 1);

    auto* actions = new QHBoxLayout;
    export_ = new QPushButton(tr("Confirm and export"), box);
    export_->setObjectName(QStringLiteral("exportButton"));
    export_->setAccessibleName(tr("Confirm the result and export it to the clinic system"));
    clear_ = new QPushButton(tr("Clear"), box);
    clear_->setObjectName(QStringLiteral("clearButton"));
    clear_->setAccessibleName(tr("Clear the result without exporting"));
    actions->addWidget(export_);
    actions->addWidget(clear_);
    actions->addStretch(1);
    l->addLayout(actions);
    connect(export_, &QPushButton::clicked, &controller_, &FrontDeskController::confirmExport);
    connect(clear_, &QPushButton::clicked, &controller_, &FrontDeskController::clearResult);

    auto* reg = new QHBoxLayout;
    auto* reg_label = new QLabel(tr("Clinic patient number (照会番号):"), box);
    reference_ = new QLineEdit(box);
    reference_->setObjectName(QStringLiteral("referenceNumber"));
    reference_->setMaxLength(reference_number_max);
    reference_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[0-9A-Za-z]{0,10}")), reference_));
    reference_->setAccessibleName(tr("Clinic patient number (照会番号)"));
    reg_label->setBuddy(reference_);
    register_ = new QPushButton(tr("Register"), box);
    register_->setObjectName(QStringLiteral("registerButton"));
    register_->setAccessibleName(tr("Register the clinic patient number for this person"));
    registered_ = new QLabel(box);
    reg->addWidget(reg_label);
    reg->addWidget(reference_);
    reg->addWidget(register_);
    reg->addWidget(registered_, 1);
    l->addLayout(reg);
    connect(register_, &QPushButton::clicked, this, [this]() {
        if (controller_.registerReferenceNumber(reference_->text())) wipe_secret(reference_);
    });
    connect(reference_, &QLineEdit::textEdited, this, [this]() { refresh(); });
    return box;
}

QWidget* ReceptionWindow::buildSide() {
    auto* side = new QWidget(this);
    auto* l = new QVBoxLayout(side);

    auto* face_box = new QGroupBox(tr("Face results waiting"), side);
    auto* fl = new QVBoxLayout(face_box);
    faces_ = new QListWidget(face_box);
    faces_->setObjectName(QStringLiteral("faceQueue"));
    faces_->setAccessibleName(tr("Face results waiting, by arrival time"));
    fl->addWidget(faces_);
    auto* open = new QPushButton(tr("Open"), face_box);
    open->setObjectName(QStringLiteral("openFace"));
    open->setAccessibleName(tr("Open the selected face result"));
    fl->addWidget(open);
    const auto open_selected = [this]() {
        if (auto* item = faces_->currentItem())
            controller_.openFace(item->data(Qt::UserRole).toInt());
    };
    connect(open, &QPushButton::clicked, this, open_selected);
    connect(faces_, &QListWidget::itemActivated, this, open_selected);
    l->addWidget(face_box, 1);

    auto* query_box = new QGroupBox(tr("Query by insurance numbers"), side);
    auto* form = new QFormLayout(query_box);
    const std::array<std::pair<q::QueryField, QString>, 5> fields = {{
        {q::QueryField::insurer, tr("Insurer number")},
        {q::QueryField::symbol, tr("Symbol (記号, optional)")},
        {q::QueryField::number, tr("Number (番号)")},
        {q::QueryField::branch, tr("Branch (枝番)")},
        {q::QueryField::birth, tr("Birth date (YYYYMMDD)")},
    }};
    for (const auto& [field, label] : fields) {
        auto* edit = new QLineEdit(query_box);
        edit->setObjectName(QStringLiteral("query_%1").arg(static_cast<int>(field)));
        edit->setAccessibleName(label);
        edit->setMaxLength(field == q::QueryField::symbol || field == q::QueryField::number ? 38
                                                                                            : 8);
        auto* message = new QLabel(query_box);
        message->setProperty("deskRole", "field");
        message->setWordWrap(true);
        message->setObjectName(QStringLiteral("queryMessage_%1").arg(static_cast<int>(field)));
        auto* cell = new QVBoxLayout;
        cell->addWidget(edit);
        cell->addWidget(message);
        form->addRow(label, cell);
        fields_[field] = edit;
        messages_[field] = message;
        connect(edit, &QLineEdit::textEdited, this, &ReceptionWindow::formEdited);
        connect(edit, &QLineEdit::returnPressed, this, [this]() { controller_.sendQuery(); });
    }
    limit_consent_ =
        new QCheckBox(tr("The patient consents to the limit information (限度額)"), query_box);
    limit_consent_->setObjectName(QStringLiteral("queryLimitConsent"));
    limit_consent_->setAccessibleName(limit_consent_->text());
    form->addRow(limit_consent_);
    connect(limit_consent_, &QCheckBox::toggled, this, &ReceptionWindow::formEdited);
    send_ = new QPushButton(tr("Send query"), query_box);
    send_->setObjectName(QStringLiteral("sendQuery"));
    send_->setAccessibleName(tr("Send the query through the terminal"));
    form->addRow(send_);
    connect(send_, &QPushButton::clicked, &controller_, &FrontDeskController::sendQuery);
    query_box->setEnabled(controller_.hasTerminal());
    l->addWidget(query_box);

    auto* export_box = new QGroupBox(tr("Exports"), side);
    auto* el = new QVBoxLayout(export_box);
    auto* pending_row = new QHBoxLayout;
    pending_ = new QLabel(export_box);
    pending_->setObjectName(QStringLiteral("pendingExports"));
    retry_ = new QPushButton(tr("Retry now"), export_box);
    retry_->setObjectName(QStringLiteral("retryExports"));
    retry_->setAccessibleName(tr("Retry the pending exports now"));
    pending_row->addWidget(pending_, 1);
    pending_row->addWidget(retry_);
    el->addLayout(pending_row);
    connect(retry_, &QPushButton::clicked, &controller_, &FrontDeskController::retryExports);
    history_ = new QTableWidget(0, 3, export_box);
    history_->setObjectName(QStringLiteral("history"));
    history_->setAccessibleName(tr("History: time, validity and export file"));
    history_->setHorizontalHeaderLabels({tr("Time"), tr("Validity"), tr("Export file")});
    history_->horizontalHeader()->setStretchLastSection(true);
    history_->verticalHeader()->setVisible(false);
    history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    el->addWidget(history_);
    l->addWidget(export_box, 1);
    return side;
}

void ReceptionWindow::formEdited() {
    controller_.noteActivity();
    q::NumberQuery query;
    query.insurer = fields_.at(q::QueryField::insurer)->text().toStdString();
    query.symbol = fields_.at(q::QueryField::symbol)->text().toStdString();
    query.number = fields_.at(q::QueryField::number)->text().toStdString();
    query.branch = fields_.at(q::QueryField::branch)->text().toStdString();
    query.birth = fields_.at(q::QueryField::birth)->text().toStdString();
    query.limit_consent = limit_consent_->isChecked();
    controller_.setQuery(std::move(query));
}

void ReceptionWindow::refresh() {
    if (const auto p = controller_.deskProblem()) {
        const q::Explanation e = q::explain(*p, language_);
        problem_->setText(QString::fromStdString(e.title + "\n" + e.detail + "\n" + e.next_step));
        problem_->setStyleSheet(QStringLiteral("color: #ffffff; background: %1; padding: 6px;")
                                    .arg(severity_colour(e.severity)));
        problem_->show();
    } else {
        problem_->clear();
        problem_->hide();
    }
    const bool has = controller_.result().has_value();
    export_->setEnabled(has);
    clear_->setEnabled(has);
    register_->setEnabled(controller_.canRegisterReferenceNumber() &&
                          !reference_->text().isEmpty());
    reference_->setEnabled(controller_.canRegisterReferenceNumber());
    registered_->setText(controller_.referenceNumberRegistered() ? tr("Registered.") : QString());
    // Each field's message next to it, once something was typed there.
    for (auto& [field, label] : messages_) label->clear();
    for (const auto& p : controller_.queryProblems()) {
        const auto it = messages_.find(p.field);
        if (it == messages_.end() || fields_.at(p.field)->text().isEmpty()) continue;
        it->second->setText(
            QString::fromStdString(language_ == q::Language::ja ? p.message_ja : p.message_en));
    }
    // The form follows the controller: a query answered or the panels
    // cleared empty it (the numbers go with the patient).
    const q::NumberQuery& query = controller_.query();
    const std::array<std::pair<q::QueryField, const std::string*>, 5> values = {{
        {q::QueryField::insurer, &query.insurer},
        {q::QueryField::symbol, &query.symbol},
        {q::QueryField::number, &query.number},
        {q::QueryField::branch, &query.branch},
        {q::QueryField::birth, &query.birth},
    }};
    for (const auto& [field, value] : values) {
        QLineEdit* edit = fields_.at(field);
        if (edit->text().toStdString() == *value) continue;
        // Not an edit of the receptionist's: the form must not feed it back.
        const QSignalBlocker block(edit);
        if (value->empty())
            wipe_secret(edit);
        else
            edit->setText(QString::fromStdString(*value));
    }
    if (limit_consent_->isChecked() != query.limit_consent) {
        const QSignalBlocker block(limit_consent_);
        limit_consent_->setChecked(query.limit_consent);
    }
    send_->setEnabled(controller_.canSendQuery());
    send_->setText(controller_.asking() ? tr("Waiting for the answer…") : tr("Send query"));
    const std::size_t pending = controller_.pendingExports();
    pending_->setText(pending == 0 ? tr("All exports written.")
                                   : tr("%n export(s) pending: the folder cannot be written now; "
                                        "retried automatically.",
                                        nullptr, static_cast<int>(pending)));
    retry_->setEnabled(pending > 0);
    refreshHistory();
}

void ReceptionWindow::refreshResult() {
    if (const auto& r = controller_.result()) {
        sheet_->show(*r);
        idle_note_->hide();
    } else {
        sheet_->clear();
        idle_note_->show();
    }
}

void ReceptionWindow::refreshFaces() {
    faces_->clear();
    for (const FaceEntry& f : controller_.faceQueue()) {
        auto* item = new QListWidgetItem(
            tr("Face result, arrived %1").arg(f.arrived.toString(QStringLiteral("HH:mm:ss"))),
            faces_);
        item->setData(Qt::UserRole, f.id);
    }
}

void ReceptionWindow::refreshHistory() {
    const auto& h = controller_.history();
    history_->setRowCount(static_cast<int>(h.size()));
    for (int i = 0; i < h.size(); ++i) {
        const HistoryEntry& e = h.at(i);
        QString validity;
        if (!e.error_code.empty())
            validity = tr("Error %1").arg(QString::fromStdString(e.error_code));
        else
            validity = QString::fromUtf8(
                std::string(q::label(q::CodeTable::qualification_validity, e.validity, language_))
                    .c_str());
        history_->setItem(i, 0, new QTableWidgetItem(e.time.toString(QStringLiteral("HH:mm:ss"))));
        history_->setItem(i, 1, new QTableWidgetItem(validity));
        history_->setItem(i, 2,
                          new QTableWidgetItem(QString::fromStdString(e.file) +
                                               (e.written ? QString() : tr(" (pending)"))));
    }
}

bool ReceptionWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress || event->type() == QEvent::MouseButtonPress)
        controller_.noteActivity();
    return QWidget::eventFilter(watched, event);
}

void ReceptionWindow::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && controller_.result()) {
        controller_.clearResult();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace mynacard::gui
