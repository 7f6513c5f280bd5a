#include "core/ledger_parse.hpp"

#include "core/china_offsets.hpp"
#include "core/credit_code.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#if __has_include(<iconv.h>)
#include <cerrno>
#include <iconv.h>
#define QINGLING_HAVE_ICONV 1
#endif

namespace qingling {

namespace {

// ---------------------------------------------------------------------------------------------
// Text helpers (all strings are UTF-8 once read)

bool has_at(std::string_view s, std::size_t i, std::string_view p) { return s.substr(i, p.size()) == p; }

// Blanks found in ledgers: ASCII whitespace, NBSP, the ideographic space and a stray BOM.
std::size_t blank_length_at(std::string_view s, std::size_t i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (has_at(s, i, "\xC2\xA0")) return 2;
    if (has_at(s, i, "\xE3\x80\x80") || has_at(s, i, "\xEF\xBB\xBF")) return 3;
    return 0;
}

std::size_t blank_length_before(std::string_view s, std::size_t end) {
    if (end >= 1) {
        const unsigned char c = static_cast<unsigned char>(s[end - 1]);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    }
    if (end >= 2 && s.substr(end - 2, 2) == "\xC2\xA0") return 2;
    if (end >= 3 && (s.substr(end - 3, 3) == "\xE3\x80\x80" || s.substr(end - 3, 3) == "\xEF\xBB\xBF")) return 3;
    return 0;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e) {
        const std::size_t n = blank_length_at(s, b);
        if (n == 0) break;
        b += n;
    }
    while (e > b) {
        const std::size_t n = blank_length_before(s.substr(0, e), e);
        if (n == 0 || e - n < b) break;
        e -= n;
    }
    return std::string(s.substr(b, e - b));
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string upper_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

// Header normal form: no blanks anywhere, full-width brackets and colon as ASCII, latin lower-case,
// required-field stars and a trailing colon dropped.
std::string normalise_header(std::string_view header) {
    std::string s;
    for (std::size_t i = 0; i < header.size();) {
        const std::size_t n = blank_length_at(header, i);
        if (n) {
            i += n;
            continue;
        }
        s += header[i++];
    }
    replace_all(s, "\xEF\xBC\x88", "(");  // （
    replace_all(s, "\xEF\xBC\x89", ")");  // ）
    replace_all(s, "\xE3\x80\x90", "[");  // 【
    replace_all(s, "\xE3\x80\x91", "]");  // 】
    replace_all(s, "\xEF\xBC\x9A", ":");  // ：
    replace_all(s, "\xEF\xBC\x8F", "/");  // ／
    s = lower_ascii(s);
    while (!s.empty() && (s.front() == '*')) s.erase(0, 1);
    while (!s.empty() && (s.back() == '*' || s.back() == ':')) s.pop_back();
    return s;
}

// Value normal form for word lists: trimmed, latin lower-case, no inner blanks.
std::string normalise_word(std::string_view value) { return normalise_header(value); }

std::string format_number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

// ---------------------------------------------------------------------------------------------
// Column headers -> field codes

const std::map<std::string, std::string>& header_synonyms() {
    static const std::map<std::string, std::string> table = [] {
        std::map<std::string, std::string> t;
        auto add = [&t](const std::string& code, std::initializer_list<const char*> names) {
            for (const char* n : names) t.emplace(normalise_header(n), code);
        };
        add("seq", {"序号"});
        add("name", {"企业名称", "单位名称", "企业(单位)名称", "单位(企业)名称", "企业名", "企业全称", "名称", "Name"});
        add("credit_code", {"统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码"});
        add("legal_person", {"法定代表人", "负责人", "法人", "业主", "法人代表", "法定代表人(负责人)", "Owner"});
        add("phone", {"联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"});
        add("address", {"地址", "详细地址", "经营地址", "生产经营地址", "经营场所", "Address"});
        add("village", {"所属村(社区)", "所属村", "村(社区)", "社区", "村名", "所属社区", "村(居)", "所属村(居)"});
        add("industry", {"行业", "行业类别", "所属行业", "行业类型"});
        add("department", {"责任部门", "主管部门"});
        add("power_account", {"电力户号", "用电户号", "户号"});
        add(permit_code(Permit::business_license), {"营业执照"});
        add(permit_code(Permit::fagai), {"发改立项", "发改", "立项"});
        add(permit_code(Permit::land), {"用地手续", "国土", "土地手续", "国土手续"});
        add(permit_code(Permit::planning), {"规划许可", "规划", "规划手续"});
        add(permit_code(Permit::eia), {"环评手续", "环评", "环保", "环保手续"});
        add(permit_code(Permit::safety), {"安全生产许可", "安全", "安监", "安全生产", "安全生产许可证"});
        add(permit_code(Permit::discharge), {"排污许可", "排污", "排污许可证"});
        add(permit_code(Permit::food), {"食品生产许可", "食品许可", "食品生产许可证"});
        for (Permit p : kAllPermits) add(permit_code(p), {permit_label_zh(p)});
        add("wastewater", {"废水"});
        add("waste_gas", {"废气"});
        add("solid_waste", {"固废", "固体废物"});
        add("solid_waste_ledger", {"固废台账", "固体废物台账"});
        add("lon", {"经度", "Longitude", "lon", "lng", "long"});
        add("lat", {"纬度", "Latitude", "lat"});
        add("x", {"X坐标", "X", "横坐标"});
        add("y", {"Y坐标", "Y", "纵坐标"});
        add("original_x", {"原始经度/X", "原始X", "原始经度"});
        add("original_y", {"原始纬度/Y", "原始Y", "原始纬度"});
        add("coord_source", {"坐标来源", "坐标系"});
        add("notes", {"备注"});
        return t;
    }();
    return table;
}

std::string field_code_for_header(std::string_view header) {
    const auto& t = header_synonyms();
    auto it = t.find(normalise_header(header));
    return it == t.end() ? std::string() : it->second;
}

// ---------------------------------------------------------------------------------------------
// Cell values

// Yes/no words; blank and "not applicable" words mean not recorded.
enum class YesNo { yes, no, not_recorded, not_understood };
YesNo parse_yes_no(std::string_view text) {
    const std::string v = normalise_word(text);
    if (v.empty()) return YesNo::not_recorded;
    static const std::set<std::string> yes = {"有", "是", "√", "✓", "✔", "已办", "已办理", "已取得", "有证", "已建立",
                                              "已建", "y", "yes", "1", "true", "对"};
    static const std::set<std::string> no = {"无", "否", "×", "✗", "✘", "x", "未办", "未办理", "无证", "没有",
                                             "未取得", "未建立", "n", "no", "0", "false"};
    static const std::set<std::string> not_applicable = {"不涉及", "无需", "不需要", "不适用", "/", "-", "—", "未知",
                                                         "不详"};
    if (yes.count(v)) return YesNo::yes;
    if (no.count(v)) return YesNo::no;
    if (not_applicable.count(v)) return YesNo::not_recorded;
    return YesNo::not_understood;
}

std::optional<Emission> parse_emission_text(std::string_view text) {
    const std::string v = normalise_word(text);
    if (v.empty()) return Emission::unknown;
    if (auto e = parse_emission_code(v)) return e;
    for (Emission e : {Emission::none, Emission::treated, Emission::untreated, Emission::excess, Emission::unknown})
        if (v == normalise_word(emission_label_zh(e))) return e;
    static const std::set<std::string> none = {"无", "没有", "不产生", "无排放", "不涉及", "否"};
    static const std::set<std::string> unknown = {"未知", "不详", "/", "-", "—"};
    if (none.count(v)) return Emission::none;
    if (unknown.count(v)) return Emission::unknown;
    auto contains = [&v](std::initializer_list<const char*> words) {
        return std::any_of(words.begin(), words.end(), [&v](const char* w) { return v.find(w) != std::string::npos; });
    };
    if (contains({"超标"})) return Emission::excess;
    if (contains({"直排", "未经处理", "未处理", "无治理", "未治理", "无处理", "偷排"})) return Emission::untreated;
    if (contains({"达标", "治理", "处理设施", "已处理"})) return Emission::treated;
    return std::nullopt;
}

// Placeholders written into the credit-code column by enterprises that have none.
bool is_code_placeholder(std::string_view text) {
    static const std::set<std::string> words = {"无", "暂无", "没有", "/", "-", "—", "未办理", "未办", "无证", "空", "无执照"};
    return words.count(normalise_word(text)) > 0;
}

// What a row's 坐标来源 says, or nullopt when the text is not understood.
std::optional<CoordHint> parse_coord_source_text(std::string_view text) {
    std::string v = normalise_word(text);
    replace_all(v, "-", "");
    replace_all(v, "_", "");
    auto has = [&v](std::initializer_list<const char*> words) {
        return std::any_of(words.begin(), words.end(), [&v](const char* w) { return v.find(w) != std::string::npos; });
    };
    if (v.empty()) return std::nullopt;
    if (has({"百度", "bd09", "bd"})) return CoordHint::bd09;
    if (has({"高德", "gcj", "腾讯", "火星", "amap"})) return CoordHint::gcj02;
    if (has({"高斯", "克吕格", "gauss", "gk", "平面"})) return CoordHint::gauss_kruger;
    if (has({"cgcs", "2000", "国家2000"})) return CoordHint::cgcs2000;
    if (has({"gps", "wgs", "北斗", "84"})) return CoordHint::wgs84;
    if (v == "none" || v == "无") return CoordHint::automatic;
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Encodings

struct EncodingChoice {
    bool automatic = true;
    std::string label;    // reported: "UTF-8", "GBK", ...
    std::string charset;  // for CPLRecode / iconv / the shapefile ENCODING option
};

EncodingChoice encoding_choice(const std::string& option) {
    const std::string v = lower_ascii(trim(option));
    if (v.empty() || v == "auto") return {};
    if (v == "utf-8" || v == "utf8") return {false, "UTF-8", "UTF-8"};
    if (v == "gbk" || v == "cp936" || v == "gb2312" || v == "936") return {false, "GBK", "CP936"};
    if (v == "gb18030") return {false, "GB18030", "GB18030"};
    throw UsageError("unknown ledger encoding '" + option + "' (use auto, utf-8 or gbk)");
}

bool is_utf8(std::string_view s) {
    // CPLIsUTF8 takes an int length; check large buffers in pieces cut at character boundaries.
    std::size_t pos = 0;
    const std::size_t chunk = 1 << 26;
    while (pos < s.size()) {
        std::size_t end = std::min(s.size(), pos + chunk);
        while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
        if (!CPLIsUTF8(s.data() + pos, static_cast<int>(end - pos))) return false;
        pos = end;
    }
    return true;
}

// Whether bytes decode without any invalid sequence in charset (strict, unlike CPLRecode which
// skips bad bytes and warns only once per process).
bool decodes_strictly(std::string_view bytes, const char* charset) {
#ifdef QINGLING_HAVE_ICONV
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    std::string in(bytes);
    char* inp = in.data();
    std::size_t inleft = in.size();
    std::vector<char> out(1 << 16);
    bool ok = true;
    while (inleft > 0) {
        char* outp = out.data();
        std::size_t outleft = out.size();
        if (iconv(cd, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1) && errno != E2BIG) {
            ok = false;
            break;
        }
    }
    iconv_close(cd);
    return ok;
#else
    (void)bytes;
    (void)charset;
    return true;  // cannot check: trust the caller's choice
#endif
}

std::string recode_to_utf8(const std::string& s, const std::string& charset) {
    if (s.empty() || charset == "UTF-8") return s;
    char* r = CPLRecode(s.c_str(), charset.c_str(), CPL_ENC_UTF8);
    std::string out = r ? r : "";
    CPLFree(r);
    return out;
}

std::string read_file_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot read the ledger " + file.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The 1-based line on which each CSV record starts (record 0 is the header), following the rules
// of GDAL's CSV reader: a quote toggles quoting anywhere, line breaks inside quotes continue the
// record, empty lines are skipped. Only line numbers come from here; the values come from GDAL.
std::vector<long long> csv_record_lines(std::string_view bytes) {
    std::vector<long long> starts;
    long long line = 1, start = 1;
    bool quoted = false, empty = true;
    std::size_t i = has_at(bytes, 0, "\xEF\xBB\xBF") ? 3 : 0;
    for (; i < bytes.size(); ++i) {
        const char c = bytes[i];
        bool newline = false;
        if (c == '\r') {
            if (i + 1 < bytes.size() && bytes[i + 1] == '\n') continue;
            newline = true;
        } else if (c == '\n') {
            newline = true;
        } else {
            if (c == '"') quoted = !quoted;
            empty = false;
        }
        if (newline) {
            ++line;
            if (!quoted) {
                if (!empty) starts.push_back(start);
                empty = true;
                start = line;
            }
        }
    }
    if (!empty) starts.push_back(start);
    return starts;
}

// ---------------------------------------------------------------------------------------------
// Reading the source into a table of strings

struct RawRow {
    long long row = 0;
    std::vector<std::string> values;
    bool has_point = false;
    double gx = 0, gy = 0;
    bool other_geometry = false;
};

struct RawTable {
    std::vector<std::string> headers;
    std::vector<RawRow> rows;
    bool has_geometry = false;
    std::optional<OGRSpatialReference> geometry_srs;
    std::string encoding;
};

RawTable read_table(const std::filesystem::path& file, const LedgerParseOptions& options, Progress& progress) {
    ensure_gdal_initialised();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw InputError("the ledger " + file.string() + " does not exist or is not a file");

    const std::string ext = lower_ascii(file.extension().string());
    const bool is_csv = ext == ".csv" || ext == ".tsv";
    const bool is_shapefile = ext == ".shp" || ext == ".dbf";
    EncodingChoice enc = encoding_choice(options.encoding);

    RawTable table;
    std::vector<long long> record_lines;
    if (is_csv) {
        const std::string bytes = read_file_bytes(file);
        if (enc.automatic) {
            if (is_utf8(bytes))
                enc = {false, "UTF-8", "UTF-8"};
            else if (decodes_strictly(bytes, "CP936"))
                enc = {false, "GBK", "CP936"};
            else
                throw InputError("the ledger " + file.string() +
                                 " is neither UTF-8 nor GBK text; name its encoding explicitly");
        }
        record_lines = csv_record_lines(bytes);
    }

    // Spreadsheets: the first row is always the header (a header of text and numbers would otherwise
    // be taken for data). Set for the whole read: the drivers load sheets lazily.
    ScopedGdalConfig xlsx_headers("OGR_XLSX_HEADERS", "FORCE");
    ScopedGdalConfig ods_headers("OGR_ODS_HEADERS", "FORCE");
    ScopedGdalConfig xls_headers("OGR_XLS_HEADERS", "FORCE");

    CPLStringList open_options;
    const char* csv_only[] = {"CSV", nullptr};
    if (is_csv) {
        open_options.AddString("AUTODETECT_TYPE=NO");
        open_options.AddString("HEADERS=YES");
        open_options.AddString("EMPTY_STRING_AS_NULL=NO");
    }
    if (is_shapefile && !enc.automatic) open_options.AddString(("ENCODING=" + enc.charset).c_str());

    CPLErrorReset();
    GdalDatasetPtr ds(GDALDataset::Open(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                        is_csv ? csv_only : nullptr, open_options.List(), nullptr));
    if (!ds)
        throw InputError("cannot open the ledger " + file.string() + ": " +
                         last_gdal_error("not a spreadsheet, CSV or vector file that GDAL can read"));

    OGRLayer* layer = nullptr;
    if (!options.sheet.empty()) {
        layer = ds->GetLayerByName(options.sheet.c_str());
        if (!layer) {
            std::vector<std::string> names;
            for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
            throw InputError("the ledger " + file.string() + " has no sheet '" + options.sheet +
                             "'; it has: " + join(names, ", "));
        }
    } else {
        if (ds->GetLayerCount() == 0) throw InputError("the ledger " + file.string() + " holds no sheet or layer");
        layer = ds->GetLayer(0);
    }

    const std::string driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    const bool sheet_rows = driver == "XLSX" || driver == "ODS";  // FID = spreadsheet row number
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int nfields = defn->GetFieldCount();
    for (int i = 0; i < nfields; ++i) table.headers.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    table.has_geometry = defn->GetGeomFieldCount() > 0 && !is_csv;
    if (table.has_geometry) {
        if (const OGRSpatialReference* srs = layer->GetSpatialRef()) table.geometry_srs = with_gis_axis_order(*srs);
    }

    const GIntBig total = layer->GetFeatureCount(FALSE);
    layer->ResetReading();
    long long index = 0;
    for (OGRFeatureUniquePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()), ++index) {
        RawRow r;
        r.values.reserve(nfields);
        for (int i = 0; i < nfields; ++i)
            r.values.emplace_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
        if (sheet_rows && f->GetFID() > 0)
            r.row = f->GetFID();
        else
            r.row = index + 2;
        if (table.has_geometry) {
            if (const OGRGeometry* g = f->GetGeometryRef(); g && !g->IsEmpty()) {
                const auto type = wkbFlatten(g->getGeometryType());
                if (type == wkbPoint) {
                    r.has_point = true;
                    r.gx = g->toPoint()->getX();
                    r.gy = g->toPoint()->getY();
                } else if (type == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1) {
                    r.has_point = true;
                    r.gx = g->toMultiPoint()->getGeometryRef(0)->getX();
                    r.gy = g->toMultiPoint()->getGeometryRef(0)->getY();
                } else {
                    r.other_geometry = true;
                }
            }
        }
        table.rows.push_back(std::move(r));
        if (index % 512 == 0) {
            if (progress.cancelled()) throw CancelledError();
            progress.report(total > 0 ? 0.5 * static_cast<double>(index) / static_cast<double>(total) : 0.0,
                            "读取台账");
        }
    }

    if (is_csv) {
        // Line numbers as a text editor shows them, when the scan agrees with GDAL's record count.
        if (record_lines.size() == table.rows.size() + 1)
            for (std::size_t i = 0; i < table.rows.size(); ++i) table.rows[i].row = record_lines[i + 1];
        if (enc.charset != "UTF-8") {
            for (auto& h : table.headers) h = recode_to_utf8(h, enc.charset);
            for (auto& r : table.rows)
                for (auto& v : r.values) v = recode_to_utf8(v, enc.charset);
        }
        table.encoding = enc.label;
    } else if (driver == "XLSX" || driver == "ODS") {
        table.encoding = "UTF-8";
    } else if (!enc.automatic) {
        table.encoding = enc.label;
    } else {
        // Other formats should hand out UTF-8; a GBK .dbf without .cpg does not (raw bytes). Recode
        // just the strings that are not UTF-8.
        bool recoded = false;
        auto fix = [&recoded](std::string& s) {
            if (!is_utf8(s)) {
                s = recode_to_utf8(s, "CP936");
                recoded = true;
            }
        };
        for (auto& h : table.headers) fix(h);
        for (auto& r : table.rows)
            for (auto& v : r.values) fix(v);
        table.encoding = recoded ? "GBK" : "UTF-8";
    }
    return table;
}

// ---------------------------------------------------------------------------------------------
// Coordinates

struct CoordContext {
    OGRSpatialReference project;
    bool project_is_plain_gk = false;  // transverse Mercator, false easting 500 km (no zone prefix)
    std::map<int, CoordTransformPtr> by_epsg;
    CoordTransformPtr from_geometry;

