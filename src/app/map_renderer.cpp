#include "app/map_renderer.hpp"

#include "app/embedded_shaders.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <tuple>

namespace qingling::app {

namespace {

void set_colour(GLint location, Rgba c) { glUniform4f(location, c.r / 255.f, c.g / 255.f, c.b / 255.f, c.a / 255.f); }

} // namespace

MapRenderer::MapRenderer(std::function<void()> wake)
    : fill_program_(build_program("polygon_fill", shaders::polygon_fill_vert, shaders::polygon_fill_frag)),
      hatched_fill_program_(build_program("polygon_fill", shaders::polygon_fill_vert, shaders::polygon_fill_frag, {"HATCH"})),
      triangles_program_(build_program("fill_triangles", shaders::fill_triangles_vert, shaders::polygon_fill_frag)),
      hatched_triangles_program_(
          build_program("fill_triangles", shaders::fill_triangles_vert, shaders::polygon_fill_frag, {"HATCH"})),
      edged_triangles_program_(
          build_program("fill_triangles", shaders::fill_triangles_vert, shaders::polygon_fill_frag, {"EDGES"})),
      outline_program_(build_program("outline", shaders::outline_vert, shaders::outline_frag)),
      point_program_(build_program("point_symbol", shaders::point_symbol_vert, shaders::point_symbol_frag)),
      raster_program_(build_program("raster", shaders::raster_vert, shaders::raster_frag)),
      wake_(std::move(wake)),
      triangulator_(std::make_unique<TileTriangulator>(wake_)) {}

MapRenderer::~MapRenderer() { stop_building(); }

void MapRenderer::stop_building() {
    cancel_builds_->store(true);
    for (BandBuild& build : band_builds_)
        if (build.result.valid()) build.result.wait();
    band_builds_.clear();
    cancel_builds_ = std::make_shared<std::atomic<bool>>(false);
}

void MapRenderer::wait_for_bands() {
    for (BandBuild& build : band_builds_)
        if (build.result.valid()) {
            build.result.wait();
            return;
        }
}

void MapRenderer::start_band_build(std::uint32_t layer_index, const MapLayer& layer) {
    BandBuild& build = band_builds_.emplace_back();
    build.layer = layer_index;
    build.result = std::async(std::launch::async, [&layer, origin = origin_, cancel = cancel_builds_, wake = wake_] {
        FillPyramid pyramid = build_fill_pyramid(layer, origin, true, cancel.get());
        if (wake) wake();
        return pyramid;
    });
}

MapRenderer::GpuFillLevel MapRenderer::upload_fill_level(const FillLevel& level) {
    GpuFillLevel gl_level;
    gl_level.ranges = level.ranges;
    gl_level.vao = make_vertex_array();
    gl_level.vertices = make_buffer();
    glBindVertexArray(gl_level.vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, gl_level.vertices.get());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(level.vertices.size() * sizeof(Float2)),
                 level.vertices.empty() ? nullptr : level.vertices.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Float2), nullptr);
    gl_level.indices = make_buffer();
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl_level.indices.get());
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(level.indices.size() * sizeof(std::uint32_t)),
                 level.indices.empty() ? nullptr : level.indices.data(), GL_STATIC_DRAW);
    glBindVertexArray(0);
    return gl_level;
}

void MapRenderer::adopt_bands() {
    for (auto it = band_builds_.begin(); it != band_builds_.end();) {
        BandBuild& build = *it;
        if (build.result.valid()) {
            if (build.result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
                ++it;
                continue;
            }
            build.built = build.result.get();
        }
        if (build.layer >= layers_.size() || build.built.levels.empty()) {
            it = band_builds_.erase(it);
            continue;
        }
        // Levels for up to 30 ms a frame: the exact level of a big layer is a few hundred MB to copy.
        const auto start = std::chrono::steady_clock::now();
        for (int sent_now = 0; build.uploaded.size() < build.built.levels.size() &&
                               (sent_now == 0 || std::chrono::steady_clock::now() - start < std::chrono::milliseconds(30));
             ++sent_now) {
            build.uploaded.push_back(upload_fill_level(build.built.levels[build.uploaded.size()]));
            FillLevel& sent = build.built.levels[build.uploaded.size() - 1];
            sent.vertices = {};  // on the GPU now; grid and chain are still needed
            sent.indices = {};
        }
        if (build.uploaded.size() < build.built.levels.size()) {
            if (wake_) wake_();  // the next levels in the next frame
            ++it;
            continue;
        }
        GpuLayer& gpu = layers_[build.layer];
        gpu.band_grids.clear();
        gpu.band_chains.clear();
        for (const FillLevel& level : build.built.levels) {
            gpu.band_grids.push_back(level.grid);
            gpu.band_chains.push_back(level.snap_chain);
        }
        gpu.fill_levels = std::move(build.uploaded);
        gpu.significance = build.built.significance;
        const std::size_t bands = gpu.fill_levels.size();
        gpu.triangles.clear();
        gpu.triangles.resize(bands);
        gpu.asked.assign(bands, {});
        gpu.refused.assign(bands, {});
        gpu.hairlines = gpu.hairlines_wanted;
        gpu.first_view_only = false;
        image_.invalidate();  // the finer bands look (a little) different
        ++later_bands_;
        it = band_builds_.erase(it);
    }
}

void MapRenderer::set_basemap_image(std::size_t basemap, const BasemapImage& image) {
    image_.invalidate();
    if (basemaps_.size() <= basemap) basemaps_.resize(basemap + 1);
    GpuBasemap& b = basemaps_[basemap];
    if (!b.texture) b.texture = make_texture();
    glBindTexture(GL_TEXTURE_2D, b.texture.get());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
    // One texel per screen pixel when it arrives; linear while it is scaled by a zoom in progress.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindTexture(GL_TEXTURE_2D, 0);
    // The image's rows run from the top (maxy) down.
    const float x0 = static_cast<float>(image.minx - origin_.x), x1 = static_cast<float>(image.maxx - origin_.x);
    const float y0 = static_cast<float>(image.miny - origin_.y), y1 = static_cast<float>(image.maxy - origin_.y);
    const float quad[] = {x0, y0, 0, 1, x1, y0, 1, 1, x1, y1, 1, 0, x0, y1, 0, 0};
    if (!b.vao) b.vao = make_vertex_array();
    if (!b.quad) b.quad = make_buffer();
    glBindVertexArray(b.vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, b.quad.get());
    glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), reinterpret_cast<void*>(2 * sizeof(float)));
    glBindVertexArray(0);
}

