#include "app/panel_export.hpp"

#include "app/panels.hpp"
#include "app/screenshot.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace qingling::app {

namespace {

const PageFormat kPages[] = {PageFormat::a4_portrait, PageFormat::a4_landscape, PageFormat::a3_portrait,
                             PageFormat::a3_landscape};
const char* const kPageNames[] = {N_("A4 纵向"), N_("A4 横向"), N_("A3 纵向"), N_("A3 横向")};

void input_line(const char* id, std::string& value, float width) {
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer, "%s", value.c_str());
    ImGui::SetNextItemWidth(width);
    if (ImGui::InputText(id, buffer, sizeof buffer)) value = buffer;
}

// The output's default name: beside the project, named by the map.
std::string default_path(const ViewerState& state, MapPreset preset, bool png) {
    std::error_code ec;
    const std::filesystem::path project = std::filesystem::absolute(state.model->path, ec);
    const std::string stem = project.stem().string() + "_" + map_preset_label_zh(preset);
    return (project.parent_path() / (stem + (png ? ".png" : ".pdf"))).string();
}

} // namespace

MapExportOptions ExportPanel::current_options(const ViewerState& state) const {
    MapExportOptions o = state.export_dialog.options();
    if (state.model) {
        set_view_of_export(o, *state.model, state.camera, state.draw.layer_visible, state.draw.layer_order);
        o.as_of = state.dashboard.as_of;  // the timeline slider's date, as the map shows it
        if (o.out.empty()) o.out = default_path(state, o.preset, state.export_dialog.png);
    }
    return o;
}

bool ExportPanel::update(ViewerState& state, bool scripted) {
    ExportDialogState& d = state.export_dialog;
    bool changed = false;
    if (d.export_request && state.model && !export_job_.running()) {
        d.export_request = false;
        d.last_outcome.clear();
        export_job_.start(state.model->path, current_options(state), false);
        export_unreported_ = true;
    }
    if (std::optional<MapJobOutcome> outcome = export_job_.take_outcome()) {
        changed = true;
        export_unreported_ = false;
        d.last_outcome = outcome->summary;
        if (!outcome->error.empty()) state.error = outcome->error;
        finished_export_ = std::move(outcome);
    }
    if (std::optional<MapJobOutcome> outcome = preview_job_.take_outcome()) {
        changed = true;
        if (!outcome->error.empty()) {
            state.error = outcome->error;
            texture_key_ = outcome->key;  // not again until the options change
        } else if (outcome->ok) {
            const auto& img = outcome->image;
            if (!texture_) texture_ = make_texture();
            glBindTexture(GL_TEXTURE_2D, texture_.get());
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
            glBindTexture(GL_TEXTURE_2D, 0);
            texture_width_ = img.width;
            texture_height_ = img.height;
            texture_key_ = outcome->key;
            texture_dpi_ = outcome->dpi;
        } else {
            texture_key_.clear();
        }
        asked_key_.clear();
    }
    // The preview follows the options and the view; one at a time, the latest wish next.
    if (d.open && d.preview_on && state.model && state.camera_ready) {
        MapExportOptions o = current_options(state);
        o.dpi = preview_dpi(page_size(o.page), room_width_, room_height_);
        const std::string key = preview_key(o);
        if (key != texture_key_ && !preview_job_.running() && key != asked_key_) {
            asked_key_ = key;
            preview_job_.start(state.model->path, o, true);
        }
    }
    if (!d.preview_save.empty() && texture_ && !preview_job_.running() && asked_key_.empty()) {
        std::string message;
        if (!write_texture_png(d.preview_save, texture_.get(), texture_width_, texture_height_, message))
            state.error = message;
        else if (scripted)
            std::cout << "版面预览 " << texture_width_ << "x" << texture_height_ << " 像素 (" << texture_dpi_
                      << " dpi): " << d.preview_save << '\n'
                      << std::flush;
        d.preview_save.clear();
    }
    return changed;
}

bool ExportPanel::busy(const ViewerState& state) const {
    const ExportDialogState& d = state.export_dialog;
    if (export_job_.running() || d.export_request || export_unreported_ || preview_job_.running()) return true;
    // A preview the script waits for (to save it) must be there and current.
    if (!d.preview_save.empty() && d.open && d.preview_on && state.model) {
        MapExportOptions o = current_options(state);
        o.dpi = preview_dpi(page_size(o.page), room_width_, room_height_);
        return preview_key(o) != texture_key_;
    }
    return false;
}

