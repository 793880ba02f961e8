// Splitting an entry file into its `+++` TOML front matter and Markdown body,
// and the byte-level checks every content file passes first (size, NUL,
// UTF-8), so later stages only ever see valid text.
#ifndef SIGNPOST_FRONT_MATTER_H_
#define SIGNPOST_FRONT_MATTER_H_

#include <string>
#include <string_view>

#include "catalogue.h"

namespace signpost {

/// Where a byte-level problem is and what it is.
struct EncodingProblem {
  SourcePos pos;        ///< Line and column (in code points) of the bad byte.
  std::string message;  ///< E.g. "invalid UTF-8 (byte 0xff)".
  std::string hint;
};

/// Checks that `text` is UTF-8 without NUL bytes. Returns false and fills
/// *problem (position of the first offending byte) otherwise.
bool CheckEncoding(std::string_view text, EncodingProblem* problem);

/// The parts of an entry file. Views point into the text passed to Split.
struct FrontMatter {
  std::string_view toml;    ///< Between the `+++` lines, line endings as written.
  int toml_first_line = 0;  ///< 1-based line of the .md where `toml` starts.
  std::string_view body;    ///< After the closing `+++` line.
  int body_line = 0;        ///< 1-based line of the .md where `body` starts.
};

/// Splits `text` (a UTF-8 BOM is skipped; LF or CRLF) into front matter and
/// body. Returns "" on success, else the problem, reported at line 1 (no
/// opening `+++`) or at the opening line (not closed); *hint says how to fix.
std::string SplitFrontMatter(std::string_view text, FrontMatter* out, std::string* hint);

/// The line and column (1-based, column in code points) of byte `offset` of
/// `text`, counting from line `first_line`.
SourcePos PositionOf(std::string_view text, size_t offset, int first_line = 1);

}  // namespace signpost

#endif  // SIGNPOST_FRONT_MATTER_H_
