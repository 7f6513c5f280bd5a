#include "core/map_canvas.hpp"

#include "core/errors.hpp"
#include "core/list_table.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace qingling {

namespace {

std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

struct GObjectUnref {
    void operator()(void* p) const {
        if (p) g_object_unref(p);
    }
};
struct FontDescriptionFree {
    void operator()(PangoFontDescription* d) const {
        if (d) pango_font_description_free(d);
    }
};

} // namespace

std::optional<PageFormat> parse_page_format(const std::string& text) {
    const std::string t = lower_ascii(text);
    if (t == "a4p") return PageFormat::a4_portrait;
    if (t == "a4l") return PageFormat::a4_landscape;
    if (t == "a3p") return PageFormat::a3_portrait;
    if (t == "a3l") return PageFormat::a3_landscape;
    return std::nullopt;
}

const char* page_format_code(PageFormat f) {
    switch (f) {
    case PageFormat::a4_portrait: return "A4P";
    case PageFormat::a4_landscape: return "A4L";
    case PageFormat::a3_portrait: return "A3P";
    case PageFormat::a3_landscape: return "A3L";
    }
    return "";
}

PageSize page_size(PageFormat f) {
    const double a4w = mm(210), a4h = mm(297), a3h = mm(420);
    switch (f) {
    case PageFormat::a4_portrait: return {a4w, a4h};
    case PageFormat::a4_landscape: return {a4h, a4w};
    case PageFormat::a3_portrait: return {a4h, a3h};
    case PageFormat::a3_landscape: return {a3h, a4h};
    }
    return {a4w, a4h};
}

void set_colour(cairo_t* cr, Rgba c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

void hatch_preserve(cairo_t* cr, Hatch hatch, Rgba colour, double spacing, double width) {
    if (hatch == Hatch::none) return;
    cairo_path_t* path = cairo_copy_path(cr);
    cairo_save(cr);
    cairo_clip(cr);
    double x1, y1, x2, y2;
    cairo_clip_extents(cr, &x1, &y1, &x2, &y2);
    // Stripes run past the clip box: their square ends would otherwise leave notches along its
    // edges (and a raster page drawn in bands would show them at each band's edge).
    x1 -= 2 * width, y1 -= 2 * width, x2 += 2 * width, y2 += 2 * width;
    set_colour(cr, colour);
    cairo_set_line_width(cr, width);
    // Page y grows downwards: "diagonal" rises to the right, so x + y is constant along it.
    // Stripes at multiples of the period from the page origin, so neighbouring zones line up.
    const double period = spacing * std::sqrt(2.0);
    auto stripes = [&](bool rising) {
        const double lo = rising ? x1 + y1 : x1 - y2, hi = rising ? x2 + y2 : x2 - y1;
        for (double k = std::floor(lo / period) * period; k <= hi; k += period) {
            // The line x + y = k (rising) or x - y = k, across the clip box.
            if (rising) {
                cairo_move_to(cr, k - y1, y1);
                cairo_line_to(cr, k - y2, y2);
            } else {
                cairo_move_to(cr, k + y1, y1);
                cairo_line_to(cr, k + y2, y2);
            }
        }
        cairo_stroke(cr);
    };
    if (hatch == Hatch::diagonal || hatch == Hatch::cross) stripes(true);
    if (hatch == Hatch::back_diagonal || hatch == Hatch::cross) stripes(false);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
}

void fill_rect(cairo_t* cr, const PixelRect& r, Rgba c) {
    set_colour(cr, c);
    cairo_rectangle(cr, r.x0, r.y0, r.width(), r.height());
    cairo_fill(cr);
}

void stroke_rect(cairo_t* cr, const PixelRect& r, Rgba c, double width) {
    set_colour(cr, c);
    cairo_set_line_width(cr, width);
    cairo_rectangle(cr, r.x0, r.y0, r.width(), r.height());
    cairo_stroke(cr);
}

PageCanvas::PageCanvas(const std::filesystem::path& out, PageSize size, double dpi)
    : out_(out), size_(size), dpi_(dpi) {
    const std::string ext = lower_ascii(out.extension().string());
    if (ext == ".pdf") pdf_ = true;
    else if (ext == ".png") pdf_ = false;
    else throw UsageError("cannot write " + out.string() + ": unknown format '" + ext + "' (use .pdf or .png)");
    if (!pdf_ && (dpi < 20 || dpi > 1200)) throw UsageError("--dpi must be from 20 to 1200");
    if (pdf_) {
        const auto temp = temp_beside(out);
        surface_ = cairo_pdf_surface_create(temp.c_str(), size.width, size.height);
        if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(surface_);
            surface_ = nullptr;
            throw Error("cannot write " + out.string() + ": cannot create the PDF");
        }
        cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Qingling 清零");
        temp_pages_.push_back(temp);
        cr_ = cairo_create(surface_);
    }
    start_page();
}

