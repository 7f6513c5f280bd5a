#include "core/text_encoding.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cctype>
#include <iconv.h>

namespace qingling {

bool is_ascii(std::string_view bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_valid_utf8(std::string_view bytes) {
    return CPLIsUTF8(bytes.data(), static_cast<int>(bytes.size())) != 0;
}

bool decodes_as_gbk(std::string_view bytes) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::string in(bytes);
    std::string out(in.size() * 4 + 4, '\0');
    char* inp = in.data();
    size_t inleft = in.size();
    char* outp = out.data();
    size_t outleft = out.size();
    const size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    iconv_close(cd);
    return rc != static_cast<size_t>(-1) && inleft == 0;
}

std::string gbk_to_utf8(std::string_view bytes) {
    char* recoded = CPLRecode(std::string(bytes).c_str(), "CP936", CPL_ENC_UTF8);
    std::string out = recoded ? recoded : "";
    CPLFree(recoded);
    return out;
}

std::string detect_text_encoding(const std::vector<std::string>& samples) {
    bool all_utf8 = true;
    for (const auto& s : samples)
        if (!is_valid_utf8(s)) { all_utf8 = false; break; }
    if (all_utf8) return "UTF-8";
    // GBK double bytes are rarely valid UTF-8; a text that is not UTF-8 but decodes fully as GBK is GBK.
    for (const auto& s : samples)
        if (!is_valid_utf8(s) && !decodes_as_gbk(s)) return "";
    return "CP936";
}

std::string normalise_encoding_name(const std::string& name) {
    std::string n;
    for (char c : name)
        if (c != '-' && c != '_' && c != ' ') n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n.empty() || n == "AUTO") return "auto";
    if (n == "GBK" || n == "CP936" || n == "936" || n == "GB2312" || n == "ANSI936" || n == "MS936") return "CP936";
    if (n == "GB18030") return "GB18030";
    if (n == "UTF8") return "UTF-8";
    if (n == "LATIN1" || n == "ISO88591") return "ISO-8859-1";
    if (n == "CP1251" || n == "WINDOWS1251") return "CP1251";
    return name;
}

} // namespace qingling
