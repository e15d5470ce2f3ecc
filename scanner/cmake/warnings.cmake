# One place for compiler flags shared by every blackbar target.
add_library(blackbar_flags INTERFACE)
target_compile_options(blackbar_flags INTERFACE
  -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
  -Wformat=2 -Wno-format-nonliteral -Wundef -Wpointer-arith
  $<$<BOOL:${BLACKBAR_WERROR}>:-Werror>)
target_compile_definitions(blackbar_flags INTERFACE _GNU_SOURCE)
if(BLACKBAR_SANITIZE)
  target_compile_options(blackbar_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(blackbar_flags INTERFACE -fsanitize=address,undefined)
endif()
if(BLACKBAR_TSAN)
  if(BLACKBAR_SANITIZE OR BLACKBAR_FUZZ)
    message(FATAL_ERROR "BLACKBAR_TSAN cannot be combined with BLACKBAR_SANITIZE or BLACKBAR_FUZZ")
  endif()
  target_compile_options(blackbar_flags INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(blackbar_flags INTERFACE -fsanitize=thread)
endif()
# libFuzzer targets (tests/fuzz): coverage instrumentation everywhere, ASan + UBSan;
# the fuzz executables add -fsanitize=fuzzer (libFuzzer's main) themselves.
if(BLACKBAR_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BLACKBAR_FUZZ needs clang: cmake -DCMAKE_C_COMPILER=clang "
      "-DCMAKE_CXX_COMPILER=clang++ -DBLACKBAR_FUZZ=ON ...")
  endif()
  target_compile_options(blackbar_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(blackbar_flags INTERFACE -fsanitize=address,undefined)
endif()
