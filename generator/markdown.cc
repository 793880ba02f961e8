#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace signpost {

namespace {

constexpr const char* kExtensions[] = {"table", "autolink", "strikethrough", "tagfilter"};

void EnsureExtensionsRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

bool IsType(cmark_node* node, const char* name) {
  const char* type = cmark_node_get_type_string(node);
  return type != nullptr && std::strcmp(type, name) == 0;
}

// Moves the children of `node` in front of it, then deletes it: the link or
// image disappears and its text stays.
void Unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) {
    cmark_node_unlink(child);
    cmark_node_insert_before(node, child);
  }
  cmark_node_unlink(node);
  cmark_node_free(node);
}

bool InsideLink(cmark_node* node) {
  for (cmark_node* p = cmark_node_parent(node); p != nullptr; p = cmark_node_parent(p)) {
    if (cmark_node_get_type(p) == CMARK_NODE_LINK) return true;
  }
  return false;
}

// An image becomes a link to the same URL whose text is the alt text, so the
// reader can choose to open it and the page itself loads nothing.
void ImageToLink(cmark_node* image) {
  cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
  const char* url = cmark_node_get_url(image);
  const char* title = cmark_node_get_title(image);
  cmark_node_set_url(link, url ? url : "");
  if (title != nullptr && *title != '\0') cmark_node_set_title(link, title);
  if (cmark_node_first_child(image) == nullptr) {
    cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(text, "Image");
    cmark_node_append_child(link, text);
  }
  while (cmark_node* child = cmark_node_first_child(image)) {
    cmark_node_unlink(child);
    cmark_node_append_child(link, child);
  }
  cmark_node_insert_before(image, link);
  cmark_node_unlink(image);
  cmark_node_free(image);
}

// A phone number must not wrap across lines: spaces in the text of tel: and
// sms: links become no-break spaces.
void KeepNumberTogether(cmark_node* link) {
  const char* url = cmark_node_get_url(link);
  if (url == nullptr) return;
  std::string scheme(url, std::min<size_t>(4, std::strlen(url)));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "tel:" && scheme != "sms:") return;
  for (cmark_node* child = cmark_node_first_child(link); child; child = cmark_node_next(child)) {
    if (cmark_node_get_type(child) != CMARK_NODE_TEXT) continue;
    std::string text = cmark_node_get_literal(child);
    std::string out;
    for (char c : text) {
      if (c == ' ') {
        out += "\xc2\xa0";
      } else {
        out.push_back(c);
      }
    }
    cmark_node_set_literal(child, out.c_str());
  }
}

// The plain text of an (already sanitised) document: what a reader sees,
// for the search index. Leaf nodes come as one ENTER event; a container
// block ends its line on EXIT, so words of two blocks never run together.
void AppendPlainText(cmark_node* root, std::string* out) {
  auto end_line = [out] {
    if (!out->empty() && out->back() != '\n') out->push_back('\n');
  };
  cmark_iter* iter = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_EXIT) {
      if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) end_line();
      continue;
    }
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* literal = cmark_node_get_literal(node)) out->append(literal);
        break;
      case CMARK_NODE_CODE_BLOCK:
        end_line();
        if (const char* literal = cmark_node_get_literal(node)) out->append(literal);
        end_line();
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
      case CMARK_NODE_THEMATIC_BREAK:
        end_line();
        break;
      default:
        break;  // raw HTML is neither shown nor indexed
    }
  }
  cmark_iter_free(iter);
}

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

}  // namespace

bool IsSafeUrl(std::string_view url) {
  // Browsers drop ASCII tab/newline anywhere in a URL and trim leading
  // control characters and spaces, so "java\tscript:" is "javascript:".
  std::string cleaned;
  for (char c : url) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) continue;
    cleaned.push_back(static_cast<char>(std::tolower(u)));
  }
  size_t end = cleaned.find_first_of("/?#");
  size_t colon = cleaned.find(':');
  if (colon == std::string::npos || (end != std::string::npos && end < colon)) {
    // No scheme: a relative or fragment link. A backslash would let some
    // browsers read "\\host" as another host; refuse it.
    return cleaned.find('\\') == std::string::npos;
  }
  std::string_view scheme(cleaned.data(), colon);
  return scheme == "https" || scheme == "http" || scheme == "mailto" || scheme == "tel" ||
         scheme == "sms";
}

