# Dependencies come from Debian packages through pkg-config.
#
# Static linking: the agent hook starts a process on every tool call, and on the
# reference machine an empty program starts in ~0.75 ms. Loading Hyperscan (C++,
# libstdc++), PCRE2, zstd and libmagic as shared objects adds ~1.5 ms of dynamic
# relocation; linking Debian's own static archives (libhs.a, libpcre2-8.a, ...)
# instead adds ~0.3 ms. So we prefer the archives and fall back to shared objects
# when an archive is missing. cJSON ships no archive; it is small.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(LIBMD REQUIRED IMPORTED_TARGET libmd)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
find_path(MAGIC_INCLUDE_DIR magic.h REQUIRED)
find_library(MAGIC_SHARED magic REQUIRED)

# blackbar::deps: everything the engine links, static where possible.
add_library(blackbar_deps INTERFACE)
target_include_directories(blackbar_deps INTERFACE ${MAGIC_INCLUDE_DIR})
target_compile_options(blackbar_deps INTERFACE ${HS_CFLAGS_OTHER})
target_include_directories(blackbar_deps INTERFACE ${HS_INCLUDE_DIRS} ${PCRE2_INCLUDE_DIRS}
  ${ZSTD_INCLUDE_DIRS} ${CJSON_INCLUDE_DIRS} ${LIBMD_INCLUDE_DIRS} ${XXHASH_INCLUDE_DIRS})

function(blackbar_pick_archive var name)
  find_library(${var}_A NAMES lib${name}.a)
  if(BLACKBAR_STATIC_DEPS AND ${var}_A)
    set(${var} ${${var}_A} PARENT_SCOPE)
  else()
    find_library(${var}_SO NAMES ${name} REQUIRED)
    set(${var} ${${var}_SO} PARENT_SCOPE)
  endif()
endfunction()

blackbar_pick_archive(BB_LIB_HS hs)
blackbar_pick_archive(BB_LIB_PCRE2 pcre2-8)
blackbar_pick_archive(BB_LIB_ZSTD zstd)
blackbar_pick_archive(BB_LIB_MAGIC magic)
blackbar_pick_archive(BB_LIB_MD md)
blackbar_pick_archive(BB_LIB_XXHASH xxhash)
blackbar_pick_archive(BB_LIB_Z z)

set(_extra)
if(BB_LIB_MAGIC MATCHES "\\.a$")
  # libmagic's archive needs its decompressors (Debian builds it with bzip2, xz, zstd, zlib).
  find_library(BB_LIB_BZ2 NAMES libbz2.a bz2 REQUIRED)
  find_library(BB_LIB_LZMA NAMES liblzma.a lzma REQUIRED)
  list(APPEND _extra ${BB_LIB_BZ2} ${BB_LIB_LZMA})
endif()

target_link_libraries(blackbar_deps INTERFACE
  ${BB_LIB_HS} ${BB_LIB_PCRE2} ${BB_LIB_MAGIC} ${_extra} ${BB_LIB_ZSTD} ${BB_LIB_Z}
  ${BB_LIB_MD} ${BB_LIB_XXHASH} PkgConfig::CJSON Threads::Threads m)
if(BB_LIB_HS MATCHES "\\.a$")
  # Hyperscan is C++: link its runtime statically as well (same reason as above).
  # The C compiler drives the link, so name the archive rather than relying on
  # g++'s -static-libstdc++.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.a
    OUTPUT_VARIABLE BB_LIBSTDCXX_A OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(EXISTS "${BB_LIBSTDCXX_A}")
    target_link_libraries(blackbar_deps INTERFACE "${BB_LIBSTDCXX_A}")
    target_link_options(blackbar_deps INTERFACE -static-libgcc)
  else()
    target_link_libraries(blackbar_deps INTERFACE stdc++)
  endif()
endif()
message(STATUS "blackbar: hyperscan ${BB_LIB_HS}; pcre2 ${BB_LIB_PCRE2}; magic ${BB_LIB_MAGIC}")
