# Settings every ember target shares, applied per target (never globally) so
# that embedding projects keep their own flags.
function(ember_configure_target target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(EMBER_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(EMBER_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=${EMBER_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=${EMBER_SANITIZE})
    # GCC warns that TSan does not model the atomic_thread_fence inside
    # Boost.Asio's handler recycling; the warning is about Boost, not ember.
    if(EMBER_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PUBLIC -Wno-tsan)
    endif()
  endif()
  # The coverage libFuzzer steers by, in every library the decoders live in.
  if(EMBER_FUZZ)
    target_compile_options(${target} PUBLIC -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# A folder library: its sources, the layer it builds on, and the repository
# root as include directory (headers include each other as "rdd/rdd.hpp").
function(ember_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/ember>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  ember_configure_target(${name})
endfunction()
