// TEMPORARY skeleton stub: `signpost serve` is implemented by its issue.
#include <cstdio>

#include "commands.h"

namespace signpost {

int RunServe(const ServeOptions&) {
  std::fputs("signpost serve: not built yet\n", stderr);
  return kExitFailure;
}

}  // namespace signpost
