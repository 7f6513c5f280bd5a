#version 330 core
// Polygon fill, both passes of stencil-then-cover: the triangle fans of every ring into the stencil
// buffer (non-zero winding), then a cover quad over the stencilled pixels.
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
uniform mat3 u_world_to_clip;

void main() {
    vec3 p = u_world_to_clip * vec3(a_position, 1.0);
    gl_Position = vec4(p.xy, 0.0, 1.0);
}
