#include "validate.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "front_matter.h"
#include "input_key.h"
#include "phone.h"
#include "scan.h"
#include "suggest.h"

namespace signpost {

namespace {

const std::vector<std::string> kReferral = {"self", "gp", "professional", "carer"};
const std::vector<std::string> kCost = {"free", "donation", "low-cost", "paid"};
const std::vector<std::string> kDelivery = {"in-person", "phone", "video",
                                            "online",    "text",  "home-visit"};
const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const std::vector<std::string> kLinkSchemes = {"https", "http", "mailto", "tel", "sms"};

constexpr size_t kMaxSummary = 200;
// Name and summary token sets this alike (Jaccard) mark a look-alike. 0.8
// means: for a 3- or 4-word name every word the same, for a 5-word name at
// most one word added; summaries of 20 words may differ in about two words.
// Entries written independently for the same service differ more than that,
// and are caught by their phone, email or website instead.
constexpr double kSimilarity = 0.8;

size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Values longer than this are cut in messages: content is hostile.
std::string Quote(std::string_view s) {
  std::string v(s.substr(0, 80));
  if (s.size() > 80) v += "...";
  return "`" + SanitizeForDisplay(v) + "`";
}

// "field[i]": the position key of a list item.
std::string ItemKey(std::string_view field, size_t i) {
  char digits[24];
  char* end = std::to_chars(digits, digits + sizeof digits, i).ptr;
  std::string key;
  key.reserve(field.size() + static_cast<size_t>(end - digits) + 2);
  key.append(field).append(1, '[').append(digits, end).append(1, ']');
  return key;
}

// Repeats in a short list: a linear scan beats a std::set's allocations
// when 10,000 entries each check a handful of two-item lists.
// A hostile list of 100,000 items switches to a hash set.
class SeenSet {
 public:
  /// True when `v` was not seen before.
  bool Insert(const std::string& v) {
    if (!large_.empty()) return large_.insert(v).second;
    for (const std::string* s : seen_) {
      if (*s == v) return false;
    }
    seen_.push_back(&v);
    if (seen_.size() > 16) {
      for (const std::string* s : seen_) large_.insert(*s);
    }
    return true;
  }

 private:
  std::vector<const std::string*> seen_;
  std::unordered_set<std::string_view> large_;
};

// Turns byte offsets into positions in one forward pass, so reporting many
// problems in a 1 MiB body stays linear. Offsets must not decrease.
class PositionCursor {
 public:
  PositionCursor(std::string_view text, int first_line) : text_(text), pos_{first_line, 1} {}
  SourcePos At(size_t offset) {
    SourcePos step = PositionOf(text_.substr(offset_, offset - offset_), offset - offset_, 1);
    if (step.line > 1) {
      pos_.line += step.line - 1;
      pos_.column = step.column;
    } else {
      pos_.column += step.column - 1;
    }
    offset_ = offset;
    return pos_;
  }

