#include "gui/common/i18n.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QPixmap>
#include <QTranslator>
#include <QWidget>

#include <memory>
#include <vector>

#include "core/error.h"

namespace mynacard::gui {

namespace {

Language current = Language::en;
// Owned here so that a second install_translations() can remove the first
// language's catalogues; QCoreApplication only keeps pointers.
std::vector<std::unique_ptr<QTranslator>>& installed() {
    static std::vector<std::unique_ptr<QTranslator>> translators;
    return translators;
}

}  // namespace

Language language_from(const QString& flag) {
    if (flag == QLatin1String("ja")) return Language::ja;
    if (flag == QLatin1String("en")) return Language::en;
    if (!flag.isEmpty())
        throw Error(Errc::invalid_argument,
                    "unknown language: " + flag.toStdString() + " (ja or en)");
    return QLocale::system().language() == QLocale::Japanese ? Language::ja : Language::en;
}

QString language_code(Language language) {
    return language == Language::ja ? QStringLiteral("ja") : QStringLiteral("en");
}

void install_translations(QCoreApplication& app, Language language) {
    for (auto& t : installed()) QCoreApplication::removeTranslator(t.get());
    installed().clear();
    const QString code = language_code(language);
    const QDir catalogues(QStringLiteral(":/i18n"));
    for (const QString& file :
         catalogues.entryList({QStringLiteral("*_") + code + QStringLiteral(".qm")})) {
        auto t = std::make_unique<QTranslator>();
        if (t->load(catalogues.filePath(file))) {
            app.installTranslator(t.get());
            installed().push_back(std::move(t));
        }
    }
    // Qt's own strings (standard buttons, file dialogs).
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_") + code,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        app.installTranslator(qt.get());
        installed().push_back(std::move(qt));
    }
    QLocale::setDefault(QLocale(language == Language::ja ? QLocale::Japanese : QLocale::English,
                                language == Language::ja ? QLocale::Japan : QLocale::UnitedStates));
    current = language;
}

Language current_language() noexcept {
    return current;
}

bool save_screenshot(QWidget& widget, const QString& name) {
    const QString dir = qEnvironmentVariable("MYNACARD_SCREENSHOT_DIR");
    if (dir.isEmpty()) return false;
    QDir().mkpath(dir);
    const QString file = dir + QLatin1Char('/') + name + QLatin1Char('-') + language_code(current) +
                         QStringLiteral(".png");
    return widget.grab().save(file, "PNG");
}

}  // namespace mynacard::gui
