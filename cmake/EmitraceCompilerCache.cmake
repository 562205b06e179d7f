# Use ccache when it is installed. Precompiled headers need the sloppiness
# settings below or ccache refuses to cache translation units that use them.
find_program(EMITRACE_CCACHE ccache)
if(EMITRACE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      # Relative paths below the source tree: clones and worktrees with their
      # build folder at the same place inside share cache entries.
      "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}"
      ${EMITRACE_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_CXX_COMPILER_LAUNCHER})
  message(STATUS "Emitrace: compiling through ccache (${EMITRACE_CCACHE})")
endif()
