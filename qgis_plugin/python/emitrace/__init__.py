"""Emitrace shim: registers the C++ Processing provider for qgis_process.

QGIS 3.22's qgis_process only loads Python plugins, so this plugin loads the
Emitrace C++ plugin library with ctypes and calls the registration function it
exports. Everything else (algorithms, parameters, results) is the C++ code.
"""

import ctypes
import os

from ._library_paths import CANDIDATE_LIBRARIES


def _library_path():
    override = os.environ.get("EMITRACE_QGIS_LIBRARY")
    candidates = [override] if override else []
    candidates += CANDIDATE_LIBRARIES
    for path in candidates:
        if path and os.path.exists(path):
            return path
    raise RuntimeError(
        "Emitrace: cannot find libemitrace_qgis.so (looked in: %s); "
        "set EMITRACE_QGIS_LIBRARY to its path" % ", ".join(c for c in candidates if c))


class EmitraceProcessingShim:
    def __init__(self, iface=None):
        self._library = None

    def initProcessing(self):
        if self._library is None:
            self._library = ctypes.CDLL(_library_path())
        self._library.emitrace_register_processing_provider()

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self._library is not None:
            self._library.emitrace_unregister_processing_provider()


def classFactory(iface):
    return EmitraceProcessingShim(iface)
