#include "search_index.h"
// TEMPORARY skeleton stub: replaced by the search work (issue 4).
namespace signpost {
bool WriteSearchIndex(const Catalogue&, SiteWriter*, Diagnostics*) { return true; }
}  // namespace signpost