void MapRenderer::fill_instance_buffer(GlVertexArray& vao, GlBuffer& buffer, const std::vector<Instance>& instances) {
    if (!vao) vao = make_vertex_array();
    if (!buffer) buffer = make_buffer();
    glBindVertexArray(vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, buffer.get());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(instances.size() * sizeof(Instance)),
                 instances.empty() ? nullptr : instances.data(), GL_STATIC_DRAW);
    point_attributes(0);
    glBindVertexArray(0);
}

void MapRenderer::point_attributes(GLint first_instance) {
    // GL 3.3 has no base instance: a run of instances starts by offsetting the attribute pointers.
    const auto base = static_cast<std::uintptr_t>(first_instance) * sizeof(Instance);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Instance),
                          reinterpret_cast<void*>(base + offsetof(Instance, x)));
    glVertexAttribDivisor(0, 1);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Instance),
                          reinterpret_cast<void*>(base + offsetof(Instance, r)));
    glVertexAttribDivisor(1, 1);
}

void MapRenderer::upload(const MapModel& model) {
    stop_building();
    image_.invalidate();
    later_bands_ = 0;
    // What was built for layers of the same load (same origin: the vertices are relative to it).
    std::unordered_map<std::uint64_t, GpuLayer> kept;
    if (model.origin.x == origin_.x && model.origin.y == origin_.y)
        for (GpuLayer& gpu : layers_)
            if (gpu.load_serial != 0) kept.emplace(gpu.load_serial, std::move(gpu));
    origin_ = model.origin;
    basemaps_.clear();
    triangulator_->reset();
    triangle_bytes_ = 0;
    wanted_.clear();
    layers_.clear();
    layers_.resize(model.layers.size());
    highlight_segment_count_ = distance_segment_count_ = highlight_point_count_ = 0;
    auto rel = [&](const Vec2& v) { return Float2{static_cast<float>(v.x - origin_.x), static_cast<float>(v.y - origin_.y)}; };
    for (size_t li = 0; li < model.layers.size(); ++li) {
        const MapLayer& layer = model.layers[li];
        const FlatGeometry& g = layer.geometry;
        GpuLayer& gpu = layers_[li];
        if (auto old = kept.find(layer.load_serial); old != kept.end()) {
            gpu = std::move(old->second);
            // The worker's queue was emptied: only tiles already triangulated (or refused) count as asked.
            for (std::size_t b = 0; b < gpu.asked.size(); ++b) {
                gpu.asked[b] = gpu.refused[b];
                for (const auto& [tile, t] : gpu.triangles[b]) {
                    gpu.asked[b].insert(tile);
                    triangle_bytes_ += t.bytes;
                }
            }
            if (gpu.first_view_only) start_band_build(static_cast<std::uint32_t>(li), layer);
            continue;
        }
        gpu.load_serial = layer.load_serial;

        const bool fill = layer.has_polygons() && layer.style.filled();
        const bool outline = (layer.has_polygons() || !g.lines.empty()) && layer.style.outline_px > 0;
        // Hairline outlines (at most kHairlinePx) are GL lines over the fill's band;
        // wider ones instanced quads of their width.
        const bool hairlines = outline && layer.has_polygons() && layer.style.outline_px <= kHairlinePx;
        FillPyramid pyramid;
        if (fill && g.vertices.size() >= first_view_min_vertices_) {
            // The band of a view of the whole layer about 1,500 pixels wide.
            const double first_view = std::max(layer.extent.width(), layer.extent.height()) / 1500.0;
            pyramid = build_first_view_level(layer, origin_, first_view);
            gpu.first_view_only = true;
            start_band_build(static_cast<std::uint32_t>(li), layer);
        } else if (layer.has_polygons() && (fill || outline)) {
            pyramid = build_fill_pyramid(layer, origin_, fill);
        }
        gpu.tile_extents = pyramid.tile_extents;
        gpu.has_fill = fill;
        if (fill) {
            gpu.tile_features = pyramid.tile_features;
            gpu.significance = pyramid.significance;
            for (const FillLevel& level : pyramid.levels) gpu.band_chains.push_back(level.snap_chain);
            gpu.triangles.resize(pyramid.levels.size());
            gpu.asked.resize(pyramid.levels.size());
            gpu.refused.resize(pyramid.levels.size());
        }

        for (const FillLevel& level : pyramid.levels) {
            gpu.fill_levels.push_back(upload_fill_level(level));
            gpu.band_grids.push_back(level.grid);
        }
        // Hairlines wait for the bands: not from the first view's band.
        gpu.hairlines_wanted = hairlines && !gpu.fill_levels.empty();
        gpu.hairlines = gpu.hairlines_wanted && !gpu.first_view_only;
        if (fill) {
            // The cover quad of each class spans the extent of its features.
            std::vector<Extent> class_extents(layer.classes.size());
            for (const MapFeature& f : layer.features) class_extents[static_cast<size_t>(f.style_class)].add(f.extent);
            std::vector<Float2> quads;
            for (size_t c = 0; c < layer.classes.size(); ++c) {
                Extent e = class_extents[c];
                if (e.empty()) e.add(origin_.x, origin_.y);
                quads.insert(quads.end(), {rel({e.minx, e.miny}), rel({e.maxx, e.miny}), rel({e.maxx, e.maxy}), rel({e.minx, e.maxy})});
                const Rgba colour = layer.style.hatch != Hatch::none ? layer.style.hatch_colour
                                    : layer.style.fill_by_land_class     ? layer.classes[c].fill
                                                                         : layer.style.fill_colour;
                gpu.class_colours.push_back(colour);
                gpu.opaque = gpu.opaque && colour.a == 255;
            }
            gpu.hatch = layer.style.hatch;
            gpu.hatch_spacing_px = layer.style.hatch_spacing_px;
            gpu.hatch_width_px = layer.style.hatch_width_px;
            if (gpu.hatch != Hatch::none) gpu.opaque = false;
            gpu.cover_vao = make_vertex_array();
            gpu.cover_vertices = make_buffer();
            glBindVertexArray(gpu.cover_vao.get());
            glBindBuffer(GL_ARRAY_BUFFER, gpu.cover_vertices.get());
            glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(quads.size() * sizeof(Float2)), quads.data(), GL_STATIC_DRAW);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Float2), nullptr);
            glBindVertexArray(0);
        }

        if (outline && !hairlines) {
            // Wide outlines: segments grouped by tile (then the lines), so only the tiles in view are drawn.
            std::vector<float> segments;
            auto add_run = [&](VertexRange run, bool closed) {
                const std::uint32_t n = run.count;
                const std::uint32_t count = closed ? n : n - 1;
                for (std::uint32_t i = 0; i < count; ++i) {
                    const Float2 a = rel(g.vertices[run.first + i]);
                    const Float2 b = rel(g.vertices[run.first + (i + 1) % n]);
                    segments.insert(segments.end(), {a.x, a.y, b.x, b.y});
                }
            };
            for (const auto& members : pyramid.tile_features) {
                IndexRange& range = gpu.tile_segments.emplace_back();
                range.first = static_cast<std::uint32_t>(segments.size() / 4);
                for (std::uint32_t fi : members) {
                    const MapFeature& f = layer.features[fi];
                    for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) add_run(g.rings[r], true);
                }
                range.count = static_cast<std::uint32_t>(segments.size() / 4) - range.first;
            }
            // Line features (roads, boundaries as lines) are few: one more range, drawn whenever visible.
            IndexRange& lines = gpu.tile_segments.emplace_back();
            lines.first = static_cast<std::uint32_t>(segments.size() / 4);
            for (const VertexRange& l : g.lines) add_run(l, false);
            lines.count = static_cast<std::uint32_t>(segments.size() / 4) - lines.first;
            gpu.outline_vao = make_vertex_array();
            gpu.outline_segments = make_buffer();
            glBindVertexArray(gpu.outline_vao.get());
            glBindBuffer(GL_ARRAY_BUFFER, gpu.outline_segments.get());
            glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(segments.size() * sizeof(float)),
                         segments.empty() ? nullptr : segments.data(), GL_STATIC_DRAW);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
            glVertexAttribDivisor(0, 1);
            glBindVertexArray(0);
        }
        if (outline && !layer.features.empty() && !layer.extent.empty())
            gpu.mean_feature_size = std::sqrt(layer.extent.width() * layer.extent.height() / static_cast<double>(layer.features.size()));

        if (layer.has_points()) {
            std::vector<Instance> instances;
            const Rgba c = layer.style.point_colour;
            for (const Vec2& p : g.points) {
                const Float2 f = rel(p);
                instances.push_back({f.x, f.y, c.r, c.g, c.b, c.a});
            }
            fill_instance_buffer(gpu.point_vao, gpu.point_instances, instances);
            gpu.point_count = static_cast<GLsizei>(instances.size());
        }
    }
    upload_enterprises(model, enterprise_symbols(model, SymbolTheme::category, ""));
}

