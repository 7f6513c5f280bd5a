#version 330 core
// Polygon fill of triangulated tiles (zoomed in): each triangle in its class's colour, one pass
// (fragment shader: polygon_fill.frag; EDGES: with the rings' hairlines, see there).
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
layout(location = 1) in vec4 a_colour;    // the style class's fill, non-premultiplied RGBA
uniform mat3 u_world_to_clip;
uniform float u_opacity;                  // the layer's opacity
flat out vec4 v_colour;  // one colour per triangle: flat spares the interpolation
#ifdef EDGES
// Component k: when the edge facing corner k lies on a ring, the distance to it (world units: the
// triangle's height at corner k, 0 at the others); a huge value at every corner when it does not.
layout(location = 2) in vec3 a_edge;
noperspective out vec3 v_edge;
#endif

void main() {
    vec3 p = u_world_to_clip * vec3(a_position, 1.0);
    gl_Position = vec4(p.xy, 0.0, 1.0);
    v_colour = vec4(a_colour.rgb, a_colour.a * u_opacity);
#ifdef EDGES
    v_edge = a_edge;
#endif
}
