#include "loader.h"
// TEMPORARY skeleton stub: replaced by the loader work in issue 2.
namespace signpost {
void LoadCatalogue(const std::string& content_dir, Catalogue*, SourceMap*, Diagnostics* diags) {
  diags->Error(content_dir, 0, 0, "loader not built yet");
}
bool ParseServiceEntry(const std::string&, const std::string&, std::string_view, Service*,
                       Diagnostics*) {
  return false;
}
}  // namespace signpost