MarkdownResult RenderMarkdown(std::string_view markdown, bool html_wanted) {
  EnsureExtensionsRegistered();
  MarkdownResult result;
  // CMARK_OPT_UNSAFE is not set, so raw HTML and javascript: URLs are already
  // suppressed by cmark itself; the AST pass below is a second, stricter fence.
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> root;
  {
    // cmark-gfm 0.29's cmark_parser_finish switches the extensions' special
    // inline characters on and off in a process-wide table, so two threads
    // finishing at once lose each other's `~` (strikethrough) or `|` (tables).
    // (The table extension of this version does not toggle them while
    // feeding, so cmark_parser_feed runs concurrently.)
    static std::mutex finish_mutex;
    std::lock_guard<std::mutex> lock(finish_mutex);
    root.reset(cmark_parser_finish(parser.get()));
  }
  if (!root) {
    result.ok = false;
    result.message = "the text could not be read as Markdown";
    return result;
  }

  std::vector<cmark_node*> links, images, headings;
  size_t table_cells = 0;
  int min_heading = 7;
  cmark_node* table = nullptr;
  size_t table_columns = 0;
  {
    cmark_iter* iter = cmark_iter_new(root.get());
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
      if (ev != CMARK_EVENT_ENTER) continue;
      cmark_node* node = cmark_iter_get_node(iter);
      switch (cmark_node_get_type(node)) {
        case CMARK_NODE_LINK:
          links.push_back(node);
          break;
        case CMARK_NODE_IMAGE:
          images.push_back(node);
          break;
        case CMARK_NODE_HEADING:
          headings.push_back(node);
          min_heading = std::min(min_heading, cmark_node_get_heading_level(node));
          break;
        default:
          if (IsType(node, "table")) {
            table = node;
            table_columns = std::max<size_t>(1, cmark_gfm_extensions_get_table_columns(node));
          } else if (IsType(node, "table_row") && table != nullptr) {
            // The HTML renderer pads every row to the header's width, so a
            // wide header with many short rows costs rows x columns however
            // small the input is (CVE-2023-37463).
            table_cells += table_columns;
            if (table_cells > kMaxTableCells) {
              cmark_iter_free(iter);
              result.ok = false;
              result.message = "the text is too complex to render (tables with more than " +
                               std::to_string(kMaxTableCells) + " cells)";
              result.line = cmark_node_get_start_line(table);
              result.column = std::max(1, cmark_node_get_start_column(table));
              return result;
            }
          }
          break;
      }
    }
    cmark_iter_free(iter);
  }

  for (cmark_node* link : links) {
    const char* url = cmark_node_get_url(link);
    if (!IsSafeUrl(url ? url : "")) {
      Unwrap(link);
    } else {
      KeepNumberTogether(link);
    }
  }
  for (cmark_node* image : images) {
    const char* url = cmark_node_get_url(image);
    if (InsideLink(image) || !IsSafeUrl(url ? url : "")) {
      Unwrap(image);
    } else {
      ImageToLink(image);
    }
  }
  // The page's own h1 is the service name: the body starts at h2.
  int shift = min_heading < 2 ? 2 - min_heading : 0;
  if (shift > 0) {
    for (cmark_node* h : headings) {
      cmark_node_set_heading_level(h, std::min(6, cmark_node_get_heading_level(h) + shift));
    }
  }

  if (!html_wanted) {
    AppendPlainText(root.get(), &result.text);
    return result;
  }
  char* html =
      cmark_render_html(root.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  if (html == nullptr) {
    result.ok = false;
    result.message = "the text could not be rendered";
    return result;
  }
  size_t size = std::strlen(html);
  if (size > kMaxRenderedBytes) {
    std::free(html);
    result.ok = false;
    result.message = "the text is too complex to render (over " +
                     std::to_string(kMaxRenderedBytes >> 20) + " MiB of HTML)";
    return result;
  }
  result.html.assign(html, size);
  std::free(html);
  AppendPlainText(root.get(), &result.text);
  return result;
}

}  // namespace signpost
