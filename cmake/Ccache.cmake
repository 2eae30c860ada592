# Use ccache when it is installed: rebuilds on 2 cores matter.
find_program(STAGECAST_CCACHE ccache)
if(STAGECAST_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${STAGECAST_CCACHE}")
    set(CMAKE_C_COMPILER_LAUNCHER "${STAGECAST_CCACHE}")
endif()
