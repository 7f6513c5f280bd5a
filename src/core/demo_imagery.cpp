#include "core/demo_imagery.hpp"

#include "core/errors.hpp"
#include "core/gdal_handles.hpp"

#include <gdal_alg.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace qingling {

namespace {

struct Colour {
    std::uint8_t r, g, b;
};

// Roughly what each 三调 first-level class looks like from the air in late summer.
Colour imagery_colour(const std::string& code) {
    const std::string group = code.substr(0, 2);
    if (group == "01") return {138, 150, 84};   // fields
    if (group == "02") return {96, 128, 62};    // orchards
    if (group == "03") return {52, 86, 46};     // woods
    if (group == "04") return {150, 160, 100};  // grass
    if (group == "05") return {168, 152, 140};  // shops
    if (group == "06") return {176, 172, 166};  // factory roofs
    if (group == "07") return {150, 118, 104};  // houses, red-brown roofs
    if (group == "08") return {160, 150, 136};
    if (group == "10") return {120, 120, 118};  // roads
    if (group == "11") return {46, 72, 86};     // water
    if (group == "12") return {170, 158, 128};
    return {140, 140, 120};
}

// A deterministic hash for texture (same picture on every run).
std::uint32_t hash(std::uint32_t x, std::uint32_t y) {
    std::uint32_t h = x * 374761393u + y * 668265263u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return h ^ (h >> 16);
}

} // namespace

void write_demo_imagery(const std::filesystem::path& dltb, const std::filesystem::path& out, Progress& progress,
                        double metres_per_pixel) {
    ensure_gdal_initialised();
    GdalDatasetPtr source(GDALDataset::Open(dltb.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!source) throw Error(dltb.string() + ": " + last_gdal_error("cannot open"));
    OGRLayer* layer = source->GetLayer(0);
    OGREnvelope extent;
    if (!layer || layer->GetExtent(&extent, TRUE) != OGRERR_NONE) throw Error(dltb.string() + ": no extent");
    const int width = static_cast<int>(std::ceil((extent.MaxX - extent.MinX) / metres_per_pixel));
    const int height = static_cast<int>(std::ceil((extent.MaxY - extent.MinY) / metres_per_pixel));

    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GdalDatasetPtr image(mem->Create("", width, height, 3, GDT_Byte, nullptr));
    double gt[6] = {extent.MinX, metres_per_pixel, 0, extent.MaxY, 0, -metres_per_pixel};
    image->SetGeoTransform(gt);
    image->SetSpatialRef(layer->GetSpatialRef());
    // Beyond the subdistrict's patches the imagery goes on: fields, as around a real boundary.
    const Colour beyond = imagery_colour("0103");
    const std::uint8_t beyond_rgb[3] = {beyond.r, beyond.g, beyond.b};
    for (int b = 1; b <= 3; ++b) image->GetRasterBand(b)->Fill(beyond_rgb[b - 1]);

    // Each patch burnt in its class's colour.
    std::vector<OGRGeometryH> geometries;
    std::vector<double> burn;  // band-interleaved per geometry
    const int code_field = layer->GetLayerDefn()->GetFieldIndex("DLBM");
    layer->ResetReading();
    for (auto& feature : *layer) {
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        const Colour c = imagery_colour(code_field >= 0 ? feature->GetFieldAsString(code_field) : "");
        geometries.push_back(OGRGeometry::ToHandle(g->clone()));
        burn.insert(burn.end(), {static_cast<double>(c.r), static_cast<double>(c.g), static_cast<double>(c.b)});
    }
    progress.report(0.2, "模拟影像");
    int bands[3] = {1, 2, 3};
    const CPLErr err = GDALRasterizeGeometries(GDALDataset::ToHandle(image.get()), 3, bands, static_cast<int>(geometries.size()),
                                               geometries.data(), nullptr, nullptr, burn.data(), nullptr, nullptr, nullptr);
    for (OGRGeometryH g : geometries) OGR_G_DestroyGeometry(g);
    if (err != CE_None) throw Error(out.string() + ": " + last_gdal_error("cannot rasterise the DLTB"));
    progress.report(0.5, "模拟影像");

    // Texture: fine grain and field-sized light variation, so it reads as imagery, not a map.
    std::vector<std::uint8_t> row(static_cast<size_t>(width));
    for (int b = 1; b <= 3; ++b) {
        GDALRasterBand* band = image->GetRasterBand(b);
        for (int y = 0; y < height; ++y) {
            if (band->RasterIO(GF_Read, 0, y, width, 1, row.data(), width, 1, GDT_Byte, 0, 0) != CE_None)
                throw Error(out.string() + ": " + last_gdal_error("cannot read back"));
            for (int x = 0; x < width; ++x) {
                const int grain = static_cast<int>(hash(static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)) % 17) - 8;
                const int patch = static_cast<int>(hash(static_cast<std::uint32_t>(x / 6), static_cast<std::uint32_t>(y / 6)) % 13) - 6;
                const int v = row[static_cast<size_t>(x)] + grain + patch;
                row[static_cast<size_t>(x)] = static_cast<std::uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
            }
            if (band->RasterIO(GF_Write, 0, y, width, 1, row.data(), width, 1, GDT_Byte, 0, 0) != CE_None)
                throw Error(out.string() + ": " + last_gdal_error("cannot write"));
        }
    }
    progress.report(0.7, "模拟影像");
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* options[] = {"COMPRESS=JPEG", "JPEG_QUALITY=85", "PHOTOMETRIC=YCBCR", "TILED=YES", nullptr};
    const std::filesystem::path partial = out.string() + ".partial.tif";
    GdalDatasetPtr written(gtiff->CreateCopy(partial.string().c_str(), image.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
    if (!written) throw Error(out.string() + ": " + last_gdal_error("cannot write the GeoTIFF"));
    written->SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION", "Qingling demo: simulated orthophoto (rasterised DLTB), CC0");
    written.reset();
    {
        // Overviews inside the file, JPEG like the full resolution (a separate .ovr would be larger
        // than the image).
        GdalDatasetPtr update(GDALDataset::Open(partial.string().c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
        ScopedGdalConfig compress("COMPRESS_OVERVIEW", "JPEG");
        ScopedGdalConfig photometric("PHOTOMETRIC_OVERVIEW", "YCBCR");
        ScopedGdalConfig interleave("INTERLEAVE_OVERVIEW", "PIXEL");
        int factors[] = {2, 4, 8};
        if (!update || update->BuildOverviews("AVERAGE", 3, factors, 0, nullptr, nullptr, nullptr) != CE_None)
            throw Error(out.string() + ": " + last_gdal_error("cannot build overviews"));
    }
    std::filesystem::rename(partial, out);
    progress.report(1.0, "模拟影像");
}

} // namespace qingling
