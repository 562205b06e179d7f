#include "app/analyst/recent_files.h"

#include <QSettings>

namespace emitrace::analyst {

namespace {
const QString kKey = QStringLiteral("recentFiles");
const QString kSeparator = QStringLiteral("\n");
}  // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {
  entries_ = QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QStringList& paths) {
  if (paths.isEmpty()) return;
  const QString entry = paths.join(kSeparator);
  entries_.removeAll(entry);
  entries_.prepend(entry);
  while (entries_.size() > kMaxEntries) entries_.removeLast();
  save();
}

void RecentFiles::remove(const QString& entry) {
  if (entries_.removeAll(entry)) save();
}

void RecentFiles::clear() {
  entries_.clear();
  save();
}

QStringList RecentFiles::split(const QString& entry) { return entry.split(kSeparator, Qt::SkipEmptyParts); }

void RecentFiles::save() {
  QSettings().setValue(kKey, entries_);
  Q_EMIT changed();
}

}  // namespace emitrace::analyst
