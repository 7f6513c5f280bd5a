#version 330 core
// Every polygon fill (stencil cover and triangulated tiles): solid, or hatched for zones. A hatch's
// gaps get alpha 0 rather than `discard`, so the stencil cover still clears them.
in vec4 v_colour;
uniform int u_hatch;            // 0 solid, 1 diagonal (/), 2 back diagonal (\), 3 cross
uniform float u_hatch_spacing;  // pixels from stripe to stripe, across them
uniform float u_hatch_width;    // pixels, across a stripe
uniform vec2 u_hatch_phase;     // the world origin's x - y and x + y in pixels, modulo the period
out vec4 frag_colour;

// Whether the pixel lies on a stripe along x - y (or x + y) = k * spacing * sqrt(2).
// Stripes are anchored to the world, not the screen, so they move with the map when it pans.
bool on_stripe(float along) {
    float period = u_hatch_spacing * 1.41421356;
    return mod(along, period) < u_hatch_width * 1.41421356;
}

void main() {
    bool on = true;
    vec2 p = gl_FragCoord.xy;
    if (u_hatch == 1) on = on_stripe(p.x - p.y - u_hatch_phase.x);
    else if (u_hatch == 2) on = on_stripe(p.x + p.y - u_hatch_phase.y);
    else if (u_hatch == 3) on = on_stripe(p.x - p.y - u_hatch_phase.x) || on_stripe(p.x + p.y - u_hatch_phase.y);
    frag_colour = on ? v_colour : vec4(v_colour.rgb, 0.0);
}
