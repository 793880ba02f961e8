// The theme: Mustache templates under templates/ (layouts, partials, pages)
// loaded and compiled once per build, and the static assets (theme CSS/JS
// plus nhsuk-frontend's compiled CSS and JS) copied into site/assets/ under
// content-hashed names.
#ifndef SIGNPOST_THEME_H_
#define SIGNPOST_THEME_H_

#include <cstdint>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic.h"
#include "site_writer.h"

namespace signpost {

/// The page templates every theme must provide, under templates/pages/.
extern const char* const kPageTemplates[];

class RenderSession;

/// The stack of Mustache data a page is rendered with, innermost last. It
/// resolves names exactly as kainjow's own context does (innermost first;
/// `a.b` must resolve completely within one item), but pushes at the back
/// instead of the front and looks dotted names up without building a
/// vector of strings: a service page makes thousands of look-ups. While
/// Theme::Render runs, it also serves the theme's own names (merged text,
/// value lines).
class RenderContext : public kainjow::mustache::basic_context<std::string> {
 public:
  using Data = kainjow::mustache::basic_data<std::string>;
  /// Starts with `outermost` (may be null: an empty stack).
  explicit RenderContext(const Data* outermost = nullptr);
  /// A list item that stands for `*target` without copying it: when a
  /// section reaches the item, the context pushes `target` itself, so the
  /// page renders exactly as with a copy. `target` must outlive every render
  /// of data holding the item. (A list page holds thousands of cards.)
  static Data Reference(const Data* target);
  void push(const Data* data) override { items_.push_back(Resolve(data)); }
  void pop() override { items_.pop_back(); }
  const Data* get(const std::string& name) const override;
  /// Always null: partials are pasted in at load, never looked up in data.
  const Data* get_partial(const std::string& name) const override;

 private:
  friend class RenderSession;
  /// `data`, or the data a Reference item stands for.
  static const Data* Resolve(const Data* data);
  /// What `name` resolves to in the innermost `depth` items, or null.
  const Data* Find(const std::string& name, size_t depth) const;

  std::vector<const Data*> items_;
  mutable std::string segment_;       // reused for each part of a dotted name
  RenderSession* session_ = nullptr;  // set while Theme::Render runs
};

struct ValueLine;

/// A compiled theme. Templates are read-only once loaded, so worker threads
/// may render with them concurrently.
///
/// Templates are compiled rewritten for kainjow to render faster (literal
/// text in fewer pieces, page bodies not copied line by line); pages come
/// out byte for byte as the templates as written would render them.
class Theme {
 public:
  /// `optimize` false compiles the templates exactly as written, partials
  /// pasted in: the reference the rewritten templates are tested against.
  explicit Theme(bool optimize = true);
  ~Theme();
  Theme(const Theme&) = delete;
  Theme& operator=(const Theme&) = delete;

  /// Reads and compiles templates/layouts/base.mustache and every page
  /// template, inlining `{{> name}}` from templates/partials/name.mustache.
  /// Syntax errors name the template file, line and column.
  bool Load(const std::string& templates_dir, Diagnostics* diags);
  /// Renders page template `name` with the context `ctx` (searched innermost
  /// first), then the layout around it with `content` set to the result.
  bool Render(const std::string& name, RenderContext* ctx, std::string* out,
              std::string* error) const;
  /// True when page template `name` was loaded.
  bool Has(const std::string& name) const { return pages_.count(name) != 0; }
  /// A hash of every loaded template (partials expanded): pages made with
  /// an equal hash, from equal data, are equal.
  uint64_t source_hash() const { return source_hash_; }
  /// True when page template `page` or the layout mentions `name` in a tag
  /// (as a whole name or a dotted part), so a page's output may depend on it.
  bool Uses(const std::string& page, const std::string& name) const;
  /// Reports every `{{assets.key}}` a template prints unconditionally (not
  /// inside `{{#assets.key}}`) that is missing from `assets`.
  bool CheckAssets(const std::map<std::string, std::string>& assets, Diagnostics* diags) const;

 private:
  friend class RenderSession;
  using Template = kainjow::mustache::mustache;

  bool optimize_;
  std::string dir_;
  /// Asset keys printed by templates, with the template file that prints them.
  std::map<std::string, std::string> required_assets_;
  std::unique_ptr<Template> layout_;
  std::map<std::string, std::unique_ptr<Template>> pages_;
  /// Runs of literal text templates print through one tag instead of one
  /// kainjow component per word and space.
  std::vector<kainjow::mustache::data> texts_;
  /// Lines holding nothing but one unescaped value (`{{{content}}}`): the
  /// theme writes the value straight to the page, sparing kainjow's copies
  /// of a whole page body.
  std::vector<ValueLine> value_lines_;
  std::map<std::string, std::set<std::string>> names_;  ///< Tag names per page, layout included.
  uint64_t source_hash_ = 0;
};

/// Hashed asset paths for templates, keyed like `search_js`, `site_css`,
/// `nhsuk_css`, `nhsuk_js`; values are relative to the site root
/// ("assets/search.3f2a9c1b.js").
using AssetMap = std::map<std::string, std::string>;

/// The key templates use for an asset file name: "print.css" -> "print_css".
std::string AssetKey(std::string_view relative_name);
/// "search.js" + bytes -> "search.<8 hex digits>.js" (FNV-1a 64 of the bytes).
std::string HashedName(std::string_view relative_name, std::string_view bytes);
/// Makes nhsuk-frontend's compiled CSS self-contained: drops @font-face rules
/// that load fonts from another host and points absolute image URLs at the
/// images copied beside it; drops source-map comments.
std::string LocaliseNhsukCss(std::string_view css);

/// Copies templates/assets/** and nhsuk-frontend's CSS, JS and images into
/// `writer`, filling *assets. nhsuk-frontend is looked for in
/// $SIGNPOST_NHSUK_DIR, then <templates>/../node_modules/nhsuk-frontend/dist/nhsuk.
/// With `files`, the site path of every file it wrote is added to it.
bool WriteAssets(const std::string& templates_dir, SiteWriter* writer, AssetMap* assets,
                 Diagnostics* diags, std::vector<std::string>* files = nullptr);

/// A hash of the name, size, times and inode of every file Theme::Load and
/// WriteAssets read (everything under `templates_dir`, nhsuk-frontend's CSS,
/// JS and images) and of $SIGNPOST_NHSUK_DIR: equal stamps, equal theme and
/// assets (any edit, added or removed file changes it). ~60 lstat calls.
uint64_t ThemeInputsStamp(const std::string& templates_dir);

/// Escapes & < > " ' for HTML text and quoted attributes (what `{{value}}`
/// does in every template).
std::string HtmlEscape(const std::string& text);

/// Converts a byte offset in `text` to a 1-based line and column (code points).
void OffsetToLineColumn(std::string_view text, size_t offset, int* line, int* column);

}  // namespace signpost

#endif  // SIGNPOST_THEME_H_
