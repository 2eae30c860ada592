#include "ChunkReader.h"
