#include "app/viewer.hpp"

#include "app/check_job.hpp"
#include "app/fonts.hpp"
#include "app/import_job.hpp"
#include "app/gl.hpp"
#include "app/map_query.hpp"
#include "app/basemap_loader.hpp"
#include "app/map_renderer.hpp"
#include "app/open_job.hpp"
#include "app/panels.hpp"
#include "app/panel_export.hpp"
#include "app/screenshot.hpp"
#include "app/view_dump.hpp"
#include "app/viewer_settings.hpp"
#include "app/viewer_state.hpp"
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/resources.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <ctime>
#include <csignal>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

namespace qingling::app {

namespace {

constexpr float kFontSize = 16.0f;
constexpr int kSettleFrames = 3;

// Ctrl-C or a TERM from the desktop session closes the window like its close button, so the
// window size and the project are still remembered.
volatile std::sig_atomic_t g_close_requested = 0;
void request_close(int) { g_close_requested = 1; }  // ImGui settles table and window sizes in the frames after a change

void glfw_error(int code, const char* description) {
    std::cerr << "qingling: GLFW error " << code << ": " << description << '\n';
}

void setup_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 0;
    style.WindowBorderSize = 1;
    style.FrameRounding = 2;
    style.ScrollbarRounding = 2;
    style.CellPadding = ImVec2(4, 2);
}

// CPU time of every thread of the process (the renderer's and llvmpipe's).
double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string step_place(const ScriptStep& step) {
    return step.line > 0 ? "script line " + std::to_string(step.line) + ": " : std::string();
}

// Makes a model read by read_project the state's; false with state.error set when it could not be read.
bool adopt_project(ViewerState& state, OpenOutcome&& opened) {
    if (!opened.model) {
        state.error = opened.error;
        return false;
    }
    MapModel& model = *opened.model;
    state.to_lonlat.reset();
    try {
        state.to_lonlat = make_transform(make_srs(model.settings.epsg), make_srs(kEpsgCgcs2000));
    } catch (const Error&) {
        // The status bar then shows project coordinates only.
    }
    if (model.geographic) state.camera.set_resolution_limits(1e-9, 1.0);
    else state.camera.set_resolution_limits(Camera::kMinResolution, Camera::kMaxResolution);
    state.model = std::move(model);
    state.grids.editor.open(opened.path);
    state.draw = MapDrawOptions{};
    state.camera_ready = false;
    state.dashboard = DashboardState{};  // the new project's own date
    state.sites = SitesPanelState{};     // 搬迁选址 shows the new project's sites when asked again
    state.symbols_stale = true;
    return true;
}

GlViewport to_gl_viewport(const PixelRect& r, float scale, int fb_height) {
    GlViewport v;
    v.x = static_cast<int>(std::lround(r.x0 * scale));
    v.width = static_cast<int>(std::lround(r.width() * scale));
    v.height = static_cast<int>(std::lround(r.height() * scale));
    v.y = fb_height - static_cast<int>(std::lround(r.y0 * scale)) - v.height;
    return v;
}

PixelRect scaled(const PixelRect& r, float s) { return {r.x0 * s, r.y0 * s, r.x1 * s, r.y1 * s}; }

void error_dialog(ViewerState& state) {
    const std::string title = std::string(_("错误")) + "###error";
    if (!state.error.empty() && !ImGui::IsPopupOpen(title.c_str())) ImGui::OpenPopup(title.c_str());
    // Wide enough for a path and a reason (the wrapped text takes the width the window has).
    ImGui::SetNextWindowSizeConstraints(ImVec2(480, 0), ImVec2(FLT_MAX, FLT_MAX));
    if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::PushTextWrapPos(460);
        text_wrapped_cjk(state.error.c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::Button(_("确定"))) {
            state.error.clear();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

// A running job (the check, an import): a progress bar and a cancel button, in a modal window.
template <class Job>
void job_progress_dialog(Job& job, const char* title_text, const char* id, bool scripted) {
    const std::string title = std::string(title_text) + "###" + id;
    if (!job.running()) {
        if (ImGui::IsPopupOpen(title.c_str())) {
            if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
                ImGui::CloseCurrentPopup();
                ImGui::EndPopup();
            }
        }
        return;
    }
    if (!ImGui::IsPopupOpen(title.c_str())) ImGui::OpenPopup(title.c_str());
    if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        const std::string stage = job.stage();
        // Core's stage names are marked N_ (a layer's name during an import stays as it is).
        ImGui::TextUnformatted(stage.empty() ? _("正在准备…") : tr(stage).c_str());
        ImGui::ProgressBar(static_cast<float>(job.fraction()), ImVec2(360, 0));
        if (!scripted && ImGui::Button(_("取消"))) job.cancel();
        ImGui::EndPopup();
    }
}

} // namespace