void MapRenderer::upload_enterprises(const MapModel& model, const EnterpriseSymbols& symbols, const std::vector<char>* shown) {
    const std::size_t classes = symbols.classes.size();
    class_runs_.assign(classes, {});
    class_draw_order_ = symbols.draw_order;
    std::vector<Instance> instances;
    for (int c : symbols.draw_order) {
        InstanceRun& run = class_runs_[static_cast<std::size_t>(c)];
        run.first = static_cast<GLint>(instances.size());
        const Rgba colour = symbols.classes[static_cast<std::size_t>(c)].colour;
        // Faded ones first, so the ones the filter keeps are drawn over them.
        for (int pass = 0; pass < 2; ++pass)
            for (size_t i = 0; i < model.enterprises.size(); ++i) {
                const EnterpriseItem& e = model.enterprises[i];
                if (!e.has_point || symbols.class_of_enterprise(i) != c) continue;
                const bool faded = shown && i < shown->size() && !(*shown)[i];
                if (faded != (pass == 0)) continue;
                instances.push_back({static_cast<float>(e.position.x - origin_.x), static_cast<float>(e.position.y - origin_.y),
                                     colour.r, colour.g, colour.b, faded ? kFilteredOutAlpha : colour.a});
            }
        run.count = static_cast<GLsizei>(instances.size()) - run.first;
    }
    // The 散/乱/污 marks, by flag and by the symbol's class (hidden with it).
    std::vector<Instance> flags;
    for (int flag = 0; flag < 3; ++flag) {
        flag_runs_[flag].assign(classes, {});
        for (int c : symbols.draw_order) {
            InstanceRun& run = flag_runs_[flag][static_cast<std::size_t>(c)];
            run.first = static_cast<GLint>(flags.size());
            const Rgba colour = kFlagMarkColours[flag];
            for (size_t i = 0; i < model.enterprises.size(); ++i) {
                const EnterpriseItem& e = model.enterprises[i];
                if (!e.has_point || symbols.class_of_enterprise(i) != c || !e.verdict) continue;
                if (!(flag == 0 ? e.verdict->san : flag == 1 ? e.verdict->luan : e.verdict->wu)) continue;
                const bool faded = shown && i < shown->size() && !(*shown)[i];
                flags.push_back({static_cast<float>(e.position.x - origin_.x), static_cast<float>(e.position.y - origin_.y),
                                 colour.r, colour.g, colour.b, faded ? kFilteredOutAlpha : colour.a});
            }
            run.count = static_cast<GLsizei>(flags.size()) - run.first;
        }
    }
    fill_instance_buffer(flag_vao_, flag_instances_, flags);
    fill_instance_buffer(enterprise_vao_, enterprise_instances_, instances);
}

namespace {

void upload_segments(GlVertexArray& vao, GlBuffer& buffer, const std::vector<float>& segments) {
    if (!vao) vao = make_vertex_array();
    if (!buffer) buffer = make_buffer();
    glBindVertexArray(vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, buffer.get());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(segments.size() * sizeof(float)),
                 segments.empty() ? nullptr : segments.data(), GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    glVertexAttribDivisor(0, 1);
    glBindVertexArray(0);
}

} // namespace

