// Fuzzes the tar walker: any bytes must give members whose data lies inside
// the input, in increasing order, or stop with a reason; never a crash or a
// read out of bounds. Image members are sized as the tar reader sizes them
// (header only: no name with an extension OpenCV would decode).
#include <cstdint>
#include <cstdlib>

#include "stats/readers/image_header.h"
#include "stats/readers/tar_archive.h"

using namespace autoscale;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TarWalker walker(data, size);
  TarMember m;
  uint64_t last = 0;
  bool first = true;
  while (walker.Next(&m)) {
    if (m.data < data || m.data + m.size > data + size) std::abort();
    if (!first && m.offset <= last) std::abort();
    first = false;
    last = m.offset;
    ImageHeader h = ReadImageHeader(m.data, m.size);
    if (h.outcome == HeaderOutcome::kSize && (h.height <= 0 || h.width <= 0)) std::abort();
  }
  LooksLikeTarHeader(data, size);
  return 0;
}
