// TEMPORARY skeleton stubs: each command moves to its own file as it is built.
#include <cstdio>
#include "commands.h"
namespace signpost {
int RunSearch(const SearchOptions&) { std::fputs("search: not built yet\n", stderr); return kExitFailure; }
int RunServe(const ServeOptions&) { std::fputs("serve: not built yet\n", stderr); return kExitFailure; }
int RunNew(const NewOptions&) { std::fputs("new: not built yet\n", stderr); return kExitFailure; }
}  // namespace signpost
