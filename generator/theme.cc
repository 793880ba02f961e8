#include "theme.h"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "file_stamp.h"
#include "scan.h"

namespace signpost {

namespace fs = std::filesystem;
namespace mu = kainjow::mustache;

const char* const kPageTemplates[] = {
    "home",    "service", "category", "categories",    "area", "areas", "tier",
    "pathway", "a-z",     "search",   "accessibility", "404",  nullptr};

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// kainjow reports "Unclosed section \"hours\" at 123": a byte offset. Turn
// that into `path:line:col: error: unclosed section `hours``.
void ReportTemplateError(const std::string& path, const std::string& text,
                         const std::string& message, Diagnostics* diags) {
  static const std::regex kAt(R"(^(.*) at (\d+)$)");
  std::smatch m;
  std::string what = message;
  int line = 1, column = 1;
  if (std::regex_match(message, m, kAt)) {
    what = m[1].str();
    OffsetToLineColumn(text, std::stoul(m[2].str()), &line, &column);
  }
  // "Unclosed section \"hours\"" -> "unclosed section `hours`"
  for (char& c : what) {
    if (c == '"') c = '`';
  }
  if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  diags->Error(path, line, column, what,
               "check that every {{#section}} and {{^section}} has a matching {{/section}} "
               "and every tag is closed with }}");
}

}  // namespace

namespace {

// Every name a template's tags mention ({{a.b}}, {{#a}}, {{^a}}, {{{a}}},
// {{&a}}), whole and each dotted part.
std::set<std::string> TagNames(const std::string& text) {
  static const std::regex kTag(R"(\{\{\{?\s*[#^/&]?\s*([A-Za-z0-9_.\-]+))");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kTag); it != std::sregex_iterator();
       ++it) {
    std::string name = (*it)[1].str();
    names.insert(name);
    for (size_t start = 0; start <= name.size();) {
      size_t dot = name.find('.', start);
      if (dot == std::string::npos) dot = name.size();
      names.insert(name.substr(start, dot - start));
      start = dot + 1;
    }
  }
  return names;
}

// Bytes HtmlEscape must replace, and with what; everything else is copied.
struct EscapeTable {
  const char* replacement[256] = {};
  constexpr EscapeTable() {
    replacement[static_cast<unsigned char>('&')] = "&amp;";
    replacement[static_cast<unsigned char>('<')] = "&lt;";
    replacement[static_cast<unsigned char>('>')] = "&gt;";
    replacement[static_cast<unsigned char>('"')] = "&quot;";
    replacement[static_cast<unsigned char>('\'')] = "&apos;";
  }
};
constexpr EscapeTable kEscape;

}  // namespace