int run_viewer(const ViewerOptions& options) {
    const bool scripted = options.exit_after_script;
    ViewerState state;
    const LandClassStyler land_classes = LandClassStyler::load(layers_dir());
    std::string style_warning;
    const RoleStyles styles = RoleStyles::load_or_builtin(layers_dir() / "styles.toml", style_warning);
    if (!style_warning.empty()) {
        std::cerr << "qingling: warning: " << style_warning << '\n';
        // A file the user edited and broke deserves a dialog, a missing one only the warning.
        if (!scripted && std::filesystem::exists(layers_dir() / "styles.toml")) state.error = style_warning;
    }
    // Remembered between sessions (not in scripted runs): the window size and the last project.
    const std::optional<std::filesystem::path> settings_path = scripted ? std::nullopt : viewer_settings_path();
    const ViewerSettings remembered = settings_path ? load_viewer_settings(*settings_path) : ViewerSettings{};
    std::optional<std::filesystem::path> project = options.project;
    if (!project && settings_path && !remembered.last_project.empty() &&
        std::filesystem::exists(remembered.last_project))
        project = remembered.last_project;
    // The language: --lang, else the one chosen last, else Chinese.
    std::string language = !options.language.empty() ? options.language : remembered.language;
    auto apply_language = [&](const std::string& code) {
        UiLanguage wanted = UiLanguage::zh;
        parse_ui_language(code, wanted);
        std::string why;
        if (set_ui_language(wanted, &why)) {
            language = ui_language_code(wanted);
            return true;
        }
        std::cerr << "qingling: warning: " << why << '\n';
        return false;
    };
    apply_language(language);
    // A switch asked for while the window is open (status bar, script step): a failure shows the
    // error dialog and the UI keeps its language.
    auto switch_language = [&](const std::string& code) {
        if (!apply_language(code))
            state.error = std::string(_("未找到英文翻译 (")) + locale_dir().string() + ")";
    };
    const int window_width = settings_path && !options.size_given ? remembered.window_width : options.width;
    const int window_height = settings_path && !options.size_given ? remembered.window_height : options.height;

    double read_seconds = 0, upload_seconds = 0, bands_seconds = 0;  // opening: read, first view, every band
    std::chrono::steady_clock::time_point upload_start;
    if (project) {
        state.project_path_input = project->string();
        OpenOutcome opened = read_project(*project, land_classes, styles);
        read_seconds = opened.seconds;
        if (!adopt_project(state, std::move(opened)) && scripted) {
            std::cerr << "qingling: " << state.error << '\n';
            return static_cast<int>(ExitCode::project);
        }
    }
    // Steps naming what the project lacks fail before a window opens (the interactive viewer shows
    // the problem and skips the steps).
    bool options_ok = true;
    if (state.model) {
        for (const ScriptStep& step : options.script) {
            std::string problem;
            if (step.kind == ScriptStep::Kind::village && village_index(*state.model, step.text) < 0)
                problem = "the project has no village named " + step.text;
            if (step.kind == ScriptStep::Kind::select && state.model->enterprise_index(step.number) < 0)
                problem = "the ledger has no enterprise with id " + std::to_string(step.number);
            if ((step.kind == ScriptStep::Kind::layer || step.kind == ScriptStep::Kind::opacity) &&
                layer_index(*state.model, step.text) < 0 && basemap_index(*state.model, step.text) < 0)
                problem = "the project has no layer named " + step.text;
            if (step.kind == ScriptStep::Kind::sites && step.field == "show") {
                const int index = sites_enterprise_index(*state.model, step.text);
                if (index < 0) problem = "the ledger has no enterprise " + step.text;
                else if (state.model->enterprises[static_cast<size_t>(index)].mark != Mark::relocate)
                    problem = "enterprise " + step.text + " is not one to relocate (no 限期搬迁 confirmation or suggestion)";
            }
            if (!problem.empty()) {
                std::cerr << "qingling: " << step_place(step) << problem << '\n';
                if (scripted) return static_cast<int>(ExitCode::usage);
                state.error = problem;
                options_ok = false;
            }
        }
    }

    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::cerr << "qingling: cannot open a window (no display? headless: xvfb-run -a qingling ...)\n";
        return static_cast<int>(ExitCode::failure);
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // The map draws into its own framebuffers (MapImageCache), with their stencil; the window needs none.
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    if (scripted) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);

    std::string title = "清零 Qingling";
    if (state.model) title += " — " + state.model->settings.name;
    GLFWwindow* window = glfwCreateWindow(window_width, window_height, title.c_str(), nullptr, nullptr);
    if (!window) {
        std::cerr << "qingling: cannot create an OpenGL 3.3 core window\n";
        glfwTerminate();
        return static_cast<int>(ExitCode::failure);
    }
    glfwMakeContextCurrent(window);
    if (!scripted) {
        std::signal(SIGINT, request_close);
        std::signal(SIGTERM, request_close);
    }
    glfwSwapInterval(scripted ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; nothing to remember yet
    if (scripted) {
        ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
        state.input_enabled = false;
    }
    setup_style();
    std::string font_message;
    if (!build_fonts(state.model ? state.model->all_text() : std::string(), kFontSize, font_message))
        std::cerr << "qingling: warning: " << font_message << '\n';
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int exit_code = 0;
    std::string extra_font_text;         // glyphs added for what identify showed
    std::size_t next_step = options_ok ? 0 : options.script.size();  // the next step to run
    const ScriptStep* capture = nullptr; // a step that looks at this frame's picture
    std::optional<std::filesystem::path> dump_view;  // for the next screenshot
    int settled_frames = 0;              // frames drawn since the view last changed
    int highlight_selected = -2, highlight_identify = -1;
    LedgerFilter faded_for;              // the filter the enterprise symbols were last faded for
    bool refade = false;                 // the symbols were rebuilt: fade them again
    {
        CheckJob check_job;  // before the renderer: joined (cancelled) after the GL objects are gone
        OpenJob open_job([] { glfwPostEmptyEvent(); });  // project read: draw again
        ImportJob import_job;
        SitesJob sites_job;  // 搬迁选址
        ExportPanel export_panel;  // 导出当前视图: its jobs and the preview texture
        BasemapLoader basemap_loader([] { glfwPostEmptyEvent(); });  // imagery read: draw again
        std::vector<std::optional<BasemapView>> basemap_asked, basemap_shown;  // by basemap
        auto load_basemaps = [&] {
            std::vector<BasemapLoader::Source> sources;
            if (state.model)
                for (size_t i = 0; i < state.model->basemaps.size(); ++i)
                    sources.push_back({state.model->basemap_files[i], state.model->basemaps[i].crs});
            basemap_asked.assign(sources.size(), std::nullopt);
            basemap_shown.assign(sources.size(), std::nullopt);
            state.basemap_errors.assign(sources.size(), std::string());
            basemap_loader.set_sources(std::move(sources), state.model ? state.model->settings.epsg : 0);
        };
        load_basemaps();
        std::optional<MapRenderer> renderer;
        try {
            renderer.emplace([] { glfwPostEmptyEvent(); });  // triangles or bands ready: draw again
            if (options.first_view_min_vertices) renderer->set_first_view_min_vertices(*options.first_view_min_vertices);
            upload_start = std::chrono::steady_clock::now();
            if (state.model) renderer->upload(*state.model);
            glFinish();
            upload_seconds = seconds_since(upload_start);
        } catch (const std::exception& e) {
            std::cerr << "qingling: " << e.what() << '\n';
            exit_code = static_cast<int>(ExitCode::failure);
        }

        for (int frame = 1; renderer && !glfwWindowShouldClose(window); ++frame) {
            if (g_close_requested) glfwSetWindowShouldClose(window, GLFW_TRUE);
            if (scripted || frame < 4) glfwPollEvents();
            else glfwWaitEventsTimeout(check_job.running() || import_job.running() ? 0.1 : 0.5);  // the progress bar moves
            if (!state.language_request.empty()) {
                switch_language(state.language_request);
                state.language_request.clear();
                settled_frames = 0;
            }

            // The check button: the check runs on a worker thread; its result recolours the map.
            if (state.check_request && state.model && !check_job.running()) {
                state.check_request = false;
                state.check_message.clear();
                check_job.start(state.model->path);
            }
            state.check_running = check_job.running();
            if (std::optional<CheckOutcome> outcome = check_job.take_outcome()) {
                settled_frames = 0;
                state.check_message = outcome->summary;
                if (!outcome->error.empty()) state.error = outcome->error;
                if (outcome->ok && state.model) {
                    try {
                        const ProjectStore store = ProjectStore::open(state.model->path, ProjectStore::Access::read_only);
                        apply_verdicts(*state.model, store);
                        state.symbols_stale = true;  // new marks, faded again by the filter
                        highlight_selected = -2;
                    } catch (const std::exception& e) {
                        state.error = std::string(_("读取检查结果失败: ")) + e.what();
                    }
                }
                if (scripted && !outcome->ok) {
                    std::cerr << "qingling: " << (outcome->error.empty() ? outcome->summary : outcome->error) << '\n';
                    exit_code = static_cast<int>(outcome->cancelled ? ExitCode::cancelled : ExitCode::failure);
                }
            }

            // The import dialog's button: the import runs on a worker thread; success reloads the map.
            if (state.import_dialog.import_request && state.model && !import_job.running() && !check_job.running()) {
                state.import_dialog.import_request = false;
                state.import_dialog.last_outcome.clear();
                state.import_dialog.close_request = true;
                import_job.start(state.model->path, state.import_dialog.request());
            }
            state.import_running = import_job.running();
            if (std::optional<ImportOutcome> outcome = import_job.take_outcome()) {
                settled_frames = 0;
                state.import_dialog.last_outcome = outcome->ok || outcome->cancelled ? outcome->summary : std::string();
                if (!outcome->error.empty()) state.error = outcome->error;
                if (outcome->ok && state.model) state.open_request = state.model->path.string();
            }

            if (poll_sites_job(state, sites_job)) settled_frames = 0;

            // 打开项目 (and the reload after an import): read on a worker, adopted here.
            if (!state.open_request.empty() && !open_job.running()) {
                state.opening = state.open_request;
                open_job.start(state.open_request, land_classes, styles);
                state.open_request.clear();
            }
            if (std::optional<OpenOutcome> opened = open_job.take_outcome()) {
                state.opening.clear();
                settled_frames = 0;
                renderer->stop_building();  // they read the layers adopt_project replaces
                if (adopt_project(state, std::move(*opened))) {
                    build_fonts(state.model->all_text(), kFontSize, font_message);
                    rebuild_font_texture();
                    renderer->upload(*state.model);
                    load_basemaps();
                    refade = true;
                    extra_font_text.clear();
                    highlight_selected = -2;
                    glfwSetWindowTitle(window, ("清零 Qingling — " + state.model->settings.name).c_str());
                }
            }

            // 导出当前视图: the export and the layout preview on their worker threads.
            if (export_panel.update(state, scripted)) settled_frames = 0;
            if (std::optional<MapJobOutcome> done = export_panel.take_finished_export(); done && scripted) {
                if (done->ok) {
                    std::cout << done->summary << '\n' << std::flush;
                } else {
                    std::cerr << "qingling: " << (done->error.empty() ? done->summary : done->error) << '\n';
                    exit_code = static_cast<int>(done->cancelled ? ExitCode::cancelled : ExitCode::failure);
                }
            }

            // A grid edit was stored: the grid layers are read again and uploaded.
            if (state.model && state.grids.editor.take_reload()) {
                try {
                    renderer->stop_building();  // they read the layers reload_layers_of_role replaces
                    reload_layers_of_role(*state.model, "grid", land_classes, styles);
                    renderer->upload(*state.model);
                } catch (const std::exception& e) {
                    state.error = std::string(_("读取网格失败: ")) + e.what();
                }
                refade = true;
                highlight_selected = -2;
                settled_frames = 0;
            }

            if (!state.font_request.empty()) {
                if (!font_has_glyphs(state.font_request)) {
                    extra_font_text += state.font_request;
                    build_fonts((state.model ? state.model->all_text() : std::string()) + extra_font_text, kFontSize,
                                font_message);
                    rebuild_font_texture();
                }
                state.font_request.clear();
            }

            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            ImGui::NewFrame();
            const ImGuiIO& io = ImGui::GetIO();
            int fb_width = 0, fb_height = 0;
            glfwGetFramebufferSize(window, &fb_width, &fb_height);
            const float scale = io.DisplaySize.x > 0 ? static_cast<float>(fb_width) / io.DisplaySize.x : 1.0f;
            state.layout = compute_layout(io.DisplaySize.x, io.DisplaySize.y);

            // The selected enterprise's findings and the identified features, highlighted on the map.
            auto sync_highlight = [&] {
                if (!state.model || (state.selected() == highlight_selected && state.identify_serial == highlight_identify))
                    return;
                highlight_selected = state.selected();
                highlight_identify = state.identify_serial;
                state.highlights.clear();
                std::vector<FeatureRef> features;
                std::vector<std::pair<Vec2, Vec2>> lines;
                if (const EnterpriseItem* e = state.selected_item()) {
                    state.highlights = finding_highlights(*state.model, *e);
                    for (const FindingHighlight& h : state.highlights) {
                        features.push_back(h.feature);
                        if (h.has_line) lines.emplace_back(h.from, h.to);
                    }
                } else if (state.identified) {
                    // The patch and zones under the click; not the village and jurisdiction around them.
                    for (const IdentifiedFeature& f : state.identified->features)
                        if (f.role != "village" && f.role != "jurisdiction") features.push_back(f.ref);
                    if (features.empty())
                        for (const IdentifiedFeature& f : state.identified->features) features.push_back(f.ref);
                }
                renderer->set_highlight(*state.model, features, lines);
            };
            sync_highlight();
            // The symbols' theme and date (the timeline); the ledger filter fades the enterprises it
            // leaves out on the map.
            if (state.model) {
                if (state.dashboard.as_of.empty()) state.dashboard.as_of = default_campaign_date(state.model->campaign);
                if (state.symbols_stale || state.symbols.theme != state.theme || state.symbols.as_of != state.dashboard.as_of) {
                    state.symbols = enterprise_symbols(*state.model, state.theme, state.dashboard.as_of);
                    state.symbols_stale = false;
                    refade = true;
                }
            }
            if (state.model && (refade || !(state.ledger_filter == faded_for))) {
                refade = false;
                faded_for = state.ledger_filter;
                std::vector<char> shown(state.model->enterprises.size(), 0);
                for (int i : filtered_rows(*state.model, state.ledger_filter)) shown[static_cast<size_t>(i)] = 1;
                renderer->upload_enterprises(*state.model, state.symbols, faded_for.active() ? &shown : nullptr);
            }
            update_map_view(state, scale);
            // Raster basemaps: read the view on the loader's thread; show what has arrived.
            for (BasemapLoader::Finished& done : basemap_loader.take_finished()) {
                if (done.basemap >= basemap_shown.size()) continue;
                basemap_shown[done.basemap] = done.view;
                if (!done.error.empty() && state.basemap_errors[done.basemap] != done.error)
                    std::cerr << "qingling: warning: basemap " << state.model->basemaps[done.basemap].name << ": " << done.error << '\n';
                state.basemap_errors[done.basemap] = done.error;
                if (done.error.empty()) renderer->set_basemap_image(done.basemap, done.image);
            }
            bool basemaps_pending = false;
            if (state.model && state.camera_ready) {
                const GlViewport vp = to_gl_viewport(state.layout.map, scale, fb_height);
                const BasemapView view{state.camera.visible_extent(), vp.width, vp.height};
                for (size_t i = 0; i < basemap_asked.size(); ++i) {
                    if (i < state.draw.basemap_visible.size() && !state.draw.basemap_visible[i]) continue;
                    if (!(basemap_asked[i] && *basemap_asked[i] == view)) {
                        basemap_loader.request(i, view);
                        basemap_asked[i] = view;
                    }
                    basemaps_pending = basemaps_pending || !(basemap_shown[i] && *basemap_shown[i] == view);
                }
            }
            // Scripted mode: run the steps that change the view, up to one that looks at the picture.
            const auto jobs_busy = [&] {
                return check_job.running() || state.check_request || import_job.running() ||
                       state.import_dialog.import_request || !state.open_request.empty() || open_job.busy() ||
                       export_panel.busy(state) ||
                       renderer->bands_pending();
            };
            // A script sees the finished map: big layers' bands first (draw() takes them over).
            if (scripted && renderer->bands_pending()) renderer->wait_for_bands();
            while (!capture && next_step < options.script.size() && (!state.model || state.camera_ready) && !jobs_busy()) {
                const ScriptStep& step = options.script[next_step];
                if (step.needs_settled_view()) {
                    // A screenshot shows the finished view: every tile in view triangulated (or
                    // too far out to be); a frames step waits for the worker itself.
                    if (step.kind == ScriptStep::Kind::screenshot && renderer->last_draw().tiles_pending > 0) {
                        renderer->wait_for_triangles();
                        renderer->redraw_last_strips();  // the screenshot shows the triangulated tiles
                        break;
                    }
                    if (step.kind == ScriptStep::Kind::screenshot && basemaps_pending) {
                        basemap_loader.wait_for_progress();
                        break;
                    }
                    if (settled_frames >= kSettleFrames) {
                        capture = &step;
                        ++next_step;
                    }
                    break;
                }
                ++next_step;
                settled_frames = 0;
                using K = ScriptStep::Kind;
                if (step.kind == K::dump_view) {
                    dump_view = step.text;
                    continue;
                }
                if (step.kind == K::check) {
                    state.check_request = true;  // started at the top of the next frame; the steps wait for it
                    continue;
                }
                if (step.kind == K::language) {
                    // At once: the next step's confirmation and this frame's panels are in the new language.
                    switch_language(step.text);
                    continue;
                }
                if (step.kind == K::timings) {
                    std::cout << "打开项目: 读取 " << read_seconds << " s, 上传显卡 " << upload_seconds << " s, 全部细节 "
                              << bands_seconds << " s\n" << std::flush;
                    continue;
                }
                if (!state.model) {
                    std::cerr << "qingling: " << step_place(step) << "no project is open\n";
                    exit_code = static_cast<int>(ExitCode::usage);
                    break;
                }
                if (step.kind == K::sites) {
                    std::string problem;
                    if (!run_sites_step(state, sites_job, step, problem)) {
                        std::cerr << "qingling: " << step_place(step) << problem << '\n';
                        exit_code = static_cast<int>(ExitCode::failure);
                        break;
                    }
                    continue;
                }
                if (step.kind == K::grid) {
                    std::string problem;
                    if (!run_grid_step(state, step, scale, problem)) {
                        std::cerr << "qingling: " << step_place(step) << problem << '\n';
                        exit_code = static_cast<int>(ExitCode::failure);
                        break;
                    }
                    continue;
                }
                MapModel& model = *state.model;
                fit_layer_options(state.draw, model);
                switch (step.kind) {
                case K::home: state.zoom_home(); break;
                case K::village:
                    state.zoom_to(model.villages[static_cast<size_t>(village_index(model, step.text))].extent);
                    break;
                case K::select: state.select(model.enterprise_index(step.number), true); break;
                case K::zoom: state.camera.zoom_at({state.camera.width() / 2.0, state.camera.height() / 2.0}, step.x); break;
                case K::center: state.camera.set_center({step.x, step.y}); break;
                case K::pan: state.camera.pan_pixels(step.x, step.y); break;
                case K::width: state.camera.set_resolution(step.x / std::max(1, state.camera.width())); break;
                case K::finding: {
                    sync_highlight();
                    const EnterpriseItem* e = state.selected_item();
                    bool found = false;
                    for (const FindingHighlight& h : state.highlights)
                        if (e && h.finding == step.number - 1 && !found) {
                            state.zoom_to(finding_extent(model, *e, h));
                            found = true;
                        }
                    if (!found)
                        std::cerr << "qingling: warning: " << step_place(step) << "no finding " << step.number
                                  << " with a feature on the map\n";
                    break;
                }
                case K::identify: {
                    const Vec2 w{step.x, step.y};
                    state.camera.set_center(w);
                    state.identify_at(w, 4.0 * scale);
                    break;
                }
                case K::dashboard:
                    state.dashboard.as_of = step.text;
                    state.dashboard.show_request = true;
                    break;
                case K::date: state.dashboard.as_of = step.text; break;
                case K::theme: parse_symbol_theme(step.text, state.theme); break;
                case K::filter: {
                    LedgerFilter& f = state.ledger_filter;
                    if (step.field == "clear") f = LedgerFilter{};
                    else if (step.field == "text") f.text = step.text;
                    else if (step.field == "village") f.village = step.text;
                    else if (step.field == "industry") f.industry = step.text;
                    else if (step.field == "category") {
                        f.mark = -1;
                        for (Mark m : kAllMarks)
                            if (step.text == mark_label_zh(m)) f.mark = static_cast<int>(m);
                        if (f.mark < 0) std::cerr << "qingling: warning: " << step_place(step) << "no category " << step.text << '\n';
                    } else if (step.field == "flag") {
                        f.flag = FlagFilter::any;
                        for (FlagFilter ff : {FlagFilter::san, FlagFilter::luan, FlagFilter::wu, FlagFilter::none})
                            if (step.text == flag_filter_label_zh(ff)) f.flag = ff;
                        if (f.flag == FlagFilter::any) std::cerr << "qingling: warning: " << step_place(step) << "no flag " << step.text << '\n';
                    }
                    break;
                }
                case K::preview_layer:
                case K::import_layer:
                case K::preview_ledger:
                case K::import_ledger: {
                    ImportDialogState& d = state.import_dialog;
                    const bool layer = step.kind == K::preview_layer || step.kind == K::import_layer;
                    d.kind = layer ? ImportDialogState::Kind::layer : ImportDialogState::Kind::ledger;
                    d.path = step.text;
                    d.folder.clear();
                    d.role = step.role;
                    d.encoding = step.encoding;
                    d.epsg = step.epsg;
                    d.coords = 0;  // automatic
                    d.sheet.clear();
                    d.preview = preview_import(model.path, d.request());
                    d.previewed = d.choices();
                    state.font_request += d.preview.all_text();
                    // Importing goes ahead even when the preview failed: the import's own error dialog is tested.
                    if (step.kind == K::import_layer || step.kind == K::import_ledger) d.import_request = true;
                    else d.open_request = true;
                    break;
                }
                case K::export_view: {
                    ExportDialogState& d = state.export_dialog;
                    if (!step.names[0].empty()) d.preset = static_cast<int>(*parse_map_preset(step.names[0]));
                    if (!step.names[1].empty()) d.page = static_cast<int>(*parse_page_format(step.names[1]));
                    d.path = step.text;
                    d.png = std::filesystem::path(step.text).extension() != ".pdf" &&
                            std::filesystem::path(step.text).extension() != ".PDF";
                    if (step.number > 0) d.dpi = static_cast<int>(step.number);
                    if (step.number < 0) d.dpi = static_cast<int>(export_panel.preview_dpi_used());
                    d.export_request = true;
                    break;
                }
                case K::layout_preview:
                    state.export_dialog.open = step.on;
                    state.export_dialog.preview_on = step.on;
                    state.export_dialog.preview_save = step.text;
                    break;
                case K::layer:
                    if (const int b = basemap_index(model, step.text); b >= 0 && layer_index(model, step.text) < 0)
                        state.draw.basemap_visible[static_cast<size_t>(b)] = step.on ? 1 : 0;
                    else
                        state.draw.layer_visible[static_cast<size_t>(layer_index(model, step.text))] = step.on ? 1 : 0;
                    break;
                case K::opacity:
                    if (const int b = basemap_index(model, step.text); b >= 0 && layer_index(model, step.text) < 0)
                        state.draw.basemap_opacity[static_cast<size_t>(b)] = static_cast<float>(step.x);
                    else
                        state.draw.layer_opacity[static_cast<size_t>(layer_index(model, step.text))] = static_cast<float>(step.x);
                    break;
                default: break;
                }
            }
            if (exit_code != 0) break;
            draw_layers_panel(state);
            draw_ledger_panel(state);
            draw_inspector_panel(state);
            draw_status_bar(state);
            draw_import_dialogs(state);
            draw_grid_panel(state, scale);
            draw_sites_panel(state, scale);
            export_panel.draw(state, scripted);
            error_dialog(state);
            job_progress_dialog(check_job, _("符合性检查"), "check", scripted);
            job_progress_dialog(import_job, _("导入"), "import_progress", scripted);
            sync_highlight();
            ImGui::Render();

            glViewport(0, 0, fb_width, fb_height);
            const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
            glClearColor(bg.x, bg.y, bg.z, 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
            if (state.model)
                renderer->draw(*state.model, state.camera, to_gl_viewport(state.layout.map, scale, fb_height), state.draw);
            if (bands_seconds == 0 && !renderer->bands_pending()) bands_seconds = seconds_since(upload_start);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

            if (capture && capture->kind == ScriptStep::Kind::frames && state.model) {
                // The map alone, as the benchmark compares it with other renderers: every draw waits
                // for the GPU (llvmpipe under Xvfb) to finish.
                const GlViewport vp = to_gl_viewport(state.layout.map, scale, fb_height);
                // A new view: the layers drawn whole every time (no image of the last frame), first
                // until the worker has triangulated the tiles in view (when it does: zoomed in).
                renderer->set_image_reuse(false);
                const auto first = std::chrono::steady_clock::now();
                for (;;) {
                    renderer->draw(*state.model, state.camera, vp, state.draw);
                    glFinish();
                    if (renderer->last_draw().tiles_pending == 0) break;
                    renderer->wait_for_triangles();
                }
                const double complete_ms = seconds_since(first) * 1000;
                // Wall time, and the process's CPU time (llvmpipe's threads included), which a busy
                // machine disturbs less; medians.
                struct Timed {
                    double ms, cpu_ms;
                };
                auto time_frames = [&](const std::function<void()>& before_each) {
                    std::vector<double> ms, cpu_ms;
                    for (long long i = 0; i < capture->number; ++i) {
                        before_each();
                        const auto start = std::chrono::steady_clock::now();
                        const double cpu_start = process_cpu_seconds();
                        renderer->draw(*state.model, state.camera, vp, state.draw);
                        glFinish();
                        ms.push_back(seconds_since(start) * 1000);
                        cpu_ms.push_back((process_cpu_seconds() - cpu_start) * 1000);
                    }
                    std::sort(ms.begin(), ms.end());
                    std::sort(cpu_ms.begin(), cpu_ms.end());
                    return std::pair{ms, cpu_ms};
                };
                const auto [ms, cpu_ms] = time_frames([] {});
                const DrawStats stats = renderer->last_draw();
                // The same view again (the image of the last frame copied), and a drag of 10 pixels a
                // frame to the left (the image shifted, the strip that came into view drawn).
                renderer->set_image_reuse(true);
                renderer->draw(*state.model, state.camera, vp, state.draw);
                const Timed same{time_frames([] {}).first[capture->number / 2], 0};
                const Camera before_pan = state.camera;
                const auto [pan_ms, pan_cpu_ms] = time_frames([&] { state.camera.pan_pixels(-10, 0); });
                state.camera = before_pan;
                const double width_m = state.camera.resolution() * vp.width * state.model->metres_per_unit;
                std::cout << "绘制 " << ms.size() << " 帧 (" << vp.width << "x" << vp.height << " 像素, 视野宽 "
                          << std::lround(width_m) << " m): 中位 " << ms[ms.size() / 2] << " ms, 最快 " << ms.front()
                          << " ms, 最慢 " << ms.back() << " ms, CPU 中位 " << cpu_ms[cpu_ms.size() / 2] << " ms; 三角形 " << stats.fill_triangles << ", 边线段 "
                          << stats.outline_segments << ", 图块 " << stats.tiles_drawn << " (已三角化 "
                          << stats.tiles_triangulated << "); 首次完整 " << complete_ms << " ms; 同一视图 " << same.ms
                          << " ms; 平移 10 像素 " << pan_ms[pan_ms.size() / 2] << " ms (CPU " << pan_cpu_ms[pan_cpu_ms.size() / 2]
                          << " ms)\n"
                          << std::flush;
                ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            }
            if (capture && capture->kind == ScriptStep::Kind::screenshot) {
                std::string message;
                const std::filesystem::path out = capture->text;
                if (fb_width != options.width || fb_height != options.height)
                    std::cerr << "qingling: warning: the window is " << fb_width << "x" << fb_height << ", not "
                              << options.width << "x" << options.height << '\n';
                if (!write_back_buffer_png(out, fb_width, fb_height, message)) {
                    std::cerr << "qingling: " << message << '\n';
                    exit_code = static_cast<int>(ExitCode::failure);
                } else if (dump_view && state.model) {
                    std::vector<LegendSwatch> legend = state.legend;
                    for (auto& s : legend) {
                        s.rect = scaled(s.rect, scale);
                        s.label_rect = scaled(s.label_rect, scale);
                    }
                    std::vector<PlacedLabel> labels = state.labels;
                    for (auto& l : labels) l.rect = scaled(l.rect, scale);
                    ViewDumpExtras extras;
                    extras.labels = &labels;
                    extras.layers_panel = scaled(state.legend_room, scale);
                    extras.highlights = &state.highlights;
                    extras.identified = state.identified ? &*state.identified : nullptr;
                    std::vector<long long> ledger_rows;
                    for (int i : filtered_rows(*state.model, state.ledger_filter))
                        ledger_rows.push_back(state.model->enterprises[static_cast<size_t>(i)].record.id);
                    extras.ledger_rows = &ledger_rows;
                    extras.dashboard = state.dashboard.summary ? &*state.dashboard.summary : nullptr;
                    const DrawStats& stats = renderer->last_draw();
                    const DrawCounts draw_counts{stats.tiles_drawn, stats.tiles_triangulated, stats.tiles_pending,
                                                 stats.image_shifted ? "shift" : "redraw", renderer->layers_with_later_bands()};
                    extras.draw = &draw_counts;
                    extras.symbols = &state.symbols;
                    extras.language = ui_language_code(ui_language());
                    extras.panel_titles = {_("图层与图例"), _("企业台账"), _("企业详情"), _("整治进度")};
                    extras.error_dialog = state.error;
                    if (state.grids.open) {
                        extras.grid_message = state.grids.editor.message();
                        if (const auto& v = state.grids.editor.validation())
                            for (const GridProblem& p : v->problems)
                                extras.grid_problems.emplace_back(grid_problem_line(p), p.detail_phrase.shown());
                    }
                    extras.import_preview = &state.import_dialog.preview;
                    extras.sites = state.sites.open ? &state.sites : nullptr;
                    std::ofstream dump(*dump_view, std::ios::binary);
                    dump << view_dump_json(*state.model, state.camera, fb_width, fb_height, scaled(state.layout.map, scale),
                                           legend, state.selected(), extras);
                    if (!dump) {
                        std::cerr << "qingling: cannot write " << dump_view->string() << '\n';
                        exit_code = static_cast<int>(ExitCode::failure);
                    }
                    dump_view.reset();
                }
            }
            capture = nullptr;
            ++settled_frames;
            if (scripted && (exit_code != 0 || (next_step >= options.script.size() && !jobs_busy())))
                break;
            glfwSwapBuffers(window);
        }
    }  // the renderer's GL objects go while the context is current

    if (settings_path) {
        ViewerSettings keep;
        glfwGetWindowSize(window, &keep.window_width, &keep.window_height);
        if (state.model) keep.last_project = std::filesystem::absolute(state.model->path).string();
        keep.language = ui_language_code(ui_language());
        if (!save_viewer_settings(*settings_path, keep))
            std::cerr << "qingling: warning: cannot remember the window in " << settings_path->string() << '\n';
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

} // namespace qingling::app