void MapRenderer::set_highlight(const MapModel& model, const std::vector<FeatureRef>& features,
                                const std::vector<std::pair<Vec2, Vec2>>& lines) {
    auto rel = [&](const Vec2& v) { return Float2{static_cast<float>(v.x - origin_.x), static_cast<float>(v.y - origin_.y)}; };
    std::vector<float> segments;
    std::vector<Instance> points;
    const Rgba c = kHighlightColour;
    for (const FeatureRef& ref : features) {
        if (!ref.valid() || ref.layer >= static_cast<int>(model.layers.size())) continue;
        const MapLayer& layer = model.layers[static_cast<size_t>(ref.layer)];
        if (ref.feature >= static_cast<int>(layer.features.size())) continue;
        const MapFeature& f = layer.features[static_cast<size_t>(ref.feature)];
        const FlatGeometry& g = layer.geometry;
        auto add_run = [&](VertexRange run, bool closed) {
            const std::uint32_t n = run.count;
            if (n < 2) return;
            const std::uint32_t count = closed ? n : n - 1;
            for (std::uint32_t i = 0; i < count; ++i) {
                const Float2 a = rel(g.vertices[run.first + i]);
                const Float2 b = rel(g.vertices[run.first + (i + 1) % n]);
                segments.insert(segments.end(), {a.x, a.y, b.x, b.y});
            }
        };
        for (std::uint32_t r = f.rings.first; r < f.rings.first + f.rings.count; ++r) add_run(g.rings[r], true);
        for (std::uint32_t l = f.lines.first; l < f.lines.first + f.lines.count; ++l) add_run(g.lines[l], false);
        for (std::uint32_t p = f.points.first; p < f.points.first + f.points.count; ++p) {
            const Float2 q = rel(g.points[p]);
            points.push_back({q.x, q.y, c.r, c.g, c.b, c.a});
        }
    }
    upload_segments(highlight_vao_, highlight_segments_, segments);
    highlight_segment_count_ = static_cast<GLsizei>(segments.size() / 4);
    segments.clear();
    for (const auto& [a, b] : lines) {
        const Float2 p = rel(a), q = rel(b);
        segments.insert(segments.end(), {p.x, p.y, q.x, q.y});
    }
    upload_segments(distance_vao_, distance_segments_, segments);
    distance_segment_count_ = static_cast<GLsizei>(segments.size() / 4);
    fill_instance_buffer(highlight_point_vao_, highlight_points_, points);
    highlight_point_count_ = static_cast<GLsizei>(points.size());
}

void MapRenderer::draw_segments(GLuint vao, GLsizei count, Rgba colour, float width_px, const std::array<float, 9>& m,
                                const GlViewport& vp) {
    if (count <= 0) return;
    const GLuint p = outline_program_.get();
    set_common_uniforms(p, m, vp);
    set_colour(glGetUniformLocation(p, "u_colour"), colour);
    glUniform1f(glGetUniformLocation(p, "u_width_px"), width_px);
    glBindVertexArray(vao);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 6, count);
}

void MapRenderer::set_common_uniforms(GLuint program, const std::array<float, 9>& m, const GlViewport& vp) {
    glUseProgram(program);
    glUniformMatrix3fv(glGetUniformLocation(program, "u_world_to_clip"), 1, GL_FALSE, m.data());
    const GLint viewport = glGetUniformLocation(program, "u_viewport_px");
    if (viewport >= 0) glUniform2f(viewport, static_cast<float>(vp.width), static_cast<float>(vp.height));
}

void MapRenderer::set_hatch(GLuint program, Hatch hatch, float spacing_px, float width_px) const {
    glUniform1i(glGetUniformLocation(program, "u_hatch"), static_cast<int>(hatch));
    glUniform1f(glGetUniformLocation(program, "u_hatch_spacing"), spacing_px);
    glUniform1f(glGetUniformLocation(program, "u_hatch_width"), width_px);
    // Where the stripes start, as a phase of their period along x - y and x + y (taken in double:
    // the origin may be millions of pixels away when zoomed in).
    const double period = spacing_px * 1.41421356;
    float phase[2] = {0, 0};
    if (period > 0) {
        phase[0] = static_cast<float>(std::fmod(hatch_origin_px_.x - hatch_origin_px_.y, period));
        phase[1] = static_cast<float>(std::fmod(hatch_origin_px_.x + hatch_origin_px_.y, period));
    }
    glUniform2f(glGetUniformLocation(program, "u_hatch_phase"), phase[0], phase[1]);
}

void MapRenderer::draw_points(GLuint vao, GLuint buffer, GLsizei count, GLint first, float size_px, PointShape shape,
                              Rgba border, float border_px, const std::array<float, 9>& m, const GlViewport& vp,
                              const float offset_px[2]) {
    if (count <= 0) return;
    const GLuint p = point_program_.get();
    set_common_uniforms(p, m, vp);
    glUniform2f(glGetUniformLocation(p, "u_offset_px"), offset_px ? offset_px[0] : 0.0f, offset_px ? offset_px[1] : 0.0f);
    glUniform1f(glGetUniformLocation(p, "u_size_px"), size_px);
    glUniform1i(glGetUniformLocation(p, "u_shape"), static_cast<int>(shape));
    set_colour(glGetUniformLocation(p, "u_border_colour"), border);
    glUniform1f(glGetUniformLocation(p, "u_border_px"), border_px);
    glBindVertexArray(vao);
    glBindBuffer(GL_ARRAY_BUFFER, buffer);
    point_attributes(first);
    glDrawArraysInstanced(GL_TRIANGLES, 0, 6, count);
}

void fit_layer_options(MapDrawOptions& options, const MapModel& model) {
    const size_t n = model.layers.size();
    if (options.layer_visible.size() != n) {
        options.layer_visible.clear();
        for (const auto& l : model.layers) options.layer_visible.push_back(l.style.visible ? 1 : 0);
    }
    if (options.layer_opacity.size() != n) options.layer_opacity.assign(n, 1.0f);
    if (options.basemap_visible.size() != model.basemaps.size()) options.basemap_visible.assign(model.basemaps.size(), 1);
    if (options.basemap_opacity.size() != model.basemaps.size()) options.basemap_opacity.assign(model.basemaps.size(), 1.0f);
    if (options.layer_order.size() != n) {
        options.layer_order.clear();
        for (size_t i = 0; i < n; ++i) options.layer_order.push_back(static_cast<int>(i));
    }
}

void move_layer(MapDrawOptions& options, int layer, bool up) {
    auto& order = options.layer_order;
    for (size_t k = 0; k < order.size(); ++k) {
        if (order[k] != layer) continue;
        if (up && k + 1 < order.size()) std::swap(order[k], order[k + 1]);
        if (!up && k > 0) std::swap(order[k], order[k - 1]);
        return;
    }
}

int basemap_index(const MapModel& model, const std::string& name) {
    for (size_t i = 0; i < model.basemaps.size(); ++i)
        if (model.basemaps[i].name == name) return static_cast<int>(i);
    return -1;
}

int layer_index(const MapModel& model, const std::string& name) {
    for (size_t i = 0; i < model.layers.size(); ++i)
        if (model.layers[i].info.name == name) return static_cast<int>(i);
    return -1;
}

