#include "ChunkWriter.h"