PageCanvas::PageCanvas(InMemory, PageSize size, double dpi) : size_(size), dpi_(dpi), pdf_(false), in_memory_(true) {
    if (dpi < 5 || dpi > 1200) throw UsageError("the preview's resolution must be from 5 to 1200 dpi");
    start_page();
}

PageCanvas::~PageCanvas() {
    if (cr_) cairo_destroy(cr_);
    if (surface_) {
        cairo_surface_finish(surface_);
        cairo_surface_destroy(surface_);
    }
    if (!finished_) {
        std::error_code ec;
        for (const auto& p : temp_pages_) std::filesystem::remove(p, ec);
    }
}

void PageCanvas::start_page() {
    ++pages_;
    if (!pdf_) {
        const int w = static_cast<int>(std::lround(size_.width * dpi_ / 72.0));
        const int h = static_cast<int>(std::lround(size_.height * dpi_ / 72.0));
        surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS)
            throw Error("cannot render " + out_.string() + ": no memory for a " + std::to_string(w) + "x" +
                        std::to_string(h) + " image");
        cr_ = cairo_create(surface_);
        cairo_scale(cr_, dpi_ / 72.0, dpi_ / 72.0);
    }
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
    cairo_restore(cr_);
}

void PageCanvas::end_page() {
    if (pdf_) {
        cairo_show_page(cr_);
        return;
    }
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_flush(surface_);
    if (in_memory_) {
        // RGB24 is xRGB in native-endian 32-bit words.
        image_.width = cairo_image_surface_get_width(surface_);
        image_.height = cairo_image_surface_get_height(surface_);
        const int stride = cairo_image_surface_get_stride(surface_);
        const unsigned char* data = cairo_image_surface_get_data(surface_);
        image_.rgba.resize(static_cast<size_t>(image_.width) * static_cast<size_t>(image_.height) * 4);
        for (int y = 0; y < image_.height; ++y) {
            const auto* row = reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * static_cast<size_t>(stride));
            unsigned char* out = image_.rgba.data() + static_cast<size_t>(y) * static_cast<size_t>(image_.width) * 4;
            for (int x = 0; x < image_.width; ++x) {
                const uint32_t p = row[x];
                out[4 * x] = static_cast<unsigned char>(p >> 16);
                out[4 * x + 1] = static_cast<unsigned char>(p >> 8);
                out[4 * x + 2] = static_cast<unsigned char>(p);
                out[4 * x + 3] = 255;
            }
        }
        cairo_surface_destroy(surface_);
        surface_ = nullptr;
        return;
    }
    const auto temp = temp_beside(out_);
    temp_pages_.push_back(temp);
    const cairo_status_t st = cairo_surface_write_to_png(surface_, temp.c_str());
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    if (st != CAIRO_STATUS_SUCCESS)
        throw Error("cannot write " + out_.string() + ": " + cairo_status_to_string(st));
}

