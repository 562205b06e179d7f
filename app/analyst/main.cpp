// emitrace-analyst [--open raster|vector ...] [--aoi SPEC] [--patch 72px] [--overlap 0]
//                  [--edge shift|pad|drop] [--crs EPSG:…] [--size WxH]
//                  [--screenshot out.png [--view map]]
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>

#include "app/analyst/main_window.h"
#include "app/analyst/map/map_canvas.h"
#include "app/analyst/panels/aoi_panel.h"
#include "core/error.h"
#include "core/version.h"

using emitrace::analyst::MainWindow;

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Emitrace Analyst"));
  QApplication::setOrganizationName(QStringLiteral("Emitrace"));
  QApplication::setApplicationVersion(QString::fromLatin1(emitrace::kVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QApplication::translate("main", "Emitrace analyst application"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption open(
      QStringLiteral("open"),
      QApplication::translate("main",
                              "Open a raster or vector file (repeat; single-band files of one grid named "
                              "…_B12, …_B11, … are stacked into one layer)."),
      QApplication::translate("main", "file"));
  QCommandLineOption aoi(
      QStringLiteral("aoi"),
      QApplication::translate("main",
                              "Area of interest: a vector file, minx,miny,maxx,maxy[,CRS], WKT or 'whole'."),
      QApplication::translate("main", "spec"));
  QCommandLineOption patch(QStringLiteral("patch"),
                           QApplication::translate("main", "Tile-grid patch size (72px, 720m)."),
                           QApplication::translate("main", "size"), QStringLiteral("72px"));
  QCommandLineOption overlap(QStringLiteral("overlap"),
                             QApplication::translate("main", "Tile-grid overlap (0.25, 8px, 80m)."),
                             QApplication::translate("main", "overlap"), QStringLiteral("0"));
  QCommandLineOption edge(QStringLiteral("edge"),
                          QApplication::translate("main", "Tile-grid edge policy: shift, pad or drop."),
                          QApplication::translate("main", "policy"), QStringLiteral("shift"));
  QCommandLineOption crs(QStringLiteral("crs"),
                         QApplication::translate("main", "Map coordinate reference system (EPSG:4326, …)."),
                         QApplication::translate("main", "crs"));
  QCommandLineOption size(QStringLiteral("size"),
                          QApplication::translate("main", "Window size in pixels, e.g. 1400x900."),
                          QApplication::translate("main", "WxH"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QApplication::translate("main", "Render the window to a PNG and exit."),
                                QApplication::translate("main", "png"));
  QCommandLineOption view(QStringLiteral("view"),
                          QApplication::translate("main", "View to show in the screenshot: map."),
                          QApplication::translate("main", "view"), QStringLiteral("map"));
  for (const auto* o : {&open, &aoi, &patch, &overlap, &edge, &crs, &size, &screenshot, &view})
    parser.addOption(*o);
  parser.process(app);

  const bool shooting = parser.isSet(screenshot);
  if (parser.value(view) != QStringLiteral("map")) {
    std::fprintf(
        stderr, "%s\n",
        qPrintable(QApplication::translate(
                       "main", "--view %1 is not available yet; this version has the map view (--view map).")
                       .arg(parser.value(view))));
    return 2;
  }

  MainWindow window;
  window.setQuiet(shooting);
  window.setRecordRecentFiles(!shooting);
  if (parser.isSet(size)) {
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) window.resize(wh[0].toInt(), wh[1].toInt());
  }
  window.show();

  int failures = 0;
  if (!parser.values(open).isEmpty() && window.openPaths(parser.values(open), shooting) == 0) ++failures;
  if (parser.isSet(crs) && !window.setMapCrs(parser.value(crs), shooting)) ++failures;
  try {
    window.aoiPanel()->setTilingOptions(parser.value(patch), parser.value(overlap),
                                        emitrace::raster::parseEdgePolicy(parser.value(edge).toStdString()));
  } catch (const emitrace::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    ++failures;
  }
  if (parser.isSet(aoi) && !window.setAoiFromSpec(parser.value(aoi), shooting)) ++failures;
  if (shooting && failures) std::fprintf(stderr, "%s\n", qPrintable(window.lastError()));

  if (shooting) {
    const QString out = parser.value(screenshot);
    int status = failures ? 1 : 0;
    QTimer::singleShot(0, &window, [&] {
      window.canvas()->zoomToAll();
      if (!window.waitForMap(60000))
        std::fprintf(stderr, "%s\n",
                     qPrintable(QApplication::translate("main", "the map did not finish rendering")));
      if (!window.grab().save(out)) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(QApplication::translate("main", "cannot write screenshot %1").arg(out)));
        status = 1;
      }
      app.exit(status);
    });
    return app.exec();
  }
  return app.exec();
}
