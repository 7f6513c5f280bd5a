#include "core/basemap.hpp"

#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"

#include <gdalwarper.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qingling {

namespace fs = std::filesystem;

namespace {

GdalDatasetPtr open_raster(const fs::path& file) {
    ensure_gdal_initialised();
    GdalDatasetPtr ds(GDALDataset::Open(file.string().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) throw InputError(file.string() + ": not a raster GDAL can read (" + last_gdal_error("no driver") + ")");
    if (ds->GetRasterCount() < 1) throw InputError(file.string() + ": the raster has no bands");
    return ds;
}

// The raster's CRS: its own, else the one the user gives.
OGRSpatialReference raster_srs(GDALDataset& ds, const fs::path& file, std::optional<int> epsg) {
    if (epsg) return make_srs(*epsg);
    const OGRSpatialReference* own = ds.GetSpatialRef();
    if (!own || own->IsEmpty())
        throw InputError(file.string() + ": the raster has no CRS; give it (e.g. --crs 4547 for CGCS2000 / 3-degree GK zone 38)");
    return with_gis_axis_order(*own);
}

struct Box {
    double minx = std::numeric_limits<double>::infinity(), miny = minx, maxx = -minx, maxy = -minx;
    void add(double x, double y) {
        minx = std::min(minx, x);
        miny = std::min(miny, y);
        maxx = std::max(maxx, x);
        maxy = std::max(maxy, y);
    }
    bool valid() const { return minx <= maxx && miny <= maxy; }
};

// The raster's footprint in the project CRS: its edges, densified, transformed.
Box extent_in(GDALDataset& ds, const OGRSpatialReference& from, const OGRSpatialReference& to, const fs::path& file) {
    double gt[6];
    if (ds.GetGeoTransform(gt) != CE_None || (gt[1] == 1 && gt[5] == 1 && gt[0] == 0 && gt[3] == 0))
        throw InputError(file.string() + ": the raster is not georeferenced (no geotransform or world file)");
    CoordTransformPtr ct = make_transform(from, to);
    Box box;
    const int w = ds.GetRasterXSize(), h = ds.GetRasterYSize();
    constexpr int kSteps = 16;
    for (int i = 0; i <= kSteps; ++i)
        for (int edge = 0; edge < 4; ++edge) {
            const double t = static_cast<double>(i) / kSteps;
            const double px = edge == 0 ? t * w : edge == 1 ? w : edge == 2 ? (1 - t) * w : 0;
            const double py = edge == 0 ? 0 : edge == 1 ? t * h : edge == 2 ? h : (1 - t) * h;
            double x = gt[0] + px * gt[1] + py * gt[2], y = gt[3] + px * gt[4] + py * gt[5];
            if (transform_point(*ct, x, y)) box.add(x, y);
        }
    if (!box.valid()) throw InputError(file.string() + ": the raster's extent does not transform into the project CRS");
    return box;
}

struct ProgressBridge {
    Progress* progress;
    static int CPL_STDCALL report(double fraction, const char*, void* data) {
        auto* self = static_cast<ProgressBridge*>(data);
        self->progress->report(fraction, "建立影像金字塔");
        return self->progress->cancelled() ? FALSE : TRUE;
    }
};

} // namespace

fs::path basemap_file(const fs::path& project, const BasemapInfo& basemap) {
    const fs::path p(basemap.path);
    return p.is_absolute() ? p : fs::absolute(project).parent_path() / p;
}

BasemapAddReport add_basemap(ProjectStore& store, const BasemapAddOptions& options, Progress& progress) {
    const fs::path file = fs::absolute(options.raster);
    GdalDatasetPtr ds = open_raster(file);
    const OGRSpatialReference from = raster_srs(*ds, file, options.epsg);
    const int epsg = store.settings().epsg;
    const Box box = extent_in(*ds, from, make_srs(epsg), file);

    BasemapAddReport report;
    BasemapInfo& info = report.info;
    info.name = options.name.empty() ? file.stem().string() : options.name;
    // Relative to the campaign file's folder when inside it, so the two move together.
    const fs::path folder = fs::absolute(store.path()).parent_path();
    const fs::path relative = file.lexically_relative(folder);
    info.path = !relative.empty() && *relative.begin() != ".." ? relative.string() : file.string();
    info.crs = options.epsg ? "EPSG:" + std::to_string(*options.epsg) : srs_label(from);
    info.minx = box.minx;
    info.miny = box.miny;
    info.maxx = box.maxx;
    info.maxy = box.maxy;
    info.width = ds->GetRasterXSize();
    info.height = ds->GetRasterYSize();
    info.bands = ds->GetRasterCount();
    info.overviews = ds->GetRasterBand(1)->GetOverviewCount();
    if (info.overviews == 0 && options.build_overviews && std::max(info.width, info.height) > 512) {
        // Factors 2, 4, 8 … until the smallest level is under 256 pixels across; external (.ovr),
        // so a read-only or shared orthophoto is not modified.
        std::vector<int> factors;
        for (int f = 2; std::max(info.width, info.height) / f >= 256; f *= 2) factors.push_back(f);
        ProgressBridge bridge{&progress};
        ScopedGdalConfig compress("COMPRESS_OVERVIEW", "DEFLATE");
        if (GDALBuildOverviews(GDALDataset::ToHandle(ds.get()), "AVERAGE", static_cast<int>(factors.size()), factors.data(), 0,
                               nullptr, &ProgressBridge::report, &bridge) != CE_None) {
            if (progress.cancelled()) throw CancelledError();
            throw InputError(file.string() + ": cannot build overviews (" + last_gdal_error("unknown reason") + ")");
        }
        report.overviews_built = static_cast<int>(factors.size());
        info.overviews = ds->GetRasterBand(1)->GetOverviewCount();
    }
    // Does it cover anything of the project? (the jurisdiction, if there is one)
    Box project;
    for (const LayerInfo& layer : store.layers_with_role("jurisdiction"))
        if (const auto e = store.layer_extent(layer)) {
            project.add(e->minx, e->miny);
            project.add(e->maxx, e->maxy);
        }
    if (project.valid())
        report.overlaps_jurisdiction = !(box.maxx < project.minx || box.minx > project.maxx || box.maxy < project.miny ||
                                         box.miny > project.maxy);
    for (const BasemapInfo& b : store.basemaps()) report.replaced = report.replaced || b.name == info.name;
    WriteTransaction tx(store);
    store.set_basemap(tx, info);
    tx.commit();
    return report;
}

struct BasemapReader::Impl {
    fs::path file;
    GdalDatasetPtr source;
    GdalDatasetPtr warped;  // a warped VRT into the project CRS, when the raster is in another
    GDALDataset* view = nullptr;
    std::vector<int> bands;        // 1-based, read in this order into R, G, B (and A)
    bool has_alpha = false;
    GDALColorTable* palette = nullptr;  // single band with a colour table
    double stretch_min = 0, stretch_max = 255;
    bool stretch = false;
    double gt[6] = {0, 1, 0, 0, 0, 1};