namespace {

// The index of the first byte at or after `i` that HtmlEscape replaces, or
// text.size(). Eight bytes a step: '&' and '\'' differ only in bit 0, '<'
// and '>' only in bit 1, so three word comparisons cover all five.
size_t NextToEscape(std::string_view text, size_t i) {
  using scan_internal::kOnes;
  using scan_internal::MatchBits;
  const char* p = text.data();
  const size_t n = text.size();
  while (i + 8 <= n) {
    uint64_t w = scan_internal::Load8(p + i);
    if ((MatchBits(w | kOnes, '\'') | MatchBits(w | (kOnes * 2), '>') | MatchBits(w, '"')) != 0) {
      break;
    }
    i += 8;
  }
  while (i < n && kEscape.replacement[static_cast<unsigned char>(p[i])] == nullptr) ++i;
  return i;
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  // Same five characters as kainjow's html_escape. Every value printed by
  // every template passes through here, and most have nothing to escape:
  // one scan, then a single copy.
  const char* p = text.data();
  const size_t n = text.size();
  size_t i = NextToEscape(text, 0);
  if (i == n) return text;
  std::string out;
  out.reserve(n + 16);
  size_t copied = 0;
  while (i < n) {
    out.append(p + copied, i - copied);
    out.append(kEscape.replacement[static_cast<unsigned char>(p[i])]);
    copied = i + 1;
    i = NextToEscape(text, copied);
  }
  out.append(p + copied, n - copied);
  return out;
}

namespace {

constexpr int kMaxPartialDepth = 8;

// Starts the names of the theme's own tags (merged text, value lines) in
// compiled templates. A template file containing it is never rewritten,
// so an editor's tag can never reach them.
constexpr char kMarker = '\x1f';

// Literal text of at least this many kainjow components (a word or a space
// each) is printed through one tag: one look-up instead of a callback, a
// type test and an append per component.
constexpr size_t kMinMergedComponents = 3;

bool IsDot(const std::string& name) { return name.size() == 1 && name[0] == '.'; }

// FindInItem with `name.find('.')` already known.
const RenderContext::Data* FindInItemAt(const RenderContext::Data* item, const std::string& name,
                                        size_t dot, std::string* segment) {
  if (dot == std::string::npos) return item->get(name);
  // "a.b.c": every part must resolve inside this one item.
  const RenderContext::Data* var = item;
  size_t start = 0;
  while (var != nullptr) {
    size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    segment->assign(name, start, end - start);
    var = var->get(*segment);
    // As kainjow splits with getline, a trailing '.' adds no empty part.
    if (end == name.size() || end + 1 == name.size()) break;
    start = end + 1;
  }
  return var;
}

}  // namespace

// A Reference is data of kainjow's "partial" type, which nothing else in
// page data ever is (content only ever becomes text, flags, lists and
// objects, and partials are pasted in at load): calling it gives the
// target's address in eight bytes, short enough to need no allocation.
RenderContext::Data RenderContext::Reference(const Data* target) {
  return Data(kainjow::mustache::basic_partial<std::string>([target] {
    return std::string(reinterpret_cast<const char*>(&target), sizeof target);
  }));
}

const RenderContext::Data* RenderContext::Resolve(const Data* data) {
  if (data == nullptr || !data->is_partial()) return data;
  const std::string bytes = data->partial_value()();
  const Data* target = nullptr;
  if (bytes.size() == sizeof target) std::memcpy(&target, bytes.data(), sizeof target);
  return target;
}

RenderContext::RenderContext(const Data* outermost) {
  items_.reserve(8);
  if (outermost != nullptr) items_.push_back(outermost);
}

const RenderContext::Data* RenderContext::Find(const std::string& name, size_t depth) const {
  if (depth == 0) return nullptr;
  if (IsDot(name)) return items_[depth - 1];
  size_t dot = name.find('.');
  for (size_t i = depth; i-- > 0;) {
    if (const Data* var = FindInItemAt(items_[i], name, dot, &segment_)) return var;
  }
  return nullptr;
}

void OffsetToLineColumn(std::string_view text, size_t offset, int* line, int* column) {
  *line = 1;
  *column = 1;
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++*line;
      *column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++*column;
    }
  }
}

namespace {

// A template with its partials pasted in, and the template kainjow compiled
// from exactly that text.
struct Expanded {
  std::string text;
  std::unique_ptr<mu::mustache> compiled;
};

// Loads one template file, checks it compiles on its own (so errors point
// into the file the editor wrote), and expands its partials textually so the
// compiled page never re-parses a partial while rendering.
class TemplateLoader {
 public:
  TemplateLoader(std::string dir, Diagnostics* diags) : dir_(std::move(dir)), diags_(diags) {}