void PageCanvas::next_page() {
    end_page();
    start_page();
}

std::vector<std::filesystem::path> PageCanvas::finish() {
    end_page();
    if (pdf_) {
        cairo_destroy(cr_);
        cr_ = nullptr;
        cairo_surface_finish(surface_);
        const cairo_status_t st = cairo_surface_status(surface_);
        cairo_surface_destroy(surface_);
        surface_ = nullptr;
        if (st != CAIRO_STATUS_SUCCESS) throw Error("cannot write " + out_.string() + ": " + cairo_status_to_string(st));
    }
    std::vector<std::filesystem::path> written;
    for (size_t i = 0; i < temp_pages_.size(); ++i) {
        std::filesystem::path target = out_;
        if (temp_pages_.size() > 1) {
            char suffix[32];
            std::snprintf(suffix, sizeof suffix, "-%02zu", i + 1);
            target = out_.parent_path() / (out_.stem().string() + suffix + out_.extension().string());
        }
        std::error_code ec;
        std::filesystem::rename(temp_pages_[i], target, ec);
        if (ec) throw Error("cannot write " + target.string() + ": " + ec.message());
        written.push_back(target);
    }
    temp_pages_.clear();
    finished_ = true;
    return written;
}

PixelRect PageCanvas::layout_text(double x, double y, const std::string& text, const TextStyle& style, double width,
                                  bool draw) const {
    std::unique_ptr<PangoLayout, GObjectUnref> layout(pango_cairo_create_layout(cr_));
    // Metrics unhinted: the same line breaks in the PDF and in a PNG at any dpi.
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango_layout_get_context(layout.get()), options);
    cairo_font_options_destroy(options);
    pango_layout_context_changed(layout.get());

    std::unique_ptr<PangoFontDescription, FontDescriptionFree> font(pango_font_description_new());
    pango_font_description_set_family(font.get(), kMapFontFamily);
    pango_font_description_set_weight(font.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
    pango_layout_set_font_description(layout.get(), font.get());
    if (width > 0) {
        pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout.get(), style.align == TextStyle::Align::centre ? PANGO_ALIGN_CENTER
                                             : style.align == TextStyle::Align::right ? PANGO_ALIGN_RIGHT
                                                                                       : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    const double w = logical.width / static_cast<double>(PANGO_SCALE);
    const double h = logical.height / static_cast<double>(PANGO_SCALE);
    // Without a wrap width the alignment is relative to x.
    double left = x;
    if (width <= 0) {
        if (style.align == TextStyle::Align::centre) left = x - w / 2;
        else if (style.align == TextStyle::Align::right) left = x - w;
    }
    const double box_left = width > 0 ? left + logical.x / static_cast<double>(PANGO_SCALE) : left;
    if (draw) {
        cairo_save(cr_);
        cairo_move_to(cr_, width > 0 ? left : left - logical.x / static_cast<double>(PANGO_SCALE), y);
        if (style.halo > 0) {
            pango_cairo_layout_path(cr_, layout.get());
            cairo_set_source_rgba(cr_, 1, 1, 1, 0.85);
            cairo_set_line_width(cr_, style.halo * 2);
            cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr_);
            cairo_move_to(cr_, width > 0 ? left : left - logical.x / static_cast<double>(PANGO_SCALE), y);
        }
        set_colour(cr_, style.colour);
        pango_cairo_show_layout(cr_, layout.get());
        cairo_restore(cr_);
    }
    return {static_cast<float>(box_left), static_cast<float>(y), static_cast<float>(box_left + w),
            static_cast<float>(y + h)};
}

PixelRect PageCanvas::text(double x, double y, const std::string& text, const TextStyle& style, double width) const {
    return layout_text(x, y, text, style, width, true);
}

PixelRect PageCanvas::measure(const std::string& text, const TextStyle& style, double width) const {
    return layout_text(0, 0, text, style, width, false);
}

} // namespace qingling
