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

GlFramebuffer make_framebuffer() {
    GLuint id = 0;
    glGenFramebuffers(1, &id);
    return GlFramebuffer(id);
}

GlRenderbuffer make_renderbuffer() {
    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    return GlRenderbuffer(id);
}

GlTexture make_texture() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return GlTexture(id);
}

GlBuffer make_buffer() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return GlBuffer(id);
}

GlVertexArray make_vertex_array() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return GlVertexArray(id);
}

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
