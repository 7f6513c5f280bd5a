#include "core/i18n.hpp"

#include "core/resources.hpp"

#include <libintl.h>

#include <atomic>
#include <clocale>
#include <cstdlib>
#include <string>
#include <system_error>

namespace qingling {

namespace {

std::atomic<UiLanguage> g_language{UiLanguage::zh};

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// gettext ignores LANGUAGE while LC_MESSAGES is "C"/"POSIX"; C.UTF-8 (built into glibc) is not
// "C" by name, so LANGUAGE picks the catalogue whatever locales the system has installed.
bool use_message_locale_for(const char* language) {
    const char* current = std::setlocale(LC_MESSAGES, nullptr);
    const std::string now = current ? current : "C";
    if (now == "C" || now == "POSIX") {
        if (!std::setlocale(LC_MESSAGES, "C.UTF-8") && !std::setlocale(LC_MESSAGES, "en_US.UTF-8")) return false;
    } else {
        // Setting the locale again is the documented way to make gettext forget what it cached.
        std::setlocale(LC_MESSAGES, now.c_str());
    }
    ::setenv("LANGUAGE", language, 1);
    return true;
}

} // namespace

bool parse_ui_language(std::string_view text, UiLanguage& out) {
    const std::string t = lower_ascii(text);
    if (t == "zh" || t.rfind("zh_", 0) == 0 || t.rfind("zh-", 0) == 0 || text == "中文") {
        out = UiLanguage::zh;
        return true;
    }
    if (t == "en" || t.rfind("en_", 0) == 0 || t.rfind("en-", 0) == 0 || t == "english") {
        out = UiLanguage::en;
        return true;
    }
    return false;
}

const char* ui_language_code(UiLanguage language) { return language == UiLanguage::en ? "en" : "zh"; }

bool set_ui_language(UiLanguage language, std::string* message) {
    if (language == UiLanguage::zh) {
        g_language = UiLanguage::zh;  // the source strings are Chinese: no catalogue needed
        return true;
    }
    const std::filesystem::path dir = locale_dir();
    const std::filesystem::path catalogue = dir / ui_language_code(language) / "LC_MESSAGES" / (std::string(kTextDomain) + ".mo");
    std::error_code ec;
    if (!std::filesystem::exists(catalogue, ec)) {
        if (message) *message = "translation catalogue " + catalogue.string() + " not found (set QINGLING_LOCALE_DIR)";
        return false;
    }
    if (!use_message_locale_for(ui_language_code(language))) {
        if (message) *message = "no locale to show translations with (neither C.UTF-8 nor en_US.UTF-8)";
        return false;
    }
    bindtextdomain(kTextDomain, dir.c_str());
    bind_textdomain_codeset(kTextDomain, "UTF-8");
    g_language = language;
    return true;
}

UiLanguage ui_language() { return g_language; }

const char* tr(const char* msgid) {
    if (g_language == UiLanguage::zh || !msgid || !*msgid) return msgid;
    return dgettext(kTextDomain, msgid);
}

const char* trn(const char* msgid, const char* msgid_plural, unsigned long long n) {
    if (g_language == UiLanguage::zh) return n == 1 ? msgid : msgid_plural;
    return dngettext(kTextDomain, msgid, msgid_plural, static_cast<unsigned long>(n));
}

std::string tr(const std::string& msgid) {
    if (g_language == UiLanguage::zh || msgid.empty()) return msgid;
    return dgettext(kTextDomain, msgid.c_str());
}

std::string fill_placeholders(std::string text, const std::map<std::string, std::string>& values) {
    // One pass over the template: a value that holds braces is not filled again.
    std::string out;
    std::size_t from = 0;
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', from)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        const auto it = values.find(text.substr(open + 1, close - open - 1));
        out.append(text, from, open - from);
        out += it == values.end() ? text.substr(open, close - open + 1) : it->second;
        from = close + 1;
    }
    out.append(text, from, std::string::npos);
    return out;
}

namespace {

std::string phrase_text(const Phrase& phrase, bool translate) {
    const char* separator = translate && g_language != UiLanguage::zh ? ", " : "、";
    std::map<std::string, std::string> values = phrase.values;
    for (const auto* lists : {&phrase.lists, &phrase.label_lists})
        for (const auto& [key, items] : *lists) {
            std::string joined;
            for (const std::string& item : items) {
                if (!joined.empty()) joined += separator;
                joined += translate && lists == &phrase.label_lists ? tr(item) : item;
            }
            values[key] = joined;
        }
    return fill_placeholders(translate ? tr(phrase.text) : phrase.text, values);
}

} // namespace

std::string Phrase::zh() const { return phrase_text(*this, false); }
std::string Phrase::shown() const { return phrase_text(*this, true); }

} // namespace qingling
