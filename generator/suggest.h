// Spelling help for diagnostics: "did you mean `categories`?" and the fixed
// form of a file name that is not a slug.
#ifndef SIGNPOST_SUGGEST_H_
#define SIGNPOST_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace signpost {

/// Optimal-string-alignment (restricted Damerau–Levenshtein) distance between
/// `a` and `b` in bytes: insertions, deletions, substitutions and swaps of
/// two neighbours each cost 1.
int EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word` (ASCII case ignored) when it is close
/// enough to be a likely typo, else "". Ties go to the earlier candidate.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);

/// `" did you mean `x`?"`-style suffix for a message ("" when no suggestion).
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

/// True when `s` is a slug: `[a-z0-9][a-z0-9-]*`.
bool IsSlug(std::string_view s);

/// The slug an editor most likely meant: "My Service" -> "my-service",
/// "Café_2" -> "caf-2"; "" when nothing usable is left.
std::string SuggestSlug(std::string_view s);

/// Joins `items` as "a, b, c".
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace signpost

#endif  // SIGNPOST_SUGGEST_H_
