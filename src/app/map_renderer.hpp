// Draws a MapModel with OpenGL 3.3: polygon fill by stencil-then-cover (every ring's triangle fan
// into the stencil buffer with non-zero winding, then one cover quad per style class, so holes and
// multipolygons are right without triangulation), outlines of a width in pixels, and point symbols.
// GPU buffers are built once per layer when the model is uploaded, never per frame.
#pragma once

#include "app/camera.hpp"
#include "app/gl_objects.hpp"
#include "app/map_model.hpp"
#include "app/map_query.hpp"

#include <vector>

namespace qingling::app {

// What to draw this frame.
struct MapDrawOptions {
    std::vector<char> layer_visible;        // by index into MapModel::layers
    bool enterprises_visible = true;
    bool mark_visible[5] = {true, true, true, true, true};  // by Mark
    int selected_enterprise = -1;           // index into MapModel::enterprises
};

// Pixels of the framebuffer the map occupies (GL convention: y counted from the bottom).
struct GlViewport {
    int x = 0, y = 0, width = 1, height = 1;
};

inline constexpr float kEnterpriseSymbolPx = 12.0f;

class MapRenderer {
public:
    MapRenderer();  // compiles the shaders; needs a current GL 3.3 context
    // Builds the GPU buffers of every layer and the enterprise symbols.
    void upload(const MapModel& model);
    // Rebuilds only the enterprise symbols (after categories change).
    void upload_enterprises(const MapModel& model);
    void draw(const MapModel& model, const Camera& camera, const GlViewport& viewport, const MapDrawOptions& options);
    // What is highlighted over the layers: features (outlined, points ringed) and distance lines.
    void set_highlight(const MapModel& model, const std::vector<FeatureRef>& features,
                       const std::vector<std::pair<Vec2, Vec2>>& lines);

private:
    struct ClassRange {
        Rgba colour;
        GLsizeiptr index_offset = 0;  // bytes into the index buffer
        GLsizei index_count = 0;
        GLint cover_first = 0;        // first of the 4 cover-quad vertices
    };
    struct GpuLayer {
        GlVertexArray fill_vao;
        GlBuffer fill_vertices, fill_indices;
        std::vector<ClassRange> classes;
        GlVertexArray outline_vao;
        GlBuffer outline_segments;
        GLsizei segment_count = 0;
        double mean_feature_size = 0;  // world units; outlines are hidden when features are tiny on screen
        GlVertexArray point_vao;
        GlBuffer point_instances;
        GLsizei point_count = 0;
    };
    struct Instance {
        float x, y;
        std::uint8_t r, g, b, a;
    };

    void set_common_uniforms(GLuint program, const std::array<float, 9>& m, const GlViewport& vp);
    void draw_points(GLuint vao, GLuint buffer, GLsizei count, GLint first, float size_px, PointShape shape,
                     Rgba border, float border_px, const std::array<float, 9>& m, const GlViewport& vp);
    static void point_attributes(GLint first_instance);
    static void fill_instance_buffer(GlVertexArray& vao, GlBuffer& buffer, const std::vector<Instance>& instances);

    GlProgram fill_program_, outline_program_, point_program_;
    std::vector<GpuLayer> layers_;
    Vec2 origin_;
    // Enterprise symbols: one run of instances per mark, drawn in the order of kMarkDrawOrder.
    GlVertexArray enterprise_vao_;
    GlBuffer enterprise_instances_;
    struct MarkRun {
        GLint first = 0;
        GLsizei count = 0;
    };
    MarkRun mark_runs_[5];
    void draw_segments(GLuint vao, GLsizei count, Rgba colour, float width_px, const std::array<float, 9>& m,
                       const GlViewport& vp);
    GlVertexArray highlight_vao_;
    GlBuffer highlight_segments_;
    GLsizei highlight_segment_count_ = 0;
    GlVertexArray distance_vao_;
    GlBuffer distance_segments_;
    GLsizei distance_segment_count_ = 0;
    GlVertexArray highlight_point_vao_;
    GlBuffer highlight_points_;
    GLsizei highlight_point_count_ = 0;
    GlVertexArray selection_vao_;
    GlBuffer selection_instance_;
};

} // namespace qingling::app
