#pragma once

#include <QString>
#include <QTranslator>

#include <memory>
#include <vector>

#include "gui/common/i18n.h"

namespace mynacard::gui {

// The patient panel's own language: the patient switches it without
// changing the receptionist's (the application's translators stay as the
// configuration set them). Looks strings up in this language's catalogues
// (:/i18n/<area>_<lang>.qm), English source text when there is none.
class PanelText {
  public:
    explicit PanelText(Language language) { setLanguage(language); }
    void setLanguage(Language language);
    [[nodiscard]] Language language() const noexcept { return language_; }
    [[nodiscard]] QString operator()(const char* context, const char* source) const;

  private:
    Language language_ = Language::ja;
    std::vector<std::unique_ptr<QTranslator>> catalogues_;
};

}  // namespace mynacard::gui
