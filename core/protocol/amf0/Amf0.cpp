#include "Amf0.h"