 private:
  std::string_view text_;
  size_t offset_ = 0;
  SourcePos pos_;
};

// Reports of one kind in one file beyond this are summarised: a hostile
// entry must not turn into a million lines of output.
constexpr int kMaxReportsPerRule = 50;

// Only the start of a link decides its scheme; scanning a destination
// further would make "](](](..." quadratic.
constexpr size_t kMaxLinkScan = 256;

// "a category", "an area": the article an editor would write.
std::string WithArticle(const std::string& noun) {
  bool vowel =
      !noun.empty() && std::string_view("aeiouAEIOU").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + noun;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

}  // namespace

bool IsPlaceholder(std::string_view value) { return value.substr(0, 4) == "TODO"; }

bool IsWebUrl(std::string_view url) {
  std::string lower = Lower(url.substr(0, 8));
  size_t start;
  if (lower.rfind("https://", 0) == 0) {
    start = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    start = 7;
  } else {
    return false;
  }
  size_t i = start;
  while (i < url.size() && IsHostChar(url[i])) ++i;
  std::string_view host = url.substr(start, i - start);
  if (host.empty() || host.find('.') == std::string_view::npos || host.front() == '.' ||
      host.back() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  if (i < url.size() && url[i] == ':') {
    size_t port = ++i;
    while (i < url.size() && url[i] >= '0' && url[i] <= '9') ++i;
    if (i == port || i - port > 5) return false;
  }
  if (i < url.size() && url[i] != '/' && url[i] != '?' && url[i] != '#') return false;
  for (; i < url.size(); ++i) {
    auto c = static_cast<unsigned char>(url[i]);
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return true;
}

bool IsEmail(std::string_view email) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = email.substr(0, at), domain = email.substr(at + 1);
  static const std::string_view kLocalExtra = ".!#$%&'*+/=?^_`{|}~-";
  for (char c : local) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              kLocalExtra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : domain) {
    if (!IsHostChar(c)) return false;
  }
  return true;
}

bool IsPostcode(std::string_view p) {
  // Outward code: A9, A99, AA9, AA99, A9A, AA9A; inward code: 9AA.
  // Fictional postcodes of the same shape are fine.
  auto alpha = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (p.size() < 5 || p.size() > 8) return false;
  std::string_view in = p.substr(p.size() - 3);
  if (!digit(in[0]) || !alpha(in[1]) || !alpha(in[2])) return false;
  std::string_view out = p.substr(0, p.size() - 3);
  if (!out.empty() && out.back() == ' ') out.remove_suffix(1);
  return IsPostcodeDistrict(out);
}

bool IsPostcodeDistrict(std::string_view out) {
  auto alpha = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (out.size() < 2 || out.size() > 4) return false;
  size_t i = 0;
  if (!alpha(out[i++])) return false;
  if (alpha(out[i])) ++i;
  if (i >= out.size() || !digit(out[i++])) return false;
  if (i < out.size() && (digit(out[i]) || alpha(out[i]))) ++i;
  return i == out.size();
}

bool IsTime(std::string_view t, bool allow_24) {
  if (t.size() != 5 || t[2] != ':') return false;
  for (int i : {0, 1, 3, 4}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  int h = (t[0] - '0') * 10 + (t[1] - '0');
  int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (allow_24 && h == 24 && m == 0) return true;
  return h <= 23 && m <= 59;
}

std::vector<BodyLink> FindBodyLinks(std::string_view body) {
  std::vector<BodyLink> links;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  auto add_destination = [&](size_t i) {
    while (i < body.size() && is_space(body[i])) ++i;
    bool angle = i < body.size() && body[i] == '<';
    if (angle) ++i;
    size_t start = i;
    size_t limit = std::min(body.size(), start + kMaxLinkScan);
    if (angle) {
      // <...> may hold spaces but no '<' or line break, and must close.
      while (i < limit && body[i] != '>' && body[i] != '<' && body[i] != '\n') ++i;
      if (i >= limit || body[i] != '>') return;
    } else {
      while (i < limit && !is_space(body[i]) && body[i] != ')') ++i;
    }
    if (i > start) links.push_back({start, std::string(body.substr(start, i - start))});
  };
  for (size_t i = 0; i < body.size(); ++i) {
    i = FindAnyByte(body, i, ']', '<');  // the only bytes a link can start at
    if (i >= body.size()) break;
    char c = body[i];
    if (c == ']' && i + 1 < body.size() && body[i + 1] == '(') {
      add_destination(i + 2);
    } else if (c == ']' && i + 1 < body.size() && body[i + 1] == ':') {
      // A reference definition "[label]: url" (only at the start of a line,
      // but over-reporting here is harmless: a bad scheme is never wanted).
      add_destination(i + 2);
    } else if (c == '<') {
      // Autolink <scheme:...>: a scheme of 2 to 32 characters, then ':'.
      size_t j = i + 1;
      while (j < body.size() && j - i <= 33 &&
             ((body[j] >= 'a' && body[j] <= 'z') || (body[j] >= 'A' && body[j] <= 'Z') ||
              (body[j] >= '0' && body[j] <= '9') || body[j] == '+' || body[j] == '.' ||
              body[j] == '-')) {
        ++j;
      }
      if (j < body.size() && body[j] == ':' && j - i >= 3) {
        size_t end = j;
        size_t limit = std::min(body.size(), i + kMaxLinkScan);
        while (end < limit && body[end] != '>' && !is_space(body[end]) && body[end] != '<') {
          ++end;
        }
        if (end < limit && body[end] == '>') {
          links.push_back({i + 1, std::string(body.substr(i + 1, end - i - 1))});
        }
      }
    }
  }
  return links;
}

std::vector<BodyHtmlTag> FindHtmlTags(std::string_view body) {
  std::vector<BodyHtmlTag> tags;
  // Every tag starts with '<', which most bodies never contain: for them
  // one memchr is the whole scan.
  if (body.find('<') == std::string_view::npos) return tags;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  char fence_char = 0;
  size_t fence_len = 0;
  for (size_t line_start = 0; line_start < body.size();) {
    size_t line_end = body.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = body.size();
    // A fence is three or more ` or ~ after at most three spaces.
    size_t j = line_start;
    while (j < line_end && j - line_start < 3 && body[j] == ' ') ++j;
    size_t run = 0;
    char rc = j < line_end ? body[j] : 0;
    if (rc == '`' || rc == '~') {
      while (j + run < line_end && body[j + run] == rc) ++run;
    }
    if (fence_char != 0) {
      if (rc == fence_char && run >= fence_len) fence_char = 0;
      line_start = line_end + 1;
      continue;
    }
    if (run >= 3) {
      fence_char = rc;
      fence_len = run;
      line_start = line_end + 1;
      continue;
    }
    const std::string_view line = body.substr(0, line_end);
    for (size_t k = line_start; k < line_end;) {
      // Only these bytes start anything this loop acts on.
      k = FindAnyByte(line, k, '\\', '`', '<');
      if (k >= line_end) break;
      char c = body[k];
      if (c == '\\') {
        k += 2;
      } else if (c == '`') {
        // A code span: skip to a closing run of the same length on this
        // line (looking a bounded distance ahead keeps this linear).
        size_t n = 0;
        while (k + n < line_end && body[k + n] == '`') ++n;
        size_t limit = std::min(line_end, k + n + kMaxLinkScan * 4);
        size_t m = k + n;
        size_t close = std::string_view::npos;
        while (m < limit) {
          if (body[m] != '`') {
            ++m;
            continue;
          }
          size_t r = 0;
          while (m + r < line_end && body[m + r] == '`') ++r;
          if (r == n) {
            close = m + r;
            break;
          }
          m += r;
        }
        k = close == std::string_view::npos ? k + n : close;
      } else if (c == '<' && k + 1 < line_end) {
        bool closing = body[k + 1] == '/';
        size_t name_start = k + 1 + (closing ? 1 : 0);
        size_t e = name_start;
        if (e < line_end && alpha(body[e])) {
          while (e < line_end &&
                 (alpha(body[e]) || (body[e] >= '0' && body[e] <= '9') || body[e] == '-')) {
            ++e;
          }
        }
        bool tag = e > name_start && e - name_start <= 32 &&
                   (e == line_end || body[e] == ' ' || body[e] == '\t' || body[e] == '/' ||
                    body[e] == '>' || body[e] == '\r');
        size_t gt = std::string_view::npos;
        if (tag) {
          // Attributes may run onto the next lines; a '<' first means text.
          size_t limit = std::min(body.size(), e + kMaxLinkScan * 4);
          for (size_t m = e; m < limit; ++m) {
            if (body[m] == '>') {
              gt = m;
              break;
            }
            if (body[m] == '<') break;
          }
        }
        if (gt == std::string_view::npos) {
          ++k;
          continue;
        }
        if (!closing) {
          std::string name(body.substr(name_start, e - name_start));
          for (char& ch : name)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          tags.push_back({k, std::move(name)});
        }
        if (gt >= line_end) break;  // the tag ran onto later lines: resume there
        k = gt + 1;
      } else {
        ++k;
      }
    }
    line_start = line_end + 1;
  }
  return tags;
}

std::string LinkScheme(std::string_view url) {
  // Browsers ignore tabs and newlines inside a URL and cmark decodes
  // character references, so "java&#115;cript:" and "java\tscript:" are
  // javascript: too. Decode both before reading the scheme.
  std::string decoded;
  for (size_t i = 0; i < url.size() && decoded.size() < 64; ++i) {
    char c = url[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '&') {
      size_t semi = url.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ref = url.substr(i + 1, semi - i - 1);
        long code = -1;
        if (ref.size() > 1 && ref[0] == '#') {
          bool hex = ref[1] == 'x' || ref[1] == 'X';
          std::string digits(ref.substr(hex ? 2 : 1));
          if (!digits.empty() && digits.size() <= 7) {
            char* end = nullptr;
            code = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
            if (*end != '\0') code = -1;
          }
        } else if (Lower(ref) == "colon") {
          code = ':';
        } else if (Lower(ref) == "tab" || Lower(ref) == "newline") {
          i = semi;
          continue;
        }
        if (code >= 0 && code < 0x80) {
          decoded += static_cast<char>(code);
          i = semi;
          continue;
        }
        if (code >= 0x80) return "&";  // a non-ASCII character in a scheme: refuse
      }
    }
    decoded += c;
  }
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return "";
  std::string scheme = decoded.substr(0, colon);
  // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). Anything else
  // before the ':' ("a/b:c", "](x:") makes it a relative reference.
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (scheme.empty() || !alpha(scheme[0])) return "";
  for (char c : scheme) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return "";
  }
  return Lower(scheme);
}

namespace {

// A normalised website for look-alike comparison: no scheme, no "www.", no
// trailing slash, host lower-cased; path and query kept as written.
std::string WebsiteKey(std::string_view url) {
  std::string lower = Lower(url.substr(0, 8));
  if (lower.rfind("https://", 0) == 0) {
    url.remove_prefix(8);
  } else if (lower.rfind("http://", 0) == 0) {
    url.remove_prefix(7);
  }
  size_t host_end = url.find_first_of("/?#");
  std::string host = Lower(url.substr(0, host_end));
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  std::string rest = host_end == std::string_view::npos ? "" : std::string(url.substr(host_end));
  size_t hash = rest.find('#');
  if (hash != std::string::npos) rest.resize(hash);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  return host + rest;
}

// Lower-cased words (ASCII letters and digits, and any non-ASCII bytes so
// "café" stays one word) as a sorted set.
std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      cur += ch;
    } else if (c >= 'A' && c <= 'Z') {
      cur += static_cast<char>(c - 'A' + 'a');
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// `s` with ASCII capitals lower-cased and every other byte that does not
// belong to a word (see Tokens) turned into a space.
std::string AsciiLowerWords(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      ch = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)) {
      ch = ' ';
    }
  }
  return out;
}

