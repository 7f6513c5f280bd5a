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

GLuint compile(const std::string& name, GLenum type, const char* source) {
    GLuint shader = glCreateShader(type);
    glShaderSource(shader, 1, &source, nullptr);
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

GlProgram build_program(const std::string& name, const char* vertex_source, const char* fragment_source) {
    const GLuint vs = compile(name, GL_VERTEX_SHADER, vertex_source);
    GLuint fs = 0;
    try {
        fs = compile(name, GL_FRAGMENT_SHADER, fragment_source);
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
        throw std::runtime_error("shader program " + name + " does not link: " + log.data());
    }
    return GlProgram(program);
}

} // namespace qingling::app