std::vector<std::uint32_t> MapRenderer::draw_fill(std::uint32_t layer_index, const MapLayer& layer, GpuLayer& gpu,
                                                  double resolution, const std::vector<std::uint32_t>& tiles, Rgba hairline,
                                                  float opacity, const std::array<float, 9>& m, const GlViewport& vp) {
    // The band whose grid is at most a pixel.
    const std::size_t band = band_for(gpu.band_grids, resolution);
    const GpuFillLevel& level = gpu.fill_levels[band];
    if (tiles.empty()) return {};
    stats_.tiles_drawn += tiles.size();

    // Zoomed in far enough, the tiles are triangulated once and drawn in one pass; the others (and
    // those still with the worker) by stencil-then-cover.
    std::size_t fan_indices = 0;
    for (const auto& by_tile : level.ranges)
        for (std::uint32_t t : tiles) fan_indices += by_tile[t].count;
    // Not the first view's band: its bands are replaced (with their triangle caches) when built.
    const bool triangulate = fan_indices <= kMaxTriangulatedFanIndices && !gpu.first_view_only;
    std::vector<std::uint32_t> stencilled, unlined;
    std::vector<const GpuTriangles*> ready;
    for (std::uint32_t t : tiles) {
        if (auto it = gpu.triangles[band].find(t); it != gpu.triangles[band].end()) {
            it->second.last_drawn = frame_;
            ready.push_back(&it->second);
            if (!it->second.edged) unlined.push_back(t);
            continue;
        }
        stencilled.push_back(t);
        unlined.push_back(t);
        if (!triangulate || gpu.refused[band].count(t)) continue;
        const TileKey key{layer_index, static_cast<std::uint32_t>(band), t};
        if (gpu.asked[band].insert(t).second)
            triangulator_->request(key, tile_rings(layer, gpu.tile_features[t], origin_, gpu.band_chains[band], gpu.significance.get()));
        wanted_.push_back(key);
    }
    if (!stencilled.empty()) stencil_fill(gpu, level, stencilled, opacity, m, vp);
    if (ready.empty()) return unlined;
    stats_.tiles_triangulated += ready.size();
    // Opaque fills need no blending (a software rasteriser then only writes).
    if (gpu.opaque && opacity >= 1.0f) glDisable(GL_BLEND);
    // The plain tiles, then those with their hairlines (one program each).
    for (const bool edged : {false, true}) {
        const GLuint p = edged ? edged_triangles_program_.get()
                               : gpu.hatch == Hatch::none ? triangles_program_.get() : hatched_triangles_program_.get();
        bool used = false;
        for (const GpuTriangles* t : ready) {
            if (t->edged != edged) continue;
            if (!used) {
                set_common_uniforms(p, m, vp);
                if (!edged && gpu.hatch != Hatch::none) set_hatch(p, gpu.hatch, gpu.hatch_spacing_px, gpu.hatch_width_px);
                if (edged) {
                    set_colour(glGetUniformLocation(p, "u_edge_colour"), hairline);
                    glUniform1f(glGetUniformLocation(p, "u_pixels_per_unit"), static_cast<float>(1.0 / resolution));
                }
                glUniform1f(glGetUniformLocation(p, "u_opacity"), opacity);
                used = true;
            }
            glBindVertexArray(t->vao.get());
            if (edged) {
                glDrawArrays(GL_TRIANGLES, 0, t->count);
                if (hairline.a > 0) stats_.outline_segments += t->ring_edges;
            } else {
                glDrawElements(GL_TRIANGLES, t->count, GL_UNSIGNED_INT, nullptr);
            }
            stats_.fill_triangles += static_cast<std::size_t>(t->count) / 3;
        }
    }
    glEnable(GL_BLEND);
    return unlined;
}

namespace {

// A corner of a tile's triangle: position and class colour; for EDGES (polygon_fill.frag) also its
// distance to each of the triangle's edges that lie on a ring (the attributes of both start alike).
struct TileVertex {
    float x, y;
    std::uint8_t r, g, b, a;
};
struct EdgedTileVertex {
    TileVertex v;
    float edge[3];
};
// Far from any ring edge: the value every corner of a triangle gets for an edge not on a ring.
constexpr float kNoRingEdge = 1e30f;

} // namespace

MapRenderer::GpuTriangles MapRenderer::upload_triangles(const GpuLayer& gpu, const TileTriangles& t, bool edged) {
    auto corner = [&](std::uint32_t i) {
        const Rgba c = gpu.class_colours[std::min<std::size_t>(t.vertex_classes[i], gpu.class_colours.size() - 1)];
        return TileVertex{t.vertices[i].x, t.vertices[i].y, c.r, c.g, c.b, c.a};
    };
    GpuTriangles out;
    out.vao = make_vertex_array();
    out.vertices = make_buffer();
    glBindVertexArray(out.vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, out.vertices.get());
    auto attributes = [](GLsizei stride) {
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(TileVertex, x)));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(TileVertex, r)));
    };
    if (edged) {
        // Every triangle its own three corners: the edge coordinates differ per triangle.
        std::vector<EdgedTileVertex> vertices;
        vertices.reserve(t.indices.size());
        for (std::size_t first = 0; first + 2 < t.indices.size(); first += 3) {
            const std::uint8_t on_ring = t.ring_edges[first / 3];
            const Float2 p[3] = {t.vertices[t.indices[first]], t.vertices[t.indices[first + 1]], t.vertices[t.indices[first + 2]]};
            // The height over edge j (facing corner j): twice the area over the edge's length.
            const double twice_area = std::abs(static_cast<double>(p[1].x - p[0].x) * (p[2].y - p[0].y) -
                                               static_cast<double>(p[2].x - p[0].x) * (p[1].y - p[0].y));
            float height[3];
            for (int j = 0; j < 3; ++j) {
                const Float2 a = p[(j + 1) % 3], b = p[(j + 2) % 3];
                const double length = std::hypot(static_cast<double>(b.x - a.x), static_cast<double>(b.y - a.y));
                height[j] = length > 0 ? static_cast<float>(twice_area / length) : 0.0f;
            }
            for (int k = 0; k < 3; ++k) {
                EdgedTileVertex e{corner(t.indices[first + k]), {0, 0, 0}};
                for (int j = 0; j < 3; ++j) e.edge[j] = !(on_ring & (1u << j)) ? kNoRingEdge : j == k ? height[j] : 0.0f;
                vertices.push_back(e);
            }
            out.ring_edges += static_cast<std::size_t>(std::popcount(on_ring));
        }
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(EdgedTileVertex)),
                     vertices.empty() ? nullptr : vertices.data(), GL_STATIC_DRAW);
        attributes(sizeof(EdgedTileVertex));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 3, GL_FLOAT, GL_FALSE, sizeof(EdgedTileVertex),
                              reinterpret_cast<void*>(offsetof(EdgedTileVertex, edge)));
        out.edged = true;
        out.bytes = vertices.size() * sizeof(EdgedTileVertex);
    } else {
        std::vector<TileVertex> vertices;
        vertices.reserve(t.vertices.size());
        for (std::uint32_t i = 0; i < t.vertices.size(); ++i) vertices.push_back(corner(i));
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(TileVertex)),
                     vertices.empty() ? nullptr : vertices.data(), GL_STATIC_DRAW);
        attributes(sizeof(TileVertex));
        out.indices = make_buffer();
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, out.indices.get());
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(t.indices.size() * sizeof(std::uint32_t)),
                     t.indices.empty() ? nullptr : t.indices.data(), GL_STATIC_DRAW);
        out.bytes = vertices.size() * sizeof(TileVertex) + t.indices.size() * sizeof(std::uint32_t);
    }
    glBindVertexArray(0);
    out.count = static_cast<GLsizei>(t.indices.size());
    out.last_drawn = frame_;
    return out;
}

