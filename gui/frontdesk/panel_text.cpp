#include "gui/frontdesk/panel_text.h"

#include <QDir>

namespace mynacard::gui {

void PanelText::setLanguage(Language language) {
    language_ = language;
    catalogues_.clear();
    const QDir dir(QStringLiteral(":/i18n"));
    for (const QString& file :
         dir.entryList({QStringLiteral("*_") + language_code(language) + QStringLiteral(".qm")})) {
        auto t = std::make_unique<QTranslator>();
        if (t->load(dir.filePath(file))) catalogues_.push_back(std::move(t));
    }
}

QString PanelText::operator()(const char* context, const char* source) const {
    for (const auto& t : catalogues_) {
        const QString s = t->translate(context, source);
        if (!s.isEmpty()) return s;
    }
    return QString::fromUtf8(source);
}

}  // namespace mynacard::gui