  bool Expand(const std::string& rel, int depth, std::string* out) {
    std::string path = dir_ + "/" + rel;
    std::string text;
    auto cached = files_.find(rel);
    if (cached != files_.end()) {
      text = cached->second;
    } else {
      std::error_code ec;
      if (!fs::is_regular_file(path, ec) || !ReadFile(path, &text)) {
        diags_->Error(path, 0, 0, "cannot read this template",
                      "the theme needs this file; restore it from the repository");
        return false;
      }
      mu::mustache alone(text);
      if (!alone.is_valid()) {
        ReportTemplateError(path, text, alone.error_message(), diags_);
        return false;
      }
      files_[rel] = text;
    }
    // kainjow trims a tag before reading its type, so `{{ > name }}` is a
    // partial too.
    static const std::regex kPartial(R"(\{\{\s*>\s*([^}]*?)\s*\}\})");
    std::string result;
    size_t last = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kPartial);
         it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      result.append(text, last, m.position(0) - last);
      last = m.position(0) + m.length(0);
      std::string name = Trim(m[1].str());
      int line, column;
      OffsetToLineColumn(text, m.position(0), &line, &column);
      if (!std::regex_match(name, std::regex("[A-Za-z0-9_-]+"))) {
        diags_->Error(path, line, column, "bad partial name `" + name + "`",
                      "partials are files templates/partials/<name>.mustache; use letters, "
                      "digits, '-' and '_'");
        return false;
      }
      if (depth >= kMaxPartialDepth) {
        diags_->Error(path, line, column, "partials nested too deeply at `" + name + "`",
                      "a partial probably includes itself");
        return false;
      }
      std::string partial_rel = "partials/" + name + ".mustache";
      std::error_code ec;
      if (!fs::is_regular_file(dir_ + "/" + partial_rel, ec)) {
        diags_->Error(
            path, line, column,
            "missing partial `" + name + "`: " + dir_ + "/" + partial_rel + " does not exist",
            "create the partial or fix the name");
        return false;
      }
      std::string expanded;
      if (!Expand(partial_rel, depth + 1, &expanded)) return false;
      result += expanded;
    }
    result.append(text, last, std::string::npos);
    *out = std::move(result);
    return true;
  }

  bool Compile(const std::string& rel, std::map<std::string, std::string>* required_assets,
               Expanded* out) {
    if (!Expand(rel, 0, &out->text)) return false;
    const std::string& expanded = out->text;
    // `{{assets.x}}` printed outside `{{#assets.x}}` must exist, or the page
    // would link to the folder instead of a stylesheet.
    static const std::regex kAssetRef(R"(\{\{\s*([#^/]?)\s*assets\.([A-Za-z0-9_]+)\s*\}\})");
    std::set<std::string> printed, guarded;
    for (auto it = std::sregex_iterator(expanded.begin(), expanded.end(), kAssetRef);
         it != std::sregex_iterator(); ++it) {
      ((*it)[1].str().empty() ? printed : guarded).insert((*it)[2].str());
    }
    for (const std::string& key : printed) {
      if (!guarded.count(key)) required_assets->emplace(key, dir_ + "/" + rel);
    }
    out->compiled = std::make_unique<mu::mustache>(expanded);
    out->compiled->set_custom_escape(HtmlEscape);
    if (!out->compiled->is_valid()) {
      // Each file compiled on its own, so a section must open in one file and
      // close in another: point at the page template as a whole.
      diags_->Error(
          dir_ + "/" + rel, 0, 0,
          "this template and its partials do not fit together: " + out->compiled->error_message(),
          "open and close each section in the same file");
      return false;
    }
    return true;
  }

 private:
  std::string dir_;
  Diagnostics* diags_;
  std::map<std::string, std::string> files_;
};

// One component as kainjow's parser splits a template: a run of text, one
// space or tab, one line ending, or one tag.
struct Token {
  enum class Kind { kText, kSpace, kNewline, kTag };
  Kind kind;
  size_t begin;
  size_t end;
  char tag = 0;      // kTag: '#', '^', '/', '>', '!', '&' (also {{{x}}}) or 'v' (a variable)
  std::string name;  // kTag: the name kainjow gives it
};

// Splits `text` exactly as kainjow 4.1's parser does with the default
// delimiters. False on a set-delimiter tag (the rewrite leaves such
// templates alone) or an unclosed tag.
bool Tokenize(const std::string& text, std::vector<Token>* tokens) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (text.compare(i, 2, "{{") == 0) {
      size_t contents = i + 2;
      bool triple = i != n - 2 && text.at(contents) == '{';
      if (triple) ++contents;
      const std::string close = triple ? "}}}" : "}}";
      size_t end = text.find(close, contents);
      if (end == std::string::npos) return false;
      std::string body = mu::trim(text.substr(contents, end - contents));
      if (!body.empty() && body[0] == '=') return false;
      char tag = 'v';
      std::string name = body;
      if (triple) {
        tag = '&';
      } else if (!body.empty() && std::string_view("#^/>&!").find(body[0]) != std::string::npos) {
        tag = body[0];
        name = mu::trim(body.substr(1));
      }
      tokens->push_back({Token::Kind::kTag, i, end + close.size(), tag, std::move(name)});
      i = end + close.size();
    } else if (text.compare(i, 2, "\r\n") == 0) {
      tokens->push_back({Token::Kind::kNewline, i, i + 2, 0, {}});
      i += 2;
    } else if (text[i] == '\n' || text[i] == '\r') {
      tokens->push_back({Token::Kind::kNewline, i, i + 1, 0, {}});
      ++i;
    } else if (text[i] == ' ' || text[i] == '\t') {
      tokens->push_back({Token::Kind::kSpace, i, i + 1, 0, {}});
      ++i;
    } else {
      if (!tokens->empty() && tokens->back().kind == Token::Kind::kText &&
          tokens->back().end == i) {
        ++tokens->back().end;
      } else {
        tokens->push_back({Token::Kind::kText, i, i + 1, 0, {}});
      }
      ++i;
    }
  }
  return true;
}

}  // namespace

