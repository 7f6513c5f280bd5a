#version 330 core
// Every polygon fill (stencil cover and triangulated tiles) and the hairlines. Variants (defines):
//   HATCH  hatched zones. A hatch's gaps get alpha 0 rather than `discard`, so the stencil cover
//          still clears them.
//   EDGES  triangulated tiles that draw their rings' hairlines themselves (no line pass): v_edge
//          holds the distance in world units to each edge of the triangle that lies on a ring (and
//          a huge one for the others).
flat in vec4 v_colour;
out vec4 frag_colour;

#ifdef HATCH
uniform int u_hatch;            // 1 diagonal (/), 2 back diagonal (\), 3 cross
uniform float u_hatch_spacing;  // pixels from stripe to stripe, across them
uniform float u_hatch_width;    // pixels, across a stripe
uniform vec2 u_hatch_phase;     // the world origin's x - y and x + y in pixels, modulo the period

// Whether the pixel lies on a stripe along x - y (or x + y) = k * spacing * sqrt(2).
// Stripes are anchored to the world, not the screen, so they move with the map when it pans.
bool on_stripe(float along) {
    float period = u_hatch_spacing * 1.41421356;
    return mod(along, period) < u_hatch_width * 1.41421356;
}
#endif

#ifdef EDGES
noperspective in vec3 v_edge;
uniform vec4 u_edge_colour;     // the hairline's colour, non-premultiplied; alpha 0 hides them
uniform float u_pixels_per_unit;
#endif

void main() {
    vec4 colour = v_colour;
#ifdef HATCH
    vec2 p = gl_FragCoord.xy;
    bool on = true;
    if (u_hatch == 1) on = on_stripe(p.x - p.y - u_hatch_phase.x);
    else if (u_hatch == 2) on = on_stripe(p.x + p.y - u_hatch_phase.y);
    else if (u_hatch == 3) on = on_stripe(p.x - p.y - u_hatch_phase.x) || on_stripe(p.x + p.y - u_hatch_phase.y);
    if (!on) colour.a = 0.0;
#endif
#ifdef EDGES
    // Pixels from the nearest ring edge; a one-pixel line centred on the edge covers a pixel whose
    // centre is d away by 1 - d (the triangle on the other side draws the other half).
    float d = min(v_edge.x, min(v_edge.y, v_edge.z)) * u_pixels_per_unit;
    colour.rgb = mix(colour.rgb, u_edge_colour.rgb, clamp(1.0 - d, 0.0, 1.0) * u_edge_colour.a);
#endif
    frag_colour = colour;
}
