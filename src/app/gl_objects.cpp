#include "app/gl_objects.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace qingling::app {

void delete_buffer(GLuint id) { glDeleteBuffers(1, &id); }
void delete_vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
void delete_program(GLuint id) { glDeleteProgram(id); }
void delete_texture(GLuint id) { glDeleteTextures(1, &id); }
void delete_framebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void delete_renderbuffer(GLuint id) { glDeleteRenderbuffers(1, &id); }

namespace {

// One new name from a glGen* function, owned.
template <class Name, void (*Generate)(GLsizei, GLuint*)>
Name generate() {
    GLuint id = 0;
    Generate(1, &id);
    return Name(id);
}

} // namespace

GlFramebuffer make_framebuffer() { return generate<GlFramebuffer, glGenFramebuffers>(); }
GlRenderbuffer make_renderbuffer() { return generate<GlRenderbuffer, glGenRenderbuffers>(); }
GlTexture make_texture() { return generate<GlTexture, glGenTextures>(); }
GlBuffer make_buffer() { return generate<GlBuffer, glGenBuffers>(); }
GlVertexArray make_vertex_array() { return generate<GlVertexArray, glGenVertexArrays>(); }

namespace {

// `defines` go right after the source's first line (its #version), which GLSL wants first.
GLuint compile(const std::string& name, GLenum type, const char* source, const std::string& defines) {
    std::string text = source;
    const std::size_t line_end = text.find('\n');
    text.insert(line_end == std::string::npos ? text.size() : line_end + 1, defines);
    const char* all = text.c_str();
    GLuint shader = glCreateShader(type);
    glShaderSource(shader, 1, &all, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        GLint length = 0;
        glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(static_cast<size_t>(std::max(length, 1)));
        glGetShaderInfoLog(shader, length, nullptr, log.data());
        glDeleteShader(shader);
        throw std::runtime_error("shader " + name + (type == GL_VERTEX_SHADER ? ".vert" : ".frag") +
                                 " does not compile: " + log.data());
    }
    return shader;
}

} // namespace

GlProgram build_program(const std::string& name, const char* vertex_source, const char* fragment_source,
                        const std::vector<std::string>& defines) {
    std::string define_lines, full_name = name;
    for (const std::string& d : defines) {
        define_lines += "#define " + d + "\n";
        full_name += (&d == &defines.front() ? " with " : ", ") + d;
    }
    const GLuint vs = compile(full_name, GL_VERTEX_SHADER, vertex_source, define_lines);
    GLuint fs = 0;
    try {
        fs = compile(full_name, GL_FRAGMENT_SHADER, fragment_source, define_lines);
    } catch (...) {
        glDeleteShader(vs);
        throw;
    }
    GLuint program = glCreateProgram();
    glAttachShader(program, vs);
    glAttachShader(program, fs);
    glLinkProgram(program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint length = 0;
        glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(static_cast<size_t>(std::max(length, 1)));
        glGetProgramInfoLog(program, length, nullptr, log.data());
        glDeleteProgram(program);
        throw std::runtime_error("shader program " + full_name + " does not link: " + log.data());
    }
    return GlProgram(program);
}

} // namespace qingling::app
