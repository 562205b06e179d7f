// emitrace-analyst [--open raster ...] [--screenshot out.png]
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "app/analyst/main_window.h"
#include "core/version.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Emitrace Analyst"));
  QApplication::setOrganizationName(QStringLiteral("Emitrace"));
  QApplication::setApplicationVersion(QString::fromLatin1(emitrace::kVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Emitrace analyst application"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption open(QStringLiteral("open"), QStringLiteral("Open a raster."), QStringLiteral("raster"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("Render the window to a PNG and exit."), QStringLiteral("png"));
  parser.addOption(open);
  parser.addOption(screenshot);
  parser.process(app);

  emitrace::analyst::MainWindow window;
  window.show();
  for (const QString& path : parser.values(open)) window.openRaster(path, parser.isSet(screenshot));

  if (parser.isSet(screenshot)) {
    const QString out = parser.value(screenshot);
    int status = 0;
    QTimer::singleShot(300, &window, [&] {
      status = window.grab().save(out) ? 0 : 1;
      if (status) qWarning("cannot write screenshot %s", qPrintable(out));
      app.exit(status);
    });
    return app.exec();
  }
  return app.exec();
}
