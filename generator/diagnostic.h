// Diagnostics as values: every expected failure (bad content, a missing
// template, an unwritable output folder) becomes a Diagnostic collected in a
// list, never an exception that crosses a stage boundary.
#ifndef SIGNPOST_DIAGNOSTIC_H_
#define SIGNPOST_DIAGNOSTIC_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

namespace signpost {

enum class Severity { kError, kWarning };

/// One problem at a place in a file. line/column are 1-based, the column in
/// code points; line 0 means "the whole file" (no source line is echoed).
struct Diagnostic {
  std::string path;
  int line = 0;
  int column = 0;
  Severity severity = Severity::kError;
  std::string message;  ///< What is wrong, in plain words.
  std::string hint;     ///< How to fix it; may be empty.
};

/// What a SourceMap needs to recognise a file's text later without keeping it.
struct SourceFingerprint {
  size_t size = 0;
  uint64_t hash = 0;  ///< XXH3-64 of the bytes.
  /// The fingerprint of `text`.
  static SourceFingerprint Of(std::string_view text);
  bool operator==(const SourceFingerprint&) const = default;
};

/// The text of every file diagnostics may point into, so a formatter can echo
/// the offending line. Files are stored as read (possibly invalid UTF-8), or
/// only noted, to be read again if a diagnostic needs a line of them.
class SourceMap {
 public:
  /// Remembers `text` as the contents of `path` (replacing any earlier text).
  void Add(const std::string& path, std::string text);
  /// Notes that `path` held the text with `fingerprint`, without keeping it:
  /// 10,000 entries are 40 MB, and few have a diagnostic. GetLine reads such
  /// a file again (never through a symbolic link, only a regular file) and
  /// echoes it only while it still holds exactly those bytes.
  void AddOnDisk(const std::string& path, SourceFingerprint fingerprint);
  /// Sets *out to the 1-based `line` of `path` without its line ending;
  /// false when the file or line is unknown, or a noted file has changed.
  /// Not thread-safe: it keeps the last file read again.
  bool GetLine(const std::string& path, int line, std::string* out) const;

 private:
  /// The text of `path`, or null when it is unknown or no longer as noted.
  const std::string* Text(const std::string& path) const;

  std::map<std::string, std::string> files_;
  std::unordered_map<std::string, SourceFingerprint> on_disk_;  // one per entry: no tree
  // Diagnostics are printed sorted by path, so remembering the one file
  // last read again avoids reading it once per diagnostic.
  mutable std::string reread_path_;
  mutable std::string reread_text_;
  mutable bool reread_ok_ = false;
};

/// An ordered collection of diagnostics.
class Diagnostics {
 public:
  /// Records an error.
  void Error(std::string path, int line, int column, std::string message, std::string hint = "");
  /// Records a warning (never fails a build).
  void Warning(std::string path, int line, int column, std::string message, std::string hint = "");
  /// Records `d` as is.
  void Add(Diagnostic d);
  /// Appends every diagnostic of `other`.
  void Append(const Diagnostics& other);
  /// True when at least one error (not warning) was recorded.
  bool HasErrors() const;
  /// Number of errors and warnings.
  int ErrorCount() const;
  int WarningCount() const;
  /// Sorts by path, line, column, then message, and drops exact duplicates, so
  /// output is deterministic whatever order the checks ran in.
  void Sort();
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/// Renders `d` as `path:line:col: error: message`, then the source line
/// (sanitised to valid UTF-8, tabs expanded, shortened around the column if
/// long) and a caret under the column, then `  hint: ...` when there is one.
std::string FormatText(const Diagnostic& d, const SourceMap& sources, bool color = false);

/// Renders `d` as a GitHub Actions workflow annotation
/// (`::error file=path,line=L,col=C::message`), escaping as the runner expects.
std::string FormatGithub(const Diagnostic& d);

enum class DiagnosticFormat { kText, kGithub };

/// Prints every diagnostic of `diags` to `out` in `format`, then (text only)
/// a summary line such as "2 errors, 1 warning in 3 files". Colour is used
/// when `out` is a terminal and NO_COLOR is unset.
void PrintDiagnostics(const Diagnostics& diags, const SourceMap& sources, DiagnosticFormat format,
                      std::FILE* out);

/// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 when it is invalid
/// (truncated, overlong, a surrogate or past U+10FFFF, as RFC 3629 says).
int Utf8SequenceLength(std::string_view s, size_t i);

/// Makes `bytes` safe to print: invalid UTF-8 sequences become U+FFFD and
/// control characters (other than tab) become U+FFFD too.
std::string SanitizeForDisplay(std::string_view bytes);

}  // namespace signpost

#endif  // SIGNPOST_DIAGNOSTIC_H_
