#include "Handshake.h"
