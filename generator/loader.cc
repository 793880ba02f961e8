#include "loader.h"

#include <fcntl.h>
#include <sys/stat.h>
// toml++ is compiled into this file, its only user (header-only; see
// CMakeLists.txt): parsing cost 14% fewer instructions than calls into
// Debian's shared library. It never formats TOML.
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "front_matter.h"
#include "scan.h"
#include "suggest.h"

namespace signpost {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kServiceKeys = {
    "name",        "organisation", "summary",          "categories", "tier",         "areas",
    "referral",    "cost",         "last_reviewed",    "status",     "reopens",      "ages",
    "delivery",    "languages",    "accessibility",    "keywords",   "waiting_time", "cost_note",
    "eligibility", "related",      "not_duplicate_of", "contact",    "locations",    "hours"};
const std::vector<std::string> kContactKeys = {"phone", "text", "email", "website", "referral_url"};
const std::vector<std::string> kLocationKeys = {"name", "address", "postcode"};
const std::vector<std::string> kHoursKeys = {"days", "opens", "closes", "channel", "note"};
const std::vector<std::string> kAgesKeys = {"min", "max"};
const std::vector<std::string> kStatusValues = {"active", "temporarily-closed", "closed"};
const std::vector<std::string> kSiteKeys = {"title",      "base_url", "language",
                                            "repository", "review",   "crisis_contacts"};
const std::vector<std::string> kReviewKeys = {"warn_after_days", "error_after_days"};
const std::vector<std::string> kCrisisKeys = {"name", "phone", "text", "description"};
const std::vector<std::string> kTaxonomyKeys = {"tiers", "categories", "areas"};
const std::vector<std::string> kTierKeys = {"slug", "name", "description"};
const std::vector<std::string> kCategoryKeys = {"slug", "name", "description", "synonyms"};
const std::vector<std::string> kAreaKeys = {"slug", "name", "description", "postcodes"};

// Plain-English names for TOML value types, as an editor would say them.
std::string TypeName(toml::node_type t) {
  switch (t) {
    case toml::node_type::string:
      return "text";
    case toml::node_type::integer:
      return "a whole number";
    case toml::node_type::floating_point:
      return "a decimal number";
    case toml::node_type::boolean:
      return "true or false";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time of day";
    case toml::node_type::date_time:
      return "a date and time";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

bool LooksLikeDate(std::string_view s) {
  Date d;
  char tail = 0;
  std::string copy(s.substr(0, 20));
  return s.size() == 10 &&
         std::sscanf(copy.c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &tail) == 3 &&
         d.IsValid();
}

// The hint for `ages` written as something other than a table: the same
// limits in the inline-table style ("18+" -> ages = { min = 18 }).
std::string AgesHint(const toml::node& n) {
  std::vector<long> numbers;
  bool plus = false;
  if (const auto* i = n.as_integer()) {
    numbers.push_back(static_cast<long>(i->get()));
  } else if (const auto* str = n.as_string()) {
    const std::string& v = str->get();
    long current = -1;
    for (size_t i = 0; i < v.size() && i < 40; ++i) {
      char c = v[i];
      if (c >= '0' && c <= '9') {
        current = (current < 0 ? 0 : current) * 10 + (c - '0');
        if (current > 999) return "write age limits like this: ages = { min = 16, max = 25 }";
      } else {
        if (current >= 0) numbers.push_back(current);
        current = -1;
        if (c == '+') plus = true;
      }
    }
    if (current >= 0) numbers.push_back(current);
  }
  if (numbers.size() == 1 && (plus || n.is_integer())) {
    return "write it as: ages = { min = " + std::to_string(numbers[0]) +
           " } (add max = ... for an upper age limit)";
  }
  if (numbers.size() == 2 && numbers[0] <= numbers[1]) {
    return "write it as: ages = { min = " + std::to_string(numbers[0]) +
           ", max = " + std::to_string(numbers[1]) + " }";
  }
  return "write age limits like this: ages = { min = 16, max = 25 } (either can be left out)";
}

// Where the values of one TOML table are read from, for messages and
// position keys: `key_prefix` builds "hours[0].opens", `in` adds
// " in [[hours]]" to messages.
struct Scope {
  toml::table* table = nullptr;
  std::string key_prefix;
  std::string in;
  SourcePos where;  ///< Where a missing key is reported.
};

// Reads typed values out of parsed TOML, recording positions and reporting
// wrong types, missing required keys and unknown keys. Positions are shifted
// by the line where the TOML text starts in its file.
class Reader {
 public:
  Reader(std::string path, int first_line, Diagnostics* diags, KeyPositions* positions)
      : path_(std::move(path)), first_line_(first_line), diags_(diags), positions_(positions) {}

  SourcePos Pos(const toml::source_region& r) const {
    if (r.begin.line == 0) return {};
    return {static_cast<int>(r.begin.line) + first_line_ - 1, static_cast<int>(r.begin.column)};
  }

  void Error(SourcePos p, std::string message, std::string hint = "") {
    diags_->Error(path_, p.line, p.column, std::move(message), std::move(hint));
  }

  void Record(std::string_view key, SourcePos p) {
    if (positions_ && p.line > 0) positions_->Set(key, p);
  }

  // Records `key` of scope `s` ("hours[0]." + "opens") without a temporary
  // string: a 10,000-entry load records ~450,000 keys.
  void Record(const Scope& s, std::string_view key, SourcePos p) {
    if (!positions_ || p.line <= 0) return;
    key_.assign(s.key_prefix).append(key);
    positions_->Set(key_, p);
  }

  // Records item `index` of list `key` of scope `s` ("related[1]").
  void RecordItem(const Scope& s, std::string_view key, size_t index, SourcePos p) {
    if (!positions_ || p.line <= 0) return;
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
    key_.assign(s.key_prefix).append(key).append(1, '[').append(digits, end).append(1, ']');
    positions_->Set(key_, p);
  }

  const std::string& path() const { return path_; }

  /// True when an unknown key was taken for `key` (so it is not also missing).
  bool WasSuggested(const std::string& key) const { return suggested_.count(key) > 0; }

  // Reports every key of the scope's table not in `known`.
  void UnknownKeys(const Scope& s, const std::vector<std::string>& known) {
    for (auto&& [k, v] : *s.table) {
      std::string_view key = k.str();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      SourcePos p = Pos(k.source());
      if (p.line == 0) p = Pos(v.source());
      std::string shown = SanitizeKey(std::string(key));
      std::string suggestion = Suggest(key, known);
      if (!suggestion.empty()) {
        // The misspelt key stands for `suggestion`: do not also call that
        // one missing.
        suggested_.insert(s.key_prefix + suggestion);
        Error(p, "unknown field `" + shown + "`" + s.in + "; did you mean `" + suggestion + "`?",
              "rename it to `" + suggestion + "`");
      } else {
        Error(p, "unknown field `" + shown + "`" + s.in,
              "remove it or check its spelling; the fields allowed here are: " + JoinList(known));
      }
    }
  }

  // The node under `key`, or null (reporting a missing required key when
  // `example` is non-empty: it shows a line to add).
  toml::node* Get(const Scope& s, const char* key, std::string_view example) {
    toml::node* n = s.table->get(key);
    if (!n && !example.empty() && !suggested_.count(s.key_prefix + key)) {
      Error(s.where, "missing required field `" + std::string(key) + "`" + s.in,
            "add a line such as: " + std::string(example));
    }
    return n;
  }

  void WrongType(const Scope& s, const std::string& key, const toml::node& n,
                 const std::string& expected, std::string hint) {
    Error(Pos(n.source()),
          "`" + key + "`" + s.in + " must be " + expected + ", not " + TypeName(n.type()),
          std::move(hint));
  }

  // Values are moved out of the parsed table, which is thrown away after.
  bool Text(const Scope& s, const char* key, std::string* out, std::string_view example = {}) {
    toml::node* n = Get(s, key, example);
    if (!n) return false;
    if (auto* v = n->as_string()) {
      *out = std::move(v->get());
      Record(s, key, Pos(n->source()));
      return true;
    }
    std::string hint =
        "put the value in double quotes, for example: " + std::string(key) + " = \"...\"";
    if (n->is_date()) hint = "a date here is text: put it in double quotes";
    WrongType(s, key, *n, "text (in double quotes)", hint);
    return false;
  }

  bool TextList(const Scope& s, const char* key, std::vector<std::string>* out,
                std::string_view example = {}) {
    toml::node* n = Get(s, key, example);
    if (!n) return false;
    auto* arr = n->as_array();
    if (!arr) {
      std::string hint =
          "put the values in square brackets, for example: " + std::string(key) + " = [\"...\"]";
      if (const auto* str = n->as_string()) {
        std::string v = str->get();
        hint = "put it in square brackets: " + std::string(key) + " = [\"" + v + "\"]";
        bool slug_list =
            std::string_view(key) == "related" || std::string_view(key) == "not_duplicate_of";
        if (slug_list && (v.find('/') != std::string::npos || v.find(".md") != std::string::npos)) {
          std::string base =
              v.substr(v.find_last_of('/') == std::string::npos ? 0 : v.find_last_of('/') + 1);
          if (base.size() > 3 && base.compare(base.size() - 3, 3, ".md") == 0) {
            base.resize(base.size() - 3);
          }
          std::string slug = SuggestSlug(base);
          hint = "name other entries by their slug (the file name without .md), not by a path: " +
                 std::string(key) + " = [\"" + (slug.empty() ? "other-service" : slug) + "\"]";
        }
      }
      WrongType(s, key, *n, "a list of text in square brackets", hint);
      return false;
    }
    Record(s, key, Pos(n->source()));
    out->clear();
    out->reserve(arr->size());
    bool ok = true;
    for (size_t i = 0; i < arr->size(); ++i) {
      toml::node& item = *arr->get(i);
      if (auto* v = item.as_string()) {
        out->push_back(std::move(v->get()));
        RecordItem(s, key, i, Pos(item.source()));
      } else {
        Error(Pos(item.source()),
              "item " + std::to_string(i + 1) + " of `" + key + "`" + s.in +
                  " must be text (in double quotes), not " + TypeName(item.type()),
              "put each value in double quotes: " + std::string(key) + " = [\"a\", \"b\"]");
        ok = false;
      }
    }
    return ok;
  }

  bool Integer(const Scope& s, const char* key, std::optional<int>* out, long min, long max,
               const std::string& range_hint, std::string_view example = {}) {
    const toml::node* n = Get(s, key, example);
    if (!n) return false;
    if (const auto* v = n->as_integer()) {
      int64_t value = v->get();
      if (value < min || value > max) {
        Error(Pos(n->source()),
              "`" + std::string(key) + "`" + s.in + " must be between " + std::to_string(min) +
                  " and " + std::to_string(max) + ", not " + std::to_string(value),
              range_hint);
        return false;
      }
      *out = static_cast<int>(value);
      Record(s, key, Pos(n->source()));
      return true;
    }
    std::string hint = "write the number without quotes, for example: " + std::string(key) + " = " +
                       std::to_string(min > 0 ? min : 16);
    WrongType(s, key, *n, "a whole number", hint);
    return false;
  }

  bool DateValue(const Scope& s, const char* key, Date* out, std::string_view example = {}) {
    const toml::node* n = Get(s, key, example);
    if (!n) return false;
    if (const auto* v = n->as_date()) {
      toml::date d = v->get();
      *out = Date{static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day)};
      Record(s, key, Pos(n->source()));
      return true;
    }
    std::string hint =
        "write dates as year-month-day without quotes, for example: " + std::string(key) +
        " = 2026-09-14";
    if (const auto* str = n->as_string()) {
      if (LooksLikeDate(str->get())) {
        hint = "remove the quotes: " + std::string(key) + " = " + str->get();
      }
    } else if (const auto* dt = n->as_date_time()) {
      toml::date d = dt->get().date;
      hint =
          "write just the date: " + std::string(key) + " = " + Date{d.year, d.month, d.day}.ToIso();
    }
    WrongType(s, key, *n, "a date like 2026-09-14 (without quotes)", hint);
    return false;
  }

  // A sub-table (`[contact]` or `ages = { ... }`), or null.
  toml::table* Table(const Scope& s, const char* key, std::string_view example = {}) {
    toml::node* n = Get(s, key, example);
    if (!n) return nullptr;
    if (auto* t = n->as_table()) return t;
    if (std::string_view(key) == "ages") {
      WrongType(s, key, *n, "age limits in curly brackets", AgesHint(*n));
      return nullptr;
    }
    WrongType(s, key, *n, "a [" + std::string(key) + "] section",
              "start a section with [" + std::string(key) +
                  "] on its own line and put its fields below it");
    return nullptr;
  }

  // An array of tables (`[[hours]]`), or null.
  toml::array* Tables(const Scope& s, const char* key) {
    toml::node* n = Get(s, key, {});
    if (!n) return nullptr;
    auto* arr = n->as_array();
    if (!arr || !arr->is_array_of_tables()) {
      if (arr && arr->empty()) return arr;
      WrongType(
          s, key, *n, "one or more [[" + std::string(key) + "]] sections",
          "write each one as a section starting with [[" + std::string(key) + "]] on its own line");
      return nullptr;
    }
    Record(s, key, Pos(n->source()));
    return arr;
  }

  // A scope for table `t` found at `key_prefix`.
  Scope Sub(toml::table& t, std::string key_prefix, std::string in, SourcePos fallback) {
    SourcePos p = Pos(t.source());
    return Scope{&t, std::move(key_prefix), std::move(in), p.line > 0 ? p : fallback};
  }

 private:
  // Keys can hold any Unicode; keep messages short and printable.
  static std::string SanitizeKey(const std::string& key) {
    return key.size() > 60 ? key.substr(0, 57) + "..." : key;
  }

  std::string path_;
  int first_line_;
  Diagnostics* diags_;
  KeyPositions* positions_;
  std::set<std::string> suggested_;  ///< Keys an unknown key was taken for.
  std::string key_;                  ///< Scratch for position keys.
};

// The byte offset in `line` of 1-based code-point column `column` (clamped
// to the line's end).
size_t ByteOfColumn(std::string_view line, int column) {
  size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// The 1-based code-point column of byte offset `byte` in `line`.
int ColumnOfByte(std::string_view line, size_t byte) {
  int column = 1;
  for (size_t i = 0; i < byte && i < line.size(); ++i) {
    column += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
  }
  return column;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The `key = value` around a syntax error, read back from the line so a
// toml++ message can be said in plain words.
struct ErrorSite {
  std::string line;      ///< The whole line, without its ending.
  std::string key;       ///< "" when the line has no `key =` before the error.
  std::string value;     ///< The value as written, trimmed; may be empty.
  int value_column = 0;  ///< Where the value starts (code points), or 0.
};

ErrorSite FindErrorSite(std::string_view text, int line, int column) {
  ErrorSite site;
  size_t start = 0;
  for (int n = 1; n < line; ++n) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return site;
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view l = text.substr(start, end == std::string_view::npos ? end : end - start);
  if (l.size() > 4096) l = l.substr(0, 4096);  // hostile lines: only the start matters
  site.line = std::string(l);
  size_t at = std::min(ByteOfColumn(l, column), l.size());
  // The value is whatever follows the last `=`, `,`, `[` or `{` before the
  // error, up to the next `,`, `]`, `}` or comment.
  size_t eq = l.substr(0, at).find_last_of("=,[{");
  size_t value_start = eq == std::string_view::npos ? 0 : eq + 1;
  if (eq != std::string_view::npos && l[eq] == '=') {
    std::string_view before = l.substr(0, eq);
    size_t key_start = before.find_last_of(",{");
    site.key =
        std::string(Trim(before.substr(key_start == std::string_view::npos ? 0 : key_start + 1)));
  }
  while (value_start < l.size() && (l[value_start] == ' ' || l[value_start] == '\t')) ++value_start;
  size_t value_end = l.find_first_of(",]}#", std::max(value_start, at));
  if (value_end == std::string_view::npos) value_end = l.size();
  if (value_start < value_end) {
    site.value = std::string(Trim(l.substr(value_start, value_end - value_start)));
    site.value_column = ColumnOfByte(l, value_start);
  }
  return site;
}

bool StartsWithCurlyQuote(std::string_view v) {
  for (std::string_view q : {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99"}) {
    if (v.substr(0, q.size()) == q) return true;
  }
  return false;
}

// Digits separated by `/`, `.` or `-` in three groups, one of them four
// digits long: a date, however it was written.
bool LooksLikeAnyDate(std::string_view v, int* d1, int* d2, int* d3, bool* year_first) {
  int parts[3] = {0, 0, 0};
  size_t lengths[3] = {0, 0, 0};
  int part = 0;
  char separator = 0;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      if (++lengths[part] > 4) return false;
      parts[part] = parts[part] * 10 + (c - '0');
    } else if ((c == '/' || c == '.' || c == '-') && lengths[part] > 0 && part < 2 &&
               (separator == 0 || separator == c)) {
      separator = c;
      ++part;
    } else {
      return false;
    }
  }
  if (part != 2) return false;
  *year_first = lengths[0] == 4 && lengths[1] <= 2 && lengths[2] >= 1 && lengths[2] <= 2;
  bool day_first = lengths[0] <= 2 && lengths[1] >= 1 && lengths[1] <= 2 && lengths[2] == 4;
  if (!*year_first && !day_first) return false;
  *d1 = parts[0], *d2 = parts[1], *d3 = parts[2];
  return true;
}

const char* const kMonthNames[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

// A toml++ syntax error said in plain words: message and hint, or false
// when it is not one editors commonly make.
bool ExplainSyntaxError(const std::string& description, const ErrorSite& site, std::string* message,
                        std::string* hint, int* column) {
  std::string key = SanitizeForDisplay(site.key.substr(0, 60));
  std::string value = SanitizeForDisplay(site.value.substr(0, 80));
  size_t redefine = description.find("cannot redefine existing");
  if (redefine != std::string::npos || description.find("redefinition") != std::string::npos) {
    // toml++ 3.3: "cannot redefine existing string 'cost'" or "... table
    // 'contact'"; the name is the last quoted word.
    size_t close = description.rfind('\'');
    size_t open = close == std::string::npos || close == 0 ? std::string::npos
                                                           : description.rfind('\'', close - 1);
    std::string name =
        open == std::string::npos
            ? key
            : SanitizeForDisplay(description.substr(open + 1, close - open - 1).substr(0, 60));
    bool section = description.find("parsing table header") != std::string::npos;
    if (section) {
      *message = "the [" + name + "] section is written twice";
      *hint = "each section can be written only once: move its fields under the first [" + name +
              "] line and delete the second";
    } else {
      *message = name.empty() ? std::string("a field is written twice")
                              : "`" + name + "` is written twice";
      *hint = "each field can be written only once: delete one of them";
      size_t first = site.line.find_first_not_of(" \t");
      if (first != std::string::npos) *column = ColumnOfByte(site.line, first);
    }
    return true;
  }
  bool phone_key = key == "phone" || key == "text";
  int d1 = 0, d2 = 0, d3 = 0;
  bool year_first = false;
  bool date_like = LooksLikeAnyDate(site.value, &d1, &d2, &d3, &year_first);
  if ((description.find("leading zero") != std::string::npos && !date_like) ||
      (phone_key && !value.empty() && value[0] >= '0' && value[0] <= '9')) {
    std::string shown_key = key.empty() ? std::string("phone") : key;
    bool phone_like = phone_key || value.find(' ') != std::string::npos || value.size() >= 10;
    if (phone_like) {
      *message = "a phone number must be written in double quotes";
      *hint = "put the phone number in quotes: " + shown_key + " = \"" +
              (value.empty() ? std::string("01632 960123") : value) + "\"";
    } else {
      std::string trimmed = value.substr(std::min(value.find_first_not_of('0'), value.size()));
      *message = "a number cannot start with 0";
      *hint = "write the number without the leading 0" +
              (key.empty() || trimmed.empty() ? std::string() : ": " + key + " = " + trimmed);
    }
    if (site.value_column > 0) *column = site.value_column;
    return true;
  }
  if (description.find("while parsing date") != std::string::npos || date_like) {
    std::string example = "2026-10-12";
    if (date_like) {
      // Day/month/year is how dates are written in the UK.
      Date d = year_first ? Date{d1, d2, d3} : Date{d3, d2, d1};
      if (d.IsValid() && !year_first) example = d.ToIso();
      if (year_first && d2 >= 1 && d2 <= 12 && !d.IsValid()) {
        *message = "there is no such date as " + value + ": " + kMonthNames[d2 - 1] + " " +
                   std::to_string(d1) + " has " + std::to_string(Date::DaysInMonth(d1, d2)) +
                   " days";
      } else if (year_first && (d2 < 1 || d2 > 12)) {
        *message = "there is no such date as " + value + ": the month must be 01 to 12";
      } else {
        *message = "`" + value + "` is not a date written year-month-day";
      }
    } else {
      *message = (value.empty() ? std::string("this") : "`" + value + "`") +
                 " is not a date written year-month-day";
    }
    *hint = "write dates as year-month-day, e.g. " + example + ", without quotes";
    if (site.value_column > 0) *column = site.value_column;
    return true;
  }
  if (description.find("unescaped control characters") != std::string::npos ||
      description.find("control characters other than TAB") != std::string::npos) {
    // At the end of the line: the line break ended the text.
    if (Trim(std::string_view(site.line).substr(ByteOfColumn(site.line, *column))).empty()) {
      *message = "this text has no closing double quote";
      *hint = "add a \" at the end of the text; text must start and end on the same line";
    } else {
      *message = "this text contains an invisible control character";
      *hint = "delete it and type the text again; it was probably pasted from another program";
    }
    return true;
  }
  if (description.find("could not determine value type") != std::string::npos) {
    if (StartsWithCurlyQuote(site.value)) {
      *message = "curly quotes cannot be used around text";
      *hint = "use straight quotes \" instead of curly quotes; word processors change them";
      return true;
    }
    if (key == "ages" || key == "min" || key == "max") {
      *message = "`" + value + "` is not an age";
      *hint = "write age limits as whole numbers in curly brackets, e.g. ages = { min = 18 }";
      return true;
    }
    *message = value.empty() ? std::string("this value needs double quotes around it")
                             : "`" + value + "` needs double quotes around it";
    *hint = "put text in straight double quotes, for example: " +
            (key.empty() ? std::string("tier") : key) + " = \"" +
            (value.empty() ? std::string("primary-care") : value) + "\"";
    return true;
  }
  return false;
}

// toml++ 3.3 (Debian 12's) asks is_non_ascii_horizontal_whitespace()
// about a character wherever whitespace may stand, and for 3,019 code
// points (U+00A1 to U+0499 among them: every accented Latin letter) that
// function reaches __builtin_unreachable(): undefined behaviour on input
// from a public pull request. Fixed upstream in 3.4; until Debian ships it
// the text is scanned first and such a character is reported here, so
// toml++ never sees it. The table below is the one in toml++'s
// unicode_autogenerated.h: a character is a hazard when its 1018-code-point
// block is not marked "no whitespace here" and it is not one of the
// whitespace characters the function does answer for.
bool TomlppMisjudgesAsWhitespace(char32_t c) {
  if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
  const uint64_t block = (static_cast<uint64_t>(c) - 0xA0) / 0x3FA;
  if ((uint64_t{1} << block) & 0x7FFFFFFFFFFFF75Eull) return false;
  return block != 5 && block != 7;
}

// Whitespace as toml++ 3.3 reads it (tab, space and the non-ASCII spaces
// it knows), for characters that are not hazards.
bool TomlppWhitespace(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x1680 || c == 0x180E ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x2060 ||
         c == 0x3000 || c == 0xFEFF;
}

// The code point at `i` in valid UTF-8 (CheckFileEncoding ran first) and
// its length in bytes.
char32_t CodePointAt(std::string_view s, size_t i, size_t* length) {
  auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  char32_t c = b(0);
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = 1;
  if (n == 2) c = ((c & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) c = ((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  if (n == 4) c = ((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  *length = n;
  return c;
}

// Finds the first character toml++ 3.3 would ask about as whitespace and
// misjudge: outside strings and comments, after a backslash in a
// """multi-line""" string, or first on a line continued by a line-ending
// backslash. Sets the 1-based line, code-point column, message and hint;
// false when there is none.
bool FindTomlppHazard(std::string_view t, int* line, int* column, std::string* message,
                      std::string* hint) {
  // Every hazard is a non-ASCII character, and most front matter is ASCII:
  // then the lexer below (~3% of a 10,000-entry build) has nothing to find.
  if (IsAscii(t)) return false;
  enum class In { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };
  In in = In::kCode;
  bool after_backslash = false;  // in kMultiBasic, just after a '\'
  bool continuing = false;       // in kMultiBasic, after a line-ending backslash
  int ln = 1;
  size_t line_start = 0;
  auto starts = [&](size_t i, std::string_view w) { return t.substr(i, w.size()) == w; };
  // A closing """ or ''' may be followed by up to two more quotes that
  // belong to the string.
  auto closing = [&](size_t i, char q) {
    size_t n = 3;
    while (i + n < t.size() && t[i + n] == q && n < 5) ++n;
    return n;
  };
  for (size_t i = 0; i < t.size();) {
    size_t n = 1;
    char32_t c = CodePointAt(t, i, &n);
    bool hazard = c >= 0x80 && TomlppMisjudgesAsWhitespace(c);
    std::string shown = hazard ? SanitizeForDisplay(t.substr(i, n)) : std::string();
    bool report = false;
    switch (in) {
      case In::kCode:
        if (hazard) {
          report = true;
          *message = "TOML syntax error: unexpected character '" + shown + "'";
          *hint = "outside double quotes only field names, numbers, true/false and dates may be "
                  "written: put text in double quotes, for example name = \"Caf\xC3\xA9\"";
        } else if (c == '#') {
          in = In::kComment;
        } else if (starts(i, "\"\"\"")) {
          in = In::kMultiBasic, n = 3;
        } else if (c == '"') {
          in = In::kBasic;
        } else if (starts(i, "'''")) {
          in = In::kMultiLiteral, n = 3;
        } else if (c == '\'') {
          in = In::kLiteral;
        }
        break;
      case In::kComment:
        if (c == '\n') in = In::kCode;
        break;
      case In::kBasic:
        if (c == '\\') {
          if (i + 1 < t.size() && t[i + 1] != '\n') {  // skip the escaped character too
            size_t escaped = 1;
            CodePointAt(t, i + 1, &escaped);
            n = 1 + escaped;
          }
        } else if (c == '"' || c == '\n') {
          in = In::kCode;
        }
        break;
      case In::kLiteral:
        if (c == '\'' || c == '\n') in = In::kCode;
        break;
      case In::kMultiLiteral:
        if (starts(i, "'''")) in = In::kCode, n = closing(i, '\'');
        break;
      case In::kMultiBasic:
        if (after_backslash) {
          after_backslash = false;
          if (hazard) {
            report = true;
            *message = "TOML syntax error: '\\" + shown + "' is not an escape sequence";
            *hint = "write \\\\ for a backslash";
          } else if (TomlppWhitespace(c) || c == '\n' || c == '\r') {
            continuing = true;
            continue;  // read this character again as continued whitespace
          }
        } else if (continuing) {
          if (hazard) {
            report = true;
            *message = "TOML syntax error: a line continued with a backslash cannot start with '" +
                       shown + "'";
            *hint = "the TOML reader cannot read this: remove the backslash at the end of the "
                    "line above, or start this line with another character";
          } else if (!TomlppWhitespace(c) && c != '\n' && c != '\r') {
            continuing = false;
            continue;  // read this character again as string text
          }
        } else if (c == '\\') {
          after_backslash = true;
        } else if (starts(i, "\"\"\"")) {
          in = In::kCode, n = closing(i, '"');
        }
        break;
    }
    if (report) {
      *line = ln;
      *column = ColumnOfByte(t.substr(line_start), i - line_start);
      return true;
    }
    for (size_t k = i; k < i + n && k < t.size(); ++k) {
      if (t[k] == '\n') ++ln, line_start = k + 1;
    }
    i += n;
  }
  return false;
}

// Parses TOML text, reporting a syntax error as a diagnostic. `first_line`
// is the file line where the TOML starts.
bool ParseToml(const std::string& path, std::string_view toml_text, int first_line,
               toml::table* out, Diagnostics* diags) {
  int hazard_line = 0, hazard_column = 0;
  std::string hazard_message, hazard_hint;
  if (FindTomlppHazard(toml_text, &hazard_line, &hazard_column, &hazard_message, &hazard_hint)) {
    diags->Error(path, hazard_line + first_line - 1, hazard_column, hazard_message, hazard_hint);
    return false;
  }
  try {
    // No source path: every node would hold a shared_ptr to it (atomic
    // reference counts); diagnostics carry the path themselves.
    *out = toml::parse(toml_text);
    return true;
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    int line = b.line == 0 ? first_line : static_cast<int>(b.line) + first_line - 1;
    int column = b.column == 0 ? 1 : static_cast<int>(b.column);
    std::string description(e.description());
    std::string message, hint;
    ErrorSite site = FindErrorSite(toml_text, b.line == 0 ? 1 : static_cast<int>(b.line), column);
    if (!ExplainSyntaxError(description, site, &message, &hint, &column)) {
      message = "TOML syntax error: " + description;
      hint =
          "check this line: text needs double quotes around it, lists need square brackets, and "
          "each field is written as name = value";
    }
    diags->Error(path, line, column, message, hint);
    return false;
  } catch (const std::exception& e) {
    diags->Error(path, first_line, 1, std::string("could not read the TOML: ") + e.what());
    return false;
  }
}

// Result of reading one content file from disk.
enum class ReadResult { kOk, kContentError, kIoError };

// Reads a regular file without following a symlink and without reading more
// than `limit` bytes. Problems become diagnostics on `path`.
ReadResult ReadContentFile(const std::string& path, size_t limit, std::string* out,
                           Diagnostics* diags) {
  // O_NOFOLLOW: a symlink swapped in after the directory scan is still
  // refused; O_NONBLOCK: a FIFO cannot hang the build.
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP) {
      diags->Error(path, 0, 0, "this is a symbolic link; content files must be ordinary files",
                   "replace the link with the file itself");
      return ReadResult::kContentError;
    }
    if (err == ENOENT) {
      diags->Error(path, 0, 0, "file not found");
      return ReadResult::kContentError;
    }
    diags->Error(path, 0, 0, std::string("cannot open the file: ") + std::strerror(err));
    return ReadResult::kIoError;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    diags->Error(path, 0, 0, "this is not an ordinary file");
    return ReadResult::kContentError;
  }
  auto too_big = [&](size_t size) {
    diags->Error(path, 0, 0,
                 "the file is " + std::to_string(size) + " bytes; content files may be at most " +
                     std::to_string(limit) + " bytes (1 MiB)",
                 "shorten the text; a service entry is usually a few kilobytes");
  };
  if (static_cast<unsigned long long>(st.st_size) > limit) {
    ::close(fd);
    too_big(static_cast<size_t>(st.st_size));
    return ReadResult::kContentError;
  }
  out->clear();
  out->resize(static_cast<size_t>(st.st_size) + 1);
  size_t got = 0;
  while (true) {
    if (got == out->size()) {
      if (out->size() > limit) break;
      out->resize(std::min(out->size() * 2, limit + 1));
    }
    ssize_t n = ::read(fd, out->data() + got, out->size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      diags->Error(path, 0, 0, std::string("cannot read the file: ") + std::strerror(err));
      return ReadResult::kIoError;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got > limit) {
    too_big(got);
    return ReadResult::kContentError;
  }
  out->resize(got);
  return ReadResult::kOk;
}

// Encoding check with its diagnostic.
bool CheckFileEncoding(const std::string& path, std::string_view text, Diagnostics* diags) {
  EncodingProblem problem;
  if (CheckEncoding(text, &problem)) return true;
  diags->Error(path, problem.pos.line, problem.pos.column, problem.message, problem.hint);
  return false;
}

std::string_view SkipBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

void ReadSite(toml::table& root, Reader* r, SiteConfig* site) {
  Scope top{&root, "", "", SourcePos{1, 1}};
  r->UnknownKeys(top, kSiteKeys);
  r->Text(top, "title", &site->title,
          "title = \"Example Borough Mental Health and Wellbeing Directory\"");
  if (r->Text(top, "base_url", &site->base_url, "base_url = \"https://directory.example.org/\"") &&
      !site->base_url.empty() && site->base_url.back() != '/') {
    site->base_url += '/';
  }
  r->Text(top, "language", &site->language);
  r->Text(top, "repository", &site->repository);
  if (toml::table* review = r->Table(top, "review")) {
    Scope s = r->Sub(*review, "review.", " in [review]", top.where);
    r->UnknownKeys(s, kReviewKeys);
    std::optional<int> value;
    const std::string days_hint = "a number of days, for example 365 for a year";
    if (r->Integer(s, "warn_after_days", &value, 1, 100000, days_hint)) {
      site->warn_after_days = *value;
    }
    if (r->Integer(s, "error_after_days", &value, 1, 100000, days_hint)) {
      site->error_after_days = *value;
    }
  }
  if (toml::array* contacts = r->Tables(top, "crisis_contacts")) {
    for (size_t i = 0; i < contacts->size(); ++i) {
      toml::table& t = *contacts->get(i)->as_table();
      std::string prefix = "crisis_contacts[" + std::to_string(i) + "].";
      Scope s = r->Sub(t, prefix, " in [[crisis_contacts]]", top.where);
      r->UnknownKeys(s, kCrisisKeys);
      CrisisContact c;
      r->Text(s, "name", &c.name, "name = \"Samaritans\"");
      r->Text(s, "phone", &c.phone);
      r->Text(s, "text", &c.text);
      r->Text(s, "description", &c.description,
              "description = \"Talk to someone any time, day or night.\"");
      r->Record(std::string_view(prefix).substr(0, prefix.size() - 1), s.where);
      site->crisis_contacts.push_back(std::move(c));
    }
  }
}

template <typename T>
void ReadTaxonomyItems(toml::table& root, const char* key, const std::vector<std::string>& known,
                       Reader* r, std::vector<T>* out) {
  Scope top{&root, "", "", SourcePos{1, 1}};
  toml::array* items = r->Tables(top, key);
  if (!items) return;
  std::string in = std::string(" in [[") + key + "]]";
  for (size_t i = 0; i < items->size(); ++i) {
    toml::table& t = *items->get(i)->as_table();
    std::string prefix = std::string(key) + "[" + std::to_string(i) + "].";
    Scope s = r->Sub(t, prefix, in, top.where);
    r->UnknownKeys(s, known);
    T item;
    item.pos = s.where;
    r->Record(std::string_view(prefix).substr(0, prefix.size() - 1), s.where);
    r->Text(s, "slug", &item.slug, "slug = \"example-slug\"");
    r->Text(s, "name", &item.name, "name = \"A name people recognise\"");
    if constexpr (std::is_same_v<T, Area>) {
      r->Text(s, "description", &item.description);
      r->TextList(s, "postcodes", &item.postcodes);
    } else {
      r->Text(s, "description", &item.description,
              "description = \"One or two sentences in plain English.\"");
    }
    if constexpr (std::is_same_v<T, Category>) r->TextList(s, "synonyms", &item.synonyms);
    out->push_back(std::move(item));
  }
}

void ReadTaxonomy(toml::table& root, Reader* r, Taxonomy* taxonomy) {
  Scope top{&root, "", "", SourcePos{1, 1}};
  r->UnknownKeys(top, kTaxonomyKeys);
  ReadTaxonomyItems(root, "tiers", kTierKeys, r, &taxonomy->tiers);
  ReadTaxonomyItems(root, "categories", kCategoryKeys, r, &taxonomy->categories);
  ReadTaxonomyItems(root, "areas", kAreaKeys, r, &taxonomy->areas);
}

// Loads one TOML settings file (site.toml or taxonomy.toml).
template <typename Fill>
ReadResult LoadTomlFile(const std::string& path, SourceMap* sources, Diagnostics* diags,
                        KeyPositions* positions, Fill fill, uint64_t* source_hash = nullptr) {
  std::error_code ec;
  auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status)) {
    diags->Error(path, 0, 0, "file not found",
                 "every content folder needs site.toml and taxonomy.toml; copy them from the "
                 "sample content");
    return ReadResult::kContentError;
  }
  std::string text;
  ReadResult result = ReadContentFile(path, kMaxEntryBytes, &text, diags);
  if (result != ReadResult::kOk) return result;
  if (source_hash != nullptr) *source_hash = SourceFingerprint::Of(text).hash;
  sources->Add(path, text);
  if (!CheckFileEncoding(path, text, diags)) return ReadResult::kContentError;
  toml::table root;
  if (!ParseToml(path, SkipBom(text), 1, &root, diags)) return ReadResult::kContentError;
  Reader reader(path, 1, diags, positions);
  fill(root, &reader);
  positions->Sort();
  return ReadResult::kOk;
}

// One services/*.md file to parse.
struct EntryFile {
  std::string path;
  std::string slug;
  bool keep = true;  ///< False when the file name is wrong: parsed for errors only.
  /// The file's bytes while it has diagnostics; else released after parsing
  /// (`fingerprint` lets SourceMap read it again if a later stage needs a
  /// line), so 10,000 entries' text is never held all at once.
  std::string text;
  SourceFingerprint fingerprint;
  bool ok = false;
  ReadResult read = ReadResult::kOk;
  Diagnostics diags;
  FileStamp stamp;                      ///< Taken before reading, when loading with a cache.
  bool reused = false;                  ///< Taken from the cache, not read.
  EntryCache::Entry* cached = nullptr;  ///< Its cache entry, when it had one.
};

// Reads and parses one entry into *service.
void LoadEntry(EntryFile* e, Service* service) {
  e->read = ReadContentFile(e->path, kMaxEntryBytes, &e->text, &e->diags);
  if (e->read != ReadResult::kOk) return;
  e->ok = ParseServiceEntry(e->path, e->slug, e->text, service, &e->diags);
  e->fingerprint = SourceFingerprint::Of(e->text);
  service->source_hash = e->fingerprint.hash;
  if (e->diags.empty()) std::string().swap(e->text);
}

}  // namespace

void EntryCache::Restore(Catalogue* catalogue) {
  services_ = std::move(catalogue->services);
  catalogue->services.clear();
  for (size_t i = 0; i < services_.size(); ++i) {
    auto it = entries_.find(services_[i].path);
    if (it != entries_.end()) it->second.service = i;
  }
}

bool ParseServiceEntry(const std::string& path, const std::string& slug, std::string_view text,
                       Service* service, Diagnostics* diags) {
  service->slug = slug;
  service->path = path;
  service->front_matter_pos = SourcePos{1, 1};
  if (text.size() > kMaxEntryBytes) {
    diags->Error(path, 0, 0,
                 "the file is " + std::to_string(text.size()) +
                     " bytes; content files may be at most " + std::to_string(kMaxEntryBytes) +
                     " bytes (1 MiB)");
    return false;
  }
  if (!CheckFileEncoding(path, text, diags)) return false;

  FrontMatter fm;
  std::string hint;
  std::string problem = SplitFrontMatter(text, &fm, &hint);
  if (!problem.empty()) {
    diags->Error(path, 1, 1, problem, hint);
    return false;
  }
  service->body = std::string(fm.body);
  service->body_line = fm.body_line;

  toml::table root;
  if (!ParseToml(path, fm.toml, fm.toml_first_line, &root, diags)) return false;

  Reader r(path, fm.toml_first_line, diags, &service->positions);
  Scope top{&root, "", "", service->front_matter_pos};
  r.UnknownKeys(top, kServiceKeys);
  Service& s = *service;
  r.Text(top, "name", &s.name, "name = \"Example Talking Therapies\"");
  r.Text(top, "organisation", &s.organisation, "organisation = \"Example NHS Foundation Trust\"");
  r.Text(top, "summary", &s.summary,
         "summary = \"One sentence, at most 200 characters, saying who it helps and how.\"");
  r.TextList(top, "categories", &s.categories, "categories = [\"talking-therapies\"]");
  r.Text(top, "tier", &s.tier, "tier = \"primary-care\"");
  r.TextList(top, "areas", &s.areas, "areas = [\"all\"]");
  r.TextList(top, "referral", &s.referral, "referral = [\"self\", \"gp\"]");
  r.Text(top, "cost", &s.cost, "cost = \"free\"");
  // The example names today's date: only worked out when it is shown.
  std::string reviewed_example;
  if (!root.contains("last_reviewed")) {
    reviewed_example = "last_reviewed = " + Date::Today().ToIso();
  }
  r.DateValue(top, "last_reviewed", &s.last_reviewed, reviewed_example);
  std::string status;
  if (r.Text(top, "status", &status)) {
    if (status == "active") {
      s.status = Status::kActive;
    } else if (status == "temporarily-closed") {
      s.status = Status::kTemporarilyClosed;
    } else if (status == "closed") {
      s.status = Status::kClosed;
    } else {
      SourcePos p = s.PosOf("status");
      s.positions.erase("status");
      r.Error(p,
              "`status` cannot be `" + SanitizeForDisplay(status.substr(0, 60)) + "`" +
                  DidYouMean(status, kStatusValues),
              "use one of: " + JoinList(kStatusValues));
    }
  }
  Date reopens;
  if (r.DateValue(top, "reopens", &reopens)) s.reopens = reopens;
  if (toml::table* ages = r.Table(top, "ages")) {
    Scope a = r.Sub(*ages, "ages.", " in ages", top.where);
    r.Record("ages", a.where);
    r.UnknownKeys(a, kAgesKeys);
    const std::string age_hint =
        "write an age in years, from 0 to 120; leave `max` out when there is no upper age limit";
    r.Integer(a, "min", &s.age_min, 0, 120, age_hint);
    r.Integer(a, "max", &s.age_max, 0, 120, age_hint);
  }
  r.TextList(top, "delivery", &s.delivery);
  r.TextList(top, "languages", &s.languages);
  r.TextList(top, "accessibility", &s.accessibility);
  r.TextList(top, "keywords", &s.keywords);
  r.Text(top, "waiting_time", &s.waiting_time);
  r.Text(top, "cost_note", &s.cost_note);
  r.Text(top, "eligibility", &s.eligibility);
  r.TextList(top, "related", &s.related);
  r.TextList(top, "not_duplicate_of", &s.not_duplicate_of);
  if (toml::table* contact = r.Table(top, "contact")) {
    Scope c = r.Sub(*contact, "contact.", " in [contact]", top.where);
    r.Record("contact", c.where);
    r.UnknownKeys(c, kContactKeys);
    r.Text(c, "phone", &s.contact.phone);
    r.Text(c, "text", &s.contact.text);
    r.Text(c, "email", &s.contact.email);
    r.Text(c, "website", &s.contact.website);
    r.Text(c, "referral_url", &s.contact.referral_url);
  }
  if (!root.get("contact") && !r.WasSuggested("contact")) {
    // A section, not a line: said in its own words (hints stay on one line).
    r.Error(top.where, "missing the [contact] section",
            "add a line [contact] at the end of the front matter (just above the closing +++), "
            "and below it a line such as phone = \"01632 960123\"");
  }
  if (toml::array* locations = r.Tables(top, "locations")) {
    for (size_t i = 0; i < locations->size(); ++i) {
      toml::table* t = locations->get(i)->as_table();
      if (!t) continue;
      std::string prefix = "locations[" + std::to_string(i) + "].";
      Scope l = r.Sub(*t, prefix, " in [[locations]]", top.where);
      r.Record(std::string_view(prefix).substr(0, prefix.size() - 1), l.where);
      r.UnknownKeys(l, kLocationKeys);
      Location loc;
      r.Text(l, "name", &loc.name);
      r.Text(l, "address", &loc.address);
      r.Text(l, "postcode", &loc.postcode);
      s.locations.push_back(std::move(loc));
    }
  }
  if (toml::array* hours = r.Tables(top, "hours")) {
    for (size_t i = 0; i < hours->size(); ++i) {
      toml::table* t = hours->get(i)->as_table();
      if (!t) continue;
      std::string prefix = "hours[" + std::to_string(i) + "].";
      Scope h = r.Sub(*t, prefix, " in [[hours]]", top.where);
      r.Record(std::string_view(prefix).substr(0, prefix.size() - 1), h.where);
      r.UnknownKeys(h, kHoursKeys);
      Hours row;
      r.TextList(h, "days", &row.days, "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]");
      r.Text(h, "opens", &row.opens, "opens = \"09:00\"");
      r.Text(h, "closes", &row.closes, "closes = \"17:00\"");
      r.Text(h, "channel", &row.channel);
      r.Text(h, "note", &row.note);
      s.hours.push_back(std::move(row));
    }
  }
  s.positions.Sort();
  return true;
}

bool LoadTaxonomyFile(const std::string& path, Taxonomy* taxonomy, SourceMap* sources,
                      Diagnostics* diags) {
  taxonomy->path = path;
  Diagnostics local;
  ReadResult result =
      LoadTomlFile(path, sources, &local, &taxonomy->positions,
                   [&](toml::table& t, Reader* r) { ReadTaxonomy(t, r, taxonomy); });
  diags->Append(local);
  taxonomy->loaded = result == ReadResult::kOk;
  return taxonomy->loaded && !local.HasErrors();
}

bool LoadCatalogue(const std::string& content_dir, Catalogue* catalogue, SourceMap* sources,
                   Diagnostics* diags, EntryCache* cache) {
  catalogue->content_dir = content_dir;
  bool io_ok = true;
  const fs::path root(content_dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    diags->Error(content_dir, 0, 0, "the content folder does not exist or is not a folder",
                 "run signpost from the repository's top folder, or pass --content DIR");
    return false;
  }

  std::string site_path = (root / "site.toml").string();
  catalogue->site.path = site_path;
  ReadResult site_result =
      LoadTomlFile(site_path, sources, diags, &catalogue->site.positions,
                   [&](toml::table& t, Reader* r) { ReadSite(t, r, &catalogue->site); },
                   &catalogue->site.source_hash);
  catalogue->site.loaded = site_result == ReadResult::kOk;
  io_ok &= site_result != ReadResult::kIoError;

  std::string taxonomy_path = (root / "taxonomy.toml").string();
  catalogue->taxonomy.path = taxonomy_path;
  ReadResult taxonomy_result =
      LoadTomlFile(taxonomy_path, sources, diags, &catalogue->taxonomy.positions,
                   [&](toml::table& t, Reader* r) { ReadTaxonomy(t, r, &catalogue->taxonomy); },
                   &catalogue->taxonomy.source_hash);
  catalogue->taxonomy.loaded = taxonomy_result == ReadResult::kOk;
  io_ok &= taxonomy_result != ReadResult::kIoError;

  const fs::path services_dir = root / "services";
  const std::string services_path = services_dir.string();
  auto dir_status = fs::symlink_status(services_dir, ec);
  if (ec || !fs::exists(dir_status)) {
    diags->Error(services_path, 0, 0, "the services folder is missing",
                 "create it and add one .md file per service (signpost new SLUG writes one)");
    return io_ok;
  }
  if (fs::is_symlink(dir_status) || !fs::is_directory(dir_status)) {
    diags->Error(services_path, 0, 0,
                 fs::is_symlink(dir_status) ? "the services folder is a symbolic link; it must be "
                                              "an ordinary folder"
                                            : "`services` must be a folder");
    return io_ok;
  }

  // The listing's file types (d_type) are kept so 10,000 entries do not
  // cost 10,000 extra stat calls; lstat is the fallback.
  std::vector<std::pair<std::string, fs::file_status>> listing;
  for (fs::directory_iterator it(services_dir, ec), end; !ec && it != end; it.increment(ec)) {
    // directory_entry answers is_symlink/is_directory/is_regular_file from
    // the cached d_type (symlink_status() would stat again).
    std::error_code e1, e2, e3;
    fs::file_type type = fs::file_type::none;
    if (it->is_symlink(e1)) {
      type = fs::file_type::symlink;
    } else if (it->is_directory(e2)) {
      type = fs::file_type::directory;
    } else if (it->is_regular_file(e3)) {
      type = fs::file_type::regular;
    } else if (!e1 && !e2 && !e3) {
      type = fs::file_type::unknown;  // a FIFO, socket or device: looked at again below
    }
    listing.emplace_back(it->path().filename().string(), fs::file_status(type));
  }
  if (ec) {
    diags->Error(services_path, 0, 0, "cannot list the folder: " + ec.message());
    return false;
  }
  // In slug order ("a.md" before "a-b.md", which file-name order reverses),
  // so the services come out sorted and 10,000 Services are never moved
  // about by a sort at the end.
  auto stem = [](const std::string& name) {
    std::string_view n(name);
    if (n.size() > 3 && n.substr(n.size() - 3) == ".md") n.remove_suffix(3);
    return n;
  };
  std::sort(listing.begin(), listing.end(), [&stem](const auto& a, const auto& b) {
    std::string_view x = stem(a.first), y = stem(b.first);
    return x != y ? x < y : a.first < b.first;
  });

  std::vector<EntryFile> entries;
  entries.reserve(listing.size());
  // .md files that exist but will not be loaded (symbolic links, odd files,
  // entries that fail to parse).
  std::vector<std::string> unloaded;
  auto note_unloaded = [&](const std::string& name) {
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0 &&
        IsSlug(name.substr(0, name.size() - 3))) {
      unloaded.push_back(name.substr(0, name.size() - 3));
    }
  };
  // Joined as strings: an fs::path per entry cost more than reading a cached one.
  std::string dir_prefix = services_path;
  if (!dir_prefix.empty() && dir_prefix.back() != '/') dir_prefix += '/';
  for (auto& [name, listed] : listing) {
    std::string path = dir_prefix + name;
    // For messages only: made when one is.
    auto shown = [&name] { return SanitizeForDisplay(name); };
    fs::file_status st = listed;
    if (st.type() == fs::file_type::none || st.type() == fs::file_type::unknown) {
      st = fs::symlink_status(services_dir / name, ec);
    }
    if (ec) {
      diags->Error(path, 0, 0, "cannot inspect the file: " + ec.message());
      io_ok = false;
      continue;
    }
    if (fs::is_symlink(st)) {
      // The target is never read or echoed: it could be anything on the
      // machine running the check.
      diags->Error(path, 0, 0, "this is a symbolic link; service entries must be ordinary files",
                   "replace the link with the entry itself");
      note_unloaded(name);
      continue;
    }
    if (fs::is_directory(st)) {
      diags->Error(path, 0, 0, "sub-folders are not allowed in the services folder",
                   "move the .md files in `" + shown() + "` up into " + services_path +
                       " and remove the folder");
      continue;
    }
    if (name == ".gitkeep") continue;  // Git's usual way to keep an empty folder.
    if (!fs::is_regular_file(st)) {
      diags->Error(path, 0, 0, "this is not an ordinary file");
      note_unloaded(name);
      continue;
    }
    std::string stem = name;
    bool is_md = name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0;
    if (!is_md) {
      // An error rather than a warning: a misnamed entry ("x.markdown",
      // "x.md.txt") would otherwise vanish from the directory unnoticed.
      std::string lower = stem;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string fix;
      if (lower.size() > 3 && lower.compare(lower.size() - 3, 3, ".md") == 0) {
        fix = SuggestSlug(stem.substr(0, stem.size() - 3));
      } else if (lower.size() > 9 && lower.compare(lower.size() - 9, 9, ".markdown") == 0) {
        fix = SuggestSlug(stem.substr(0, stem.size() - 9));
      }
      diags->Error(path, 0, 0,
                   "only .md files belong in the services folder; `" + shown() + "` is not one",
                   fix.empty() ? "remove it, or move it out of " + services_path
                               : "rename `" + shown() + "` to `" + fix + ".md`");
      continue;
    }
    stem.resize(stem.size() - 3);
    EntryFile e;
    e.path = path;
    e.slug = stem;
    if (!IsSlug(stem)) {
      std::string fix = SuggestSlug(stem);
      diags->Error(path, 0, 0,
                   "the file name must be a slug (lower-case letters, digits and hyphens)",
                   fix.empty() ? "rename it to a name such as `example-service.md`"
                               : "rename `" + shown() + "` to `" + fix + ".md`");
      e.keep = false;
    }
    entries.push_back(std::move(e));
  }

  // Parsing dominates a large check; two threads halve it on the reference
  // machine. Each entry collects its own diagnostics, so output stays
  // deterministic (they are merged in file order and sorted later).
  // Entries are parsed straight into their place in one vector (a vector
  // per stage, moved across, held two copies of 10,000 Services at once);
  // the ones that fail are squeezed out below.
  //
  // With a cache, the previous build's Services come back as one vector
  // (EntryCache::Restore). When this load lists exactly the files that
  // vector holds, in the same order (an edit, not an added, removed or
  // broken entry), it is used as it is: an unchanged entry's Service is
  // already in its place. Otherwise a new vector is filled by moving.
  std::vector<Service> previous;
  if (cache != nullptr) previous.swap(cache->services_);
  bool in_place = previous.size() == entries.size();
  for (size_t i = 0; in_place && i < entries.size(); ++i) {
    in_place = previous[i].path == entries[i].path;
  }
  std::vector<Service> services;
  if (in_place) {
    services = std::move(previous);
  } else {
    services.resize(entries.size());
  }
  // With a cache, an entry whose file still has the stamp it had when it was
  // parsed is taken from the cache instead. The cache is only read here
  // (each thread takes distinct entries); it is updated after the join.
  // Stamps are taken relative to the services folder: a full path is
  // walked component by component, and 10,000 such walks were a third of
  // serve's load.
  int services_fd = -1;
  if (cache != nullptr)
    services_fd = ::open(services_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct CloseFd {
    int fd;
    ~CloseFd() {
      if (fd >= 0) ::close(fd);
    }
  } close_services{services_fd};
  const size_t name_at = dir_prefix.size();
  auto load = [cache, in_place, &previous, &services, services_fd, name_at](size_t i,
                                                                            EntryFile* e) {
    Service* service = &services[i];
    if (cache != nullptr) {
      struct stat st;
      int stat_result = 0;
      const struct stat* known = nullptr;
      if (cache->walked_ != nullptr) {
        auto walked = cache->walked_->find(e->path);
        if (walked != cache->walked_->end()) known = &walked->second;
      }
      if (known != nullptr) {
        st = *known;
      } else {
        stat_result =
            services_fd >= 0 && e->path.size() > name_at
                ? ::fstatat(services_fd, e->path.c_str() + name_at, &st, AT_SYMLINK_NOFOLLOW)
                : ::lstat(e->path.c_str(), &st);
      }
      if (stat_result == 0) e->stamp = StampOf(st);
      auto it = cache->entries_.find(e->path);
      if (it != cache->entries_.end()) e->cached = &it->second;
      using Entry = EntryCache::Entry;
      if (e->cached != nullptr && e->stamp.size >= 0 && e->cached->stamp == e->stamp &&
          (e->cached->service != Entry::kNoService || !e->cached->parsed)) {
        const Entry& cached = *e->cached;
        e->reused = true;
        e->read = ReadResult::kOk;
        e->ok = cached.parsed;
        e->diags = cached.diags;
        e->text = cached.text;
        e->fingerprint = cached.fingerprint;
        if (cached.service != Entry::kNoService && !in_place) {
          *service = std::move(previous[cached.service]);
        }
        return;
      }
      if (in_place) *service = Service();  // the previous version of this entry
    }
    LoadEntry(e, service);
  };
  const size_t workers = std::min<size_t>(2, std::max<size_t>(1, entries.size() / 64));
  if (workers > 1) {
    // Each thread takes the next file as it comes free, so one 1 MiB entry
    // does not leave the other thread waiting at the end.
    std::atomic<size_t> next{0};
    auto work = [&entries, &next, &load] {
      for (size_t i; (i = next.fetch_add(1)) < entries.size();) load(i, &entries[i]);
    };
    std::vector<std::thread> threads;
    for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();  // the calling thread is the last worker
    for (auto& t : threads) t.join();
  } else {
    for (size_t i = 0; i < entries.size(); ++i) load(i, &entries[i]);
  }
  previous.clear();
  if (cache != nullptr) {
    cache->walked_ = nullptr;  // good for this load only
    // The cache now describes exactly the files of this load (updated in
    // place: rebuilding a map of 10,000 paths cost more than the stats);
    // Restore() gives it their Services after the build.
    const uint64_t generation = ++cache->generation_;
    cache->reused_ = cache->parsed_ = 0;
    for (EntryFile& e : entries) {
      if (e.reused) {
        ++cache->reused_;
      } else {
        ++cache->parsed_;
      }
      if (e.read != ReadResult::kOk || e.stamp.size < 0) continue;  // read again next time
      EntryCache::Entry* entry = e.cached;
      if (entry == nullptr) entry = &cache->entries_[e.path];
      entry->service = EntryCache::Entry::kNoService;  // until Restore
      entry->generation = generation;
      if (e.reused) continue;
      entry->stamp = e.stamp;
      entry->parsed = e.ok;
      entry->diags = e.diags;
      entry->text = e.text;
      entry->fingerprint = e.fingerprint;
    }
    std::erase_if(cache->entries_,
                  [generation](const auto& kv) { return kv.second.generation != generation; });
  }

  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    EntryFile& e = entries[i];
    diags->Append(e.diags);
    if (e.read == ReadResult::kIoError) io_ok = false;
    if (e.keep && !(e.read == ReadResult::kOk && e.ok)) unloaded.push_back(e.slug);
    if (e.read != ReadResult::kOk) continue;
    if (e.diags.empty()) {
      sources->AddOnDisk(e.path, e.fingerprint);
    } else {
      sources->Add(e.path, std::move(e.text));  // kept: these lines are echoed now
    }
    if (e.ok && e.keep) {
      if (kept != i) services[kept] = std::move(services[i]);
      ++kept;
    }
  }
  services.resize(kept);
  catalogue->services = std::move(services);
  std::sort(unloaded.begin(), unloaded.end());
  catalogue->unloaded_slugs = std::move(unloaded);
  if (entries.empty()) {
    diags->Error(services_path, 0, 0, "there are no service entries (.md files) in this folder",
                 "add one with: signpost new SLUG");
  }
  // File-name order is almost always slug order already ("a-b.md" sorts
  // before "a.md", "a" before "a-b"); moving 10,000 Services costs more
  // than checking.
  auto by_slug = [](const Service& a, const Service& b) { return a.slug < b.slug; };
  if (!std::is_sorted(catalogue->services.begin(), catalogue->services.end(), by_slug)) {
    std::sort(catalogue->services.begin(), catalogue->services.end(), by_slug);
  }
  return io_ok;
}

}  // namespace signpost