// A line holding one unescaped value and its line ending.
struct ValueLine {
  std::string name;     // the value's name
  std::string text;     // the line as written, tag and line ending
  std::string newline;  // the line ending
};

namespace {

// Rewrites expanded templates into equivalent kainjow templates that render
// faster: literal text between tags becomes one tag per run, and a line of
// nothing but an unescaped value becomes one the theme writes itself.
class TemplateRewriter {
 public:
  /// Sets *out to the rewritten `e`; false when `e` uses what the rewrite
  /// does not handle (set-delimiter tags, the marker byte).
  bool Rewrite(const Expanded& e, std::string* out) {
    const std::string& text = e.text;
    if (text.find(kMarker) != std::string::npos) return false;
    tokens_.clear();
    if (!Tokenize(text, &tokens_)) return false;
    out->clear();
    Emit(text, 0, tokens_.size(), out);
    return true;
  }

  /// The merged text runs, by index.
  std::vector<std::string> texts;
  /// Lines of one unescaped value, by index.
  std::vector<ValueLine> value_lines;

 private:
  // Appends tokens [first, last) of `text`, rewritten. Token `first` starts
  // a line with an empty line buffer (the start of a template).
  void Emit(const std::string& text, size_t first, size_t last, std::string* out) {
    // `{{{value}}}` alone on its line starts and ends with an empty line
    // buffer, so kainjow would print the value and the line ending as they
    // are: the theme does that itself (see RenderSession::WriteValueLine).
    auto value_line = [&](size_t t) {
      return tokens_[t].kind == Token::Kind::kTag && tokens_[t].tag == '&' &&
             (t == first || tokens_[t - 1].kind == Token::Kind::kNewline) && t + 1 < last &&
             tokens_[t + 1].kind == Token::Kind::kNewline;
    };
    // kainjow drops a line only when a section tag on it set its flag and
    // it holds nothing but spaces, and it flushes its line buffer at every
    // line ending. A line with no section tag is printed whatever it holds,
    // and so is one that begins with literal text. When a line of the first
    // kind is followed by one of either kind, keeping its line ending in the
    // buffer until the next one prints the same bytes (the held line ending
    // keeps that next flush from ever being dropped), so the line ending can
    // join the literal text around it.
    struct Line {
      size_t end;             // its line ending, or `last`
      bool sections = false;  // a section or partial tag, or a value line
      bool leading_text = false;
    };
    std::vector<Line> lines;
    for (size_t t = first; t < last;) {
      Line line;
      bool leading = true;
      for (; t < last && tokens_[t].kind != Token::Kind::kNewline; ++t) {
        const Token& token = tokens_[t];
        if (token.kind == Token::Kind::kTag) {
          leading = false;
          if (std::string_view("#^/>").find(token.tag) != std::string::npos || value_line(t)) {
            line.sections = true;
          }
        } else if (token.kind == Token::Kind::kText && leading) {
          line.leading_text = true;
        }
      }
      line.end = t;
      lines.push_back(line);
      if (t < last) ++t;
    }
    std::vector<bool> joined(last - first);
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      const Line& next = lines[i + 1];
      if (!lines[i].sections && (next.leading_text || (!next.sections && next.end < last))) {
        joined[lines[i].end - first] = true;
      }
    }

