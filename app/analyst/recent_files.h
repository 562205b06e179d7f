#pragma once
// The most recently opened files (rasters and vectors), kept in QSettings so
// they survive restarts; File ▸ Open recent lists them.
#include <QObject>
#include <QStringList>

namespace emitrace::analyst {

class RecentFiles : public QObject {
  Q_OBJECT
 public:
  static constexpr int kMaxEntries = 12;
  explicit RecentFiles(QObject* parent = nullptr);

  QStringList entries() const { return entries_; }
  // Moves `paths` (opened together) to the front as one entry.
  void add(const QStringList& paths);
  void remove(const QString& entry);
  void clear();
  // One entry holds the files opened together, joined with this separator.
  static QStringList split(const QString& entry);

 Q_SIGNALS:
  void changed();

 private:
  void save();
  QStringList entries_;
};

}  // namespace emitrace::analyst
