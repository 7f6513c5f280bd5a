// qingling-bench-ogr-read FILE LAYER: the plain OGR read the viewer's opening time is compared
// with (issue 4): every feature of a layer with its geometry as WKB, nothing else. Prints seconds.
#include <gdal.h>
#include <ogr_api.h>

#include <chrono>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: qingling-bench-ogr-read FILE LAYER\n");
        return 2;
    }
    GDALAllRegister();
    const auto start = std::chrono::steady_clock::now();
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!ds) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, argv[2]);
    if (!layer) {
        std::fprintf(stderr, "no layer %s in %s\n", argv[2], argv[1]);
        return 1;
    }
    long long features = 0, bytes = 0;
    std::vector<unsigned char> wkb;
    OGRFeatureH f = nullptr;
    while ((f = OGR_L_GetNextFeature(layer)) != nullptr) {
        if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) {
            wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
            OGR_G_ExportToWkb(g, wkbNDR, wkb.data());
            bytes += static_cast<long long>(wkb.size());
        }
        OGR_F_Destroy(f);
        ++features;
    }
    GDALClose(ds);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%.3f %lld features %lld WKB bytes\n", seconds, features, bytes);
    return 0;
}
