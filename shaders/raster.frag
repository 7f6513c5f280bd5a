#version 330 core
in vec2 v_texcoord;
uniform sampler2D u_image;  // RGBA, alpha 0 where the raster has no data
uniform float u_opacity;
out vec4 frag_colour;

void main() {
    vec4 c = texture(u_image, v_texcoord);
    frag_colour = vec4(c.rgb, c.a * u_opacity);
}
