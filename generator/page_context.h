// Plain-words formatting of service fields for pages (NHS.UK content style):
// phone links, opening hours, age ranges, lists. Pure functions, so render
// and the open-data export say the same thing and tests can pin it.
#ifndef SIGNPOST_PAGE_CONTEXT_H_
#define SIGNPOST_PAGE_CONTEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"

namespace signpost {

/// The number to dial, digits only, UK numbers in +44 form ("020 7946 0104"
/// -> "+442079460104"; "116 123" -> "116123"); empty when there are no digits.
std::string DialNumber(std::string_view phone);
/// "tel:+442079460104", or empty when there is nothing to dial.
std::string TelHref(std::string_view phone);
/// "sms:85258", or empty.
std::string SmsHref(std::string_view number);
/// "09:00" -> "9am", "17:30" -> "5:30pm", "12:00" -> "midday", "00:00" and
/// "24:00" -> "midnight". Unparseable input is returned unchanged.
std::string FormatTime(std::string_view hhmm);
/// ["mon".."fri"] -> "Monday to Friday"; ["sat","sun"] -> "Saturday and
/// Sunday"; all seven -> "Every day"; runs of 3+ days become "X to Y".
std::string FormatDays(const std::vector<std::string>& days);
/// "Monday to Friday, 9am to 5pm"; overnight rows say "(overnight)";
/// 00:00 to 24:00 is "24 hours".
std::string FormatHours(const Hours& hours);
/// "18 and over", "up to 25", "16 to 25"; empty when neither is set.
std::string FormatAges(std::optional<int> min, std::optional<int> max);
/// "a", "a and b", "a, b and c".
std::string JoinWords(const std::vector<std::string>& items);
/// JoinWords for display labels, lower-casing later items' first letter
/// unless they start with an acronym: "Self-referral, GP referral and
/// referral by a professional".
std::string SentenceList(const std::vector<std::string>& labels);
/// A key for sorting names for people: case-folded ASCII letters first.
std::string SortKey(std::string_view name);
/// The A–Z letter a name is filed under: "A".."Z", or "#" for anything else.
std::string IndexLetter(std::string_view name);
/// A website for display: scheme, "www." and trailing '/' dropped.
std::string DisplayUrl(std::string_view url);
/// True for an http: or https: URL without characters that would need care.
bool IsHttpLink(std::string_view url);

}  // namespace signpost

#endif  // SIGNPOST_PAGE_CONTEXT_H_
