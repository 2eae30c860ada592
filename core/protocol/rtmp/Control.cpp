#include "Control.h"
