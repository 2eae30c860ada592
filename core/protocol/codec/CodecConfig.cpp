#include "CodecConfig.h"
