#include "core/ledger_record.hpp"

#include "core/i18n.hpp"

namespace qingling {

const char* coord_source_code(CoordSource s) {
    switch (s) {
    case CoordSource::none: return "none";
    case CoordSource::wgs84: return "wgs84";
    case CoordSource::cgcs2000: return "cgcs2000";
    case CoordSource::gcj02: return "gcj02";
    case CoordSource::bd09: return "bd09";
    case CoordSource::gauss_kruger: return "gauss_kruger";
    }
    return "none";
}

std::optional<CoordSource> parse_coord_source(const std::string& code) {
    for (CoordSource s : {CoordSource::none, CoordSource::wgs84, CoordSource::cgcs2000, CoordSource::gcj02,
                          CoordSource::bd09, CoordSource::gauss_kruger})
        if (code == coord_source_code(s)) return s;
    return std::nullopt;
}

const char* emission_code(Emission e) {
    switch (e) {
    case Emission::unknown: return "unknown";
    case Emission::none: return "none";
    case Emission::treated: return "treated";
    case Emission::untreated: return "untreated";
    case Emission::excess: return "excess";
    }
    return "unknown";
}

const char* emission_label_zh(Emission e) {
    switch (e) {
    case Emission::unknown: return N_("未知");
    case Emission::none: return N_("无");
    case Emission::treated: return N_("有治理设施");
    case Emission::untreated: return N_("未经处理直排");
    case Emission::excess: return N_("超标排放");
    }
    return N_("未知");
}

std::optional<Emission> parse_emission_code(const std::string& code) {
    for (Emission e : {Emission::unknown, Emission::none, Emission::treated, Emission::untreated, Emission::excess})
        if (code == emission_code(e)) return e;
    return std::nullopt;
}

const char* permit_code(Permit p) {
    switch (p) {
    case Permit::business_license: return "permit_business_license";
    case Permit::fagai: return "permit_fagai";
    case Permit::land: return "permit_land";
    case Permit::planning: return "permit_planning";
    case Permit::eia: return "permit_eia";
    case Permit::safety: return "permit_safety";
    case Permit::discharge: return "permit_discharge";
    case Permit::food: return "permit_food";
    }
    return "permit_unknown";
}

const char* permit_label_zh(Permit p) {
    switch (p) {
    case Permit::business_license: return N_("营业执照");
    case Permit::fagai: return N_("发改立项");
    case Permit::land: return N_("用地手续");
    case Permit::planning: return N_("规划许可");
    case Permit::eia: return N_("环评手续");
    case Permit::safety: return N_("安全生产许可");
    case Permit::discharge: return N_("排污许可");
    case Permit::food: return N_("食品生产许可");
    }
    return "";
}

} // namespace qingling