    size_t run_begin = 0, run_end = 0, run_components = 0;
    auto flush = [&] {
      if (run_components >= kMinMergedComponents) {
        auto [it, added] =
            text_ids_.emplace(text.substr(run_begin, run_end - run_begin), texts.size());
        if (added) texts.push_back(it->first);
        *out += "{{&" + std::string(1, kMarker) + "T" + std::to_string(it->second) + "}}";
      } else if (run_components > 0) {
        out->append(text, run_begin, run_end - run_begin);
      }
      run_components = 0;
    };
    for (size_t t = first; t < last; ++t) {
      const Token& token = tokens_[t];
      if (value_line(t)) {
        flush();
        const Token& newline = tokens_[t + 1];
        value_lines.push_back({token.name, text.substr(token.begin, newline.end - token.begin),
                               text.substr(newline.begin, newline.end - newline.begin)});
        std::string tag = std::string(1, kMarker) + "V" + std::to_string(value_lines.size() - 1);
        *out += "{{#" + tag + "}}{{/" + tag + "}}";
        ++t;
        continue;
      }
      if (token.kind == Token::Kind::kText || token.kind == Token::Kind::kSpace ||
          (token.kind == Token::Kind::kNewline && joined[t - first])) {
        if (run_components == 0) run_begin = token.begin;
        run_end = token.end;
        ++run_components;
        continue;
      }
      flush();
      out->append(text, token.begin, token.end - token.begin);
    }
    flush();
  }

  std::vector<Token> tokens_;
  std::map<std::string, size_t> text_ids_;
};

// kainjow writes through `stream << text`; appending straight to a string
// saves an ostringstream and a copy of every page.
struct StringSink {
  std::string* out;
  StringSink& operator<<(const std::string& text) {
    out->append(text);
    return *this;
  }
};

}  // namespace

// One Theme::Render call: serves the theme's own tag names to kainjow and
// writes value lines.
class RenderSession {
 public:
  using Data = RenderContext::Data;

  RenderSession(const Theme& theme, RenderContext* ctx)
      : theme_(theme), ctx_(ctx), outer_(ctx->session_), value_lambdas_(theme.value_lines_.size()) {
    ctx_->session_ = this;
  }
  ~RenderSession() { ctx_->session_ = outer_; }
  RenderSession(const RenderSession&) = delete;
  RenderSession& operator=(const RenderSession&) = delete;

  // Where the theme's own tags write: the string kainjow is rendering into.
  void set_sink(std::string* sink) { sink_ = sink; }
  // Set when a value line's lambda failed.
  const std::string& error() const { return error_; }

  const Data* Get(const std::string& name) {
    if (!name.empty() && name[0] == kMarker) return Own(name);
    return ctx_->Find(name, ctx_->items_.size());
  }

 private:
  // "\x1fT<n>": merged text n; "\x1fV<n>": the lambda of value line n.
  const Data* Own(const std::string& name) {
    if (name.size() < 3) return nullptr;
    size_t n = 0;
    for (size_t i = 2; i < name.size(); ++i) {
      if (name[i] < '0' || name[i] > '9') return nullptr;
      n = n * 10 + static_cast<size_t>(name[i] - '0');
    }
    if (name[1] == 'T') return n < theme_.texts_.size() ? &theme_.texts_[n] : nullptr;
    if (name[1] != 'V' || n >= value_lambdas_.size()) return nullptr;
    if (value_lambdas_[n] == nullptr) {
      value_lambdas_[n] =
          std::make_unique<Data>(mu::lambda2([this, n](const std::string&, const mu::renderer&) {
            WriteValueLine(n);
            return std::string();
          }));
    }
    return value_lambdas_[n].get();
  }

  void WriteValueLine(size_t n) {
    const ValueLine& line = theme_.value_lines_[n];
    const Data* d = Get(line.name);
    if (d != nullptr && (d->is_lambda() || d->is_lambda2())) {
      // Whatever a lambda does, kainjow does: render the line as written.
      mu::mustache alone(line.text);
      alone.set_custom_escape(HtmlEscape);
      StringSink sink{sink_};
      alone.render(*ctx_, sink);
      if (!alone.is_valid() && error_.empty()) error_ = alone.error_message();
      return;
    }
    if (d != nullptr && d->is_string()) sink_->append(d->string_value());
    sink_->append(line.newline);
  }

  const Theme& theme_;
  RenderContext* ctx_;
  RenderSession* outer_;
  std::string* sink_ = nullptr;
  std::vector<std::unique_ptr<Data>> value_lambdas_;  // made when a page first uses them
  std::string error_;
};

const RenderContext::Data* RenderContext::get(const std::string& name) const {
  if (session_ != nullptr) return session_->Get(name);
  return Find(name, items_.size());
}

const RenderContext::Data* RenderContext::get_partial(const std::string&) const {
  // Partials are pasted in when the theme loads. kainjow's own lookup would
  // search the page data and render a string it finds as a template: a
  // partial tag the loader did not see (one written after a set-delimiter
  // tag) would turn a service's name into template code.
  return nullptr;
}

