#include "render.h"
// TEMPORARY skeleton stub: replaced by the site build (issue 3).
namespace signpost {
bool RenderSite(const Catalogue&, const std::string& templates_dir, SiteWriter*, Diagnostics* d) {
  d->Error(templates_dir, 0, 0, "renderer not built yet");
  return false;
}
}  // namespace signpost
