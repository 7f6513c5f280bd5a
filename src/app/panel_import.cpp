// The import dialogs (导入图层, 导入台账): a file picked by path or from a folder list (ImGui has no
// file dialog), the role, encoding and CRS choices, and core's preview of the file (detected
// encoding and CRS, the first rows' decoded text; for a ledger the parsed rows and the problems)
// before the import starts on the frame loop's worker thread.
#include "app/panels.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace qingling::app {

namespace fs = std::filesystem;

namespace {

const char* const kEncodings[] = {"auto", "GBK", "UTF-8", "GB18030", "Big5", "ISO-8859-1"};
// CoordHint in order, with what the dialog calls them.
const char* const kCoordNames[] = {N_("自动识别"), "WGS-84", "CGCS2000", N_("GCJ-02 (高德/腾讯)"), N_("BD-09 (百度)"),
                                   N_("高斯-克吕格平面坐标")};

bool has_extension(const fs::path& p, std::initializer_list<const char*> extensions) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : extensions)
        if (ext == e) return true;
    return false;
}

// Files the import can read (what GDAL opens as vector data, or a ledger sheet).
bool importable(const fs::path& p, ImportDialogState::Kind kind) {
    if (kind == ImportDialogState::Kind::ledger)
        return has_extension(p, {".xlsx", ".xls", ".ods", ".csv", ".txt", ".shp", ".gpkg", ".geojson", ".json"});
    return has_extension(p, {".shp", ".gpkg", ".geojson", ".json", ".csv", ".xlsx", ".kml", ".kmz", ".gml", ".zip",
                             ".tab", ".mif", ".dxf", ".osm", ".pbf", ".sqlite", ".fgb"});
}

std::vector<std::string> roles() {
    std::vector<std::string> out(std::begin(kKnownRoles), std::end(kKnownRoles));
    for (const std::string& r : builtin_style_roles())
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    return out;
}

void input_text(const char* id, std::string& value, float width) {
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, "%s", value.c_str());
    ImGui::SetNextItemWidth(width);
    if (ImGui::InputText(id, buffer, sizeof buffer)) value = buffer;
}

// The folder list: sub-folders first, then the files the import reads; a click on a file picks it.
// Returns true when a file was picked.
bool folder_list(ImportDialogState& d) {
    std::error_code ec;
    if (d.folder.empty()) d.folder = d.path.empty() ? fs::current_path(ec).string() : fs::path(d.path).parent_path().string();
    ImGui::TextDisabled(_("文件夹: %s"), d.folder.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton(_("上一级"))) d.folder = fs::path(d.folder).parent_path().string();
    std::vector<fs::directory_entry> folders, files;
    for (fs::directory_iterator it(d.folder, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().filename().string().rfind('.', 0) == 0) continue;
        if (it->is_directory(ec) && !has_extension(it->path(), {".gdb"})) folders.push_back(*it);
        else if (importable(it->path(), d.kind) || has_extension(it->path(), {".gdb"})) files.push_back(*it);
        if (folders.size() + files.size() > 2000) break;
    }
    auto by_name = [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); };
    std::sort(folders.begin(), folders.end(), by_name);
    std::sort(files.begin(), files.end(), by_name);
    bool picked = false;
    if (ImGui::BeginChild("folder", ImVec2(0, 150), true)) {
        if (ec) ImGui::TextDisabled(_("无法读取文件夹: %s"), ec.message().c_str());
        for (const auto& f : folders) {
            const std::string label = f.path().filename().string() + "/";
            if (ImGui::Selectable(label.c_str())) d.folder = f.path().string();
        }
        for (const auto& f : files) {
            const std::string label = f.path().filename().string();
            if (ImGui::Selectable(label.c_str(), d.path == f.path().string())) {
                d.path = f.path().string();
                picked = true;
            }
        }
        if (folders.empty() && files.empty() && !ec) ImGui::TextDisabled(_("(没有可导入的文件)"));
    }
    ImGui::EndChild();
    return picked;
}

