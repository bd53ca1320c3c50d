# reos_add_plugin(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>])
#
# Builds a reos plugin: a MODULE library named libreos_<name>.so (the file name the host looks
# for in its plugin_dirs), from C and/or C++ sources, linked to reos::sdk (reos/plugin.h,
# reos/plugin.hpp, C++17, nlohmann_json). The CMake target is <name>; add your own
# dependencies with target_link_libraries(<name> PRIVATE ...).
#
# Only `reos_plugin_entry` is exported: sources are compiled with hidden visibility and, on
# ELF platforms, linked with a version script that makes every other symbol local.
#   <name>            [a-z0-9_]+, the plugin's descriptor name
#   SOURCES           the plugin's source files
#   OUTPUT_DIRECTORY  where the .so goes (default: CMAKE_LIBRARY_OUTPUT_DIRECTORY or the
#                     current binary dir)
# Needs CMake 3.17 (CMAKE_CURRENT_FUNCTION_LIST_DIR).
include_guard(GLOBAL)

function(reos_add_plugin name)
  set(_REOS_PLUGIN_MAP "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/reos_plugin.map")
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT name MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "reos_add_plugin: plugin name '${name}' must match [a-z0-9_]+")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "reos_add_plugin(${name}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "reos_add_plugin(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()

  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE reos::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME "reos_${name}"
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  if(CMAKE_SYSTEM_NAME MATCHES "Linux|BSD")
    target_link_options(${name} PRIVATE "LINKER:--version-script=${_REOS_PLUGIN_MAP}")
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${_REOS_PLUGIN_MAP}")
  endif()
endfunction()
