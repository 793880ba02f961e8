// Stage 3, render: turns the Catalogue into HTML pages (Mustache templates
// from the templates folder, Markdown bodies through cmark-gfm), sitemap.xml,
// robots.txt and the theme assets, written through the SiteWriter.
#ifndef SIGNPOST_RENDER_H_
#define SIGNPOST_RENDER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "body_texts.h"
#include "catalogue.h"
#include "diagnostic.h"
#include "open_data.h"
#include "site_writer.h"
#include "theme.h"

namespace signpost {

/// The pages one process rendered last time, each under a key that covers
/// everything the page was made from (entries, templates, site and taxonomy
/// files, asset names), so the next build (signpost serve) renders only the
/// pages whose inputs changed and keeps the rest (SiteWriter::Keep). It also
/// keeps each body's plain text, which the search index needs whether or not
/// the page was rendered again. Used by one build at a time.
///
/// What a build records waits beside what the last committed build recorded
/// (one map entry holds both, stamped with the build's number), so a build
/// that keeps almost everything allocates almost nothing, and a failed
/// build's records are simply never promoted.
class RenderMemo {
 public:
  /// `persistent`: the memo lives across builds (signpost serve), so it
  /// keeps every body's text and the open-data parts for the next build. A
  /// memo for one build (signpost build, seeded from the manifest's page
  /// keys) keeps neither.
  explicit RenderMemo(bool persistent = true) : persistent_(persistent) {}
  bool persistent() const { return persistent_; }
  /// Takes page keys a committed build recorded (from the site's manifest)
  /// as this memo's own, for the pages it knows nothing of yet.
  void Seed(const PageKeys& keys);
  /// Starts recording a build (RenderSite calls it).
  void Begin();
  /// After a build whose output was committed: its keys become the ones the
  /// next build compares with.
  void Commit();
  /// After a failed build: forgets what it recorded (the site kept the
  /// previous build's files, whose keys stay).
  void Discard();
  /// The open-data export's parts, committed and discarded with the pages.
  OpenDataMemo open_data;
  /// The compiled theme and the assets it wrote, while nothing they are
  /// made from changes (ThemeInputsStamp): a persistent memo's next build
  /// neither reads nor compiles the templates again, and keeps the asset
  /// files. Valid whatever became of the build that loaded them.
  struct ThemeMemo {
    uint64_t stamp = 0;
    std::shared_ptr<const Theme> theme;  ///< null: none yet
    AssetMap assets;
    std::vector<std::string> files;  ///< Every asset's site path.
  } theme;

  /// Pages the last build rendered / kept unchanged (HTML pages only).
  size_t rendered() const { return rendered_; }
  size_t kept() const { return kept_; }

  // For the renderer (thread-safe):
  /// True when the last committed build made `rel` under `key`.
  bool Matches(const std::string& rel, uint64_t key) const;
  /// Notes that this build made (or kept) `rel` under `key`; a `page`
  /// counts in rendered() or kept() (data/services.json does not).
  void Record(const std::string& rel, uint64_t key, bool kept, bool page = true);
  /// The plain text of a body as last rendered under `source_hash`; false
  /// when not known.
  bool Text(const std::string& slug, uint64_t source_hash, std::string* text) const;
  void RecordText(const std::string& slug, uint64_t source_hash, const std::string& text);
  /// True when the last committed build made service page `rel` under `key`,
  /// so it may be kept if the site still holds it; *has_text says whether
  /// the text of `slug`'s body under `source_hash` is known too (not after
  /// Seed: the page's text must then be made again if anyone needs it).
  bool CanKeepService(const std::string& rel, uint64_t key, const std::string& slug,
                      uint64_t source_hash, bool* has_text) const;
  /// Notes that this build kept service page `rel` under `key`, carrying the
  /// text of `slug`'s body into it, and copies the text to *copy unless null.
  void KeepService(const std::string& rel, uint64_t key, const std::string& slug,
                   std::string* copy);
  /// The keys of a service's card and A-Z item, made from `source_hash` and
  /// the taxonomy `taxonomy_hash` (areas and tiers give card text); false
  /// when not known. Read before rendering starts, so not locked.
  bool CardKeys(const std::string& slug, uint64_t source_hash, uint64_t taxonomy_hash,
                uint64_t* card_key, uint64_t* item_key) const;
  void RecordCardKeys(const std::string& slug, uint64_t source_hash, uint64_t taxonomy_hash,
                      uint64_t card_key, uint64_t item_key);

 private:
  /// A value as the last committed build left it, and as this build (the
  /// one numbered `build`) recorded it.
  template <typename T>
  struct Versions {
    bool has = false;
    T value{};
    uint64_t build = 0;  ///< The build that recorded `next`; 0: none.
    T next{};
    bool carried = false;  ///< That build keeps `value` as it is (no copy in `next`).
  };
  struct BodyText {
    uint64_t source_hash = 0;
    std::string text;
  };
  struct CardKey {
    uint64_t source_hash = 0, taxonomy_hash = 0, card = 0, item = 0;
  };
  template <typename T>
  void Promote(std::unordered_map<std::string, Versions<T>>* map);
  const bool persistent_;
  mutable std::mutex mutex_;
  uint64_t build_ = 0;  ///< The build being recorded.
  std::unordered_map<std::string, Versions<CardKey>> cards_;
  std::unordered_map<std::string, Versions<uint64_t>> keys_;
  std::unordered_map<std::string, Versions<BodyText>> texts_;
  size_t rendered_ = 0, kept_ = 0;
};

/// Renders every page of the site into `writer`. Template problems are
/// reported against the template file and line. Returns false on any error.
/// When `texts` is given, the plain text of each published service's body
/// (from the same Markdown parse as its page) is put into its slot, "" for
/// a body that could not be rendered; the caller closes `texts` after.
/// With a `memo`, pages whose inputs are unchanged since the memo's last
/// committed build are kept instead of rendered. With `bodies` (one per
/// service, moved out of the catalogue by the caller) each Markdown body is
/// read from there and freed as soon as its page is made: a one-off build
/// need not hold every body until the end.
bool RenderSite(const Catalogue& catalogue, const std::string& templates_dir, SiteWriter* writer,
                Diagnostics* diags, BodyTexts* texts = nullptr, RenderMemo* memo = nullptr,
                std::vector<std::string>* bodies = nullptr);

}  // namespace signpost

#endif  // SIGNPOST_RENDER_H_