void layer_preview(const LayerPreview& p) {
    ImGui::Text(trn("格式 %s · 图层 %s · %lld 个要素 · %s", "格式 %s · 图层 %s · %lld 个要素 · %s",
                    static_cast<unsigned long long>(std::max(0LL, p.feature_count))),
                p.driver.c_str(), p.source_layer.c_str(), p.feature_count,
                p.geometry_type.c_str());
    ImGui::Text(_("文字编码: %s (%s)"), p.encoding.c_str(), tr(p.encoding_how).c_str());
    ImGui::Text(_("坐标系: %s (%s)"), p.source_crs.c_str(), tr(p.crs_how).c_str());
    const int columns = std::min<int>(static_cast<int>(p.fields.size()), 63);
    if (columns == 0) return;
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
    if (ImGui::BeginTable("preview_rows", columns, flags, ImVec2(0, 200))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (int c = 0; c < columns; ++c) ImGui::TableSetupColumn(p.fields[static_cast<size_t>(c)].c_str());
        ImGui::TableHeadersRow();
        for (const auto& row : p.rows) {
            ImGui::TableNextRow();
            for (int c = 0; c < columns && c < static_cast<int>(row.size()); ++c) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(row[static_cast<size_t>(c)].c_str());
            }
        }
        ImGui::EndTable();
    }
}

