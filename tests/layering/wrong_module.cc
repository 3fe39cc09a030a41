// A file that includes a header of a module it may not use: the layering
// check must reject it.
#include "common/status.h"
#include "convert/plan.h"
