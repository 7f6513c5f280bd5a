// One enterprise of the ledger (台账) as the core passes it between the ledger parser, the
// project store and the exporters. Field names follow the plan; see docs/architecture.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qingling {

// Where a row's coordinates came from (坐标来源). The stored point is always in the project CRS.
enum class CoordSource { none, wgs84, cgcs2000, gcj02, bd09, gauss_kruger };
const char* coord_source_code(CoordSource s);           // "wgs84", "gcj02", ...
std::optional<CoordSource> parse_coord_source(const std::string& code);

// How one kind of discharge is handled (废水/废气/固废). Parsed from the ledger's Chinese words.
enum class Emission { unknown, none, treated, untreated, excess };
const char* emission_code(Emission e);                  // "none", "treated", ...
const char* emission_label_zh(Emission e);              // "无", "有治理设施", "未经处理直排", "超标排放"
std::optional<Emission> parse_emission_code(const std::string& code);

// Permits (证照) the plan names. The order is the column order in the store and exports.
enum class Permit { business_license, fagai, land, planning, eia, safety, discharge, food };
inline constexpr Permit kAllPermits[] = {Permit::business_license, Permit::fagai, Permit::land,
                                         Permit::planning, Permit::eia, Permit::safety,
                                         Permit::discharge, Permit::food};
const char* permit_code(Permit p);                      // "permit_business_license", ...
const char* permit_label_zh(Permit p);                  // "营业执照", "发改立项", ...

struct LedgerRecord {
    long long id = 0;               // store id; 0 before it is stored
    long long source_row = 0;       // 1-based line/row number in the source file (header = 1)
    std::string name;               // 企业名称
    std::string credit_code;        // 统一社会信用代码
    std::string legal_person;       // 法定代表人/负责人
    std::string phone;              // 联系电话
    std::string address;            // 地址
    std::string village;            // 所属村(社区)
    std::string industry;           // 行业
    std::string department;         // 责任部门 (from the industry table, section 五 of the plan)
    std::string power_account;      // 电力户号
    std::map<Permit, std::optional<bool>> permits;   // absent or nullopt = not recorded
    Emission wastewater = Emission::unknown;         // 废水
    Emission waste_gas = Emission::unknown;          // 废气
    Emission solid_waste = Emission::unknown;        // 固废
    std::optional<bool> solid_waste_ledger;          // 固废台账
    CoordSource coord_source = CoordSource::none;
    std::string original_x;         // coordinate values exactly as written in the source
    std::string original_y;
    std::optional<double> x, y;     // point in the project CRS
    std::string notes;              // 备注
    std::vector<std::pair<std::string, std::string>> extra;  // unknown columns, header -> value
};

} // namespace qingling
