// Stage 2, validate: every content rule of DESIGN.md that relates values to
// the taxonomy, to the site settings, to today's date or to other entries
// (references, look-alikes, review dates, phone numbers, link schemes).
#ifndef SIGNPOST_VALIDATE_H_
#define SIGNPOST_VALIDATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "diagnostic.h"

namespace signpost {

/// What one process's last validation found per entry (signpost serve), so
/// the next one re-checks only entries whose file, or whose context (the
/// site and taxonomy files, today's date, and for entries that name others
/// the set of slugs), changed. The cross-entry look-alike pass is skipped
/// only while everything it reads is as it was when it last found nothing
/// (see LookAlikeInputs). Used by one validation at a time.
class ValidateMemo {
 public:
  /// Entries the last validation checked again / took from the memo.
  size_t checked() const { return checked_; }
  size_t reused() const { return reused_; }

  // For the validator:
  struct Entry {
    uint64_t key = 0;
    Diagnostics diags;
  };
  std::unordered_map<std::string, Entry> entries;  ///< By entry path.
  size_t checked_ = 0, reused_ = 0;
  /// LookAlikeInputs of the last look-alike pass that found nothing; 0: none.
  uint64_t look_alikes_clean = 0;
};

/// Checks `catalogue` as of `today` (UTC) and appends every problem to *diags.
/// With a `memo`, unchanged entries' own checks are not run again (the
/// diagnostics are the same ones, in the same order). Without
/// `look_alikes`, the look-alike pass is left to the caller.
void Validate(const Catalogue& catalogue, const Date& today, Diagnostics* diags,
              ValidateMemo* memo = nullptr, bool look_alikes = true);
/// Just the cross-entry look-alike pass of Validate (phones, texts, emails,
/// websites, near-identical names and summaries), for a build to run beside
/// rendering: its errors fail the build as any other, before anything is
/// committed.
void CheckLookAlikes(const Catalogue& catalogue, const Date& today, Diagnostics* diags);
/// A hash of everything CheckLookAlikes reads (each entry's slug, path,
/// name, summary, phone, text number, email, website and not_duplicate_of,
/// in order, and `today`): equal inputs, equal findings. A body edit leaves
/// it unchanged, so serve need not compare 10,000 entries again (~50 ms).
uint64_t LookAlikeInputs(const Catalogue& catalogue, const Date& today);

/// True for the values `signpost new` writes for a human to replace ("TODO...").
bool IsPlaceholder(std::string_view value);

/// True for an absolute http:/https: address with a dotted host.
bool IsWebUrl(std::string_view url);

/// True for the usual shape of an email address (local@domain.tld).
bool IsEmail(std::string_view email);

/// True for a UK postcode in capitals, with or without the space ("EX1 1AA").
bool IsPostcode(std::string_view postcode);

/// True for the outward half of a UK postcode ("EX1", "EB12", "W1A").
bool IsPostcodeDistrict(std::string_view district);

/// True for "HH:MM" from 00:00 to 23:59, or "24:00" when `allow_24`.
bool IsTime(std::string_view time, bool allow_24);

/// A link destination written in a Markdown body.
struct BodyLink {
  size_t offset;    ///< Byte offset of the destination in the body.
  std::string url;  ///< As written.
};

/// Every inline link, reference definition and autolink destination in
/// `body`, in order (a linear scan; over-reporting is harmless).
std::vector<BodyLink> FindBodyLinks(std::string_view body);

/// An HTML tag written in a Markdown body (cmark drops it from the page).
struct BodyHtmlTag {
  size_t offset;     ///< Byte offset of its '<' in the body.
  std::string name;  ///< Lower-cased tag name, e.g. "br".
};

/// Every opening HTML tag in `body` outside code spans and fenced code
/// blocks, in order (closing tags and comments are left out: a pair is
/// reported once, and comments are meant to be hidden). A linear scan.
std::vector<BodyHtmlTag> FindHtmlTags(std::string_view body);

/// The lower-cased scheme of `url` after decoding character references and
/// dropping tabs and newlines as browsers do; "" for a relative link.
std::string LinkScheme(std::string_view url);

/// Jaccard similarity of the lower-cased word sets of `a` and `b` (0..1).
double TokenJaccard(std::string_view a, std::string_view b);

}  // namespace signpost

#endif  // SIGNPOST_VALIDATE_H_
