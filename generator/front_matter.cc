#include "front_matter.h"

#include <cstdio>

#include "diagnostic.h"
#include "scan.h"

namespace signpost {

namespace {

// True when `line` (without its line ending) is the `+++` delimiter;
// trailing spaces are forgiven because editors cannot see them.
bool IsDelimiter(std::string_view line) {
  if (line.substr(0, 3) != "+++") return false;
  for (char c : line.substr(3)) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// The line starting at `start` without "\n" or "\r\n"; *next is where the
// following line starts (text.size() at the end).
std::string_view LineAt(std::string_view text, size_t start, size_t* next) {
  size_t nl = text.find('\n', start);
  size_t end = nl == std::string_view::npos ? text.size() : nl;
  *next = nl == std::string_view::npos ? text.size() : nl + 1;
  std::string_view line = text.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

SourcePos PositionOf(std::string_view text, size_t offset, int first_line) {
  SourcePos pos{first_line, 1};
  for (size_t i = 0; i < offset && i < text.size();) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
      ++i;
      continue;
    }
    int len = Utf8SequenceLength(text, i);
    i += len == 0 ? 1 : len;
    ++pos.column;
  }
  return pos;
}

bool CheckEncoding(std::string_view text, EncodingProblem* problem) {
  const char* data = text.data();
  const size_t size = text.size();
  for (size_t i = 0; i < size;) {
    // Entries are almost all ASCII: skip 8 bytes at a time while a word has
    // no NUL and no byte >= 0x80 (the byte-at-a-time loop was a tenth of a
    // whole `check`).
    while (i + 8 <= size && IsPlainAsciiWord(data + i)) i += 8;
    if (i >= size) break;
    auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x01 && c < 0x80) {
      ++i;
      continue;
    }
    if (c == 0) {
      problem->pos = PositionOf(text, i);
      problem->message = "the file contains a NUL byte (a zero byte)";
      problem->hint =
          "the file may have been saved as UTF-16 or be a binary file; save it as UTF-8 text";
      return false;
    }
    int len = Utf8SequenceLength(text, i);
    if (len == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", c);
      problem->pos = PositionOf(text, i);
      problem->message = std::string("the file is not valid UTF-8 (byte ") + byte + ")";
      problem->hint =
          "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8) and retype "
          "this character";
      return false;
    }
    i += len;
  }
  return true;
}

std::string SplitFrontMatter(std::string_view text, FrontMatter* out, std::string* hint) {
  size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  size_t next;
  std::string_view first = LineAt(text, start, &next);
  if (!IsDelimiter(first)) {
    *hint = "an entry starts with a line containing only +++, then the fields, then +++ again";
    return text.size() == start ? "the file is empty: it has no front matter"
                                : "the file does not start with front matter (a +++ line)";
  }
  int line = 2;
  size_t toml_start = next;
  for (size_t pos = next; pos < text.size(); ++line) {
    size_t after;
    std::string_view l = LineAt(text, pos, &after);
    if (IsDelimiter(l)) {
      out->toml = text.substr(toml_start, pos - toml_start);
      out->toml_first_line = 2;
      out->body = text.substr(after);
      out->body_line = line + 1;
      return "";
    }
    pos = after;
  }
  *hint = "the fields go between two +++ lines; the page text comes after the second one";
  return "front matter is not closed: add a line with +++ after the last field";
}

}  // namespace signpost
