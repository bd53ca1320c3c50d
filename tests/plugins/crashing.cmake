# libreos_crashing.so (crashing_plugin.c): an enricher that segfaults, aborts, exits or hangs
# on demand, for the out-of-process isolation tests. Included from tests/out_of_process/.
add_library(reos_crashing MODULE ${CMAKE_CURRENT_LIST_DIR}/crashing_plugin.c)
target_link_libraries(reos_crashing PRIVATE reos::sdk)
set_target_properties(reos_crashing PROPERTIES PREFIX "lib" OUTPUT_NAME reos_crashing
  C_VISIBILITY_PRESET hidden)
