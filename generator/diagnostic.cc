#include "diagnostic.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>
#include <tuple>

#include "scan.h"

namespace signpost {

namespace {

// Longest echoed source line, in code points: hostile entries can put a
// megabyte on one line and the terminal should not receive it.
constexpr int kMaxEchoWidth = 120;

// Splits a sanitised line into code points (as byte strings) so the caret can
// be placed by column and long lines trimmed without cutting a character.
std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    int len = Utf8SequenceLength(s, i);
    if (len == 0) len = 1;
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

const char* SeverityWord(Severity s) { return s == Severity::kError ? "error" : "warning"; }

// GitHub's workflow-command escaping: data needs %, \r, \n escaped; property
// values additionally ':' and ','.
std::string EscapeGithub(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Reads `path` again for SourceMap, as the loader read it: no symbolic
// link followed, nothing but a regular file, and no more than `size` bytes
// (the file must still be exactly that long).
bool ReadBack(const std::string& path, size_t size, std::string* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<unsigned long long>(st.st_size) != size) {
    ::close(fd);
    return false;
  }
  out->resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, out->data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  return got == size;
}

}  // namespace

int Utf8SequenceLength(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  int len = 0;
  unsigned min = 0;
  unsigned cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void SourceMap::Add(const std::string& path, std::string text) {
  on_disk_.erase(path);
  files_[path] = std::move(text);
}

SourceFingerprint SourceFingerprint::Of(std::string_view text) {
  return {text.size(), XXH3_64bits(text.data(), text.size())};
}

void SourceMap::AddOnDisk(const std::string& path, SourceFingerprint fingerprint) {
  files_.erase(path);
  on_disk_[path] = fingerprint;
  if (reread_path_ == path) reread_path_.clear();
}

const std::string* SourceMap::Text(const std::string& path) const {
  if (auto it = files_.find(path); it != files_.end()) return &it->second;
  auto it = on_disk_.find(path);
  if (it == on_disk_.end()) return nullptr;
  if (reread_path_ != path) {
    reread_path_ = path;
    reread_text_.clear();
    reread_ok_ = ReadBack(path, it->second.size, &reread_text_) &&
                 SourceFingerprint::Of(reread_text_) == it->second;
  }
  return reread_ok_ ? &reread_text_ : nullptr;
}

bool SourceMap::GetLine(const std::string& path, int line, std::string* out) const {
  const std::string* found = line < 1 ? nullptr : Text(path);
  if (!found) return false;
  const std::string& text = *found;
  size_t start = 0;
  for (int n = 1; n < line; ++n) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) return false;
    start = nl + 1;
  }
  if (start > text.size()) return false;
  size_t end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  *out = text.substr(start, end - start);
  return true;
}

void Diagnostics::Error(std::string path, int line, int column, std::string message,
                        std::string hint) {
  items_.push_back(
      {std::move(path), line, column, Severity::kError, std::move(message), std::move(hint)});
}

void Diagnostics::Warning(std::string path, int line, int column, std::string message,
                          std::string hint) {
  items_.push_back(
      {std::move(path), line, column, Severity::kWarning, std::move(message), std::move(hint)});
}

void Diagnostics::Add(Diagnostic d) { items_.push_back(std::move(d)); }

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::HasErrors() const { return ErrorCount() > 0; }

int Diagnostics::ErrorCount() const {
  return static_cast<int>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  }));
}

int Diagnostics::WarningCount() const { return static_cast<int>(items_.size()) - ErrorCount(); }