// Calls `f` with each space-separated word of `s` (from AsciiLowerWords).
template <typename F>
void ForEachWord(std::string_view s, F&& f) {
  for (size_t i = 0; i < s.size();) {
    size_t end = s.find(' ', i);
    if (end == std::string_view::npos) end = s.size();
    if (end > i) f(s.substr(i, end - i));
    i = end + 1;
  }
}

// What one check pass needs to know about the whole catalogue.
class Checker {
 public:
  Checker(const Catalogue& c, const Date& today, Diagnostics* diags, ValidateMemo* memo = nullptr)
      : c_(c), today_(today), diags_(diags), memo_(memo) {
    for (const Tier& t : c.taxonomy.tiers) tiers_.push_back(t.slug);
    for (const Category& t : c.taxonomy.categories) categories_.push_back(t.slug);
    for (const Area& t : c.taxonomy.areas) areas_.push_back(t.slug);
    for (const Service& s : c.services) slugs_.push_back(s.slug);
  }

  /// Run() leaves the look-alike pass to the caller (see CheckLookAlikes).
  void SkipLookAlikes() { look_alikes_ = false; }

  void Run() {
    CheckSite();
    CheckTaxonomy();
    const auto& sv = c_.services;
    if (memo_ != nullptr) {
      RunWithMemo();
      return;
    }
    if (sv.size() < 512) {
      for (const Service& s : sv) CheckService(s);
      if (look_alikes_) CheckLookAlikes();
      return;
    }
    // Entries are independent of each other and of the look-alike pass. A
    // second thread runs the look-alikes, then both take chunks of entries
    // as they come free (fixed halves left one thread idle through the
    // serial look-alike pass). Each chunk has its own list, merged in
    // order, so the output is what one thread would write.
    constexpr size_t kChunk = 64;
    const size_t chunks = (sv.size() + kChunk - 1) / kChunk;
    std::vector<Diagnostics> chunk_diags(chunks);
    std::atomic<size_t> next{0};
    auto check_chunks = [&](Checker* checker) {
      for (size_t k; (k = next.fetch_add(1)) < chunks;) {
        checker->diags_ = &chunk_diags[k];
        for (size_t i = k * kChunk; i < std::min(sv.size(), (k + 1) * kChunk); ++i) {
          checker->CheckService(sv[i]);
        }
      }
    };
    Diagnostics look_alikes;
    Checker other(c_, today_, &look_alikes);
    std::thread worker([&] {
      if (look_alikes_) other.CheckLookAlikes();
      check_chunks(&other);
    });
    Diagnostics* own = diags_;
    check_chunks(this);
    worker.join();
    diags_ = own;
    for (const Diagnostics& d : chunk_diags) diags_->Append(d);
    diags_->Append(look_alikes);
  }

 private:
  // The entries' own checks through the memo: those whose key is unchanged
  // give their last diagnostics; the look-alike pass runs beside them.
  void RunWithMemo() {
    const auto& sv = c_.services;
    // What every entry's checks depend on besides the entry itself.
    uint64_t context = XXH3_64bits_withSeed(&c_.site.source_hash, sizeof(uint64_t),
                                            c_.taxonomy.source_hash + c_.taxonomy.loaded);
    long today = today_.DaysSinceEpoch();
    context = XXH3_64bits_withSeed(&today, sizeof today, context);
    // Entries that name others depend on which slugs exist (loaded or not).
    uint64_t slugs = 0;
    for (const Service& s : sv) slugs = XXH3_64bits_withSeed(s.slug.data(), s.slug.size(), slugs);
    for (const std::string& u : c_.unloaded_slugs) {
      slugs = XXH3_64bits_withSeed(u.data(), u.size(), slugs ^ 0x5bd1e995);
    }
    Diagnostics look_alikes;
    Checker other(c_, today_, &look_alikes);
    std::thread worker([&] {
      if (look_alikes_) other.CheckLookAlikes();
    });
    std::unordered_map<std::string, ValidateMemo::Entry> next;
    next.reserve(sv.size());
    memo_->checked_ = memo_->reused_ = 0;
    Diagnostics* own = diags_;
    for (const Service& s : sv) {
      uint64_t key = XXH3_64bits_withSeed(s.path.data(), s.path.size(), context ^ s.source_hash);
      if (!s.related.empty() || !s.not_duplicate_of.empty()) key ^= slugs * 0x9E3779B97F4A7C15ull;
      ValidateMemo::Entry entry;
      auto it = memo_->entries.find(s.path);
      if (it != memo_->entries.end() && it->second.key == key) {
        entry = std::move(it->second);
        ++memo_->reused_;
      } else {
        entry.key = key;
        diags_ = &entry.diags;
        CheckService(s);
        diags_ = own;
        ++memo_->checked_;
      }
      diags_->Append(entry.diags);
      next.emplace(s.path, std::move(entry));
    }
    memo_->entries = std::move(next);
    worker.join();
    diags_->Append(look_alikes);
  }

  // --- helpers -----------------------------------------------------------

  void Error(const Service& s, std::string_view key, std::string message, std::string hint = "") {
    SourcePos p = s.PosOf(key);
    diags_->Error(s.path, p.line, p.column, std::move(message), std::move(hint));
  }

  void Warning(const Service& s, std::string_view key, std::string message, std::string hint = "") {
    SourcePos p = s.PosOf(key);
    diags_->Warning(s.path, p.line, p.column, std::move(message), std::move(hint));
  }

  static SourcePos PosIn(const KeyPositions& positions, const std::string& key) {
    const SourcePos* pos = positions.Find(key);
    return pos ? *pos : SourcePos{1, 1};
  }

  void SiteError(const std::string& key, std::string message, std::string hint = "") {
    SourcePos p = PosIn(c_.site.positions, key);
    diags_->Error(c_.site.path, p.line, p.column, std::move(message), std::move(hint));
  }

  void TaxonomyError(const std::string& key, std::string message, std::string hint = "") {
    SourcePos p = PosIn(c_.taxonomy.positions, key);
    diags_->Error(c_.taxonomy.path, p.line, p.column, std::move(message), std::move(hint));
  }

  bool Has(const Service& s, std::string_view key) const { return s.positions.count(key) > 0; }

  // Reports a value `signpost new` left to be filled in; true when it was one.
  bool Placeholder(const Service& s, std::string_view key, const std::string& value) {
    if (!IsPlaceholder(value)) return false;
    Error(s, key, "replace the placeholder " + Quote(value),
          "write the real value; the comment above the field explains it");
    return true;
  }

  // Checks a closed-vocabulary value: `what` is "referral route" etc.
  void Vocabulary(const Service& s, std::string_view key, std::string_view field,
                  const std::string& value, const std::vector<std::string>& allowed) {
    if (Placeholder(s, key, value) || Contains(allowed, value)) return;
    Error(s, key,
          "`" + std::string(field) + "` cannot be " + Quote(value) + DidYouMean(value, allowed),
          "use one of: " + JoinList(allowed));
  }

  // Reports `v` when `seen` already holds it; true when it was a repeat.
  bool IsRepeat(const Service& s, std::string_view key, std::string_view field,
                const std::string& v, SeenSet* seen) {
    if (seen->Insert(v)) return false;
    Error(s, key, Quote(v) + " is listed twice in `" + std::string(field) + "`",
          "remove the repeat");
    return true;
  }