Theme::Theme(bool optimize) : optimize_(optimize) {}

Theme::~Theme() = default;

namespace {

std::unique_ptr<mu::mustache> CompileText(const std::string& text) {
  auto compiled = std::make_unique<mu::mustache>(text);
  compiled->set_custom_escape(HtmlEscape);
  if (!compiled->is_valid()) return nullptr;
  return compiled;
}

}  // namespace

bool Theme::Load(const std::string& templates_dir, Diagnostics* diags) {
  dir_ = templates_dir;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  layout_.reset();
  pages_.clear();
  texts_.clear();
  value_lines_.clear();
  required_assets_.clear();
  names_.clear();
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) {
    diags->Error(dir_, 0, 0, "the templates folder does not exist",
                 "pass the theme folder with --templates (default: templates)");
    return false;
  }
  TemplateLoader loader(dir_, diags);
  bool ok = true;
  Expanded layout;
  ok = loader.Compile("layouts/base.mustache", &required_assets_, &layout);
  std::set<std::string> layout_names = TagNames(layout.text);
  std::string all_text = "layouts/base\n" + layout.text;
  std::map<std::string, Expanded> pages;
  for (const char* const* name = kPageTemplates; *name != nullptr; ++name) {
    Expanded page;
    if (loader.Compile(std::string("pages/") + *name + ".mustache", &required_assets_, &page)) {
      std::set<std::string> names = TagNames(page.text);
      names.insert(layout_names.begin(), layout_names.end());
      names_[*name] = std::move(names);
      all_text += std::string("\n") + *name + "\n" + page.text;
      pages[*name] = std::move(page);
    } else {
      ok = false;
    }
  }
  source_hash_ = XXH3_64bits(all_text.data(), all_text.size());
  if (!ok) return false;

  if (optimize_) {
    // All or nothing: a theme the rewrite does not handle renders as written.
    TemplateRewriter rewriter;
    std::unique_ptr<mu::mustache> rewritten_layout;
    std::map<std::string, std::unique_ptr<mu::mustache>> rewritten_pages;
    std::string text;
    bool rewritten = rewriter.Rewrite(layout, &text) && (rewritten_layout = CompileText(text));
    for (const auto& [name, page] : pages) {
      if (!rewritten) break;
      rewritten = rewriter.Rewrite(page, &text) && (rewritten_pages[name] = CompileText(text));
    }
    if (rewritten) {
      layout_ = std::move(rewritten_layout);
      pages_ = std::move(rewritten_pages);
      for (const std::string& t : rewriter.texts) texts_.emplace_back(t);
      value_lines_ = std::move(rewriter.value_lines);
      return true;
    }
  }
  layout_ = std::move(layout.compiled);
  for (auto& [name, page] : pages) pages_[name] = std::move(page.compiled);
  return true;
}

bool Theme::Uses(const std::string& page, const std::string& name) const {
  auto it = names_.find(page);
  return it == names_.end() || it->second.count(name) != 0;  // unknown: assume it does
}

bool Theme::Render(const std::string& name, RenderContext* ctx, std::string* out,
                   std::string* error) const {
  auto it = pages_.find(name);
  if (it == pages_.end() || !layout_) {
    *error = "no page template " + name;
    return false;
  }
  // kainjow's render is not const, but it only writes its error string when a
  // lambda or partial fails, and the only lambdas here are the theme's own,
  // which never fail (a value line reports through the session).
  auto* page = it->second.get();
  RenderSession session(*this, ctx);
  std::string body;
  body.reserve(32 * 1024);
  StringSink body_sink{&body};
  session.set_sink(&body);
  page->render(*ctx, body_sink);
  if (!page->is_valid() || !session.error().empty()) {
    *error = page->is_valid() ? session.error() : page->error_message();
    return false;
  }
  // kainjow copies a string into data twice; the body is moved in instead
  // (the string is a plain heap object that data only hands out as const).
  mu::data wrapper;
  mu::data& content = wrapper["content"];
  content = mu::data(mu::data::type::string);
  const_cast<std::string&>(content.string_value()).swap(body);
  ctx->push(&wrapper);
  out->clear();
  out->reserve(content.string_value().size() + 8 * 1024);
  StringSink page_sink{out};
  session.set_sink(out);
  layout_->render(*ctx, page_sink);
  ctx->pop();
  if (!layout_->is_valid() || !session.error().empty()) {
    *error = layout_->is_valid() ? session.error() : layout_->error_message();
    return false;
  }
  return true;
}