void MapRenderer::take_triangles() {
    for (TileTriangulator::Finished& done : triangulator_->take_finished()) {
        if (done.key.layer >= layers_.size()) continue;
        GpuLayer& gpu = layers_[done.key.layer];
        if (done.key.band >= gpu.triangles.size()) continue;
        if (done.failed) {
            gpu.refused[done.key.band].insert(done.key.tile);
            continue;
        }
        // Layers with hairlines get them drawn by the fill (no line pass, fewer primitives).
        GpuTriangles tile = upload_triangles(gpu, done.triangles, gpu.hairlines_wanted && gpu.hatch == Hatch::none);
        triangle_bytes_ += tile.bytes;
        gpu.triangles[done.key.band][done.key.tile] = std::move(tile);
    }
    if (triangle_bytes_ <= kTriangleCacheBytes) return;
    // Over budget: drop the tiles drawn longest ago (never those of the last frame).
    struct Entry {
        std::uint64_t last_drawn;
        TileKey key;
    };
    std::vector<Entry> entries;
    for (std::uint32_t l = 0; l < layers_.size(); ++l)
        for (std::uint32_t b = 0; b < layers_[l].triangles.size(); ++b)
            for (const auto& [tile, t] : layers_[l].triangles[b])
                if (t.last_drawn + 1 < frame_) entries.push_back({t.last_drawn, {l, b, tile}});
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.last_drawn < b.last_drawn; });
    for (const Entry& e : entries) {
        if (triangle_bytes_ <= kTriangleCacheBytes * 3 / 4) break;
        GpuLayer& gpu = layers_[e.key.layer];
        auto it = gpu.triangles[e.key.band].find(e.key.tile);
        triangle_bytes_ -= it->second.bytes;
        gpu.triangles[e.key.band].erase(it);
        gpu.asked[e.key.band].erase(e.key.tile);
    }
}

void MapRenderer::stencil_fill(const GpuLayer& gpu, const GpuFillLevel& level, const std::vector<std::uint32_t>& tiles,
                               float opacity, const std::array<float, 9>& m, const GlViewport& vp) {
    const GLuint p = gpu.hatch == Hatch::none ? fill_program_.get() : hatched_fill_program_.get();
    set_common_uniforms(p, m, vp);
    if (gpu.hatch != Hatch::none) set_hatch(p, gpu.hatch, gpu.hatch_spacing_px, gpu.hatch_width_px);
    const GLint colour = glGetUniformLocation(p, "u_colour");
    glEnable(GL_STENCIL_TEST);
    glEnable(GL_PRIMITIVE_RESTART);
    glPrimitiveRestartIndex(kRingEnd);
    std::vector<GLsizei> counts;
    std::vector<const void*> offsets;
    for (std::size_t c = 0; c < level.ranges.size(); ++c) {
        counts.clear();
        offsets.clear();
        for (std::uint32_t t : tiles) {
            const IndexRange r = level.ranges[c][t];
            if (r.count == 0) continue;
            // Neighbouring tiles' ranges are adjacent in the buffer: merge them into one draw.
            const auto offset = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(r.first) * sizeof(std::uint32_t));
            if (!counts.empty() && static_cast<const char*>(offsets.back()) + counts.back() * sizeof(std::uint32_t) ==
                                       static_cast<const char*>(offset))
                counts.back() += static_cast<GLsizei>(r.count);
            else {
                counts.push_back(static_cast<GLsizei>(r.count));
                offsets.push_back(offset);
            }
            stats_.fill_triangles += r.count;  // indices: about one triangle each
        }
        if (counts.empty()) continue;
        // Stencil: winding number of every pixel (front faces +1, back faces -1).
        glBindVertexArray(level.vao.get());
        glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
        glStencilMask(0xFF);
        glStencilFunc(GL_ALWAYS, 0, 0xFF);
        glStencilOpSeparate(GL_FRONT, GL_KEEP, GL_KEEP, GL_INCR_WRAP);
        glStencilOpSeparate(GL_BACK, GL_KEEP, GL_KEEP, GL_DECR_WRAP);
        glMultiDrawElements(GL_TRIANGLE_FAN, counts.data(), GL_UNSIGNED_INT, offsets.data(), static_cast<GLsizei>(counts.size()));
        // Cover: colour where the winding is non-zero and reset the stencil on the way. Opaque
        // fills need no blending (a software rasteriser then only writes).
        glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
        glStencilFunc(GL_NOTEQUAL, 0, 0xFF);
        glStencilOp(GL_KEEP, GL_KEEP, GL_ZERO);
        Rgba fill = gpu.class_colours[c];
        fill.a = static_cast<std::uint8_t>(std::lround(fill.a * opacity));
        set_colour(colour, fill);
        if (fill.a == 255 && gpu.hatch == Hatch::none) glDisable(GL_BLEND);
        // The cover is the class's quad. (Drawing the fans again instead, so only the class's own
        // pixels are touched, measured slower on llvmpipe even zoomed in: 781 M against 663 M
        // instructions a frame for a 2 km view; bench/README.md.)
        glBindVertexArray(gpu.cover_vao.get());
        glDrawArrays(GL_TRIANGLE_FAN, static_cast<GLint>(4 * c), 4);
        glEnable(GL_BLEND);
    }
    glDisable(GL_STENCIL_TEST);
    glDisable(GL_PRIMITIVE_RESTART);
}

Rgba MapRenderer::hairline_colour(const LayerStyle& style, float opacity) {
    // A thinner outline is drawn one pixel wide and lighter instead.
    Rgba line = style.outline;
    line.a = static_cast<std::uint8_t>(std::lround(line.a * opacity * std::min(1.0f, style.outline_px)));
    return line;
}

