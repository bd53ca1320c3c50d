# Out-of-process plugin isolation (docs/out-of-process-plugins.md): the wire protocol shared
# with host/plugin_host/ (reos-plugin-host) and the parent side, OutOfProcessInstance.
# Included from this folder's CMakeLists.txt.
target_sources(reos_host PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/plugin_wire_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plugin_wire_protocol.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plugin_wire_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/out_of_process_backoff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/out_of_process_child.cpp
  ${CMAKE_CURRENT_LIST_DIR}/out_of_process_service_dispatch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/out_of_process_instance.cpp)
target_link_libraries(reos_host PUBLIC reos::sdk)
