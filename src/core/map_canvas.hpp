// Pages for printed maps, lists and bulletins: a Cairo surface (vector PDF with embedded font
// subsets, or PNG at a chosen dpi) in points, and Chinese text laid out by Pango (WenQuanYi Micro
// Hei through fontconfig), wrapped at a width when asked. RAII for every Cairo/Pango handle.
#pragma once

#include "core/map_labels.hpp"
#include "core/map_style.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;

namespace qingling {

inline constexpr double kPointsPerMm = 72.0 / 25.4;
inline double mm(double millimetres) { return millimetres * kPointsPerMm; }

enum class PageFormat { a4_portrait, a4_landscape, a3_portrait, a3_landscape };
// "A4P", "A4L", "A3P", "A3L" (case-insensitive); nullopt otherwise.
std::optional<PageFormat> parse_page_format(const std::string& text);
const char* page_format_code(PageFormat f);

struct PageSize {
    double width = 0, height = 0;  // points
    bool landscape() const { return width > height; }
};
PageSize page_size(PageFormat f);

// The font every page uses (it has the Chinese glyphs).
inline constexpr const char* kMapFontFamily = "WenQuanYi Micro Hei";

struct TextStyle {
    double size = 9;          // points
    bool bold = false;
    Rgba colour = rgb(0x202020);
    enum class Align { left, centre, right } align = Align::left;
    double halo = 0;          // width of a white outline behind the glyphs (labels on the map), points
};

// Output pages: a PDF (all pages in one file) or PNG (one file per page: OUT.png for one page,
// OUT-01.png, OUT-02.png ... for several). Written to temporary files beside the output and
// renamed by finish(), so a failure leaves no partial file. Throws UsageError for another
// extension, Error when a file cannot be written.
class PageCanvas {
public:
    PageCanvas(const std::filesystem::path& out, PageSize size, double dpi);
    // No file: the pages are rendered into an image at `dpi` kept in memory (the viewer's layout
    // preview); finish() returns no file and image() the last page.
    struct InMemory {};
    PageCanvas(InMemory, PageSize size, double dpi);
    ~PageCanvas();
    PageCanvas(const PageCanvas&) = delete;
    PageCanvas& operator=(const PageCanvas&) = delete;

    cairo_t* cr() const { return cr_; }
    PageSize size() const { return size_; }
    bool is_pdf() const { return pdf_; }
    double dpi() const { return dpi_; }
    int page_count() const { return pages_; }
    // Ends the current page and starts a new, blank one.
    void next_page();
    // Ends the last page and moves the files into place; returns them.
    std::vector<std::filesystem::path> finish();
    // In-memory canvas after finish(): the last page, RGBA 8 bits per channel, rows top first.
    struct Image {
        int width = 0, height = 0;
        std::vector<unsigned char> rgba;
    };
    const Image& image() const { return image_; }

    // Draws text with its top-left (or top-centre/right, by align) at (x, y); wraps at `width`
    // (0 = no wrapping). Returns the box it covers.
    PixelRect text(double x, double y, const std::string& text, const TextStyle& style, double width = 0) const;
    // The size text would take (width, height) without drawing it.
    PixelRect measure(const std::string& text, const TextStyle& style, double width = 0) const;

private:
    void start_page();
    void end_page();
    PixelRect layout_text(double x, double y, const std::string& text, const TextStyle& style, double width,
                          bool draw) const;

    std::filesystem::path out_;
    PageSize size_;
    double dpi_ = 150;
    bool pdf_ = true;
    int pages_ = 0;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    std::vector<std::filesystem::path> temp_pages_;  // PNG: one per finished page; PDF: the one file
    bool finished_ = false;
    bool in_memory_ = false;
    Image image_;
};

// Cairo drawing helpers in points.
void set_colour(cairo_t* cr, Rgba c);
void fill_rect(cairo_t* cr, const PixelRect& r, Rgba c);
void stroke_rect(cairo_t* cr, const PixelRect& r, Rgba c, double width);
// Hatches the current path (stripes `spacing` apart, `width` wide, in points) and keeps the path
// for an outline, as cairo_fill_preserve would.
void hatch_preserve(cairo_t* cr, Hatch hatch, Rgba colour, double spacing, double width);

} // namespace qingling
