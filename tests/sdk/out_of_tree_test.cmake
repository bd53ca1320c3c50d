# Installs the SDK component of a configured build into a scratch prefix, builds
# tests/sdk/out_of_tree_plugin against it with find_package(reos), and checks the plugin's
# dynamic symbol table: reos_plugin_entry is exported and no other symbol is.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX=... -DNM=...
#         -P out_of_tree_test.cmake
cmake_minimum_required(VERSION 3.25)
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX NM)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "out_of_tree_test: -D${var}=... is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component sdk)

# Only the SDK is installed: its headers, package files and docs, nothing of the host.
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
list(SORT installed)
message(STATUS "installed: ${installed}")
foreach(expected include/reos/plugin.h include/reos/plugin.hpp)
  if(NOT expected IN_LIST installed)
    message(FATAL_ERROR "the sdk component did not install ${expected}")
  endif()
endforeach()
foreach(file ${installed})
  if(NOT file MATCHES "^(include/reos/|share/cmake/reos/|share/doc/reos-sdk/)")
    message(FATAL_ERROR "the sdk component installed something else: ${file}")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix}
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror -pedantic")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)

set(so ${WORK_DIR}/build/libreos_out_of_tree.so)
if(NOT EXISTS ${so})
  message(FATAL_ERROR "the out-of-tree build did not produce ${so}")
endif()

execute_process(COMMAND ${NM} -D --defined-only ${so} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D failed on ${so}")
endif()
string(REPLACE "\n" ";" lines "${symbols}")
set(exported "")
foreach(line ${lines})
  # "<address> <type> <name>"; the linker's own markers are not the plugin's symbols.
  if(line MATCHES "^[0-9a-fA-F]* *[A-Za-z] (.+)$")
    set(name ${CMAKE_MATCH_1})
    if(NOT name MATCHES "^(_init|_fini|_edata|_end|__bss_start|REOS_PLUGIN_1\\.0)$")
      list(APPEND exported ${name})
    endif()
  endif()
endforeach()
if(NOT exported STREQUAL "reos_plugin_entry")
  message(FATAL_ERROR "${so} must export exactly reos_plugin_entry; it exports: ${exported}")
endif()
message(STATUS "${so} exports only reos_plugin_entry")