void MapRenderer::draw_outlines(const GpuLayer& gpu, const MapLayer& layer, double resolution,
                                const std::vector<std::uint32_t>& tiles, float opacity, const std::array<float, 9>& m,
                                const GlViewport& vp) {
    Rgba line = layer.style.outline;
    const std::size_t tile_count = gpu.tile_extents.size();
    if (gpu.hairlines) {
        // One-pixel line loops over the rings of the band the fill is drawn from (within a pixel of
        // the exact ones).
        const GLuint p = fill_program_.get();
        set_common_uniforms(p, m, vp);
        set_colour(glGetUniformLocation(p, "u_colour"), hairline_colour(layer.style, opacity));
        const GpuFillLevel& band = gpu.fill_levels[band_for(gpu.band_grids, resolution)];
        glBindVertexArray(band.vao.get());
        std::vector<GLsizei> counts;
        std::vector<const void*> offsets;
        for (std::uint32_t t : tiles) {
            for (const auto& by_tile : band.ranges) {
                const IndexRange r = by_tile[t];
                if (r.count == 0) continue;
                counts.push_back(static_cast<GLsizei>(r.count));
                offsets.push_back(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(r.first) * sizeof(std::uint32_t)));
                stats_.outline_segments += r.count;
            }
        }
        glEnable(GL_PRIMITIVE_RESTART);
        glPrimitiveRestartIndex(kRingEnd);
        if (!counts.empty())
            glMultiDrawElements(GL_LINE_LOOP, counts.data(), GL_UNSIGNED_INT, offsets.data(), static_cast<GLsizei>(counts.size()));
        glDisable(GL_PRIMITIVE_RESTART);
        return;
    }
    line.a = static_cast<std::uint8_t>(std::lround(line.a * opacity));
    const GLuint p = outline_program_.get();
    set_common_uniforms(p, m, vp);
    set_colour(glGetUniformLocation(p, "u_colour"), line);
    glUniform1f(glGetUniformLocation(p, "u_width_px"), layer.style.outline_px);
    glBindVertexArray(gpu.outline_vao.get());
    glBindBuffer(GL_ARRAY_BUFFER, gpu.outline_segments.get());
    // GL 3.3 has no base instance: each tile's run starts by offsetting the attribute pointer.
    auto draw_run = [&](IndexRange r) {
        if (r.count == 0) return;
        glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                              reinterpret_cast<void*>(static_cast<std::uintptr_t>(r.first) * 4 * sizeof(float)));
        glDrawArraysInstanced(GL_TRIANGLES, 0, 6, static_cast<GLsizei>(r.count));
        stats_.outline_segments += r.count;
    };
    for (std::uint32_t t : tiles)
        if (t < gpu.tile_segments.size()) draw_run(gpu.tile_segments[t]);
    if (gpu.tile_segments.size() > tile_count) draw_run(gpu.tile_segments[tile_count]);  // the line features
    glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
}

std::size_t MapRenderer::pending_tiles() const {
    std::size_t pending = 0;
    for (const TileKey& k : wanted_) {
        const GpuLayer& gpu = layers_[k.layer];
        if (k.band < gpu.triangles.size() && !gpu.triangles[k.band].count(k.tile) && !gpu.refused[k.band].count(k.tile)) ++pending;
    }
    return pending;
}

void MapRenderer::draw_layers(const MapModel& model, const Camera& camera, const Extent& visible, const GlViewport& vp,
                              const MapDrawOptions& options) {
    const std::array<float, 9> m = camera.clip_matrix(origin_);
    glClearColor(kMapBackground.r / 255.f, kMapBackground.g / 255.f, kMapBackground.b / 255.f, 1.f);
    // No stencil clear: every stencil fill leaves the stencil at 0 where it drew (its cover resets
    // it), and the image's buffer starts at 0 (MapImageCache::make). Clearing the stencil alone
    // of a depth-stencil buffer cost llvmpipe about as much as drawing the 2 km view's fill.
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    // Raster basemaps under everything.
    for (std::size_t i = 0; i < basemaps_.size(); ++i) {
        const GpuBasemap& b = basemaps_[i];
        if (!b.texture || (i < options.basemap_visible.size() && !options.basemap_visible[i])) continue;
        const float opacity = i < options.basemap_opacity.size() ? options.basemap_opacity[i] : 1.0f;
        const GLuint p = raster_program_.get();
        set_common_uniforms(p, m, vp);
        glUniform1f(glGetUniformLocation(p, "u_opacity"), opacity);
        glUniform1i(glGetUniformLocation(p, "u_image"), 0);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, b.texture.get());
        glBindVertexArray(b.vao.get());
        glDrawArrays(GL_TRIANGLE_FAN, 0, 4);
        glBindTexture(GL_TEXTURE_2D, 0);
    }

    const bool ordered = options.layer_order.size() == model.layers.size();
    for (size_t k = 0; k < layers_.size() && k < model.layers.size(); ++k) {
        const size_t li = ordered ? static_cast<size_t>(options.layer_order[k]) : k;
        if (li < options.layer_visible.size() && !options.layer_visible[li]) continue;
        const float opacity = li < options.layer_opacity.size() ? options.layer_opacity[li] : 1.0f;
        if (opacity <= 0) continue;
        const MapLayer& layer = model.layers[li];
        if (!layer.extent.intersects(visible)) continue;
        GpuLayer& gpu = layers_[li];

        // Outlines of small features (under kMinOutlinedFeaturePx across on average) would only grey the map.
        const bool outlines_shown =
            (gpu.outline_vao || gpu.hairlines) &&
            (gpu.mean_feature_size == 0 || gpu.mean_feature_size / camera.resolution() >= kMinOutlinedFeaturePx ||
             layer.features.size() < 200);
        const std::vector<std::uint32_t> tiles = tiles_in(gpu.tile_extents, visible);
        std::vector<std::uint32_t> unlined = tiles;  // tiles whose hairlines the fill does not draw
        if (gpu.has_fill && !gpu.fill_levels.empty()) {
            const Rgba hairline = outlines_shown && gpu.hairlines ? hairline_colour(layer.style, opacity) : Rgba{0, 0, 0, 0};
            unlined = draw_fill(static_cast<std::uint32_t>(li), layer, gpu, camera.resolution(), tiles, hairline, opacity, m, vp);
        }
        if (outlines_shown) draw_outlines(gpu, layer, camera.resolution(), gpu.hairlines ? unlined : tiles, opacity, m, vp);

        if (gpu.point_vao)
            draw_points(gpu.point_vao.get(), gpu.point_instances.get(), gpu.point_count, 0, layer.style.point_px, layer.style.point_shape,
                        rgb(0xFFFFFF), 1.5f, m, vp);
    }
}