std::optional<MapJobOutcome> ExportPanel::take_finished_export() {
    std::optional<MapJobOutcome> out = std::move(finished_export_);
    finished_export_.reset();
    return out;
}

void ExportPanel::draw(ViewerState& state, bool scripted) {
    ExportDialogState& d = state.export_dialog;
    if (!d.open || !state.model) return;
    const PixelRect& map = state.layout.map;
    const float width = std::min(map.width() - 20.0f, 620.0f);
    ImGui::SetNextWindowPos(ImVec2(map.x1 - width - 10, map.y0 + 10), ImGuiCond_Appearing);
    ImGui::SetNextWindowSize(ImVec2(width, std::min(map.height() - 20.0f, 640.0f)), ImGuiCond_Appearing);
    const std::string title = std::string(_("导出当前视图")) + "###export_view";
    if (!ImGui::Begin(title.c_str(), &d.open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    const float field = 150;
    std::string preset_names[4];
    const char* presets[4];
    for (int i = 0; i < 4; ++i) preset_names[i] = tr(map_preset_label_zh(static_cast<MapPreset>(i)));
    for (int i = 0; i < 4; ++i) presets[i] = preset_names[i].c_str();
    ImGui::SetNextItemWidth(field);
    ImGui::Combo(_("专题"), &d.preset, presets, 4);
    ImGui::SameLine();
    const char* pages[4];
    std::string page_names[4];
    for (int i = 0; i < 4; ++i) page_names[i] = tr(kPageNames[i]);
    for (int i = 0; i < 4; ++i) pages[i] = page_names[i].c_str();
    ImGui::SetNextItemWidth(field);
    ImGui::Combo(_("纸张"), &d.page, pages, 4);
    int format = d.png ? 1 : 0;
    ImGui::RadioButton("PDF", &format, 0);
    ImGui::SameLine();
    ImGui::RadioButton("PNG", &format, 1);
    if ((format == 1) != d.png) {
        d.png = format == 1;
        if (!d.path.empty()) d.path = std::filesystem::path(d.path).replace_extension(d.png ? ".png" : ".pdf").string();
    }
    if (d.png) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(field);
        ImGui::InputInt(_("分辨率 (dpi)"), &d.dpi, 50, 100);
        d.dpi = std::clamp(d.dpi, 20, 1200);
    }
    input_line(_("标题"), d.title, width - 110);
    input_line(_("副标题"), d.subtitle, width - 110);
    // The default name follows the preset until the user types another.
    bool default_name = d.path.empty();
    for (int p = 0; p < 4; ++p)
        default_name = default_name || d.path == default_path(state, static_cast<MapPreset>(p), d.png);
    if (default_name) d.path = default_path(state, static_cast<MapPreset>(d.preset), d.png);
    input_line(_("输出文件"), d.path, width - 110);
    text_disabled_wrapped(_("范围为地图当前视图，图层为当前显示的图层；标题留空时按专题自动生成。"));
    ImGui::Checkbox(_("版面预览"), &d.preview_on);
    ImGui::SameLine();
    ImGui::BeginDisabled(export_job_.running());
    if (ImGui::Button(_("导出"))) d.export_request = true;
    ImGui::EndDisabled();
    if (export_job_.running()) {
        ImGui::SameLine();
        ImGui::ProgressBar(static_cast<float>(export_job_.fraction()), ImVec2(160, 0));
        ImGui::SameLine();
        if (!scripted && ImGui::Button(_("取消"))) export_job_.cancel();
    } else if (!d.last_outcome.empty()) {
        text_disabled_wrapped(d.last_outcome.c_str());
    }
    // The preview at one image pixel per framebuffer pixel.
    const float fb_scale = ImGui::GetIO().DisplayFramebufferScale.x > 0 ? ImGui::GetIO().DisplayFramebufferScale.x : 1.0f;
    const ImVec2 room = ImGui::GetContentRegionAvail();
    room_width_ = std::max(50, static_cast<int>(room.x * fb_scale));
    room_height_ = std::max(50, static_cast<int>((room.y - 4) * fb_scale));
    if (d.preview_on) {
        if (texture_)
            ImGui::Image((ImTextureID)(intptr_t)texture_.get(),
                         ImVec2(texture_width_ / fb_scale, texture_height_ / fb_scale));
        if (preview_job_.running()) ImGui::TextDisabled(_("正在生成预览…"));
    }
    ImGui::End();
}

} // namespace qingling::app
