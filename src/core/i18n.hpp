// The user interface's language (issue 4): gettext catalogues (po/*.po, compiled to .mo at build
// time). The source strings are the Chinese text; English comes from po/en.po. Chinese is the
// default and needs no catalogue, so the CLI, which never switches, always speaks Chinese.
//
//   _("图层")   translate now (xgettext keyword `_`)
//   N_("图层")  only mark for xgettext; translate where it is shown with tr() (core label tables)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qingling {

inline constexpr const char* kTextDomain = "qingling";

enum class UiLanguage { zh, en };

// "zh"/"en" (also "zh_CN", "en_US.UTF-8", "中文", "English"); false when unknown.
bool parse_ui_language(std::string_view text, UiLanguage& out);
const char* ui_language_code(UiLanguage language);  // "zh", "en"

// Chooses the language of tr() from now on (UI thread). English needs the catalogue found by
// locale_dir() (core/resources.hpp): false with
// `message` saying why when it cannot be found (tr() then keeps returning Chinese).
bool set_ui_language(UiLanguage language, std::string* message = nullptr);
UiLanguage ui_language();

// The translation of a Chinese source string in the current language (the msgid itself in
// Chinese or when the catalogue lacks it). The pointer stays valid for the program's life.
// format_arg: the compiler checks printf arguments against the msgid, as with gettext().
__attribute__((format_arg(1))) const char* tr(const char* msgid);
std::string tr(const std::string& msgid);
// A message with a count (English "1 feature", "2 features"): Chinese has one form, so msgid and
// msgid_plural are the same Chinese text; xgettext keyword trn:1,2.
__attribute__((format_arg(1))) const char* trn(const char* msgid, const char* msgid_plural, unsigned long long n);

// A sentence core makes for people (a grid problem's detail) from a template marked N_ with {name}
// placeholders: zh() is the Chinese that reports, JSON and the database keep; shown() the template
// in the UI language (tr) with the same values. Values are data and never translated; lists are
// joined with "、" in Chinese and ", " otherwise; label_lists hold N_-marked labels, each translated.
struct Phrase {
    using Lists = std::map<std::string, std::vector<std::string>>;
    Phrase() = default;
    Phrase(const char* text, std::map<std::string, std::string> values = {}, Lists lists = {}, Lists label_lists = {})
        : text(text), values(std::move(values)), lists(std::move(lists)), label_lists(std::move(label_lists)) {}
    const char* text = "";
    std::map<std::string, std::string> values;
    Lists lists;
    Lists label_lists;
    std::string zh() const;
    std::string shown() const;
};

// Replaces each {key} in text by its value (unknown keys stay as they are).
std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values);

} // namespace qingling

#ifndef _
#define _(text) ::qingling::tr(text)
#endif
#ifndef N_
#define N_(text) text
#endif