void MapRenderer::draw(const MapModel& model, const Camera& camera, const GlViewport& vp, const MapDrawOptions& options) {
    ++frame_;
    adopt_bands();
    take_triangles();

    // The layers: from the image of the last frames when they look the same (see map_image_plan.hpp).
    if (!image_enabled_ || !(options.layer_visible == image_options_.layer_visible &&
                             options.layer_opacity == image_options_.layer_opacity &&
                             options.layer_order == image_options_.layer_order &&
                             options.basemap_visible == image_options_.basemap_visible &&
                             options.basemap_opacity == image_options_.basemap_opacity)) {
        image_.invalidate();
        image_options_ = options;
    }
    const Extent visible = camera.visible_extent();
    MapImagePlan plan = plan_map_image(image_.view(), {vp.width, vp.height, camera.resolution(), {visible.minx, visible.miny}});
    const bool again = plan.kind == MapImagePlan::Kind::reuse && redraw_last_strips_;
    redraw_last_strips_ = false;
    if (again) plan.strips = last_strips_;
    if (plan.kind == MapImagePlan::Kind::reuse && !again) {
        stats_.tiles_pending = pending_tiles();
    } else {
        const bool shifted = again ? stats_.image_shifted : plan.kind == MapImagePlan::Kind::shift;
        stats_ = DrawStats{};
        stats_.image_shifted = shifted;
        last_strips_ = plan.strips;
        wanted_.clear();
        image_.begin(plan);
        const Camera image_camera = plan.view.camera();
        const GlViewport image_vp{0, 0, plan.view.width, plan.view.height};
        // Hatches are anchored to the world: a shifted image and its new strips line up.
        hatch_origin_px_ = {(origin_.x - plan.view.lower_left.x) / plan.view.resolution,
                            (origin_.y - plan.view.lower_left.y) / plan.view.resolution};
        glViewport(0, 0, image_vp.width, image_vp.height);
        glEnable(GL_SCISSOR_TEST);
        for (const PixelBox& strip : plan.strips) {
            glScissor(strip.x, strip.y, strip.width, strip.height);
            // Features just outside a strip may reach into it: wide outlines, point symbols.
            const PixelBox reach{strip.x - kStripReachPx, strip.y - kStripReachPx, strip.width + 2 * kStripReachPx,
                                 strip.height + 2 * kStripReachPx};
            draw_layers(model, image_camera, plan.view.extent_of(reach), image_vp, options);
        }
        // Tiles asked for by an earlier view and not started yet: the worker need not do them now.
        std::sort(wanted_.begin(), wanted_.end(), [](const TileKey& a, const TileKey& b) {
            return std::tie(a.layer, a.band, a.tile) < std::tie(b.layer, b.band, b.tile);
        });
        for (const TileKey& k : triangulator_->drop_queued([&](const TileKey& k) {
                 return std::binary_search(wanted_.begin(), wanted_.end(), k, [](const TileKey& a, const TileKey& b) {
                     return std::tie(a.layer, a.band, a.tile) < std::tie(b.layer, b.band, b.tile);
                 });
             }))
            layers_[k.layer].asked[k.band].erase(k.tile);
        stats_.tiles_pending = wanted_.size();
    }
    image_.present(vp.x, vp.y);

    // Over the image, with the exact camera.
    const std::array<float, 9> m = camera.clip_matrix(origin_);
    glViewport(vp.x, vp.y, vp.width, vp.height);
    glEnable(GL_SCISSOR_TEST);
    glScissor(vp.x, vp.y, vp.width, vp.height);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    // Highlights over the layers, under the enterprise symbols.
    draw_segments(highlight_vao_.get(), highlight_segment_count_, kHighlightHalo, kHighlightHaloPx, m, vp);
    draw_segments(highlight_vao_.get(), highlight_segment_count_, kHighlightColour, kHighlightPx, m, vp);
    draw_segments(distance_vao_.get(), distance_segment_count_, kHighlightHalo, kDistanceLinePx + 3.0f, m, vp);
    draw_segments(distance_vao_.get(), distance_segment_count_, kDistanceLineColour, kDistanceLinePx, m, vp);
    if (highlight_point_count_ > 0) {
        draw_points(highlight_point_vao_.get(), highlight_points_.get(), highlight_point_count_, 0, 30.0f, PointShape::ring,
                    rgb(0), 5.0f, m, vp);
    }

    if (options.enterprises_visible) {
        for (int c : class_draw_order_) {
            if (!options.class_shown(c)) continue;
            const InstanceRun& run = class_runs_[static_cast<std::size_t>(c)];
            draw_points(enterprise_vao_.get(), enterprise_instances_.get(), run.count, run.first, kEnterpriseSymbolPx, PointShape::circle,
                        rgb(0x202020), 1.6f, m, vp);
        }
        if (options.flag_marks_visible && camera.resolution() * model.metres_per_unit <= kFlagMarksMaxMetresPerPixel)
            for (int flag = 0; flag < 3; ++flag)
                for (int c : class_draw_order_) {
                    if (!options.class_shown(c)) continue;
                    const InstanceRun& run = flag_runs_[flag][static_cast<std::size_t>(c)];
                    draw_points(flag_vao_.get(), flag_instances_.get(), run.count, run.first, kFlagMarkPx, PointShape::square,
                                rgb(0xFFFFFF), 1.0f, m, vp, kFlagMarkOffsetsPx[flag]);
                }
    }

    if (options.selected_enterprise >= 0 && options.selected_enterprise < static_cast<int>(model.enterprises.size())) {
        const EnterpriseItem& e = model.enterprises[static_cast<size_t>(options.selected_enterprise)];
        if (e.has_point) {
            const Rgba c = kSelectionColour;
            const float x = static_cast<float>(e.position.x - origin_.x), y = static_cast<float>(e.position.y - origin_.y);
            const std::vector<Instance> rings{{x, y, c.r, c.g, c.b, c.a}, {x, y, 0x10, 0x10, 0x10, 0xFF}};
            fill_instance_buffer(selection_vao_, selection_instance_, rings);
            // A bright ring with a dark inner edge, visible on any background.
            draw_points(selection_vao_.get(), selection_instance_.get(), 1, 0, kEnterpriseSymbolPx + 14.0f,
                        PointShape::ring, rgb(0), 5.0f, m, vp);
            draw_points(selection_vao_.get(), selection_instance_.get(), 1, 1, kEnterpriseSymbolPx + 6.0f,
                        PointShape::ring, rgb(0), 1.5f, m, vp);
        }
    }

    glBindVertexArray(0);
    glUseProgram(0);
    glDisable(GL_SCISSOR_TEST);
}

} // namespace qingling::app
