#version 330 core
// Polygon fill of triangulated tiles (zoomed in): each triangle in its class's colour, one pass
// (fragment shader: polygon_fill.frag).
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
layout(location = 1) in vec4 a_colour;    // the style class's fill, non-premultiplied RGBA
uniform mat3 u_world_to_clip;
uniform float u_opacity;                  // the layer's opacity
out vec4 v_colour;

void main() {
    vec3 p = u_world_to_clip * vec3(a_position, 1.0);
    gl_Position = vec4(p.xy, 0.0, 1.0);
    v_colour = vec4(a_colour.rgb, a_colour.a * u_opacity);
}
