// Small RAII wrappers for GL objects and shader programs built from the embedded shader sources.
// Need a current GL context.
#pragma once

#include "app/gl.hpp"

#include <string>
#include <utility>
#include <vector>

namespace qingling::app {

// Owns one GL name; `Deleter` frees it.
template <void (*Deleter)(GLuint)>
class GlName {
public:
    GlName() = default;
    explicit GlName(GLuint id) : id_(id) {}
    ~GlName() { reset(); }
    GlName(GlName&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
    GlName& operator=(GlName&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    GlName(const GlName&) = delete;
    GlName& operator=(const GlName&) = delete;
    GLuint get() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_) Deleter(id_);
        id_ = 0;
    }

private:
    GLuint id_ = 0;
};

void delete_buffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_program(GLuint id);
void delete_texture(GLuint id);
void delete_framebuffer(GLuint id);
void delete_renderbuffer(GLuint id);

using GlBuffer = GlName<delete_buffer>;
using GlVertexArray = GlName<delete_vertex_array>;
using GlProgram = GlName<delete_program>;
using GlTexture = GlName<delete_texture>;
using GlFramebuffer = GlName<delete_framebuffer>;
using GlRenderbuffer = GlName<delete_renderbuffer>;

GlBuffer make_buffer();
GlVertexArray make_vertex_array();
GlTexture make_texture();
GlFramebuffer make_framebuffer();
GlRenderbuffer make_renderbuffer();

// Compiles and links; throws std::runtime_error with the driver's log naming `name` on failure.
// `defines` (e.g. "HATCH") pick a variant of shaders written with #ifdef, so a program carries no
// code it does not need: a software rasteriser runs both sides of a branch.
GlProgram build_program(const std::string& name, const char* vertex_source, const char* fragment_source,
                        const std::vector<std::string>& defines = {});

} // namespace qingling::app
