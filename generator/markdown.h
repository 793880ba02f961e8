// Markdown bodies to safe HTML with cmark-gfm: GFM tables, autolinks,
// strikethrough and tagfilter; raw HTML never passes; links limited to safe
// schemes; images become links (nothing loads from another host); headings
// demoted below the page's h1; output bounded so one hostile entry cannot
// stall or bloat a build (cmark-gfm 0.29.0.gfm.6 predates CVE-2023-37463).
#ifndef SIGNPOST_MARKDOWN_H_
#define SIGNPOST_MARKDOWN_H_

#include <string>
#include <string_view>

namespace signpost {

/// Most table cells (rows x columns, summed over tables) one body may have.
constexpr size_t kMaxTableCells = 20000;
/// Largest rendered body, in bytes.
constexpr size_t kMaxRenderedBytes = 2 << 20;

/// The outcome of rendering one body.
struct MarkdownResult {
  bool ok = true;
  std::string html;  ///< Empty when !ok.
  /// The words a reader sees, for the search index: text, code, link and
  /// image text, one block per line; no markup, URLs or raw HTML. Empty
  /// when !ok.
  std::string text;
  std::string message;  ///< Why it was refused, when !ok.
  int line = 0;         ///< 1-based line within the body (0: the whole body).
  int column = 0;
};

/// True when `url` is safe to link to: https:, http:, mailto:, tel:, sms:,
/// or a relative/fragment link. Case, whitespace and control characters
/// that browsers ignore are ignored here too.
bool IsSafeUrl(std::string_view url);

/// Renders a Markdown body to HTML as described above, and its plain text
/// from the same parse. Thread-safe (cmark_parser_finish is serialised, see
/// markdown.cc). With `html` false only the text is made (html stays empty
/// and the HTML size is not checked): for a body whose page was already
/// made from the same bytes, when only the search index needs its words.
MarkdownResult RenderMarkdown(std::string_view markdown, bool html = true);

}  // namespace signpost

#endif  // SIGNPOST_MARKDOWN_H_
