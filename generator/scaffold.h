// The commented skeleton `signpost new` writes: every field explained, with
// placeholder values ("TODO: ...") that `signpost check` reports until a human
// replaces them.
#ifndef SIGNPOST_SCAFFOLD_H_
#define SIGNPOST_SCAFFOLD_H_

#include <string>

#include "catalogue.h"

namespace signpost {

/// The text of content/services/<slug>.md for a new entry. `taxonomy` (may
/// be unloaded) supplies the valid slugs listed in comments; `today` is the
/// initial last_reviewed.
std::string ServiceSkeleton(const std::string& slug, const Taxonomy& taxonomy, const Date& today);

}  // namespace signpost

#endif  // SIGNPOST_SCAFFOLD_H_
