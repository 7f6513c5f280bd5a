#version 330 core
// Outlines with a width in pixels: one instance per segment, expanded here into a quad
// (two triangles, six vertices) that is u_width_px wide on screen plus a one-pixel fringe for
// antialiasing, extended by half the width at both ends so consecutive segments join.
layout(location = 0) in vec4 a_segment;  // (x0, y0, x1, y1): world coordinates minus the layer origin
uniform mat3 u_world_to_clip;
uniform vec2 u_viewport_px;
uniform float u_width_px;
out float v_across;  // signed distance from the centre line, in pixels

const vec2 kCorners[6] = vec2[6](vec2(0.0, -1.0), vec2(1.0, -1.0), vec2(1.0, 1.0),
                                 vec2(0.0, -1.0), vec2(1.0, 1.0), vec2(0.0, 1.0));

void main() {
    vec2 corner = kCorners[gl_VertexID];
    vec2 half_viewport = 0.5 * u_viewport_px;
    vec2 s0 = (u_world_to_clip * vec3(a_segment.xy, 1.0)).xy * half_viewport;
    vec2 s1 = (u_world_to_clip * vec3(a_segment.zw, 1.0)).xy * half_viewport;
    vec2 d = s1 - s0;
    float len = length(d);
    vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    vec2 normal = vec2(-dir.y, dir.x);
    float half_width = 0.5 * max(u_width_px, 1.0) + 0.5;
    vec2 s = mix(s0, s1, corner.x) + normal * (corner.y * half_width) + dir * ((corner.x * 2.0 - 1.0) * half_width);
    v_across = corner.y * half_width;
    gl_Position = vec4(s / half_viewport, 0.0, 1.0);
}
