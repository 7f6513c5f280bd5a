#version 330 core
// Point symbols (enterprises, sensitive sites, the selection ring): one instance per point,
// expanded into a screen-aligned square of u_size_px pixels plus a pixel for antialiasing.
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
layout(location = 1) in vec4 a_colour;    // fill colour of this symbol
uniform mat3 u_world_to_clip;
uniform vec2 u_viewport_px;
uniform float u_size_px;
uniform vec2 u_offset_px;   // from the point, x right and y up (the 散/乱/污 marks beside a symbol)
out vec2 v_local;   // pixels from the symbol's centre
flat out vec4 v_colour;

const vec2 kCorners[6] = vec2[6](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(1.0, 1.0),
                                 vec2(-1.0, -1.0), vec2(1.0, 1.0), vec2(-1.0, 1.0));

void main() {
    vec2 corner = kCorners[gl_VertexID];
    vec2 centre = (u_world_to_clip * vec3(a_position, 1.0)).xy;
    float half_size = 0.5 * u_size_px + 1.0;
    v_local = corner * half_size;
    v_colour = a_colour;
    gl_Position = vec4(centre + (corner * half_size + u_offset_px) / (0.5 * u_viewport_px), 0.0, 1.0);
}
