# reos_embed_files(TARGET tgt OUTPUT file.cpp NAMESPACE ns FUNCTION fn HEADER hdr GLOB pattern)
# Compiles every file matching GLOB into TARGET, regenerated when any of them changes.
function(reos_embed_files)
  cmake_parse_arguments(ARG "" "TARGET;OUTPUT;NAMESPACE;FUNCTION;HEADER;GLOB" "" ${ARGN})
  file(GLOB files CONFIGURE_DEPENDS ${ARG_GLOB})
  list(SORT files)
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE}
            -DFUNCTION=${ARG_FUNCTION} -DHEADER=${ARG_HEADER} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${ARG_GLOB}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${ARG_OUTPUT})
  set_source_files_properties(${ARG_OUTPUT} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()
