// Stage 2, validate: every content rule of DESIGN.md that relates values to
// the taxonomy, to the site settings, to today's date or to other entries
// (references, look-alikes, review dates, phone numbers, link schemes).
#ifndef SIGNPOST_VALIDATE_H_
#define SIGNPOST_VALIDATE_H_

#include "catalogue.h"
#include "diagnostic.h"

namespace signpost {

/// Checks `catalogue` as of `today` (UTC) and appends every problem to *diags.
void Validate(const Catalogue& catalogue, const Date& today, Diagnostics* diags);

}  // namespace signpost

#endif  // SIGNPOST_VALIDATE_H_