void Diagnostics::Sort() {
  auto key = [](const Diagnostic& d) {
    return std::tie(d.path, d.line, d.column, d.severity, d.message, d.hint);
  };
  std::sort(items_.begin(), items_.end(),
            [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  items_.erase(
      std::unique(items_.begin(), items_.end(),
                  [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
      items_.end());
}

std::string SanitizeForDisplay(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    // Runs of printable ASCII (nearly everything) are copied as they are.
    size_t run_end = PrintableAsciiEnd(bytes, i);
    out.append(bytes.substr(i, run_end - i));
    i = run_end;
    if (i >= bytes.size()) break;
    int len = Utf8SequenceLength(bytes, i);
    auto c = static_cast<unsigned char>(bytes[i]);
    if (len == 0 || (len == 1 && c < 0x20 && c != '\t') || c == 0x7F) {
      out += "\xEF\xBF\xBD";
      i += len == 0 ? 1 : len;
      continue;
    }
    out.append(bytes.substr(i, len));
    i += len;
  }
  return out;
}

std::string FormatText(const Diagnostic& d, const SourceMap& sources, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* red = color ? "\033[1;31m" : "";
  const char* magenta = color ? "\033[1;35m" : "";
  const char* green = color ? "\033[1;32m" : "";
  const char* reset = color ? "\033[0m" : "";

  std::string out = bold + d.path;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line) + ":" + std::to_string(std::max(d.column, 1));
  }
  out += std::string(": ") + reset + (d.severity == Severity::kError ? red : magenta) +
         SeverityWord(d.severity) + ": " + reset + bold + SanitizeForDisplay(d.message) + reset +
         "\n";

  std::string raw;
  if (d.line > 0 && sources.GetLine(d.path, d.line, &raw)) {
    // Tabs become one space so the caret lines up whatever the tab width.
    std::string clean = SanitizeForDisplay(raw);
    std::replace(clean.begin(), clean.end(), '\t', ' ');
    std::vector<std::string> cps = CodePoints(clean);
    // Columns count code points (as toml++ reports them), so the caret index
    // is the column itself.
    int cp_col = std::max(d.column, 1) - 1;
    cp_col = std::min<int>(cp_col, cps.size());
    int first = 0;
    int last = static_cast<int>(cps.size());
    if (last > kMaxEchoWidth) {
      first = std::max(0, cp_col - kMaxEchoWidth / 2);
      last = std::min<int>(cps.size(), first + kMaxEchoWidth);
      first = std::max(0, last - kMaxEchoWidth);
    }
    std::string shown = first > 0 ? "..." : "";
    for (int i = first; i < last; ++i) shown += cps[i];
    if (last < static_cast<int>(cps.size())) shown += "...";
    int caret = cp_col - first + (first > 0 ? 3 : 0);
    out += "    " + shown + "\n";
    out += "    " + std::string(caret, ' ') + green + "^" + reset + "\n";
  }
  if (!d.hint.empty()) out += "  hint: " + SanitizeForDisplay(d.hint) + "\n";
  return out;
}

std::string FormatGithub(const Diagnostic& d) {
  std::string out = "::";
  out += d.severity == Severity::kError ? "error" : "warning";
  out += " file=" + EscapeGithub(d.path, true);
  if (d.line > 0) {
    out += ",line=" + std::to_string(d.line) + ",col=" + std::to_string(std::max(d.column, 1));
  }
  std::string message = SanitizeForDisplay(d.message);
  if (!d.hint.empty()) message += " (" + SanitizeForDisplay(d.hint) + ")";
  out += "::" + EscapeGithub(message, false) + "\n";
  return out;
}

void PrintDiagnostics(const Diagnostics& diags, const SourceMap& sources, DiagnosticFormat format,
                      std::FILE* out) {
  bool color = format == DiagnosticFormat::kText && ::isatty(::fileno(out)) &&
               std::getenv("NO_COLOR") == nullptr;
  std::set<std::string> files;
  for (const Diagnostic& d : diags.items()) {
    std::string text =
        format == DiagnosticFormat::kGithub ? FormatGithub(d) : FormatText(d, sources, color);
    std::fputs(text.c_str(), out);
    files.insert(d.path);
  }
  if (format == DiagnosticFormat::kText && !diags.empty()) {
    int errors = diags.ErrorCount();
    int warnings = diags.WarningCount();
    std::string summary = std::to_string(errors) + (errors == 1 ? " error" : " errors") + ", " +
                          std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings") +
                          " in " + std::to_string(files.size()) +
                          (files.size() == 1 ? " file\n" : " files\n");
    std::fputs(summary.c_str(), out);
  }
}

}  // namespace signpost
