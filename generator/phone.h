// UK telephone numbers as editors write them: "01632 960123",
// "+44 (0)20 7946 0123", "116 123", SMS short codes like "85258".
#ifndef SIGNPOST_PHONE_H_
#define SIGNPOST_PHONE_H_

#include <string>
#include <string_view>

namespace signpost {

/// The number as national digits: separators dropped, "+44"/"0044" (and a
/// "(0)" after it) become a leading 0. "" when `s` has anything but digits,
/// spaces, hyphens, dots, brackets and one leading '+'.
std::string NormalisePhone(std::string_view s);

/// Checks that `s` is a dialable UK number or a UK short number. Returns ""
/// when it is, else why not (a sentence fragment such as "it has 7 digits").
std::string PhoneProblem(std::string_view s);

}  // namespace signpost

#endif  // SIGNPOST_PHONE_H_