  // A list with a closed vocabulary: no unknown values, no repeats.
  void VocabularyList(const Service& s, std::string_view field,
                      const std::vector<std::string>& values,
                      const std::vector<std::string>& allowed) {
    SeenSet seen;
    for (size_t i = 0; i < values.size(); ++i) {
      std::string key = ItemKey(field, i);
      Vocabulary(s, key, field, values[i], allowed);
      IsRepeat(s, key, field, values[i], &seen);
    }
  }

  // A list naming taxonomy slugs (`what` = "category" etc.).
  void TaxonomyList(const Service& s, std::string_view field,
                    const std::vector<std::string>& values, const std::vector<std::string>& allowed,
                    const std::string& what) {
    SeenSet seen;
    for (size_t i = 0; i < values.size(); ++i) {
      std::string key = ItemKey(field, i);
      const std::string& v = values[i];
      if (Placeholder(s, key, v)) continue;
      if (IsRepeat(s, key, field, v, &seen)) continue;
      if (field == "areas" && v == "all") continue;
      if (c_.taxonomy.loaded && !Contains(allowed, v)) {
        Error(s, key, "unknown " + what + " " + Quote(v) + DidYouMean(v, allowed),
              "use " + WithArticle(what) + " slug from " + c_.taxonomy.path + ": " +
                  ShortList(allowed));
      }
    }
  }

  static std::string ShortList(const std::vector<std::string>& v) {
    if (v.size() <= 12) return JoinList(v);
    std::vector<std::string> head(v.begin(), v.begin() + 12);
    return JoinList(head) + " and " + std::to_string(v.size() - 12) + " more";
  }

  void PhoneNumber(const Service& s, std::string_view key, const std::string& value) {
    if (Placeholder(s, key, value)) return;
    std::string problem = PhoneProblem(value);
    if (problem.empty()) return;
    Error(s, key, Quote(value) + " is not a UK phone number: " + problem,
          "write a full UK number such as \"01632 960123\" or \"+44 1632 960123\"; short "
          "numbers such as \"111\", \"116 123\" or \"85258\" are fine");
  }

  void WebAddress(const Service& s, std::string_view key, const std::string& value) {
    if (Placeholder(s, key, value) || IsWebUrl(value)) return;
    std::string hint =
        "write the full address starting with https://, e.g. \"https://example.org/page\"";
    if (value.find("://") == std::string::npos && value.find(':') == std::string::npos &&
        value.find(' ') == std::string::npos && value.find('.') != std::string::npos) {
      hint =
          "add https:// at the start: \"https://" + SanitizeForDisplay(value.substr(0, 80)) + "\"";
    }
    Error(s, key,
          "`" + std::string(key) +
              "` must be a web address starting with https:// or http://, not " + Quote(value),
          hint);
  }

  // --- site.toml and taxonomy.toml --------------------------------------

  void CheckSite() {
    const SiteConfig& site = c_.site;
    if (!site.loaded) return;
    if (site.positions.count("title") && site.title.empty()) {
      SiteError("title", "`title` is empty", "write the directory's name");
    }
    if (site.positions.count("base_url") && !IsWebUrl(site.base_url)) {
      SiteError("base_url",
                "`base_url` must be the site's address starting with https://, not " +
                    Quote(site.base_url),
                "for example: base_url = \"https://directory.example.org/\"");
    }
    if (!site.repository.empty() && !IsWebUrl(site.repository)) {
      SiteError("repository", "`repository` must be a web address starting with https://",
                "for example: repository = \"https://github.com/example/directory\"");
    }
    if (site.warn_after_days >= site.error_after_days) {
      SiteError("review.error_after_days",
                "`error_after_days` (" + std::to_string(site.error_after_days) +
                    ") must be more than `warn_after_days` (" +
                    std::to_string(site.warn_after_days) + ")",
                "editors are warned first, then the build refuses the entry");
    }
    if (site.crisis_contacts.empty()) {
      SiteError("title", "site.toml lists no crisis contacts",
                "add [[crisis_contacts]] sections (name, phone or text, description); they "
                "are shown on every page");
    }
    for (size_t i = 0; i < site.crisis_contacts.size(); ++i) {
      const CrisisContact& cc = site.crisis_contacts[i];
      std::string prefix = "crisis_contacts[" + std::to_string(i) + "]";
      if (cc.phone.empty() && cc.text.empty()) {
        SiteError(prefix, "a crisis contact needs a `phone` or a `text` number",
                  "for example: phone = \"116 123\"");
      }
      for (auto [field, value] : {std::pair{"phone", &cc.phone}, std::pair{"text", &cc.text}}) {
        if (value->empty()) continue;
        std::string problem = PhoneProblem(*value);
        if (!problem.empty()) {
          SiteError(prefix + "." + field, Quote(*value) + " is not a UK phone number: " + problem,
                    "short numbers such as \"111\", \"116 123\" or \"85258\" are fine");
        }
      }
    }
  }

