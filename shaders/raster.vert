#version 330 core
// A raster basemap: one textured quad over the image's extent.
layout(location = 0) in vec2 a_position;  // world coordinates minus the layer origin
layout(location = 1) in vec2 a_texcoord;
uniform mat3 u_world_to_clip;
out vec2 v_texcoord;

void main() {
    vec3 p = u_world_to_clip * vec3(a_position, 1.0);
    gl_Position = vec4(p.xy, 0.0, 1.0);
    v_texcoord = a_texcoord;
}