    ~Impl() {
        warped.reset();  // before the source it reads
        source.reset();
    }
};

BasemapReader::BasemapReader(const fs::path& file, const std::string& crs, int project_epsg) : impl_(new Impl) {
    try {
        impl_->file = file;
        impl_->source = open_raster(file);
        GDALDataset& ds = *impl_->source;
        impl_->view = &ds;
        const OGRSpatialReference* own_srs = ds.GetSpatialRef();
        // The file's own CRS, else the one recorded when it was added (given by the user then).
        const OGRSpatialReference own = own_srs && !own_srs->IsEmpty() ? *own_srs : make_srs(crs);
        const OGRSpatialReference project = make_srs(project_epsg);
        if (!own.IsSame(&project)) {
            char* src_wkt = nullptr;
            char* dst_wkt = nullptr;
            own.exportToWkt(&src_wkt);
            project.exportToWkt(&dst_wkt);
            impl_->warped.reset(GDALDataset::FromHandle(
                GDALAutoCreateWarpedVRT(GDALDataset::ToHandle(&ds), src_wkt, dst_wkt, GRA_Bilinear, 0.125, nullptr)));
            CPLFree(src_wkt);
            CPLFree(dst_wkt);
            if (!impl_->warped) throw InputError(file.string() + ": cannot reproject into the project CRS (" + last_gdal_error("GDAL warp") + ")");
            impl_->view = impl_->warped.get();
        }
        GDALDataset& v = *impl_->view;
        if (v.GetGeoTransform(impl_->gt) != CE_None) throw InputError(file.string() + ": the raster is not georeferenced");
        const int n = v.GetRasterCount();
        int alpha = 0;
        for (int b = 1; b <= n; ++b)
            if (v.GetRasterBand(b)->GetColorInterpretation() == GCI_AlphaBand) alpha = b;
        if (n >= 3) {
            impl_->bands = {1, 2, 3};
        } else {
            impl_->bands = {1};
            impl_->palette = v.GetRasterBand(1)->GetColorTable();
        }
        if (alpha > 0) {
            impl_->bands.push_back(alpha);
            impl_->has_alpha = true;
        }
        if (v.GetRasterBand(1)->GetRasterDataType() != GDT_Byte && !impl_->palette) {
            // Elevation and other measured values: grey from their minimum to maximum (approximate).
            double mm[2] = {0, 255};
            if (v.GetRasterBand(1)->ComputeRasterMinMax(TRUE, mm) == CE_None && mm[1] > mm[0]) {
                impl_->stretch = true;
                impl_->stretch_min = mm[0];
                impl_->stretch_max = mm[1];
            }
        }
    } catch (...) {
        delete impl_;
        throw;
    }
}

BasemapReader::~BasemapReader() { delete impl_; }

BasemapImage BasemapReader::read(double minx, double miny, double maxx, double maxy, int width, int height) {
    BasemapImage image;
    image.width = std::max(1, width);
    image.height = std::max(1, height);
    image.minx = minx;
    image.miny = miny;
    image.maxx = maxx;
    image.maxy = maxy;
    image.rgba.assign(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4, 0);
    GDALDataset& v = *impl_->view;
    const double* gt = impl_->gt;
    if (gt[2] != 0 || gt[4] != 0) throw InputError(impl_->file.string() + ": rotated rasters are not supported");
    // The view in raster pixels (floating point), clipped to the raster.
    const double px0 = (minx - gt[0]) / gt[1], px1 = (maxx - gt[0]) / gt[1];
    const double py0 = (maxy - gt[3]) / gt[5], py1 = (miny - gt[3]) / gt[5];
    const double cx0 = std::max(0.0, std::min(px0, px1)), cx1 = std::min<double>(v.GetRasterXSize(), std::max(px0, px1));
    const double cy0 = std::max(0.0, std::min(py0, py1)), cy1 = std::min<double>(v.GetRasterYSize(), std::max(py0, py1));
    if (cx1 <= cx0 || cy1 <= cy0) return image;  // nothing of the raster in view
    // Where the clipped window lands in the output.
    const double sx = image.width / (px1 - px0), sy = image.height / (py1 - py0);
    const int ox0 = static_cast<int>(std::floor((cx0 - px0) * sx)), ox1 = static_cast<int>(std::ceil((cx1 - px0) * sx));
    const int oy0 = static_cast<int>(std::floor((cy0 - py0) * sy)), oy1 = static_cast<int>(std::ceil((cy1 - py0) * sy));
    const int ow = std::min(image.width, ox1) - std::max(0, ox0), oh = std::min(image.height, oy1) - std::max(0, oy0);
    if (ow <= 0 || oh <= 0) return image;
    // The source window of exactly those output pixels.
    const double wx0 = px0 + std::max(0, ox0) / sx, wy0 = py0 + std::max(0, oy0) / sy;
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    extra.eResampleAlg = GRIORA_Bilinear;  // GDAL picks the overview level for the reduction
    extra.bFloatingPointWindowValidity = TRUE;
    // Rounding the output to whole pixels may reach a hair past the raster: clamp to it.
    const double W = v.GetRasterXSize(), H = v.GetRasterYSize();
    extra.dfXOff = std::clamp(wx0, 0.0, W);
    extra.dfYOff = std::clamp(wy0, 0.0, H);
    extra.dfXSize = std::max(1e-6, std::min(ow / sx, W - extra.dfXOff));
    extra.dfYSize = std::max(1e-6, std::min(oh / sy, H - extra.dfYOff));
    const int xoff = static_cast<int>(std::floor(extra.dfXOff)), yoff = static_cast<int>(std::floor(extra.dfYOff));
    const int xsize = std::max(1, std::min(v.GetRasterXSize() - xoff, static_cast<int>(std::ceil(extra.dfXOff + extra.dfXSize)) - xoff));
    const int ysize = std::max(1, std::min(v.GetRasterYSize() - yoff, static_cast<int>(std::ceil(extra.dfYOff + extra.dfYSize)) - yoff));
    const std::size_t nb = impl_->bands.size();
    std::vector<double> values;
    std::vector<std::uint8_t> bytes;
    CPLErr err;
    if (impl_->stretch) {
        values.assign(static_cast<size_t>(ow) * oh, 0);
        err = v.GetRasterBand(1)->RasterIO(GF_Read, xoff, yoff, xsize, ysize, values.data(), ow, oh, GDT_Float64, 0, 0, &extra);
    } else {
        bytes.assign(static_cast<size_t>(ow) * oh * nb, 0);
        std::vector<int> map(impl_->bands.begin(), impl_->bands.end());
        err = v.RasterIO(GF_Read, xoff, yoff, xsize, ysize, bytes.data(), ow, oh, GDT_Byte, static_cast<int>(nb), map.data(),
                         static_cast<GSpacing>(nb), static_cast<GSpacing>(nb) * ow, 1, &extra);
    }
    if (err != CE_None) throw InputError(impl_->file.string() + ": " + last_gdal_error("cannot read the raster"));
    for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
            std::uint8_t* out = &image.rgba[(static_cast<size_t>(y + std::max(0, oy0)) * image.width + x + std::max(0, ox0)) * 4];
            const size_t i = static_cast<size_t>(y) * ow + x;
            if (impl_->stretch) {
                const double g = std::clamp((values[i] - impl_->stretch_min) / (impl_->stretch_max - impl_->stretch_min), 0.0, 1.0);
                out[0] = out[1] = out[2] = static_cast<std::uint8_t>(std::lround(g * 255));
                out[3] = 255;
                continue;
            }
            const std::uint8_t* in = &bytes[i * nb];
            if (impl_->palette) {
                const GDALColorEntry* c = impl_->palette->GetColorEntry(in[0]);
                out[0] = c ? static_cast<std::uint8_t>(c->c1) : in[0];
                out[1] = c ? static_cast<std::uint8_t>(c->c2) : in[0];
                out[2] = c ? static_cast<std::uint8_t>(c->c3) : in[0];
                out[3] = c ? static_cast<std::uint8_t>(c->c4) : 255;
            } else if (nb >= 3) {
                out[0] = in[0];
                out[1] = in[1];
                out[2] = in[2];
                out[3] = impl_->has_alpha ? in[3] : 255;
            } else {
                out[0] = out[1] = out[2] = in[0];
                out[3] = impl_->has_alpha ? in[1] : 255;
            }
        }
    return image;
}

} // namespace qingling