    OGRCoordinateTransformation& from_epsg(int epsg) {
        auto it = by_epsg.find(epsg);
        if (it == by_epsg.end()) it = by_epsg.emplace(epsg, make_transform(make_srs(epsg), project)).first;
        return *it->second;
    }
};

struct CoordOutcome {
    enum Status { ok, missing, bad } status = missing;
    double x = 0, y = 0;
    CoordSource source = CoordSource::none;
    bool swapped = false;
    std::string message;  // for missing/bad, and the note for a swap
    // The row says GPS/WGS-84 lon/lat but the numbers are plane metres: kept as GK, noted.
    std::string source_mismatch;
};

bool in_china(double lon, double lat) { return looks_like_china_lonlat(lon, lat, lon, lat); }

enum class GkKind { none, prefixed, plain };
struct GkReading {
    GkKind kind = GkKind::none;
    bool swapped = false;
    double easting = 0, northing = 0;
};

double integer_digits(double v) { return v >= 1 ? std::floor(std::log10(v)) + 1 : 0; }

GkReading read_gk(double a, double b) {
    auto prefixed = [](double v) { return cgcs2000_gk3_zone_epsg_from_easting(v).has_value(); };
    auto plain = [](double v) { return integer_digits(v) == 6; };
    auto northing = [](double v) { return integer_digits(v) == 7; };
    if (prefixed(a) && northing(b)) return {GkKind::prefixed, false, a, b};
    if (prefixed(b) && northing(a)) return {GkKind::prefixed, true, b, a};
    if (plain(a) && northing(b)) return {GkKind::plain, false, a, b};
    if (plain(b) && northing(a)) return {GkKind::plain, true, b, a};
    return {};
}

CoordOutcome resolve_numbers(double a, double b, CoordHint want, CoordContext& ctx, const std::string& a_label,
                             const std::string& b_label, const std::string& a_text, const std::string& b_text) {
    CoordOutcome out;
    const std::string pair_text = a_label + "“" + a_text + "”、" + b_label + "“" + b_text + "”";

    // Degrees?
    bool geographic = false, swapped = false;
    if (want != CoordHint::gauss_kruger) {
        if (in_china(a, b)) {
            geographic = true;
        } else if (in_china(b, a)) {
            geographic = swapped = true;
        } else if (want != CoordHint::automatic && std::abs(a) <= 180 && std::abs(b) <= 90 && !(a == 0 && b == 0)) {
            geographic = true;  // explicitly lon/lat, outside China: the caller checks the jurisdiction
        }
    }
    if (geographic) {
        LonLat p = swapped ? LonLat{b, a} : LonLat{a, b};
        int epsg = kEpsgWgs84;
        switch (want) {
        case CoordHint::gcj02:
            p = gcj02_to_wgs84(p);
            out.source = CoordSource::gcj02;
            break;
        case CoordHint::bd09:
            p = bd09_to_wgs84(p);
            out.source = CoordSource::bd09;
            break;
        case CoordHint::cgcs2000:
            epsg = kEpsgCgcs2000;
            out.source = CoordSource::cgcs2000;
            break;
        default:
            out.source = CoordSource::wgs84;
            break;
        }
        double x = p.lon, y = p.lat;
        if (!transform_point(ctx.from_epsg(epsg), x, y)) {
            out.status = CoordOutcome::bad;
            out.message = "坐标" + pair_text + "无法转换到项目坐标系";
            return out;
        }
        out.status = CoordOutcome::ok;
        out.x = x;
        out.y = y;
        out.swapped = swapped;
        if (swapped)
            out.message = pair_text + "填反（经度应在72～138之间，纬度应在0～56之间），已自动对调";
        return out;
    }

    if (want == CoordHint::gcj02 || want == CoordHint::bd09) {
        out.status = CoordOutcome::bad;
        out.message = std::string(want == CoordHint::gcj02 ? "高德" : "百度") + "坐标应为经纬度，" + pair_text + "不是";
        return out;
    }

    const GkReading gk = read_gk(a, b);
    if (gk.kind == GkKind::none) {
        out.status = CoordOutcome::bad;
        if (want == CoordHint::gauss_kruger)
            out.message = pair_text + "不是高斯-克吕格平面坐标（应为8位带带号或6位的东坐标和7位的北坐标）";
        else if (want == CoordHint::automatic && std::abs(a) <= 180 && std::abs(b) <= 90)
            out.message = pair_text + "不在中国范围内，无法判断坐标系";
        else
            out.message = pair_text + "既不是中国范围内的经纬度，也不是高斯-克吕格平面坐标";
        return out;
    }
    double x = gk.easting, y = gk.northing;
    if (gk.kind == GkKind::prefixed) {
        const int epsg = *cgcs2000_gk3_zone_epsg_from_easting(gk.easting);
        if (!transform_point(ctx.from_epsg(epsg), x, y)) {
            out.status = CoordOutcome::bad;
            out.message = "坐标" + pair_text + "无法转换到项目坐标系";
            return out;
        }
    } else if (!ctx.project_is_plain_gk) {
        out.status = CoordOutcome::bad;
        out.message = pair_text + "是不带带号的高斯-克吕格坐标，而项目坐标系不是不带带号的高斯-克吕格投影，无法确定投影带";
        return out;
    }
    out.status = CoordOutcome::ok;
    out.x = x;
    out.y = y;
    out.source = CoordSource::gauss_kruger;
    out.swapped = gk.swapped;
    if (gk.swapped) out.message = pair_text + "填反（7位数的是北坐标），已自动对调";
    // ("CGCS2000" names the datum of GK coordinates too, so only GPS/WGS-84 is a contradiction.)
    if (want == CoordHint::wgs84)
        out.source_mismatch = "坐标来源写的是经纬度，但" + pair_text + "是高斯-克吕格平面坐标（米），已按平面坐标处理";
    return out;
}

CoordOutcome resolve_texts(const std::string& a_text, const std::string& b_text, CoordHint want, CoordContext& ctx,
                           const std::string& a_label, const std::string& b_label) {
    CoordOutcome out;
    if (a_text.empty() && b_text.empty()) {
        out.status = CoordOutcome::missing;
        out.message = "缺少坐标（" + a_label + "、" + b_label + "为空），该企业没有位置";
        return out;
    }
    if (a_text.empty() || b_text.empty()) {
        out.status = CoordOutcome::missing;
        out.message = "坐标不全：" + a_label + "“" + a_text + "”、" + b_label + "“" + b_text + "”，该企业没有位置";
        return out;
    }
    const auto a = parse_coordinate_number(a_text);
    const auto b = parse_coordinate_number(b_text);
    if (!a || !b) {
        out.status = CoordOutcome::bad;
        out.message = "坐标无法识别：" + a_label + "“" + a_text + "”、" + b_label + "“" + b_text + "”";
        return out;
    }
    return resolve_numbers(*a, *b, want, ctx, a_label, b_label, a_text, b_text);
}

CoordOutcome resolve_geometry(const RawTable& table, const RawRow& row, CoordHint want, CoordContext& ctx) {
    const std::string xt = format_number(row.gx), yt = format_number(row.gy);
    if (!table.geometry_srs) return resolve_numbers(row.gx, row.gy, want, ctx, "X", "Y", xt, yt);
    const OGRSpatialReference& srs = *table.geometry_srs;
    CoordOutcome out;
    if (!ctx.from_geometry) ctx.from_geometry = make_transform(srs, ctx.project);
    double x = row.gx, y = row.gy;
    if (srs.IsGeographic()) {
        if (want == CoordHint::gcj02 || want == CoordHint::bd09) {
            // A .prj saying WGS 84 over Amap/Baidu coordinates: take the caller's or the row's word.
            const LonLat p = want == CoordHint::gcj02 ? gcj02_to_wgs84({x, y}) : bd09_to_wgs84({x, y});
            x = p.lon;
            y = p.lat;
            out.source = want == CoordHint::gcj02 ? CoordSource::gcj02 : CoordSource::bd09;
        } else {
            out.source = srs_epsg(srs) == kEpsgCgcs2000 ? CoordSource::cgcs2000 : CoordSource::wgs84;
        }
    } else {
        const char* projection = srs.GetAttrValue("PROJECTION");
        out.source = projection && std::string(projection) == SRS_PT_TRANSVERSE_MERCATOR ? CoordSource::gauss_kruger
                                                                                         : CoordSource::none;
    }
    if (!transform_point(*ctx.from_geometry, x, y)) {
        out.status = CoordOutcome::bad;
        out.message = "几何坐标（" + xt + ", " + yt + "）无法转换到项目坐标系";
        return out;
    }
    out.status = CoordOutcome::ok;
    out.x = x;
    out.y = y;
    return out;
}

struct CoordPair {
    int a = -1, b = -1;
    std::string label;
};

} // namespace

// -------------------------------------------------------------------------------------------------

std::optional<CoordHint> parse_coord_hint(std::string_view text) {
    std::string v = lower_ascii(trim(text));
    replace_all(v, "-", "");
    replace_all(v, "_", "");
    if (v == "auto" || v == "automatic" || v.empty()) return CoordHint::automatic;
    if (v == "wgs84" || v == "gps") return CoordHint::wgs84;
    if (v == "cgcs2000") return CoordHint::cgcs2000;
    if (v == "gcj02" || v == "amap") return CoordHint::gcj02;
    if (v == "bd09" || v == "baidu") return CoordHint::bd09;
    if (v == "gk" || v == "gausskruger") return CoordHint::gauss_kruger;
    return std::nullopt;
}

const char* coord_hint_code(CoordHint hint) {
    switch (hint) {
    case CoordHint::automatic: return "auto";
    case CoordHint::wgs84: return "wgs84";
    case CoordHint::cgcs2000: return "cgcs2000";
    case CoordHint::gcj02: return "gcj02";
    case CoordHint::bd09: return "bd09";
    case CoordHint::gauss_kruger: return "gk";
    }
    return "auto";
}

std::optional<double> parse_coordinate_number(std::string_view text) {
    std::string s = trim(text);
    if (s.empty()) return std::nullopt;
    // Full-width digits, point, minus and plus as ASCII.
    for (int d = 0; d < 10; ++d) {
        const char fw[] = {'\xEF', '\xBC', static_cast<char>(0x90 + d), 0};
        replace_all(s, fw, std::string(1, static_cast<char>('0' + d)));
    }
    replace_all(s, "\xEF\xBC\x8E", ".");  // ．
    replace_all(s, "\xE3\x80\x82", ".");  // 。 (typed for a point)
    replace_all(s, "\xEF\xBC\x8D", "-");  // －
    replace_all(s, "\xEF\xBC\x8B", "+");  // ＋

    // Hemisphere.
    double sign = 1;
    auto strip_word = [&s](std::string_view w) {
        if (s.rfind(w, 0) == 0) {
            s.erase(0, w.size());
            return true;
        }
        if (s.size() > w.size() && s.compare(s.size() - w.size(), w.size(), w) == 0) {
            s.erase(s.size() - w.size());
            return true;
        }
        return false;
    };
    bool hemisphere = false;
    for (const char* w : {"东经", "北纬", "E", "N", "e", "n"})
        if (!hemisphere && strip_word(w)) hemisphere = true;
    for (const char* w : {"西经", "南纬", "W", "S", "w", "s"})
        if (!hemisphere && strip_word(w)) hemisphere = true, sign = -1;
    s = trim(s);

    auto number = [](std::string_view t) -> std::optional<double> {
        if (!t.empty() && t.front() == '+') t.remove_prefix(1);
        if (t.empty()) return std::nullopt;
        double v = 0;
        auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
        return v;
    };
    if (auto v = number(s)) return sign * *v;

    // Degrees, minutes, seconds: the unit marks become d/m/s tokens, blanks separate.
    for (const char* w : {"\xE2\x80\xB3", "\xE2\x80\x9D", "\"", "''", "\xE7\xA7\x92"})  // ″ ” " '' 秒
        replace_all(s, w, " s ");
    for (const char* w : {"\xE2\x80\xB2", "\xE2\x80\x99", "'", "\xE5\x88\x86"})  // ′ ’ ' 分
        replace_all(s, w, " m ");
    for (const char* w : {"\xC2\xB0", "\xE5\xBA\xA6", "\xCB\x9A"})  // ° 度 ˚
        replace_all(s, w, " d ");
    std::vector<std::pair<double, char>> items;  // number and its unit ('?' = none)
    std::istringstream in(s);
    for (std::string t; in >> t;) {
        if (t == "d" || t == "m" || t == "s") {
            if (items.empty() || items.back().second != '?') return std::nullopt;
            items.back().second = t[0];
        } else {
            auto v = number(t);
            if (!v || *v < 0) return std::nullopt;
            items.emplace_back(*v, '?');
        }
    }
    if (items.empty() || items.size() > 3) return std::nullopt;
    const bool bare = std::all_of(items.begin(), items.end(), [](const auto& i) { return i.second == '?'; });
    if (bare) {
        if (items.size() != 3) return std::nullopt;  // "114 18 30.5"
    } else {
        static const char expected[] = {'d', 'm', 's'};
        for (std::size_t i = 0; i < items.size(); ++i) {
            const bool unit_left_off = items[i].second == '?' && i > 0 && i + 1 == items.size();
            if (items[i].second != expected[i] && !unit_left_off) return std::nullopt;
        }
    }
    double value = items[0].first;
    if (items.size() >= 2) {
        if (items[0].first != std::floor(items[0].first) || items[1].first >= 60) return std::nullopt;
        value += items[1].first / 60.0;
    }
    if (items.size() == 3) {
        if (items[1].first != std::floor(items[1].first) || items[2].first >= 60) return std::nullopt;
        value += items[2].first / 3600.0;
    }
    return sign * value;
}

LedgerParseResult parse_ledger(const std::filesystem::path& file, const LedgerParseOptions& options,
                               const IndustryTable& industries, Progress& progress) {
    RawTable table = read_table(file, options, progress);
    LedgerParseResult result;
    result.encoding = table.encoding;

    // The header: the first row, or (for sheets with a title above the table) the first of the
    // next ten rows that holds a name header.
    auto has_name_column = [](const std::vector<std::string>& headers) {
        return std::any_of(headers.begin(), headers.end(),
                           [](const std::string& h) { return field_code_for_header(h) == "name"; });
    };
    std::vector<std::string> headers = table.headers;
    std::size_t first_data = 0;
    if (!has_name_column(headers)) {
        bool found = false;
        for (std::size_t i = 0; i < std::min<std::size_t>(10, table.rows.size()) && !found; ++i) {
            std::vector<std::string> candidate;
            for (const auto& v : table.rows[i].values) candidate.push_back(trim(v));
            if (has_name_column(candidate)) {
                for (std::size_t c = 0; c < candidate.size(); ++c)
                    if (candidate[c].empty()) candidate[c] = "第" + std::to_string(c + 1) + "列";
                headers = candidate;
                first_data = i + 1;
                found = true;
            }
        }
        if (!found) {
            std::vector<std::string> shown;
            for (const auto& h : table.headers) shown.push_back("'" + h + "'");
            throw InputError("the ledger " + file.string() +
                             " has no recognisable enterprise name column (企业名称, 单位名称, 名称 or Name); "
                             "headers found: " +
                             (shown.empty() ? std::string("none") : join(shown, ", ")));
        }
    }

    // Columns -> fields. A second column for a field already taken is kept as extra.
    std::vector<std::string> column_code(headers.size());
    std::map<std::string, int> column_of;
    for (std::size_t c = 0; c < headers.size(); ++c) {
        std::string code = field_code_for_header(headers[c]);
        if (code.empty() || column_of.count(code)) code = "extra";
        if (code != "extra") column_of[code] = static_cast<int>(c);
        column_code[c] = code;
        result.column_mapping.emplace_back(headers[c], code);
    }
    auto col = [&column_of](const char* code) {
        auto it = column_of.find(code);
        return it == column_of.end() ? -1 : it->second;
    };

    std::vector<CoordPair> pairs;
    for (auto [a, b] : {std::pair{"original_x", "original_y"}, std::pair{"lon", "lat"}, std::pair{"x", "y"}})
        if (col(a) >= 0 && col(b) >= 0)
            pairs.push_back({col(a), col(b), headers[col(a)] + "/" + headers[col(b)]});
    {
        std::vector<std::string> labels;
        if (table.has_geometry) labels.push_back("几何");
        for (const auto& p : pairs) labels.push_back(p.label);
        result.coordinate_columns = join(labels, "、");
    }

    CoordContext ctx;
    ctx.project = options.project_srs.IsEmpty() ? make_srs(kDefaultProjectEpsg) : with_gis_axis_order(options.project_srs);
    if (ctx.project.IsProjected()) {
        const char* projection = ctx.project.GetAttrValue("PROJECTION");
        ctx.project_is_plain_gk = projection && std::string(projection) == SRS_PT_TRANSVERSE_MERCATOR &&
                                  std::abs(ctx.project.GetNormProjParm(SRS_PP_FALSE_EASTING, 0.0) - 500000.0) < 1e-6;
    }

    std::map<std::string, long long> seen_codes;
    std::map<std::pair<std::string, std::string>, long long> seen_name_address;
    const std::size_t nrows = table.rows.size();

    for (std::size_t ri = first_data; ri < nrows; ++ri) {
        const RawRow& raw = table.rows[ri];
        if ((ri - first_data) % 256 == 0) {
            if (progress.cancelled()) throw CancelledError();
            progress.report(0.5 + 0.5 * static_cast<double>(ri) / static_cast<double>(nrows), N_("解析台账"));
        }
        // Empty rows are skipped; a row holding nothing but its 序号 (pre-numbered template rows) is empty.
        std::vector<std::string> values(headers.size());
        bool empty = !raw.has_point;
        for (std::size_t c = 0; c < headers.size() && c < raw.values.size(); ++c) {
            values[c] = trim(raw.values[c]);
            if (!values[c].empty() && column_code[c] != "seq") empty = false;
        }
        if (empty) continue;
        ++result.rows_read;

        auto val = [&](const char* code) -> std::string {
            const int c = col(code);
            return c >= 0 ? values[c] : std::string();
        };
        auto header = [&](const char* code) -> std::string {
            const int c = col(code);
            return c >= 0 ? headers[c] : std::string();
        };
        auto problem = [&](const std::string& column, const char* kind, bool rejected, std::string message) {
            result.problems.push_back({raw.row, column, kind, rejected, std::move(message)});
        };

        LedgerRecord rec;
        rec.source_row = raw.row;
        rec.name = val("name");
        rec.address = val("address");
        if (rec.name.empty()) {
            std::string hint;
            for (const char* code : {"credit_code", "address", "legal_person", "village"})
                if (!val(code).empty()) {
                    hint = "（" + header(code) + "“" + val(code) + "”）";
                    break;
                }
            problem(header("name"), "no_name", true, "企业名称为空" + hint + "，该行未导入");
            continue;
        }

        // Credit code: placeholders for "none" mean no code; lower case is accepted.
        std::string code = val("credit_code");
        if (is_code_placeholder(code)) code.clear();
        code = upper_ascii(code);
        if (code.size() == 18) {
            if (auto it = seen_codes.find(code); it != seen_codes.end()) {
                problem(header("credit_code"), "duplicate", true,
                        "与第" + std::to_string(it->second) + "行重复（统一社会信用代码“" + code + "”相同），该行未导入");
                continue;
            }
        }
        if (!rec.address.empty()) {
            if (auto it = seen_name_address.find({rec.name, rec.address}); it != seen_name_address.end()) {
                problem(header("name"), "duplicate", true,
                        "与第" + std::to_string(it->second) + "行重复（企业名称“" + rec.name + "”和地址“" + rec.address +
                            "”相同），该行未导入");
                continue;
            }
            seen_name_address.emplace(std::pair{rec.name, rec.address}, raw.row);
        }
        if (code.size() == 18) seen_codes.emplace(code, raw.row);
        rec.credit_code = code;
        if (!code.empty()) {
            const CreditCodeProblem cp = check_credit_code(code);
            if (cp != CreditCodeProblem::ok)
                problem(header("credit_code"), "bad_credit_code", false,
                        "统一社会信用代码“" + val("credit_code") + "”有误：" + credit_code_problem_zh(cp));
        }

        rec.legal_person = val("legal_person");
        rec.phone = val("phone");
        rec.village = val("village");
        rec.industry = val("industry");
        rec.power_account = val("power_account");
        rec.notes = val("notes");

        rec.department = val("department");
        if (rec.department.empty() && !rec.industry.empty()) {
            if (const Industry* ind = industries.match(rec.industry))
                rec.department = ind->department;
            else
                problem(header("industry"), "unknown_industry", false,
                        "行业“" + rec.industry + "”不在行业表中，未能确定责任部门");
        }

        auto unrecognised = [&](const char* code, const std::string& value, const char* treated_as) {
            problem(header(code), "unrecognised_value", false,
                    header(code) + "的值“" + value + "”无法识别，按" + treated_as + "处理");
        };
        for (Permit p : kAllPermits) {
            const std::string v = val(permit_code(p));
            if (v.empty()) continue;
            const YesNo yn = parse_yes_no(v);
            if (yn == YesNo::yes || yn == YesNo::no)
                rec.permits[p] = yn == YesNo::yes;
            else if (yn == YesNo::not_understood)
                unrecognised(permit_code(p), v, "未记录");
        }
        if (const std::string v = val("solid_waste_ledger"); !v.empty()) {
            const YesNo yn = parse_yes_no(v);
            if (yn == YesNo::yes || yn == YesNo::no)
                rec.solid_waste_ledger = yn == YesNo::yes;
            else if (yn == YesNo::not_understood)
                unrecognised("solid_waste_ledger", v, "未记录");
        }
        for (auto [code, target] : {std::pair{"wastewater", &rec.wastewater}, std::pair{"waste_gas", &rec.waste_gas},
                                    std::pair{"solid_waste", &rec.solid_waste}}) {
            const std::string v = val(code);
            if (v.empty()) continue;
            if (auto e = parse_emission_text(v))
                *target = *e;
            else
                unrecognised(code, v, "未知");
        }

        // Coordinates: the row's 坐标来源, else the caller's hint, else automatic.
        CoordHint want = options.coords;
        if (const std::string v = val("coord_source"); !v.empty()) {
            if (auto h = parse_coord_source_text(v)) {
                if (*h != CoordHint::automatic) want = *h;
            } else {
                problem(header("coord_source"), "unrecognised_value", false,
                        header("coord_source") + "的值“" + v + "”无法识别，按" +
                            (options.coords == CoordHint::automatic ? std::string("自动判断")
                                                                    : std::string("指定的坐标系")) +
                            "处理");
            }
        }
        CoordOutcome outcome;
        std::string coord_column;
        if (raw.has_point) {
            outcome = resolve_geometry(table, raw, want, ctx);
            rec.original_x = format_number(raw.gx);
            rec.original_y = format_number(raw.gy);
            coord_column = "几何";
        } else if (raw.other_geometry && pairs.empty()) {
            outcome.status = CoordOutcome::bad;
            outcome.message = "几何不是点，无法作为企业位置";
            coord_column = "几何";
        } else {
            // The first pair with anything in it; a later filled pair is tried when it fails.
            bool first = true;
            for (const auto& p : pairs) {
                const std::string& at = values[p.a];
                const std::string& bt = values[p.b];
                if (at.empty() && bt.empty()) continue;
                CoordOutcome o = resolve_texts(at, bt, want, ctx, headers[p.a], headers[p.b]);
                if (first) {
                    outcome = o;
                    coord_column = p.label;
                    rec.original_x = at;
                    rec.original_y = bt;
                    first = false;
                } else if (outcome.status != CoordOutcome::ok && o.status == CoordOutcome::ok) {
                    outcome = o;
                    coord_column = p.label;
                    rec.original_x = at;
                    rec.original_y = bt;
                }
                if (outcome.status == CoordOutcome::ok) break;
            }
            if (first) {
                std::vector<std::string> labels;
                for (const auto& p : pairs) labels.push_back(p.label);
                coord_column = join(labels, "、");
                outcome.status = CoordOutcome::missing;
                outcome.message = pairs.empty() ? "台账没有坐标列，该企业没有位置"
                                                : "缺少坐标（" + coord_column + "为空），该企业没有位置";
            }
        }
        switch (outcome.status) {
        case CoordOutcome::ok:
            rec.x = outcome.x;
            rec.y = outcome.y;
            rec.coord_source = outcome.source;
            if (outcome.swapped) problem(coord_column, "swapped_coordinates", false, outcome.message);
            if (!outcome.source_mismatch.empty())
                problem(coord_column, "coordinate_source_mismatch", false, outcome.source_mismatch);
            break;
        case CoordOutcome::missing:
            problem(coord_column, "missing_coordinates", false, outcome.message);
            break;
        case CoordOutcome::bad:
            problem(coord_column, "bad_coordinates", false, outcome.message + "，该企业没有位置");
            break;
        }

        for (std::size_t c = 0; c < headers.size(); ++c)
            if (column_code[c] == "extra" && !values[c].empty()) rec.extra.emplace_back(headers[c], values[c]);

        result.records.push_back(std::move(rec));
    }

    if (result.rows_read == 0) throw InputError("the ledger " + file.string() + " holds no data rows");
    progress.report(1.0, N_("解析台账"));
    return result;
}

} // namespace qingling