bool Theme::CheckAssets(const std::map<std::string, std::string>& assets,
                        Diagnostics* diags) const {
  bool ok = true;
  for (const auto& [key, template_path] : required_assets_) {
    if (assets.count(key)) continue;
    std::string file = key;
    size_t underscore = file.rfind('_');
    if (underscore != std::string::npos) file[underscore] = '.';
    diags->Error(template_path, 0, 0,
                 "this template uses {{assets." + key + "}} but there is no such asset (expected " +
                     dir_ + "/assets/" + file + ")",
                 "restore the file, or wrap the tag in {{#assets." + key + "}}...{{/assets." + key +
                     "}} if it is optional");
    ok = false;
  }
  return ok;
}

std::string AssetKey(std::string_view relative_name) {
  std::string key;
  for (char c : relative_name) {
    key.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c))
                                                              : '_');
  }
  return key;
}

namespace {

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string_view StripSourceMap(std::string_view text) {
  size_t pos = text.rfind("sourceMappingURL=");
  if (pos == std::string_view::npos) return text;
  size_t line_start = text.rfind('\n', pos);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  // Only a trailing comment: `//# sourceMappingURL=` or `/*# sourceMappingURL= */`.
  std::string_view head = text.substr(line_start, pos - line_start);
  if (head != "//# " && head != "/*# ") return text;
  return text.substr(0, line_start);
}

}  // namespace

std::string HashedName(std::string_view relative_name, std::string_view bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a64(bytes)));
  std::string name(relative_name);
  size_t slash = name.rfind('/');
  size_t dot = name.rfind('.');
  std::string hash(hex, 8);
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
      dot == (slash == std::string::npos ? 0 : slash + 1)) {
    return name + "." + hash;
  }
  return name.substr(0, dot) + "." + hash + name.substr(dot);
}

std::string LocaliseNhsukCss(std::string_view input) {
  std::string css(StripSourceMap(input));
  // @font-face rules fetch Frutiger from assets.nhs.uk: a third-party request
  // the CSP would block anyway. nhsuk's font stack falls back to Arial.
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t at = css.find("@font-face", pos);
    if (at == std::string::npos) break;
    size_t end = css.find('}', at);
    if (end == std::string::npos) break;
    out.append(css, pos, at - pos);
    std::string_view rule(css.data() + at, end + 1 - at);
    if (rule.find("url(http") == std::string_view::npos &&
        rule.find("url(\"http") == std::string_view::npos &&
        rule.find("url('http") == std::string_view::npos &&
        rule.find("url(//") == std::string_view::npos) {
      out.append(rule);
    }
    pos = end + 1;
  }
  out.append(css, pos, std::string::npos);
  // Root-absolute image URLs break under a sub-path; the images sit beside
  // the stylesheet in assets/images/.
  std::string result;
  const std::string from = "url(/assets/images/";
  pos = 0;
  while (true) {
    size_t at = out.find(from, pos);
    if (at == std::string::npos) break;
    result.append(out, pos, at - pos);
    result += "url(images/";
    pos = at + from.size();
  }
  result.append(out, pos, std::string::npos);
  return result;
}

namespace {

// Where nhsuk-frontend's compiled files are, in the order they are looked for.
std::vector<fs::path> NhsukCandidates(const std::string& templates_dir) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("SIGNPOST_NHSUK_DIR")) candidates.emplace_back(env);
  candidates.push_back(fs::path(templates_dir) / ".." / "node_modules" / "nhsuk-frontend" / "dist" /
                       "nhsuk");
  return candidates;
}

// Adds the stamp and type of `path` (or that it is missing) to *h.
void StampFile(const fs::path& path, uint64_t* h) {
  std::string name = path.string();
  FileStamp stamp;
  mode_t mode = 0;
  StampPath(name, &stamp, &mode);
  *h = XXH3_64bits_withSeed(name.data(), name.size(), *h);
  *h = XXH3_64bits_withSeed(&stamp, sizeof stamp, *h);
  *h = XXH3_64bits_withSeed(&mode, sizeof mode, *h);
}

}  // namespace

