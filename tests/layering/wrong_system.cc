// A file that includes a third-party header its module may not see.
#include <opencv2/core.hpp>
