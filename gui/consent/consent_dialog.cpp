#include "gui/consent/consent_dialog.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/error.h"
#include "gui/common/caller.h"
#include "gui/common/certificate_info.h"
#include "gui/common/messages.h"

namespace mynacard::gui {

namespace {

QLabel* value(const QString& text, const QString& accessible_name) {
    auto* l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextFormat(Qt::PlainText);  // a program path or name is never markup
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setAccessibleName(accessible_name);
    return l;
}

}  // namespace

namespace {

consent::Caller caller_from_path(const QString& program, long pid) {
    consent::Caller c;
    c.pid = pid;
    c.executable = program.toStdString();
    c.kind = consent::intermediary_of(c.executable);
    return c;
}

}  // namespace

ConsentDialog::ConsentDialog(const x509::Certificate& certificate, const QString& program, long pid,
                             QWidget* parent)
    : ConsentDialog(certificate, caller_from_path(program, pid), QString(), parent) {}

ConsentDialog::ConsentDialog(const x509::Certificate& certificate, const consent::Caller& caller,
                             const QString& stated_program, QWidget* parent)
    : QDialog(parent) {
    const QString program = QString::fromStdString(caller.executable);
    const QString name = QString::fromStdString(program_name(caller.executable));
    // The verified program in the title too: task bars and window lists
    // show who asks.
    setWindowTitle(name.isEmpty() ? tr("Share your personal data?")
                                  : tr("Share your personal data?") + QStringLiteral(" — ") + name);
    setAccessibleName(windowTitle());
    setModal(true);
    // Wide enough that the address and the explanation read as sentences,
    // not as a column of fragments.
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);

    headline_ = new QLabel(
        name.isEmpty()
            ? tr("An unknown program (process %1) asks for your digital signature "
                 "certificate.")
                  .arg(caller.pid)
            : tr("The program \"%1\" asks for your digital signature certificate.").arg(name),
        this);
    headline_->setWordWrap(true);
    headline_->setTextFormat(Qt::PlainText);
    QFont bold = headline_->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    headline_->setFont(bold);

    auto* who = new QGroupBox(tr("Who asks"), this);
    auto* whoForm = new QFormLayout(who);
    program_ = value(program.isEmpty() ? tr("unknown: the system does not say which program runs "
                                            "as this process")
                                       : program,
                     tr("Program"));
    whoForm->addRow(tr("Program:"), program_);
    // The caller's own --program text is a claim, not a fact: a subtitle,
    // never the name.
    if (!stated_program.isEmpty() && stated_program != program) {
        stated_ = value(tr("It calls itself \"%1\"; the name above is what the system reports.")
                            .arg(stated_program),
                        tr("Name the program gives itself"));
        whoForm->addRow(QString(), stated_);
    }
    whoForm->addRow(tr("Process ID:"), value(QString::number(caller.pid), tr("Process ID")));
    const QString shown = name.isEmpty() ? tr("This program") : name;
    if (caller.kind == consent::Intermediary::interpreter) {
        const QString script = QString::fromStdString(caller.script);
        intermediary_ = value(
            script.isEmpty()
                ? tr("%1 is an interpreter: it runs scripts, and the script decides what happens "
                     "with the certificate. Which script it runs cannot be told.")
                      .arg(shown)
                : tr("%1 is an interpreter: it runs scripts, and the script decides what happens "
                     "with the certificate. The script it runs now: %2")
                      .arg(shown, script),
            tr("Interpreter"));
    } else if (caller.kind == consent::Intermediary::proxy) {
        intermediary_ = value(tr("%1 serves another program — for example a browser in a Flatpak "
                                 "sandbox — which would receive the certificate. That program "
                                 "cannot be named here.")
                                  .arg(shown),
                              tr("Proxy"));
    }
    if (intermediary_ != nullptr) whoForm->addRow(intermediary_);

    auto* what = new QGroupBox(tr("What it would receive"), this);
    auto* whatLayout = new QVBoxLayout(what);
    auto* explain = new QLabel(tr("The certificate carries these facts about you. Every program "
                                  "you allow can read and keep them:"),
                               what);
    explain->setWordWrap(true);
    auto* whatForm = new QFormLayout;
    QStringList spoken;
    try {
        if (const auto a = x509::jpki_attributes(certificate)) {
            const QString n = QString::fromStdString(a->name);
            const QString addr = QString::fromStdString(a->address);
            const QString birth = date_text(a->birth_date);
            const QString sex = sex_text(a->sex);
            whatForm->addRow(tr("Name:"), value(n, tr("Name")));
            whatForm->addRow(tr("Address:"), value(addr, tr("Address")));
            whatForm->addRow(tr("Date of birth:"), value(birth, tr("Date of birth")));
            whatForm->addRow(tr("Sex:"), value(sex, tr("Sex")));
            spoken << n << addr << birth << sex;
        } else {
            whatForm->addRow(value(tr("This certificate carries no personal facts."), {}));
        }
    } catch (const Error& e) {
        whatForm->addRow(value(describe(e), {}));
    }
    whatForm->addRow(tr("Valid until:"),
                     value(local_time_text(certificate.not_after()), tr("Valid until")));
    disclosure_ = value(spoken.join(QLatin1Char('\n')), tr("Disclosed facts"));
    disclosure_->hide();  // the same facts once more, as one text for tests and screen readers
    whatLayout->addWidget(explain);
    whatLayout->addLayout(whatForm);
    whatLayout->addWidget(disclosure_);

    note_ = new QLabel(
        caller.kind == consent::Intermediary::none
            ? tr("Your choice is remembered for this program and this certificate. It is "
                 "recorded in your card's usage history.")
            : tr("So Allow is not remembered: you are asked every time. Deny is remembered for "
                 "%1 until you forget it in the card view (Sharing). Your choice is recorded in "
                 "your card's usage history.")
                  .arg(shown),
        this);
    note_->setWordWrap(true);
    note_->setTextFormat(Qt::PlainText);

    deny_ = new QPushButton(tr("&Deny"), this);
    deny_->setAccessibleName(tr("Deny: do not give the certificate"));
    allow_ = new QPushButton(tr("&Allow"), this);
    allow_->setAccessibleName(tr("Allow: give the certificate to this program"));
    // Deny is the default: Enter refuses, and so does Escape (reject()).
    allow_->setAutoDefault(false);
    deny_->setAutoDefault(true);
    deny_->setDefault(true);
    connect(allow_, &QPushButton::clicked, this, [this]() {
        allowed_ = true;
        accept();
    });
    connect(deny_, &QPushButton::clicked, this, [this]() {
        allowed_ = false;
        reject();
    });
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(allow_);
    buttons->addWidget(deny_);

    layout->addWidget(headline_);
    layout->addWidget(who);
    layout->addWidget(what);
    layout->addWidget(note_);
    layout->addLayout(buttons);
    deny_->setFocus();
}

}  // namespace mynacard::gui
