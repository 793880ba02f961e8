#include "suggest.h"

#include <algorithm>

namespace signpost {

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// How many edits still look like a typo rather than a different word: one for
// very short words ("gp" must not suggest "self"), three at most for long ones
// ("talking-therapy" -> "talking-therapies" but not "example-lgbtq-peer-support"
// -> "example-mind-peer-support": slugs share long prefixes).
int MaxDistance(size_t length) {
  if (length <= 3) return 1;
  if (length <= 7) return 2;
  return 3;
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  // Three rows are enough for the transposition case.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  // Long hostile values would make the quadratic distance costly; nobody
  // mistypes a 200-character key.
  if (word.empty() || word.size() > 100) return "";
  std::string lower = LowerAscii(word);
  const int limit = MaxDistance(word.size());
  int best = limit + 1;
  std::string best_word;
  for (const std::string& c : candidates) {
    if (c.size() > word.size() + static_cast<size_t>(limit) ||
        word.size() > c.size() + static_cast<size_t>(limit)) {
      continue;
    }
    int d = EditDistance(lower, LowerAscii(c));
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  if (best_word.empty() && lower.size() >= 3) {
    // "monday" -> "mon", "phone-line" -> "phone": a known value plus extra.
    for (const std::string& c : candidates) {
      if (c.size() >= 3 && lower.compare(0, c.size(), LowerAscii(c)) == 0) return c;
    }
  }
  return best_word == word ? "" : best_word;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string s = Suggest(word, candidates);
  return s.empty() ? "" : "; did you mean `" + s + "`?";
}

bool IsSlug(std::string_view s) {
  if (s.empty()) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(s[0])) return false;
  for (char c : s) {
    if (!ok(c) && c != '-') return false;
  }
  return true;
}

std::string SuggestSlug(std::string_view s) {
  std::string out;
  bool pending_dash = false;
  for (char raw : s) {
    char c = Lower(raw);
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      if (pending_dash && !out.empty()) out += '-';
      pending_dash = false;
      out += c;
    } else if (c == '-' || c == ' ' || c == '_' || c == '.' || c == '\t') {
      pending_dash = true;
    }
    // Anything else (punctuation, non-ASCII bytes) is dropped.
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace signpost