  template <typename T>
  void CheckTaxonomyItems(const std::vector<T>& items, const std::string& kind,
                          const std::string& singular) {
    const Taxonomy& tx = c_.taxonomy;
    if (items.empty()) {
      TaxonomyError(kind, "taxonomy.toml defines no " + kind,
                    "add at least one [[" + kind + "]] section with slug, name and description");
      return;
    }
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < items.size(); ++i) {
      const T& item = items[i];
      std::string key = kind + "[" + std::to_string(i) + "].slug";
      if (!tx.positions.count(key)) continue;  // missing: reported by the loader
      if (!IsSlug(item.slug)) {
        std::string fix = SuggestSlug(item.slug);
        TaxonomyError(key, "the " + singular + " slug " + Quote(item.slug) + " is not a slug",
                      "use lower-case letters, digits and hyphens" +
                          (fix.empty() ? std::string() : ", e.g. \"" + fix + "\""));
        continue;
      }
      auto [it, inserted] = first.emplace(item.slug, i);
      if (!inserted) {
        SourcePos p = PosIn(tx.positions, kind + "[" + std::to_string(it->second) + "].slug");
        TaxonomyError(key,
                      "duplicate " + singular + " slug " + Quote(item.slug) +
                          ": already used on line " + std::to_string(p.line),
                      "give each " + singular + " its own slug, or merge the two");
      }
      if (tx.positions.count(kind + "[" + std::to_string(i) + "].name") && item.name.empty()) {
        TaxonomyError(kind + "[" + std::to_string(i) + "].name",
                      "the " + singular + " name is empty");
      }
    }
  }

  void CheckTaxonomy() {
    const Taxonomy& tx = c_.taxonomy;
    if (!tx.loaded) return;
    CheckTaxonomyItems(tx.tiers, "tiers", "tier");
    CheckTaxonomyItems(tx.categories, "categories", "category");
    CheckTaxonomyItems(tx.areas, "areas", "area");
    for (size_t i = 0; i < tx.areas.size(); ++i) {
      const Area& a = tx.areas[i];
      std::string prefix = "areas[" + std::to_string(i) + "]";
      if (a.slug == "all") {
        TaxonomyError(prefix + ".slug", "`all` cannot be an area slug",
                      "entries write areas = [\"all\"] to mean every area; choose another slug");
      }
      for (size_t j = 0; j < a.postcodes.size(); ++j) {
        if (!IsPostcodeDistrict(a.postcodes[j])) {
          TaxonomyError(prefix + ".postcodes[" + std::to_string(j) + "]",
                        Quote(a.postcodes[j]) + " is not a postcode district",
                        "write the first half of a postcode in capitals, e.g. \"EX1\" or \"EB12\"");
        }
      }
    }
  }

  // --- one service ------------------------------------------------------

  void PlainText(const Service& s, std::string_view key, const std::string& value,
                 size_t max_length) {
    if (!Has(s, key) || Placeholder(s, key, value)) return;
    if (value.find_first_not_of(" \t") == std::string::npos) {
      Error(s, key, "`" + std::string(key) + "` is empty",
            "write the " + std::string(key) + " between the quotes");
      return;
    }
    if (FindAnyByte(value, 0, '\r', '\n') < value.size()) {
      Error(s, key, "`" + std::string(key) + "` must be a single line", "remove the line breaks");
    }
    if (max_length && CodePointCount(value) > max_length) {
      Error(s, key,
            "`" + std::string(key) + "` is " + std::to_string(CodePointCount(value)) +
                " characters long; the limit is " + std::to_string(max_length),
            "keep it to one short sentence; put the detail in the text below the +++ line");
    }
    bool html = false;
    for (size_t i = value.find('<'); i != std::string::npos && i + 1 < value.size();
         i = value.find('<', i + 1)) {
      char n = value[i + 1];
      if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || n == '/' || n == '!') {
        html = true;
        break;
      }
    }
    bool markdown = value.find("](") != std::string::npos ||
                    value.find("**") != std::string::npos ||
                    value.find("__") != std::string::npos || value.find('`') != std::string::npos;
    if (key == "summary" && (html || markdown)) {
      Error(s, key,
            "`summary` must be plain text, without " +
                std::string(html ? "HTML tags" : "Markdown formatting"),
            "remove the formatting; links and emphasis belong in the text below the +++ line");
    }
  }

  // An optional text field written but left empty: harmless, but an
  // editor probably meant to fill it in or uncommented an example.
  void EmptyOptional(const Service& s, std::string_view key, const std::string& value) {
    if (!Has(s, key) || value.find_first_not_of(" \t") != std::string::npos) return;
    std::string shown(key.substr(key.find('.') == std::string::npos ? 0 : key.find('.') + 1));
    Warning(s, key, "`" + shown + "` is empty", "leave the field out instead of empty");
  }

  void CheckSlugList(const Service& s, std::string_view field,
                     const std::vector<std::string>& values) {
    SeenSet seen;
    int unknown_slugs = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      std::string key = ItemKey(field, i);
      const std::string& v = values[i];
      if (Placeholder(s, key, v)) continue;
      if (IsRepeat(s, key, field, v, &seen)) continue;
      if (v == s.slug) {
        Error(s, key, "`" + std::string(field) + "` names this entry itself", "remove " + Quote(v));
        continue;
      }
      if (!IsSlug(v)) {
        std::string base =
            v.substr(v.find_last_of('/') == std::string::npos ? 0 : v.find_last_of('/') + 1);
        if (base.size() > 3 && base.compare(base.size() - 3, 3, ".md") == 0) {
          base.resize(base.size() - 3);
        }
        std::string fix = SuggestSlug(base);
        Error(s, key, Quote(v) + " in `" + std::string(field) + "` is not a service slug",
              "name the other entry by its file name without .md" +
                  (fix.empty() ? std::string() : ", e.g. \"" + fix + "\""));
        continue;
      }
      if (!c_.FindService(v) &&
          !std::binary_search(c_.unloaded_slugs.begin(), c_.unloaded_slugs.end(), v)) {
        // A slug whose file exists but could not be loaded is not reported:
        // that file's own error says what is wrong.
        // Suggesting costs a pass over every slug: only for the first few.
        std::string suggestion = ++unknown_slugs <= 20 ? DidYouMean(v, slugs_) : "";
        Error(s, key,
              "`" + std::string(field) + "` names " + Quote(v) + ", but there is no such service" +
                  suggestion,
              "use the file name (without .md) of an entry in the services folder");
      }
    }
  }

  void CheckHours(const Service& s) {
    for (size_t i = 0; i < s.hours.size(); ++i) {
      const Hours& h = s.hours[i];
      std::string prefix = "hours[" + std::to_string(i) + "].";
      if (Has(s, prefix + "days") && h.days.empty()) {
        Error(s, prefix + "days", "`days` in [[hours]] lists no days",
              "for example: days = [\"mon\", \"tue\"]");
      }
      SeenSet seen;
      for (size_t j = 0; j < h.days.size(); ++j) {
        auto key = [&] { return ItemKey(prefix + "days", j); };  // only for a problem
        if (!Contains(kDays, h.days[j])) {
          Error(s, key(), "`days` cannot be " + Quote(h.days[j]) + DidYouMean(h.days[j], kDays),
                "use one of: " + JoinList(kDays));
        } else if (!seen.Insert(h.days[j])) {
          Error(s, key(), Quote(h.days[j]) + " is listed twice in `days`", "remove the repeat");
        }
      }
      bool opens_ok = Has(s, prefix + "opens") && IsTime(h.opens, false);
      bool closes_ok = Has(s, prefix + "closes") && IsTime(h.closes, true);
      if (Has(s, prefix + "opens") && !opens_ok) {
        Error(s, prefix + "opens",
              "`opens` must be a time written HH:MM (00:00 to 23:59), not " + Quote(h.opens),
              "for example: opens = \"09:00\"");
      }
      if (Has(s, prefix + "closes") && !closes_ok) {
        Error(s, prefix + "closes",
              "`closes` must be a time written HH:MM (00:00 to 24:00), not " + Quote(h.closes),
              "for example: closes = \"17:30\"; use \"24:00\" for midnight");
      }
      if (opens_ok && closes_ok && h.opens == h.closes) {
        Error(s, prefix + "closes", "`opens` and `closes` are the same time (" + h.opens + ")",
              "for a service open all day write opens = \"00:00\" and closes = \"24:00\"");
      }
    }
  }

  void CheckService(const Service& s) {
    PlainText(s, "name", s.name, 0);
    PlainText(s, "organisation", s.organisation, 0);
    PlainText(s, "summary", s.summary, kMaxSummary);

    if (Has(s, "categories") && s.categories.empty()) {
      Error(s, "categories", "`categories` lists no categories",
            "add at least one category slug from " + c_.taxonomy.path);
    }
    TaxonomyList(s, "categories", s.categories, categories_, "category");
    if (Has(s, "tier") && !Placeholder(s, "tier", s.tier) && c_.taxonomy.loaded &&
        !Contains(tiers_, s.tier)) {
      Error(s, "tier", "unknown tier " + Quote(s.tier) + DidYouMean(s.tier, tiers_),
            "use one of: " + JoinList(tiers_));
    }
    if (Has(s, "areas") && s.areas.empty()) {
      Error(s, "areas", "`areas` lists no areas",
            "add area slugs from " + c_.taxonomy.path + ", or write areas = [\"all\"]");
    }
    if (s.areas.size() > 1 && Contains(s.areas, "all")) {
      size_t i = std::find(s.areas.begin(), s.areas.end(), "all") - s.areas.begin();
      Error(s, "areas[" + std::to_string(i) + "]", "`all` cannot be combined with other areas",
            "write areas = [\"all\"] for a service covering every area, or list only the areas");
    }
    TaxonomyList(s, "areas", s.areas, areas_, "area");
    if (Has(s, "referral") && s.referral.empty()) {
      Error(s, "referral", "`referral` lists no referral routes",
            "use one or more of: " + JoinList(kReferral));
    }
    VocabularyList(s, "referral", s.referral, kReferral);
    if (Has(s, "cost")) Vocabulary(s, "cost", "cost", s.cost, kCost);
    VocabularyList(s, "delivery", s.delivery, kDelivery);

    if (Has(s, "last_reviewed")) {
      long age = today_.DaysSinceEpoch() - s.last_reviewed.DaysSinceEpoch();
      if (age < 0) {
        Error(s, "last_reviewed",
              "`last_reviewed` (" + s.last_reviewed.ToIso() + ") is in the future",
              "use the date the entry was last checked with the service, e.g. " + today_.ToIso());
      } else if (age > c_.site.error_after_days) {
        Error(s, "last_reviewed",
              "this entry was last reviewed " + std::to_string(age) +
                  " days ago; entries must be reviewed every " +
                  std::to_string(c_.site.error_after_days) + " days",
              "check every detail with the service, then set last_reviewed = " + today_.ToIso());
      } else if (age > c_.site.warn_after_days) {
        Warning(s, "last_reviewed",
                "this entry is due for review: last reviewed " + std::to_string(age) +
                    " days ago (more than " + std::to_string(c_.site.warn_after_days) + ")",
                "check every detail with the service, then set last_reviewed = " + today_.ToIso());
      }
    }
    if (s.reopens && s.status != Status::kTemporarilyClosed) {
      Error(s, "reopens", "`reopens` is only for temporarily closed services",
            "add status = \"temporarily-closed\", or remove `reopens`");
    } else if (s.reopens && s.reopens->DaysSinceEpoch() < today_.DaysSinceEpoch()) {
      Warning(s, "reopens",
              "the service was due to reopen on " + s.reopens->ToIso() +
                  " but is still marked temporarily closed",
              "check with the service and update `status` and `reopens`");
    }
    if (s.age_min && s.age_max && *s.age_min > *s.age_max) {
      Error(s, "ages.max",
            "`max` age (" + std::to_string(*s.age_max) + ") is below `min` age (" +
                std::to_string(*s.age_min) + ")",
            "swap them, or correct the one that is wrong");
    }
    for (auto [field, list] :
         {std::pair{"languages", &s.languages}, std::pair{"accessibility", &s.accessibility},
          std::pair{"keywords", &s.keywords}}) {
      for (size_t i = 0; i < list->size(); ++i) {
        std::string key = ItemKey(field, i);
        if (Placeholder(s, key, (*list)[i])) continue;
        if ((*list)[i].find_first_not_of(" \t") == std::string::npos) {
          Error(s, key, "empty text in `" + std::string(field) + "`", "remove the empty item");
        }
      }
    }
    EmptyOptional(s, "waiting_time", s.waiting_time);
    EmptyOptional(s, "cost_note", s.cost_note);
    EmptyOptional(s, "eligibility", s.eligibility);
    for (size_t i = 0; i < s.hours.size(); ++i) {
      std::string prefix = "hours[" + std::to_string(i) + "].";
      EmptyOptional(s, prefix + "channel", s.hours[i].channel);
      EmptyOptional(s, prefix + "note", s.hours[i].note);
    }
    CheckSlugList(s, "related", s.related);
    CheckSlugList(s, "not_duplicate_of", s.not_duplicate_of);

    const Contact& ct = s.contact;
    if (Has(s, "contact") && ct.phone.empty() && ct.text.empty() && ct.email.empty() &&
        ct.website.empty() && ct.referral_url.empty()) {
      Error(s, "contact", "[contact] needs at least one way to get in touch",
            "add phone, text, email, website or referral_url");
    }
    if (Has(s, "contact.phone")) PhoneNumber(s, "contact.phone", ct.phone);
    if (Has(s, "contact.text")) PhoneNumber(s, "contact.text", ct.text);
    if (Has(s, "contact.email") && !Placeholder(s, "contact.email", ct.email) &&
        !IsEmail(ct.email)) {
      std::string hint = "write just the address, e.g. \"help@example.org\"";
      if (Lower(ct.email).rfind("mailto:", 0) == 0) hint = "remove `mailto:`";
      Error(s, "contact.email", Quote(ct.email) + " is not an email address", hint);
    }
    if (Has(s, "contact.website")) WebAddress(s, "contact.website", ct.website);
    if (Has(s, "contact.referral_url")) WebAddress(s, "contact.referral_url", ct.referral_url);

    for (size_t i = 0; i < s.locations.size(); ++i) {
      const Location& l = s.locations[i];
      std::string prefix = "locations[" + std::to_string(i) + "]";
      if (l.name.empty() && l.address.empty()) {
        Error(s, prefix, "a location needs a `name` or an `address`",
              "for example: address = \"1 Example Road, Exampleton\"");
      }
      if (Has(s, prefix + ".postcode") && !Placeholder(s, prefix + ".postcode", l.postcode) &&
          !IsPostcode(l.postcode)) {
        std::string upper = l.postcode;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::string hint = "write a UK postcode in capitals, e.g. \"EX1 1AA\"";
        if (IsPostcode(upper)) hint = "write it in capitals: \"" + upper + "\"";
        Error(s, prefix + ".postcode", Quote(l.postcode) + " is not a UK postcode", hint);
      }
    }
    CheckHours(s);
    CheckBody(s);
  }

  void CheckBody(const Service& s) {
    PositionCursor links(s.body, s.body_line);
    int reported = 0;
    const std::vector<BodyLink> body_links = FindBodyLinks(s.body);
    std::vector<std::string> schemes;  // one per link, for the check below
    schemes.reserve(body_links.size());
    for (const BodyLink& link : body_links) {
      const std::string& scheme = schemes.emplace_back(LinkScheme(link.url));
      if (scheme.empty() || Contains(kLinkSchemes, scheme)) continue;
      SourcePos p = links.At(link.offset);
      if (++reported > kMaxReportsPerRule) continue;
      diags_->Error(
          s.path, p.line, p.column,
          "links may only use https:, http:, mailto:, tel: or sms:, not " + Quote(scheme + ":"),
          "link to a web page (https://...) or remove the link");
    }
    TooMany(s, reported, "links with a scheme that is not allowed");
    CheckBodyLinksWithoutScheme(s, body_links, schemes);
    CheckBodyHtml(s);
    // `signpost new` writes its body guidance as lines starting "TODO:".
    PositionCursor todos(s.body, s.body_line);
    reported = 0;
    size_t pos = 0;
    while ((pos = s.body.find("TODO:", pos)) != std::string::npos) {
      if ((pos == 0 || s.body[pos - 1] == '\n') && ++reported <= kMaxReportsPerRule) {
        SourcePos p = todos.At(pos);
        diags_->Error(s.path, p.line, p.column, "replace the placeholder text starting `TODO:`",
                      "replace the line with your own words: what the service offers, who it is "
                      "for, or how to get in touch");
      }
      pos += 5;
    }
    TooMany(s, reported, "placeholder lines starting `TODO:`");
  }

  // Links an editor meant as web or email addresses but wrote without
  // https:// or mailto:; the browser would read them as pages of this site.
  void CheckBodyLinksWithoutScheme(const Service& s, const std::vector<BodyLink>& links,
                                   const std::vector<std::string>& schemes) {
    PositionCursor cursor(s.body, s.body_line);
    int reported = 0;
    for (size_t i = 0; i < links.size(); ++i) {
      const BodyLink& link = links[i];
      if (!schemes[i].empty()) continue;
      std::string fix;
      std::string message;
      if (IsEmail(link.url)) {
        message = "this link will not work: start it with mailto:";
        fix = "mailto:" + link.url;
      } else if (LooksLikeWebAddress(link.url)) {
        message = "this link will not work: start it with https://";
        fix = "https://" + link.url;
      } else {
        continue;
      }
      SourcePos p = cursor.At(link.offset);
      if (++reported > kMaxReportsPerRule) continue;
      diags_->Warning(s.path, p.line, p.column, message,
                      "write the address in full: " + SanitizeForDisplay(fix.substr(0, 120)));
    }
    TooMany(s, reported, "links without https:// or mailto:", Severity::kWarning);
  }

  // "www.example.org/x" or "example.org.uk": a host, not a page of this site.
  static bool LooksLikeWebAddress(std::string_view url) {
    size_t end = url.find_first_of("/?#");
    std::string host = Lower(url.substr(0, end));
    if (host.rfind("www.", 0) == 0 && host.size() > 4) return true;
    if (host.empty() || host.front() == '.' || host.find('.') == std::string::npos) return false;
    for (char c : host) {
      if (!IsHostChar(c)) return false;
    }
    static const std::vector<std::string> kTlds = {"uk",  "com", "org",  "net",   "info", "gov",
                                                   "nhs", "io",  "scot", "wales", "cymru"};
    return Contains(kTlds, host.substr(host.rfind('.') + 1));
  }

  void CheckBodyHtml(const Service& s) {
    PositionCursor cursor(s.body, s.body_line);
    int reported = 0;
    for (const BodyHtmlTag& tag : FindHtmlTags(s.body)) {
      if (++reported > kMaxReportsPerRule) continue;
      SourcePos p = cursor.At(tag.offset);
      diags_->Warning(s.path, p.line, p.column,
                      "HTML is not shown on the page: it is removed; use Markdown instead",
                      HtmlHint(tag.name));
    }
    TooMany(s, reported, "HTML tags", Severity::kWarning);
  }

  static std::string HtmlHint(const std::string& tag) {
    if (tag == "a") return "write a link as [the words to show](https://example.org)";
    if (tag == "br" || tag == "p") return "leave an empty line between paragraphs instead";
    if (tag == "b" || tag == "strong") return "write **bold** instead";
    if (tag == "i" || tag == "em") return "write *italics* instead";
    if (tag == "ul" || tag == "ol" || tag == "li") {
      return "start each line of a list with - instead";
    }
    if (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6') {
      return "write a heading as ## Heading instead";
    }
    return "use Markdown: ## for a heading, - for a list, **bold**, [words](https://...) for a "
           "link";
  }

  void TooMany(const Service& s, int reported, const std::string& what,
               Severity severity = Severity::kError) {
    if (reported <= kMaxReportsPerRule) return;
    std::string message = std::to_string(reported) + " " + what + " in this file; only the first " +
                          std::to_string(kMaxReportsPerRule) + " are listed";
    if (severity == Severity::kWarning) {
      diags_->Warning(s.path, s.body_line, 1, std::move(message));
    } else {
      diags_->Error(s.path, s.body_line, 1, std::move(message));
    }
  }

  // --- look-alikes --------------------------------------------------------

  bool Acknowledged(const Service& a, const Service& b) const {
    return Contains(a.not_duplicate_of, b.slug) || Contains(b.not_duplicate_of, a.slug);
  }

  struct Shared {
    std::string key;     ///< Position key on the later entry.
    std::string reason;  ///< "same phone number 01632 960123".
  };

  // One contact value that two entries must not share: `hash` identifies
  // the normalised value ("tel:01632960123"), so the pass sorts integers
  // instead of filling a map of 40,000 strings (it was most of its time).
  struct ContactKey {
    uint64_t hash;
    uint32_t service;
    uint32_t field;  ///< Index into kContactFields, in the order reported.
    bool operator<(const ContactKey& o) const {
      return hash != o.hash         ? hash < o.hash
             : service != o.service ? service < o.service
                                    : field < o.field;
    }
  };
  static constexpr const char* kContactFields[] = {"contact.phone", "contact.text", "contact.email",
                                                   "contact.website"};

  // The normalised value behind ContactKey `field` of `s` ("" when none):
  // what the hash is made from, and what a hash match is checked against.
  static std::string ContactValue(const Service& s, uint32_t field) {
    switch (field) {
      case 0:
      case 1: {
        const std::string& v = field == 0 ? s.contact.phone : s.contact.text;
        if (v.empty() || !PhoneProblem(v).empty()) return "";
        std::string digits = "tel:" + NormalisePhone(v);
        // phone and text: the same number counts once
        if (field == 1 && digits == ContactValue(s, 0)) return "";
        return digits;
      }
      case 2:
        if (s.contact.email.empty() || !IsEmail(s.contact.email)) return "";
        return "mail:" + Lower(s.contact.email);
      default:
        if (s.contact.website.empty() || !IsWebUrl(s.contact.website)) return "";
        return "web:" + WebsiteKey(s.contact.website);
    }
  }

  void CheckLookAlikes() {
    const auto& sv = c_.services;
    // (later, earlier) -> what they share, in the order found.
    std::map<std::pair<size_t, size_t>, std::vector<Shared>> pairs;
    std::vector<ContactKey> keys;
    keys.reserve(sv.size() * 4);
    for (size_t i = 0; i < sv.size(); ++i) {
      for (uint32_t field = 0; field < std::size(kContactFields); ++field) {
        std::string value = ContactValue(sv[i], field);
        if (value.empty()) continue;
        keys.push_back({XXH3_64bits(value.data(), value.size()), static_cast<uint32_t>(i), field});
      }
    }
    std::sort(keys.begin(), keys.end());
    // Each later entry sharing a value is paired with the first earlier one
    // that does not acknowledge it. The reason is put into words only for a
    // pair found: nearly every entry shares nothing.
    struct Found {
      uint32_t later, field, earlier;
    };
    std::vector<Found> found;
    for (size_t g = 0; g < keys.size();) {
      size_t end = g + 1;
      while (end < keys.size() && keys[end].hash == keys[g].hash) ++end;
      for (size_t k = g + 1; k < end; ++k) {
        const Service& later = sv[keys[k].service];
        std::string value;  // equal hashes: the values are compared too
        for (size_t e = g; e < k; ++e) {
          const Service& earlier = sv[keys[e].service];
          if (keys[e].service == keys[k].service || Acknowledged(later, earlier)) continue;
          if (value.empty()) value = ContactValue(later, keys[k].field);
          if (ContactValue(earlier, keys[e].field) != value) continue;
          found.push_back({keys[k].service, keys[k].field, keys[e].service});
          break;
        }
      }
      g = end;
    }
    // In the order the entries and their fields are read.
    std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
      return a.later != b.later ? a.later < b.later : a.field < b.field;
    });
    static constexpr const char* kWhat[] = {"same phone number ", "same phone number ",
                                            "same email address ", "same website "};
    for (const Found& f : found) {
      const Contact& c = sv[f.later].contact;
      const std::string* shown[] = {&c.phone, &c.text, &c.email, &c.website};
      pairs[{f.later, f.earlier}].push_back(
          {kContactFields[f.field], kWhat[f.field] + SanitizeForDisplay(*shown[f.field])});
    }
    SimilarNames(&pairs);

    for (const auto& [ij, shared] : pairs) {
      const Service& later = sv[ij.first];
      const Service& earlier = sv[ij.second];
      std::string reasons;
      for (size_t k = 0; k < shared.size(); ++k) {
        reasons += (k == 0 ? "" : (k + 1 == shared.size() ? " and " : ", ")) + shared[k].reason;
      }
      Error(later, shared[0].key, "looks like a duplicate of " + earlier.path + ": " + reasons,
            "if they are different services, add not_duplicate_of = [\"" + earlier.slug +
                "\"] to this entry; if they are the same service, keep one entry");
    }
  }

  // Near-identical name and summary. Prefix filtering keeps this far from
  // quadratic: two token sets with Jaccard >= t must share one of the rarest
  // |A| - ceil(t|A|) + 1 tokens of each set, so only entries sharing a rare
  // name token are ever compared.
  void SimilarNames(std::map<std::pair<size_t, size_t>, std::vector<Shared>>* pairs) {
    const auto& sv = c_.services;
    // Name tokens as small integer ids (interned once), each name a sorted
    // id list, so ordering and comparing them never hashes or compares
    // strings again: 10,000 names made this pass the validator's largest.
    // The ids map holds views into `lowered` (each name lower-cased once),
    // not a string per token.
    std::vector<std::string> lowered(sv.size());
    std::unordered_map<std::string_view, int> ids;
    std::vector<std::string_view> token_of;  // id -> token
    std::vector<std::vector<int>> names(sv.size());
    std::vector<int> df;
    for (size_t i = 0; i < sv.size(); ++i) {
      lowered[i] = AsciiLowerWords(sv[i].name);
      std::vector<int>& name = names[i];
      ForEachWord(lowered[i], [&](std::string_view t) {
        auto [it, added] = ids.try_emplace(t, static_cast<int>(ids.size()));
        name.push_back(it->second);
        if (added) {
          token_of.push_back(t);
          df.push_back(0);
        }
      });
      std::sort(name.begin(), name.end());
      name.erase(std::unique(name.begin(), name.end()), name.end());
      for (int id : name) ++df[id];
    }
    // One global order for prefix filtering: rarest first, then by token.
    std::vector<int> by_rarity(token_of.size());
    for (size_t k = 0; k < by_rarity.size(); ++k) by_rarity[k] = static_cast<int>(k);
    std::sort(by_rarity.begin(), by_rarity.end(), [&](int a, int b) {
      return df[a] != df[b] ? df[a] < df[b] : token_of[a] < token_of[b];
    });
    std::vector<int> rank(by_rarity.size());
    for (size_t k = 0; k < by_rarity.size(); ++k) rank[by_rarity[k]] = static_cast<int>(k);
    // Summaries are tokenised only for the rare candidate pairs.
    std::vector<std::optional<std::vector<std::string>>> summaries(sv.size());
    auto summary = [&](size_t i) -> const std::vector<std::string>& {
      if (!summaries[i]) summaries[i] = Tokens(sv[i].summary);
      return *summaries[i];
    };
    std::vector<std::vector<size_t>> index(token_of.size());  // by token id
    std::vector<size_t> stamp(sv.size(), SIZE_MAX);
    std::vector<int> order;
    for (size_t i = 0; i < sv.size(); ++i) {
      if (names[i].empty() || sv[i].summary.empty()) continue;
      order = names[i];
      std::sort(order.begin(), order.end(), [&](int a, int b) { return rank[a] < rank[b]; });
      size_t n = order.size();
      size_t prefix = n - static_cast<size_t>(std::ceil(kSimilarity * n - 1e-9)) + 1;
      size_t best = SIZE_MAX;
      for (size_t k = 0; k < prefix && k < n; ++k) {
        for (size_t j : index[order[k]]) {
          if (j >= best) break;  // lists are in slug order; an earlier match wins
          if (stamp[j] == i) continue;
          stamp[j] = i;
          // Acknowledgement last: it is looked up only for the rare alike pair.
          if (SimilarEnough(names[i], names[j]) && SimilarEnough(summary(i), summary(j)) &&
              !Acknowledged(sv[i], sv[j])) {
            best = j;
            break;
          }
        }
      }
      if (best != SIZE_MAX) {
        (*pairs)[{i, best}].push_back({"name", "very similar name and summary (\"" +
                                                   SanitizeForDisplay(sv[best].name) + "\")"});
      }
      for (size_t k = 0; k < prefix && k < n; ++k) index[order[k]].push_back(i);
    }
  }

  // Jaccard(a, b) >= kSimilarity, giving up as soon as even every element
  // still to come could not lift it there: most candidate pairs differ in
  // their first words, and comparing them whole was a third of this pass.
  template <typename T>
  static bool SimilarEnough(const std::vector<T>& a, const std::vector<T>& b) {
    const size_t total = a.size() + b.size();
    auto similarity = [total](size_t common) {  // |A ∩ B| / |A ∪ B|
      size_t all = total - common;
      return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
    };
    if (similarity(std::min(a.size(), b.size())) < kSimilarity) return false;
    size_t common = 0, i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (a[i] == b[j]) {
        ++common, ++i, ++j;
        continue;
      }
      if (a[i] < b[j]) {
        ++i;
      } else {
        ++j;
      }
      if (similarity(common + std::min(a.size() - i, b.size() - j)) < kSimilarity) return false;
    }
    return similarity(common) >= kSimilarity;
  }

  const Catalogue& c_;
  Date today_;
  Diagnostics* diags_;
  ValidateMemo* memo_;
  bool look_alikes_ = true;
  std::vector<std::string> tiers_, categories_, areas_, slugs_;

  friend void signpost::CheckLookAlikes(const Catalogue&, const Date&, Diagnostics*);
};

}  // namespace

