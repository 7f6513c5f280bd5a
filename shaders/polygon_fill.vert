#version 330 core
// Polygon fill, both passes of stencil-then-cover: the triangle fans of every ring into the stencil
// buffer (non-zero winding), then a cover quad over the stencilled pixels. Also the hairline
// outlines (line loops over the same rings).
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
uniform mat3 u_world_to_clip;
uniform vec4 u_colour;                    // non-premultiplied RGBA
flat out vec4 v_colour;  // one colour per triangle: flat spares the interpolation

void main() {
    vec3 p = u_world_to_clip * vec3(a_position, 1.0);
    gl_Position = vec4(p.xy, 0.0, 1.0);
    v_colour = u_colour;
}
