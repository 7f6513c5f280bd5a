#version 330 core
in vec2 v_local;
flat in vec4 v_colour;
uniform float u_size_px;
uniform int u_shape;            // 0 circle, 1 square, 2 ring (only the border band, e.g. selection)
uniform vec4 u_border_colour;
uniform float u_border_px;
out vec4 frag_colour;

void main() {
    float radius = 0.5 * u_size_px;
    float d = u_shape == 1 ? max(abs(v_local.x), abs(v_local.y)) : length(v_local);
    float outside = clamp(d - radius + 0.5, 0.0, 1.0);
    float in_border = clamp(d - (radius - u_border_px) + 0.5, 0.0, 1.0);
    vec4 c;
    if (u_shape == 2) {
        c = v_colour;
        c.a *= in_border;
    } else {
        // A faded symbol (left out by the ledger filter) fades its border too.
        c = mix(v_colour, vec4(u_border_colour.rgb, u_border_colour.a * v_colour.a), in_border);
    }
    c.a *= 1.0 - outside;
    if (c.a <= 0.0) discard;
    frag_colour = c;
}