void ledger_preview(const LedgerPreview& p) {
    const LedgerImportReport& r = p.report;
    ImGui::Text(_("文字编码: %s · 坐标列: %s"), r.encoding.c_str(), r.coordinate_columns.empty() ? _("无") : r.coordinate_columns.c_str());
    ImGui::Text(_("读取 %lld 行: 可导入 %lld 家 (有坐标 %lld), 不导入 %lld 行"), r.rows_read, r.imported, r.with_point, r.rejected);
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("preview_rows", 5, flags, ImVec2(0, 160))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(_("行"), ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn(_("企业名称"));
        ImGui::TableSetupColumn(_("统一社会信用代码"));
        ImGui::TableSetupColumn(_("村(社区)"));
        ImGui::TableSetupColumn(_("行业"));
        ImGui::TableHeadersRow();
        for (const LedgerRecord& row : p.first_rows) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%lld", row.source_row);
            for (const std::string* v : {&row.name, &row.credit_code, &row.village, &row.industry}) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v->c_str());
            }
        }
        ImGui::EndTable();
    }
    if (r.problems.empty()) return;
    ImGui::Text(trn("问题 %zu 项:", "问题 %zu 项:", r.problems.size()), r.problems.size());
    if (ImGui::BeginChild("problems", ImVec2(0, 110), true)) {
        for (const LedgerProblem& problem : r.problems) {
            const ImVec4 colour = problem.rejected ? ImVec4(0.8f, 0.1f, 0.1f, 1) : ImVec4(0.6f, 0.4f, 0.0f, 1);
            ImGui::PushStyleColor(ImGuiCol_Text, colour);
            if (problem.column.empty()) text_wrapped_cjkf(_("第 %lld 行: %s"), problem.row, problem.message.c_str());
            else text_wrapped_cjkf(_("第 %lld 行 [%s]: %s"), problem.row, problem.column.c_str(), problem.message.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndChild();
}

} // namespace

std::string ImportDialogState::choices() const {
    return std::to_string(static_cast<int>(kind)) + '\n' + path + '\n' + role + '\n' + encoding + '\n' + epsg + '\n' +
           std::to_string(coords) + '\n' + sheet;
}

ImportRequest ImportDialogState::request() const {
    ImportRequest r;
    if (kind == Kind::layer) {
        r.kind = ImportRequest::Kind::layer;
        r.layer.source = path;
        r.layer.role = role;
        r.layer.encoding = encoding;
        r.layer.crs = epsg.empty() ? std::string() : "EPSG:" + epsg;
    } else {
        r.kind = ImportRequest::Kind::ledger;
        r.ledger.file = path;
        r.ledger.encoding = encoding;
        r.ledger.coords = static_cast<CoordHint>(coords);
        r.ledger.sheet = sheet;
    }
    return r;
}

void draw_import_dialogs(ViewerState& state) {
    ImportDialogState& d = state.import_dialog;
    // "###import": one popup whatever its title says in the current language.
    const std::string title = std::string(d.kind == ImportDialogState::Kind::layer ? _("导入图层") : _("导入台账")) + "###import";
    if (d.open_request && state.model) {
        d.open_request = false;
        ImGui::OpenPopup(title.c_str());
    }
    const ImVec2 size(std::min(760.f, ImGui::GetIO().DisplaySize.x - 40), 0);
    ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x / 2, ImGui::GetIO().DisplaySize.y / 2), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    d.is_open = ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings);
    if (!d.is_open) {
        d.close_request = false;
        return;
    }
    if (d.close_request) {
        d.close_request = false;
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const bool layer = d.kind == ImportDialogState::Kind::layer;
    bool changed = false;
    // The light style draws text fields white on the white dialog: give them a border.
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);

    ImGui::TextUnformatted(_("文件:"));
    ImGui::SameLine();
    input_text("##import_path", d.path, -1);  // typed: previewed with the button
    if (folder_list(d)) changed = true;

    if (layer) {
        ImGui::TextUnformatted(_("图层角色:"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(260);
        const std::string current = d.role + "  " + tr(role_label_zh(d.role));
        if (ImGui::BeginCombo("##role", current.c_str())) {
            for (const std::string& r : roles()) {
                const std::string label = r + "  " + tr(role_label_zh(r));
                if (ImGui::Selectable(label.c_str(), d.role == r)) d.role = r;
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
    }
    ImGui::TextUnformatted(_("编码:"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    if (ImGui::BeginCombo("##encoding", d.encoding == "auto" ? _("自动识别") : d.encoding.c_str())) {
        for (const char* e : kEncodings)
            if (ImGui::Selectable(std::string(e) == "auto" ? _("自动识别") : e, d.encoding == e)) {
                d.encoding = e;
                changed = true;
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (layer) {
        ImGui::TextUnformatted(_("坐标系 EPSG:"));
        ImGui::SameLine();
        input_text("##epsg", d.epsg, 90);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", _("留空: 用文件声明的坐标系 (或由坐标推断)"));
    } else {
        ImGui::TextUnformatted(_("坐标:"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(200);
        if (ImGui::BeginCombo("##coords", tr(kCoordNames[d.coords]))) {
            for (int i = 0; i < static_cast<int>(std::size(kCoordNames)); ++i)
                if (ImGui::Selectable(tr(kCoordNames[i]), d.coords == i)) {
                    d.coords = i;
                    changed = true;
                }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::TextUnformatted(_("工作表:"));
        ImGui::SameLine();
        input_text("##sheet", d.sheet, 120);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", _("留空: 第一个工作表"));
    }
    // A picked file or another encoding is previewed at once; typed text on the button.
    if ((changed && !d.path.empty() && fs::is_regular_file(d.path)) || ImGui::Button(_("预览"))) {
        d.preview = preview_import(state.model->path, d.request());
        d.previewed = d.choices();
        state.font_request += d.preview.all_text();  // attribute values the atlas may lack
    }
    ImGui::Separator();

    const ImportPreview& p = d.preview;
    // The import takes the choices the preview was made with: after a change, preview again.
    const bool current = !p.file.empty() && d.previewed == d.choices();
    if (!p.file.empty() && !current) {
        ImGui::TextColored(ImVec4(0.7f, 0.4f, 0, 1), "%s", _("文件或选项已改变, 请重新预览"));
    }
    if (current && !p.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
        text_wrapped_cjk(p.error.c_str());
        ImGui::PopStyleColor();
    } else if (current && p.layer) {
        layer_preview(*p.layer);
    } else if (current && p.ledger) {
        ledger_preview(*p.ledger);
    } else {
        ImGui::TextDisabled("%s", _("选择文件后在此预览解码后的文字、编码和坐标系"));
    }
    ImGui::Separator();
    const bool ready = current && p.error.empty() && (p.layer || (p.ledger && p.ledger->report.imported > 0));
    ImGui::BeginDisabled(!ready || state.import_running);
    if (ImGui::Button(_("导入"))) {
        d.import_request = true;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(_("关闭"))) ImGui::CloseCurrentPopup();
    ImGui::PopStyleVar();
    ImGui::EndPopup();
}

} // namespace qingling::app
