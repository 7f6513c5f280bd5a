// OpenGL 3.3 core declarations. GLVND's libOpenGL exports every core entry point, so the viewer
// calls them directly (no loader); ImGui's OpenGL backend uses its own bundled loader.
#pragma once

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/glcorearb.h>
