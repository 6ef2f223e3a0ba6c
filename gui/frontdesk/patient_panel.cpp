#include "gui/frontdesk/patient_panel.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QScrollArea>
#include <QVBoxLayout>

#include "qualification/explain.h"

namespace mynacard::gui {

namespace q = qualification;

namespace {

// Text sizes in points: the kiosk's (legible at arm's length on a 1024×600
// panel); large text for people with low vision (§B.3).
constexpr int normal_points = 18;
constexpr int large_points = 26;
// The patient display this panel must fit (issue 12).
constexpr int panel_width = 1024;
constexpr int panel_height = 600;
constexpr char keypad_context[] = "mynacard::gui::KioskKeypad";

constexpr std::array<q::ConsentItem, consent_item_count> consent_items = {
    q::ConsentItem::medication, q::ConsentItem::checkups, q::ConsentItem::diagnosis,
    q::ConsentItem::operation,  q::ConsentItem::limit,    q::ConsentItem::specific_disease,
};

QLabel* wrapped(QWidget* parent, const char* name) {
    auto* l = new QLabel(parent);
    l->setObjectName(QString::fromLatin1(name));
    l->setWordWrap(true);
    l->setAlignment(Qt::AlignCenter);
    return l;
}

}  // namespace

PatientPage page_of(PatientStep step) noexcept {
    switch (step) {
        case PatientStep::waiting:
            return PatientPage::waiting;
        case PatientStep::inspecting:
            return PatientPage::inspecting;
        case PatientStep::consent:
            return PatientPage::consent;
        case PatientStep::pin_entry:
            return PatientPage::pin;
        case PatientStep::confirm_last_try:
            return PatientPage::confirm;
        case PatientStep::checking:
            return PatientPage::checking;
        case PatientStep::done:
            return PatientPage::done;
        case PatientStep::failed:
            return PatientPage::failed;
    }
    return PatientPage::waiting;
}

PatientPanel::PatientPanel(FrontDeskController& controller, Language language, bool large_text,
                           QWidget* parent)
    : QWidget(parent), controller_(controller), text_(language), large_(large_text) {
    setObjectName(QStringLiteral("patientPanel"));
    build();
    connect(&controller_, &FrontDeskController::changed, this, &PatientPanel::refresh);
    connect(&controller_, &FrontDeskController::pinEntryStarted, keypad_, &KioskKeypad::shuffle);
    retranslate();
    applyStyle();
    refresh();
    resize(panel_width, panel_height);
}

QString PatientPanel::t(const char* source) const {
    return text_(metaObject()->className(), source);
}

void PatientPanel::build() {
    auto* root = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    language_button_ = new QPushButton(this);
    language_button_->setObjectName(QStringLiteral("patientLanguage"));
    large_button_ = new QPushButton(this);
    large_button_->setObjectName(QStringLiteral("patientLargeText"));
    large_button_->setCheckable(true);
    top->addStretch(1);
    top->addWidget(large_button_);
    top->addWidget(language_button_);
    root->addLayout(top);
    connect(language_button_, &QPushButton::clicked, this, [this]() {
        controller_.noteActivity();
        setLanguage(text_.language() == Language::ja ? Language::en : Language::ja);
    });
    connect(large_button_, &QPushButton::toggled, this, [this](bool on) {
        controller_.noteActivity();
        setLargeText(on);
    });

    stack_ = new QStackedWidget(this);
    root->addWidget(stack_, 1);
    auto page = [this](auto fill) {
        auto* w = new QWidget(stack_);
        auto* l = new QVBoxLayout(w);
        fill(w, l);
        stack_->addWidget(w);
    };
    page([this](QWidget* w, QVBoxLayout* l) {  // waiting
        waiting_label_ = wrapped(w, "waitingLabel");
        l->addWidget(waiting_label_, 1);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // inspecting
        inspecting_label_ = wrapped(w, "inspectingLabel");
        l->addWidget(inspecting_label_, 1);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // consent
        consent_title_ = wrapped(w, "consentTitle");
        certificate_warning_ = wrapped(w, "certificateWarning");
        certificate_warning_->setProperty("deskRole", "warning");
        l->addWidget(consent_title_);
        l->addWidget(certificate_warning_);
        // The six items scroll when large text makes them taller than the
        // 1024×600 panel; the buttons stay in view below them.
        auto* scroll = new QScrollArea(w);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        auto* items = new QWidget(scroll);
        items->setObjectName(QStringLiteral("consentItems"));
        auto* il = new QVBoxLayout(items);
        for (std::size_t i = 0; i < consent_item_count; ++i) {
            auto* box = new QCheckBox(items);
            box->setObjectName(QStringLiteral("consent_%1").arg(i));
            auto* note = new QLabel(items);
            note->setWordWrap(true);
            note->setObjectName(QStringLiteral("consentNote_%1").arg(i));
            note->setProperty("deskRole", "note");
            note->setBuddy(box);
            consent_boxes_.at(i) = box;
            consent_notes_.at(i) = note;
            il->addWidget(box);
            il->addWidget(note);
            connect(box, &QCheckBox::toggled, this,
                    [this, i](bool on) { controller_.setConsent(consent_items.at(i), on); });
        }
        il->addStretch(1);
        scroll->setWidget(items);
        l->addWidget(scroll, 1);
        auto* buttons = new QHBoxLayout;
        consent_cancel_ = new QPushButton(w);
        consent_cancel_->setObjectName(QStringLiteral("consentCancel"));
        continue_ = new QPushButton(w);
        continue_->setObjectName(QStringLiteral("consentContinue"));
        continue_->setDefault(true);
        buttons->addWidget(consent_cancel_);
        buttons->addStretch(1);
        buttons->addWidget(continue_);
        l->addLayout(buttons);
        connect(continue_, &QPushButton::clicked, &controller_,
                &FrontDeskController::continueToPin);
        connect(consent_cancel_, &QPushButton::clicked, &controller_, &FrontDeskController::cancel);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // PIN
        pin_title_ = wrapped(w, "pinTitle");
        pin_dots_ = wrapped(w, "pinDots");
        pin_dots_->setProperty("deskRole", "dots");
        pin_notice_ = wrapped(w, "pinNotice");
        pin_notice_->setProperty("deskRole", "warning");
        keypad_ = new KioskKeypad(false, w);
        keypad_->setMaximumWidth(560);
        // Side by side: the keypad's five rows need the panel's height, and
        // 1024×600 leaves width to spare.
        auto* row = new QHBoxLayout;
        auto* words = new QVBoxLayout;
        words->addStretch(1);
        words->addWidget(pin_title_);
        words->addWidget(pin_dots_);
        words->addWidget(pin_notice_);
        words->addStretch(1);
        row->addLayout(words, 1);
        row->addWidget(keypad_, 1);
        l->addLayout(row, 1);
        connect(keypad_, &KioskKeypad::digitPressed, &controller_,
                &FrontDeskController::appendDigit);
        connect(keypad_, &KioskKeypad::clearPressed, &controller_, &FrontDeskController::clearPin);
        connect(keypad_, &KioskKeypad::okPressed, &controller_, &FrontDeskController::submitPin);
        connect(keypad_, &KioskKeypad::cancelPressed, &controller_, &FrontDeskController::cancel);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // confirm the last try
        confirm_label_ = wrapped(w, "confirmLabel");
        confirm_ok_ = new QPushButton(w);
        confirm_ok_->setObjectName(QStringLiteral("confirmLastTry"));
        confirm_cancel_ = new QPushButton(w);
        confirm_cancel_->setObjectName(QStringLiteral("confirmCancel"));
        l->addWidget(confirm_label_, 1);
        auto* buttons = new QHBoxLayout;
        buttons->addWidget(confirm_cancel_);
        buttons->addStretch(1);
        buttons->addWidget(confirm_ok_);
        l->addLayout(buttons);
        connect(confirm_ok_, &QPushButton::clicked, &controller_,
                &FrontDeskController::confirmLastTry);
        connect(confirm_cancel_, &QPushButton::clicked, &controller_, &FrontDeskController::cancel);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // checking
        checking_label_ = wrapped(w, "checkingLabel");
        progress_ = new QProgressBar(w);
        progress_->setObjectName(QStringLiteral("checkingProgress"));
        progress_->setRange(0, 0);  // busy: the service gives no percentage
        progress_->setTextVisible(false);
        checking_cancel_ = new QPushButton(w);
        checking_cancel_->setObjectName(QStringLiteral("checkingCancel"));
        l->addWidget(checking_label_, 1);
        l->addWidget(progress_);
        l->addWidget(checking_cancel_, 0, Qt::AlignHCenter);
        connect(checking_cancel_, &QPushButton::clicked, &controller_,
                &FrontDeskController::cancel);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // done
        done_label_ = wrapped(w, "doneLabel");
        done_note_ = wrapped(w, "doneNote");
        l->addWidget(done_label_, 1);
        l->addWidget(done_note_);
    });
    page([this](QWidget* w, QVBoxLayout* l) {  // failed
        failed_title_ = wrapped(w, "failedTitle");
        failed_title_->setProperty("deskRole", "warning");
        failed_detail_ = wrapped(w, "failedDetail");
        l->addWidget(failed_title_);
        l->addWidget(failed_detail_, 1);
    });
}

void PatientPanel::setLanguage(Language language) {
    text_.setLanguage(language);
    retranslate();
    refresh();
}

void PatientPanel::setLargeText(bool on) {
    large_ = on;
    if (large_button_->isChecked() != on) large_button_->setChecked(on);
    applyStyle();
}

void PatientPanel::applyStyle() {
    const int pt = large_ ? large_points : normal_points;
    // Dark on light, ≥ 7:1 (the kiosk's palette, WCAG AAA).
    setStyleSheet(
        QStringLiteral("QWidget#patientPanel { background: #ffffff; color: #000000; }"
                       "QWidget#patientPanel QWidget { font-size: %1pt; }"
                       "QLabel#pinDots { font-size: %2pt; }"
                       "QLabel[deskRole=\"warning\"] { color: #8b0000; font-weight: bold; }"
                       "QLabel[deskRole=\"note\"] { font-size: %3pt; margin-left: 2em; }"
                       "QPushButton { background: #003366; color: #ffffff; padding: 8px 16px; }"
                       "QPushButton:focus { background: #ffd700; color: #000000; }"
                       "QCheckBox:focus { background: #ffd700; }"
                       "QCheckBox::indicator { width: %4px; height: %4px; }"
                       "QWidget#consentItems { background: #ffffff; }")
            .arg(pt)
            .arg(pt * 2)
            .arg(pt - 4)
            .arg(pt + pt / 2));
}

PatientPage PatientPanel::currentPage() const {
    return static_cast<PatientPage>(stack_->currentIndex());
}

QString PatientPanel::problemText(q::DeskProblem problem) const {
    // The patient reads this: the receptionist's next step ("ask the
    // patient…") stays on the reception window.
    const auto language = desk_language(text_.language());
    return QString::fromStdString(q::explain(problem, language).detail) + QStringLiteral("\n") +
           QString::fromStdString(q::patient_step(problem, language));
}

void PatientPanel::retranslate() {
    setWindowTitle(t(QT_TR_NOOP("Patient panel")));
    language_button_->setText(text_.language() == Language::ja ? QStringLiteral("English")
                                                               : QStringLiteral("日本語"));
    language_button_->setAccessibleName(t(QT_TR_NOOP("Switch the language of this screen")));
    large_button_->setText(t(QT_TR_NOOP("Large text")));
    large_button_->setAccessibleName(t(QT_TR_NOOP("Larger text on this screen")));
    waiting_label_->setText(t(QT_TR_NOOP("Please place your My Number Card on the reader.")));
    inspecting_label_->setText(t(QT_TR_NOOP("Reading your card. Please leave it on the reader.")));
    consent_title_->setText(
        t(QT_TR_NOOP("Choose what the clinic may see. Nothing is chosen for you; you can "
                     "continue without choosing anything.")));
    static constexpr std::array<const char*, consent_item_count> items = {
        QT_TR_NOOP("Medication information (薬剤情報)"),
        QT_TR_NOOP("Health check-up results (特定健診情報)"),
        QT_TR_NOOP("Treatment information (診療情報)"),
        QT_TR_NOOP("Surgery information (手術情報)"),
        QT_TR_NOOP("Limit on medical costs (限度額適用)"),
        QT_TR_NOOP("Specified disease (特定疾病)"),
    };
    static constexpr std::array<const char*, consent_item_count> notes = {
        QT_TR_NOOP("The medicines prescribed to you before, so doctors can avoid clashes."),
        QT_TR_NOOP("The results of your specified health check-ups."),
        QT_TR_NOOP("Past diagnoses and treatments at other clinics and hospitals."),
        QT_TR_NOOP("The operations you had before."),
        QT_TR_NOOP("Your limit category, so you pay no more than the monthly limit here."),
        QT_TR_NOOP("Your specified disease certificate, so its reduced payment applies."),
    };
    for (std::size_t i = 0; i < consent_item_count; ++i) {
        consent_boxes_.at(i)->setText(t(items.at(i)));
        consent_boxes_.at(i)->setAccessibleName(t(items.at(i)));
        consent_boxes_.at(i)->setAccessibleDescription(t(notes.at(i)));
        consent_notes_.at(i)->setText(t(notes.at(i)));
    }
    continue_->setText(t(QT_TR_NOOP("Continue")));
    continue_->setAccessibleName(t(QT_TR_NOOP("Continue to the PIN")));
    consent_cancel_->setText(t(QT_TR_NOOP("Cancel")));
    consent_cancel_->setAccessibleName(t(QT_TR_NOOP("Cancel and take the card")));
    confirm_label_->setText(
        t(QT_TR_NOOP("Only one try is left. If this PIN is wrong, the card's PIN locks and "
                     "must be reset at your city office. Use the PIN you typed?")));
    confirm_ok_->setText(t(QT_TR_NOOP("Use this PIN")));
    confirm_ok_->setAccessibleName(t(QT_TR_NOOP("Use this PIN for the last try")));
    confirm_cancel_->setText(t(QT_TR_NOOP("Cancel")));
    confirm_cancel_->setAccessibleName(t(QT_TR_NOOP("Cancel and take the card")));
    checking_label_->setText(
        t(QT_TR_NOOP("Checking your insurance. Please leave the card on the reader.")));
    progress_->setAccessibleName(t(QT_TR_NOOP("Checking")));
    checking_cancel_->setText(t(QT_TR_NOOP("Cancel")));
    checking_cancel_->setAccessibleName(t(QT_TR_NOOP("Cancel the check")));
    done_label_->setText(t(QT_TR_NOOP("Done. Please take your card.")));
    pin_dots_->setAccessibleName(t(QT_TR_NOOP("Digits typed")));
    // The keypad follows this panel's language, not the application's.
    keypad_->clearButton()->setText(text_(keypad_context, "Clear"));
    keypad_->clearButton()->setAccessibleName(text_(keypad_context, "Clear all digits"));
    keypad_->okButton()->setText(text_(keypad_context, "OK"));
    keypad_->okButton()->setAccessibleName(text_(keypad_context, "OK: confirm the PIN"));
    keypad_->cancelButton()->setText(text_(keypad_context, "Cancel"));
    keypad_->cancelButton()->setAccessibleName(text_(keypad_context, "Cancel and take the card"));
    for (int d = 0; d <= 9; ++d)
        keypad_->digitButton(d)->setAccessibleName(text_(keypad_context, "Digit %1").arg(d));
}

void PatientPanel::refresh() {
    const PatientStep step = controller_.step();
    stack_->setCurrentIndex(static_cast<int>(page_of(step)));
    const auto warning = controller_.certificateWarning();
    certificate_warning_->setVisible(warning.has_value());
    certificate_warning_->setText(warning ? problemText(*warning) : QString());
    if (step == PatientStep::consent) {
        for (std::size_t i = 0; i < consent_item_count; ++i) {
            const QSignalBlocker block(consent_boxes_.at(i));
            consent_boxes_.at(i)->setChecked(controller_.consent(consent_items.at(i)));
        }
    } else {
        for (auto* box : consent_boxes_) {
            const QSignalBlocker block(box);
            box->setChecked(false);  // the next patient starts with nothing chosen
        }
    }
    const int typed = controller_.pinLength();
    pin_dots_->setText(QString(typed, QChar(0x25CF)) + QString(4 - typed, QChar(0x25CB)));
    pin_title_->setText(
        t(QT_TR_NOOP("Type the 4-digit PIN of your card (利用者証明用). Tries left: %1"))
            .arg(controller_.triesLeft()));
    QString notice;
    if (controller_.pinFormatRefused())
        notice = t(QT_TR_NOOP("The PIN has 4 digits."));
    else if (controller_.pinWasWrong())
        notice = problemText(q::DeskProblem::pin_wrong);
    pin_notice_->setText(notice);
    pin_notice_->setVisible(!notice.isEmpty());
    if (controller_.cancelled())
        done_note_->setText(t(QT_TR_NOOP("The check was cancelled.")));
    else if (controller_.timedOut())
        done_note_->setText(t(QT_TR_NOOP("The time ran out; nothing was checked.")));
    else
        done_note_->clear();
    if (const auto problem = controller_.patientProblem()) {
        const q::Explanation e = q::explain(*problem, desk_language(text_.language()));
        failed_title_->setText(QString::fromStdString(e.title));
        failed_detail_->setText(problemText(*problem) + QStringLiteral("\n\n") +
                                t(QT_TR_NOOP("Please take your card.")));
    } else {
        failed_title_->clear();
        failed_detail_->clear();
    }
    if (step == PatientStep::consent && !continue_->hasFocus() && focusWidget() == nullptr)
        consent_boxes_.front()->setFocus();
}

void PatientPanel::keyPressEvent(QKeyEvent* event) {
    controller_.noteActivity();
    const int key = event->key();
    const PatientStep step = controller_.step();
    const bool enter = key == Qt::Key_Return || key == Qt::Key_Enter;
    if (key == Qt::Key_Escape) {
        controller_.cancel();
    } else if (step == PatientStep::pin_entry && key >= Qt::Key_0 && key <= Qt::Key_9) {
        controller_.appendDigit(key - Qt::Key_0);
    } else if (step == PatientStep::pin_entry && key == Qt::Key_Backspace) {
        controller_.removeDigit();
    } else if (step == PatientStep::pin_entry && enter) {
        controller_.submitPin();
    } else if (step == PatientStep::confirm_last_try && enter) {
        controller_.confirmLastTry();
    } else if (step == PatientStep::consent && enter &&
               (focusWidget() == nullptr ||
                (!focusWidget()->inherits("QCheckBox") && focusWidget() != consent_cancel_))) {
        controller_.continueToPin();
    } else {
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

}  // namespace mynacard::gui