double TokenJaccard(std::string_view a, std::string_view b) {
  auto ta = Tokens(a), tb = Tokens(b);
  size_t common = 0;
  for (const auto& t : ta) common += std::binary_search(tb.begin(), tb.end(), t);
  size_t all = ta.size() + tb.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

void Validate(const Catalogue& catalogue, const Date& today, Diagnostics* diags, ValidateMemo* memo,
              bool look_alikes) {
  Checker checker(catalogue, today, diags, memo);
  if (!look_alikes) checker.SkipLookAlikes();
  checker.Run();
}

uint64_t LookAlikeInputs(const Catalogue& catalogue, const Date& today) {
  InputKey key;
  key.Add("look-alikes").Add(static_cast<uint64_t>(today.DaysSinceEpoch()));
  key.Add(static_cast<uint64_t>(catalogue.services.size()));
  for (const Service& s : catalogue.services) {
    key.Add(s.slug).Add(s.path).Add(s.name).Add(s.summary);
    key.Add(s.contact.phone).Add(s.contact.text).Add(s.contact.email).Add(s.contact.website);
    key.Add(static_cast<uint64_t>(s.not_duplicate_of.size()));
    for (const std::string& slug : s.not_duplicate_of) key.Add(slug);
  }
  uint64_t value = key.value();
  return value == 0 ? 1 : value;  // 0 means "none" to ValidateMemo
}

void CheckLookAlikes(const Catalogue& catalogue, const Date& today, Diagnostics* diags) {
  Checker(catalogue, today, diags).CheckLookAlikes();
}

}  // namespace signpost
