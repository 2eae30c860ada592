# One place for compiler flags shared by every target.
option(STAGECAST_WERROR "Treat warnings as errors" OFF)
set(STAGECAST_SANITIZE "" CACHE STRING "Comma-separated sanitizers, e.g. address,undefined")

add_library(stagecast_flags INTERFACE)
if(MSVC)
    target_compile_options(stagecast_flags INTERFACE /W4 /permissive- /utf-8)
    if(STAGECAST_WERROR)
        target_compile_options(stagecast_flags INTERFACE /WX)
    endif()
else()
    target_compile_options(stagecast_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
        -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
        -Wimplicit-fallthrough)
    if(STAGECAST_WERROR)
        target_compile_options(stagecast_flags INTERFACE -Werror)
    endif()
    if(STAGECAST_SANITIZE)
        target_compile_options(stagecast_flags INTERFACE -fsanitize=${STAGECAST_SANITIZE}
            -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(stagecast_flags INTERFACE -fsanitize=${STAGECAST_SANITIZE})
    endif()
endif()
