#version 330 core
in float v_across;
uniform vec4 u_colour;    // non-premultiplied RGBA
uniform float u_width_px;
out vec4 frag_colour;

void main() {
    // Full coverage inside the line, falling off over one pixel at its edges; lines thinner than
    // a pixel are drawn one pixel wide and fainter.
    float w = max(u_width_px, 1.0);
    float coverage = clamp(0.5 * w + 0.5 - abs(v_across), 0.0, 1.0) * min(u_width_px, 1.0);
    if (coverage <= 0.0) discard;
    frag_colour = vec4(u_colour.rgb, u_colour.a * coverage);
}
