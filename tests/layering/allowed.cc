// A file that includes only what its module may use.
#include <vector>

#include "common/status.h"
#include "stats/core/profile.h"
