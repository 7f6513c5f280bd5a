// What 导出当前视图 of tests/app/data/export_view.script gave, as a user would check it: the PDF's
// text (title, legend, the names of enterprises in the view and not of one far away, no entry for
// the layer switched off), its coordinate ticks inside the view's extent, and the layout preview's
// texture equal to the PNG export at the same resolution.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

std::filesystem::path work_dir() {
    const char* dir = std::getenv("QINGLING_APP_WORK");
    return dir ? dir : ".";
}

std::string command_output(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

std::string squeezed(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
    return out;
}

struct View {
    double minx, miny, maxx, maxy;
};

View view_of(const json& dump) {
    const auto& c = dump.at("camera");
    const double cx = c.at("center")[0], cy = c.at("center")[1], r = c.at("resolution");
    const double w = c.at("viewport")[0], h = c.at("viewport")[1];
    return {cx - r * w / 2, cy - r * h / 2, cx + r * w / 2, cy + r * h / 2};
}

struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
};

Image load_png(const std::filesystem::path& path) {
    Image img;
    int n = 0;
    std::unique_ptr<unsigned char, decltype(&stbi_image_free)> data(
        stbi_load(path.c_str(), &img.width, &img.height, &n, 4), &stbi_image_free);
    if (data) img.rgba.assign(data.get(), data.get() + static_cast<size_t>(img.width) * img.height * 4);
    return img;
}

class ExportView : public ::testing::Test {
protected:
    void SetUp() override {
        std::ifstream in(work_dir() / "view_export.json");
        ASSERT_TRUE(in) << "missing view_export.json: did app.script_export_view run?";
        dump = json::parse(in);
        view = view_of(dump);
        const auto pdf = work_dir() / "export_view.pdf";
        ASSERT_TRUE(std::filesystem::exists(pdf));
        layout_text = command_output("pdftotext -layout '" + pdf.string() + "' -");
        text = squeezed(layout_text);
    }
    json dump;
    View view{};
    std::string layout_text, text;
};

} // namespace

TEST_F(ExportView, PdfHasTitleLegendAndTheVisibleLayersOnly) {
    EXPECT_NE(text.find("青岭街道“散乱污”企业分布图"), std::string::npos) << text;
    EXPECT_NE(text.find("图例"), std::string::npos);
    EXPECT_NE(text.find("依法关闭"), std::string::npos);
    EXPECT_NE(text.find("村级调查区"), std::string::npos) << "a visible layer has its legend entry";
    EXPECT_EQ(text.find("永久基本农田"), std::string::npos) << "the layer switched off in the viewer is not printed";
}

TEST_F(ExportView, NamesOfEnterprisesInTheViewArePrintedAndFarOnesAreNot) {
    const double w = view.maxx - view.minx, h = view.maxy - view.miny;
    int inside = 0, printed = 0;
    std::string far_name;
    double far_distance = 0;
    for (const auto& e : dump.at("enterprises")) {
        if (e.at("world").is_null()) continue;
        const double x = e.at("world")[0], y = e.at("world")[1];
        const std::string name = e.at("name");
        // Well inside the view (the page's frame has another shape than the window's map).
        if (x > view.minx + 0.15 * w && x < view.maxx - 0.15 * w && y > view.miny + 0.15 * h && y < view.maxy - 0.15 * h) {
            ++inside;
            printed += text.find(squeezed(name)) != std::string::npos;
        }
        const double d = std::max(std::max(view.minx - x, x - view.maxx), std::max(view.miny - y, y - view.maxy));
        if (d > far_distance) {
            far_distance = d;
            far_name = name;
        }
    }
    ASSERT_GE(inside, 3) << "the village's view holds enterprises";
    EXPECT_GE(printed * 10, inside * 7) << printed << " of " << inside << " names printed";
    ASSERT_GT(far_distance, w) << "an enterprise far outside the view";
    EXPECT_EQ(text.find(squeezed(far_name)), std::string::npos) << far_name << " is " << far_distance << " m outside";
}

TEST_F(ExportView, CoordinateTicksLieInTheViewsExtent) {
    // Tick labels: eastings of 6 digits (5xxxxx), northings of 7 (33xxxxx) in EPSG:4547.
    std::vector<double> xs, ys;
    const std::regex number(R"((^|[^0-9.])([0-9]{6,7})(?![0-9.]))");
    for (std::sregex_iterator it(layout_text.begin(), layout_text.end(), number), end; it != end; ++it) {
        const std::string digits = (*it)[2];
        (digits.size() == 6 ? xs : ys).push_back(std::stod(digits));
    }
    ASSERT_GE(xs.size(), 2u) << layout_text;
    ASSERT_GE(ys.size(), 2u) << layout_text;
    // The page's frame shows the view centred and whole at the next round scale; its shape (A4
    // landscape) is wider than the window's map (taller than wide), so the view fills it in height.
    const double w = view.maxx - view.minx, h = view.maxy - view.miny;
    ASSERT_LT(w / h, 1.0) << "the script's window gives a map taller than wide";
    // Round scales step by 5 in the second digit (1:10,000 → 1:15,000): at most a quarter more on each side.
    for (double y : ys) {
        EXPECT_GE(y, view.miny - 0.25 * h) << y;
        EXPECT_LE(y, view.maxy + 0.25 * h) << y;
    }
    std::sort(xs.begin(), xs.end());
    std::sort(ys.begin(), ys.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
    ASSERT_GE(xs.size(), 2u);
    ASSERT_GE(ys.size(), 2u);
    EXPECT_GE(ys.back() - ys.front(), 0.5 * h) << "the ticks span most of the view's height";
    // Centred on the view: the middle of the ticks within one tick step of the view's centre.
    const double step_x = xs[1] - xs[0], step_y = ys[1] - ys[0];
    EXPECT_NEAR((xs.front() + xs.back()) / 2, (view.minx + view.maxx) / 2, step_x);
    EXPECT_NEAR((ys.front() + ys.back()) / 2, (view.miny + view.maxy) / 2, step_y);
    // And not the whole subdistrict (about 11 km across): the frame is a few kilometres wide.
    EXPECT_LT(xs.back() - xs.front(), 3 * w);
}

TEST_F(ExportView, PreviewTextureEqualsThePngExportAtItsResolution) {
    const Image preview = load_png(work_dir() / "export_preview.png");
    const Image exported = load_png(work_dir() / "export_preview_same.png");
    ASSERT_GT(preview.width, 200);
    ASSERT_EQ(preview.width, exported.width);
    ASSERT_EQ(preview.height, exported.height);
    long long differing = 0, ink = 0;
    for (size_t i = 0; i < preview.rgba.size(); i += 4) {
        int d = 0;
        for (int c = 0; c < 3; ++c) d = std::max(d, std::abs(preview.rgba[i + c] - exported.rgba[i + c]));
        differing += d > 8;
        ink += preview.rgba[i] < 128 && preview.rgba[i + 1] < 128 && preview.rgba[i + 2] < 128;
    }
    const long long pixels = static_cast<long long>(preview.width) * preview.height;
    EXPECT_LE(differing, pixels / 200) << differing << " of " << pixels << " pixels differ";
    EXPECT_GT(ink, pixels / 200) << "the preview shows the page's text and lines";
}
