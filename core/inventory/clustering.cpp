#include "core/inventory/clustering.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/inventory/sql_util.h"

namespace emitrace::inventory {
namespace {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int find(int x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;  // the smaller index stays root: deterministic numbering
  }

 private:
  std::vector<int> parent_;
};

}  // namespace

std::vector<ClusterItem> loadClusterItems(GDALDataset& ds, const std::string& where) {
  std::vector<ClusterItem> items;
  selectSql(ds,
            "SELECT fid + 0 AS det_id, detection_key, effective_type, review_status, probability, "
            "model_kind, acquisition_dates, geom FROM detections " + where + " ORDER BY fid",
            [&](OGRFeature& f) {
              const OGRGeometry* g = f.GetGeometryRef();
              if (!g || g->IsEmpty()) return;
              ClusterItem item;
              item.id = f.GetFieldAsInteger64("det_id");
              item.key = f.GetFieldAsString("detection_key");
              item.type = parseFacilityType(f.GetFieldAsString("effective_type"));
              item.status = parseReviewStatus(f.GetFieldAsString("review_status"));
              item.probability = f.GetFieldAsDouble("probability");
              item.modelKind = f.GetFieldAsString("model_kind");
              const auto dates =
                  nlohmann::json::parse(f.GetFieldAsString("acquisition_dates"), nullptr, false);
              if (dates.is_array()) {
                for (const auto& d : dates) {
                  if (!d.is_string() || d.get<std::string>().empty()) continue;
                  const std::string s = d.get<std::string>();
                  if (item.firstAcquisition.empty() || s < item.firstAcquisition) item.firstAcquisition = s;
                  if (s > item.lastAcquisition) item.lastAcquisition = s;
                }
              }
              item.geometry.reset(g->clone());
              item.shape = geo::shapeOf(*g);
              item.box = geo::boxOf(item.shape);
              items.push_back(std::move(item));
            });
  return items;
}

std::vector<int> connectedComponents(const std::vector<const ClusterItem*>& items,
                                     double toleranceMetres) {
  const size_t n = items.size();
  std::vector<int> component(n, -1);
  if (n == 0) return component;
  // Grid cells about twice the typical detection size keep candidate lists short.
  std::vector<double> sizes;
  sizes.reserve(n);
  for (const auto* it : items) sizes.push_back(std::max(it->box.maxX - it->box.minX, it->box.maxY - it->box.minY));
  std::nth_element(sizes.begin(), sizes.begin() + n / 2, sizes.end());
  const double cell = std::max(2.0 * sizes[n / 2], 1e-4);
  geo::GridIndex index(cell);
  for (size_t i = 0; i < n; ++i) index.insert(static_cast<int>(i), items[i]->box);

  UnionFind uf(n);
  std::vector<int> candidates;
  const double margin = geo::metresToDegreesLat(std::max(toleranceMetres, 0.0)) * 4 + 1e-12;
  for (size_t i = 0; i < n; ++i) {
    const ClusterItem& a = *items[i];
    const double lat = std::max(std::abs(a.box.minY), std::abs(a.box.maxY));
    const double dLon = geo::metresToDegreesLon(std::max(toleranceMetres, 0.0), lat) * 4 + 1e-12;
    index.query(a.box.expanded(dLon, margin), candidates);
    for (int j : candidates) {
      if (j <= static_cast<int>(i)) continue;
      const ClusterItem& b = *items[j];
      if (a.type != b.type) continue;
      if (uf.find(static_cast<int>(i)) == uf.find(j)) continue;
      if (geo::adjacent(a.shape, a.box, b.shape, b.box, toleranceMetres)) uf.unite(static_cast<int>(i), j);
    }
  }
  // Number components in order of their smallest item index.
  std::vector<int> number(n, -1);
  int next = 0;
  for (size_t i = 0; i < n; ++i) {
    const int root = uf.find(static_cast<int>(i));
    if (number[root] < 0) number[root] = next++;
    component[i] = number[root];
  }
  return component;
}

}  // namespace emitrace::inventory
