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
