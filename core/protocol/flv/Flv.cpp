#include "Flv.h"
