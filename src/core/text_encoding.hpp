// Telling GBK from UTF-8 in files that do not say which they use, and recoding with GDAL/iconv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qingling {

bool is_valid_utf8(std::string_view bytes);
bool is_ascii(std::string_view bytes);
// True when the bytes are a complete, valid GBK (CP936/GB18030 two-byte) text.
bool decodes_as_gbk(std::string_view bytes);
std::string gbk_to_utf8(std::string_view bytes);

// The encoding of a sample of string values: "UTF-8" (also for pure ASCII), "CP936", or empty
// when the bytes are neither.
std::string detect_text_encoding(const std::vector<std::string>& samples);

// Normalises user spellings (gbk, GB2312, 936, cp936, utf8 ...) to the names GDAL/iconv accept;
// "auto" stays "auto".
std::string normalise_encoding_name(const std::string& name);

} // namespace qingling
