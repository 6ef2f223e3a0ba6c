#pragma once

#include <QString>

class QCoreApplication;
class QWidget;

namespace mynacard::gui {

enum class Language { ja, en };

// "ja" / "en" from --lang; empty: the system locale (ja_* → Japanese,
// anything else → English). Anything else throws Error(invalid_argument).
[[nodiscard]] Language language_from(const QString& flag);
// Loads every catalogue of the language (:/i18n/<area>_<lang>.qm, one per
// screen family) plus Qt's own, replaces those of an earlier call, and makes
// the language the default QLocale so dates and numbers follow it.
void install_translations(QCoreApplication& app, Language language);
[[nodiscard]] Language current_language() noexcept;
[[nodiscard]] QString language_code(Language language);

// Saves `widget` as <dir>/<name>-<lang>.png when $MYNACARD_SCREENSHOT_DIR is
// set (scripts/screenshots runs the GUI tests under Xvfb with it); does
// nothing otherwise. Returns whether a file was written.
bool save_screenshot(QWidget& widget, const QString& name);

}  // namespace mynacard::gui
