// TEMPORARY skeleton stub: `signpost search` is implemented by its issue.
#include <cstdio>

#include "commands.h"

namespace signpost {

int RunSearch(const SearchOptions&) {
  std::fputs("signpost search: not built yet\n", stderr);
  return kExitFailure;
}

}  // namespace signpost