uint64_t ThemeInputsStamp(const std::string& templates_dir) {
  uint64_t h = 0x7e3e;
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(templates_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    files.push_back(it->path());
  }
  if (ec) return 0;  // never equal to a stamp taken when it could be listed
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) StampFile(f, &h);
  for (const fs::path& c : NhsukCandidates(templates_dir)) {
    StampFile(c / "nhsuk-frontend.min.css", &h);
    StampFile(c / "nhsuk-frontend.min.js", &h);
    fs::path images = c / "assets" / "images";
    StampFile(images, &h);  // a file added or removed changes the folder's times
    std::vector<fs::path> svgs;
    for (auto it = fs::directory_iterator(images, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      svgs.push_back(it->path());
    }
    std::sort(svgs.begin(), svgs.end());
    for (const fs::path& f : svgs) StampFile(f, &h);
    ec.clear();
  }
  return h;
}

bool WriteAssets(const std::string& templates_dir, SiteWriter* writer, AssetMap* assets,
                 Diagnostics* diags, std::vector<std::string>* written) {
  std::error_code ec;
  fs::path theme_assets = fs::path(templates_dir) / "assets";
  bool ok = true;
  if (!fs::is_directory(theme_assets, ec)) {
    diags->Error(theme_assets.string(), 0, 0, "the theme's assets folder does not exist",
                 "restore templates/assets/ from the repository");
    return false;
  }
  // Sorted, so the output (and any error order) is deterministic.
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(theme_assets, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
  }
  if (ec) {
    diags->Error(theme_assets.string(), 0, 0, "cannot list the theme's assets: " + ec.message());
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string rel = fs::relative(file, theme_assets, ec).generic_string();
    std::string bytes;
    if (ec || !ReadFile(file.string(), &bytes)) {
      diags->Error(file.string(), 0, 0, "cannot read this asset", "check that it exists");
      ok = false;
      continue;
    }
    std::string out = "assets/" + HashedName(rel, bytes);
    if (!writer->Write(out, bytes, diags)) return false;
    if (written != nullptr) written->push_back(out);
    (*assets)[AssetKey(rel)] = out;
  }

  // nhsuk-frontend, installed by `npm ci` (scripts/setup).
  std::vector<fs::path> candidates = NhsukCandidates(templates_dir);
  fs::path nhsuk;
  for (const fs::path& c : candidates) {
    if (fs::is_regular_file(c / "nhsuk-frontend.min.css", ec)) {
      nhsuk = c;
      break;
    }
  }
  if (nhsuk.empty()) {
    diags->Error((candidates.back() / "nhsuk-frontend.min.css").lexically_normal().string(), 0, 0,
                 "cannot find nhsuk-frontend's compiled CSS",
                 "run `npm ci` (scripts/setup does) or set SIGNPOST_NHSUK_DIR");
    return false;
  }
  struct Vendor {
    const char* file;
    const char* out;
    const char* key;
  };
  static const Vendor kVendor[] = {{"nhsuk-frontend.min.css", "nhsuk-frontend.css", "nhsuk_css"},
                                   {"nhsuk-frontend.min.js", "nhsuk-frontend.js", "nhsuk_js"}};
  for (const Vendor& v : kVendor) {
    std::string path = (nhsuk / v.file).string();
    std::string bytes;
    if (!ReadFile(path, &bytes)) {
      diags->Error(path, 0, 0, "cannot read this nhsuk-frontend file",
                   "run `npm ci` (scripts/setup does) to reinstall it");
      return false;
    }
    bytes = std::string(v.key == std::string("nhsuk_css") ? LocaliseNhsukCss(bytes)
                                                          : std::string(StripSourceMap(bytes)));
    std::string out = "assets/" + HashedName(v.out, bytes);
    if (!writer->Write(out, bytes, diags)) return false;
    if (written != nullptr) written->push_back(out);
    (*assets)[v.key] = out;
  }
  fs::path images = nhsuk / "assets" / "images";
  std::vector<fs::path> image_files;
  for (auto it = fs::directory_iterator(images, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".svg") {
      image_files.push_back(it->path());
    }
  }
  std::sort(image_files.begin(), image_files.end());
  for (const fs::path& image : image_files) {
    std::string out = "assets/images/" + image.filename().string();
    if (!writer->CopyFile(image.string(), out, diags)) return false;
    if (written != nullptr) written->push_back(out);
  }
  return ok;
}

}  // namespace signpost
