// TEMPORARY skeleton stub: `signpost new` is implemented by its issue.
#include <cstdio>

#include "commands.h"

namespace signpost {

int RunNew(const NewOptions&) {
  std::fputs("signpost new: not built yet\n", stderr);
  return kExitFailure;
}

}  // namespace signpost
