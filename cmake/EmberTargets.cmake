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

# Layers build on the ones below them only: common, net, storage, scheduler,
# rdd. The build enforces it. Each folder is visible through an include root
# of its own (build/layers/<folder>/, holding one link to the folder), which
# its target passes on to the targets that link it; a target therefore sees
# its own folder and the folders of the layers it links, and a backwards
# include (storage including "rdd/...") fails to compile: file not found.
function(ember_folder_include_root target folder)
  set(root ${PROJECT_BINARY_DIR}/layers/${folder})
  if(NOT EXISTS ${root}/${folder})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${root}>)
  else()
    target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>)
  endif()
endfunction()

# A folder library: its sources, the layers it builds on, and its folder's
# include root (headers include each other as "rdd/rdd.hpp").
function(ember_add_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  string(REGEX REPLACE "^ember_" "" folder ${name})
  ember_folder_include_root(${name} ${folder})
  target_include_directories(${name} PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/ember>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  ember_configure_target(${name})
endfunction()
