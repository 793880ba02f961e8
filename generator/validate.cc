#include "validate.h"
// TEMPORARY skeleton stub: replaced by the validation work in issue 2.
namespace signpost {
void Validate(const Catalogue&, const Date&, Diagnostics*) {}
}  // namespace signpost
