#include "render.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "input_key.h"
#include "markdown.h"
#include "open_data.h"
#include "page_context.h"
#include "search_index.h"
#include "security_policy.h"
#include "theme.h"

namespace signpost {

namespace mu = kainjow::mustache;

namespace {

// kainjow's data::set copies the value twice (into a pair, then into the
// map) after a find and an erase; assigning through operator[] builds it in
// place. A service page sets ~50 values, so this is most of the page data's
// allocations.
template <typename V>
void SetValue(mu::data* d, const std::string& key, V&& value) {
  (*d)[key] = mu::data(std::forward<V>(value));
}

// Appends `value` to the list `list` by moving it: kainjow's push_back takes
// a const reference and deep-copies, which for the A-Z and pathway pages
// copied every item of every group again (list_value() is the list itself).
void PushBack(mu::data* list, mu::data&& value) {
  const_cast<mu::list&>(list->list_value()).push_back(std::move(value));
}

void SetIf(mu::data* d, const std::string& key, const std::string& value) {
  if (!value.empty()) SetValue(d, key, value);
}

// Mustache looks a missing key up in the enclosing contexts, so a list item
// without `ages` would show the page's `ages`. Items set every key they use:
// the value, or false.
void SetOrFalse(mu::data* d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    SetValue(d, key, false);
  } else {
    SetValue(d, key, value);
  }
}

// kainjow's set() deep-copies its argument; a list of cards or an object
// built for one page is moved in instead.
void Put(mu::data* d, const std::string& key, mu::data&& value) { (*d)[key] = std::move(value); }

mu::data Link(const std::string& text, const std::string& href) {
  mu::data d;
  SetValue(&d, "text", text);
  SetValue(&d, "href", href);
  return d;
}

mu::data StringList(const std::vector<std::string>& items) {
  mu::data list{mu::data::type::list};
  for (const std::string& s : items) PushBack(&list, mu::data{"text", s});
  return list;
}

// Phone numbers must not wrap across lines: "116 123" -> "116\u00a0123".
std::string NonBreaking(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') {
      out += "\xc2\xa0";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ServiceHref(const std::string& slug) { return "services/" + slug + "/"; }

// Mustache data whose every field also goes into a key, so the key of a
// card (which many pages show) covers exactly what the card says.
class KeyedData {
 public:
  void Set(const std::string& key, const std::string& value) {
    SetValue(&data_, key, value);
    key_.Add(key).Add(value);
  }
  void Set(const std::string& key, bool value) {
    SetValue(&data_, key, value);
    key_.Add(key).Add(value ? "\x01" : "\x00");
  }
  // Items set every key they use (see SetOrFalse).
  void SetOrFalse(const std::string& key, const std::string& value) {
    if (value.empty()) {
      Set(key, false);
    } else {
      Set(key, value);
    }
  }
  mu::data& data() { return data_; }
  uint64_t key() const { return key_.value(); }

 private:
  mu::data data_;
  InputKey key_;
};

// The same interface as KeyedData, computing only the key: for the pages an
// incremental build does not render, the data is never built.
class KeyOnly {
 public:
  void Set(const std::string& key, const std::string& value) { key_.Add(key).Add(value); }
  void Set(const std::string& key, bool value) { key_.Add(key).Add(value ? "\x01" : "\x00"); }
  void SetOrFalse(const std::string& key, const std::string& value) {
    if (value.empty()) {
      Set(key, false);
    } else {
      Set(key, value);
    }
  }
  uint64_t key() const { return key_.value(); }

 private:
  InputKey key_;
};

// A card or list item and the key of what it shows.
struct KeyedItem {
  mu::data data;
  uint64_t key = 0;
};

std::string UrlEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// The path part of base_url ("https://x.org/dir/" -> "/dir/"): 404.html is
// served at any depth, so only root-absolute links work there.
std::string BasePath(const std::string& base_url) {
  size_t scheme = base_url.find("://");
  size_t slash = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string path = slash == std::string::npos ? "/" : base_url.substr(slash);
  if (path.empty() || path.back() != '/') path += '/';
  return path;
}

std::string RootFor(const std::string& dir_path) {
  // "services/x/" -> "../../"
  std::string root;
  for (char c : dir_path) {
    if (c == '/') root += "../";
  }
  return root;
}

struct SitemapEntry {
  std::string path;  // "services/x/", "" for home
  std::optional<Date> lastmod;
};

class SiteRenderer {
 public:
  SiteRenderer(const Catalogue& catalogue, SiteWriter* writer, BodyTexts* texts, RenderMemo* memo,
               std::vector<std::string>* bodies)
      : cat_(catalogue), writer_(writer), texts_(texts), bodies_(bodies), memo_(memo) {}

  bool Run(const std::string& templates_dir, Diagnostics* diags) {
    if (!LoadTheme(templates_dir, diags)) return false;
    if (!theme_->CheckAssets(assets_, diags)) return false;
    Prepare();
    bool ok = RenderPages(diags);
    ok = WriteSitemap(diags) && ok;
    ok =
        writer_->Write(
            "robots.txt",
            "User-agent: *\nAllow: /\n\nSitemap: " + cat_.site.base_url + "sitemap.xml\n", diags) &&
        ok;
    return ok && !diags->HasErrors();
  }

 private:
  // The theme and its assets into theme_ and assets_: from a persistent
  // memo when nothing they are made from has changed (~12 ms of a serve
  // rebuild at 10,000 entries: ~20 templates read and compiled, the
  // nhsuk-frontend CSS read and rewritten), else loaded and written.
  bool LoadTheme(const std::string& templates_dir, Diagnostics* diags) {
    RenderMemo::ThemeMemo* memo = memo_ != nullptr && memo_->persistent() ? &memo_->theme : nullptr;
    uint64_t stamp = memo != nullptr ? ThemeInputsStamp(templates_dir) : 0;
    if (memo != nullptr && memo->theme != nullptr && stamp != 0 && memo->stamp == stamp) {
      bool kept = true;
      for (const std::string& rel : memo->files) kept = kept && writer_->Keep(rel);
      if (kept) {
        theme_ = memo->theme;
        assets_ = memo->assets;
        return true;
      }
    }
    auto theme = std::make_shared<Theme>();
    std::vector<std::string> files;
    if (!theme->Load(templates_dir, diags)) return false;
    theme_ = theme;
    if (!WriteAssets(templates_dir, writer_, &assets_, diags, &files)) return false;
    if (memo != nullptr) *memo = {stamp, theme_, assets_, std::move(files)};
    return true;
  }

  // Everything every page can see, built once.
  void Prepare() {
    cards_ = std::vector<Card>(cat_.services.size());
    for (const Service& s : cat_.services) {
      if (s.IsPublished()) published_.push_back(&s);
    }
    // Sort keys computed once, not twice per comparison.
    std::vector<std::pair<std::string, const Service*>> keyed;
    keyed.reserve(published_.size());
    for (const Service* s : published_) keyed.emplace_back(SortKey(s->name), s);
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second->slug < b.second->slug;
    });
    for (const auto& [key, s] : keyed) by_name_.push_back(s);
    // Who is on each category, area and tier page, A to Z: one pass here
    // rather than one pass over every service per page.
    for (const Service* s : by_name_) {
      auto add = [s](std::vector<const Service*>* list) {
        if (list->empty() || list->back() != s) list->push_back(s);  // a slug listed twice
      };
      for (const std::string& slug : s->categories) add(&by_category_[slug]);
      for (const std::string& slug : s->areas) add(&by_area_[slug]);
      add(&by_tier_[s->tier]);
      if (s->CoversAllAreas()) everyone_.push_back(s);
    }
    for (const Service* s : by_name_) {
      Card& c = CardOf(*s);
      const uint64_t taxonomy = cat_.taxonomy.source_hash;
      if (memo_ == nullptr ||
          !memo_->CardKeys(s->slug, s->source_hash, taxonomy, &c.key, &c.item_key)) {
        KeyOnly card, item;
        CardFields(*s, &card);
        ItemFields(*s, &item);
        c.key = card.key();
        c.item_key = item.key();
      }
      if (memo_ != nullptr)
        memo_->RecordCardKeys(s->slug, s->source_hash, taxonomy, c.key, c.item_key);
    }

    mu::data site;
    SetValue(&site, "title", cat_.site.title);
    SetValue(&site, "language", cat_.site.language.empty() ? "en-GB" : cat_.site.language);
    SetValue(&site, "base_url", cat_.site.base_url);
    SetIf(&site, "repository", RepositoryUrl());
    Put(&common_, "site", std::move(site));
    SetValue(&common_, "csp", kContentSecurityPolicy);
    mu::data assets;
    for (const auto& [key, path] : assets_) SetValue(&assets, key, path);
    Put(&common_, "assets", std::move(assets));

    mu::data crisis{mu::data::type::list};
    for (const CrisisContact& c : cat_.site.crisis_contacts) {
      mu::data d;
      SetValue(&d, "name", c.name);
      SetOrFalse(&d, "description", c.description);
      std::string tel = TelHref(c.phone), sms = SmsHref(c.text);
      SetValue(&d, "phone", NonBreaking(c.phone));
      SetOrFalse(&d, "phone_href", tel);
      SetValue(&d, "text", NonBreaking(c.text));
      SetOrFalse(&d, "text_href", sms);
      crisis.push_back(d);
    }
    Put(&common_, "crisis_contacts", std::move(crisis));
    SetValue(&common_, "has_crisis_contacts", !cat_.site.crisis_contacts.empty());

    // Every count a page may print goes into counts_key_ (see PageKey).
    InputKey counts;
    auto count = [&counts](size_t n) {
      counts.Add(static_cast<uint64_t>(n));
      return n;
    };
    mu::data categories{mu::data::type::list}, by_slug;
    for (const Category& c : cat_.taxonomy.categories) {
      mu::data d = TermData(c.name, "categories/" + c.slug + "/", c.description,
                            count(Members(by_category_, c.slug).size()));
      categories.push_back(d);
      SetValue(&by_slug, c.slug, d);
    }
    Put(&common_, "categories", std::move(categories));
    Put(&common_, "categories_by_slug", std::move(by_slug));
    mu::data areas{mu::data::type::list};
    for (const Area& a : cat_.taxonomy.areas) {
      areas.push_back(TermData(a.name, "areas/" + a.slug + "/", a.description,
                               count(Members(by_area_, a.slug).size())));
    }
    Put(&common_, "areas", std::move(areas));
    mu::data tiers{mu::data::type::list};
    for (const Tier& t : cat_.taxonomy.tiers) {
      tiers.push_back(TermData(t.name, "tiers/" + t.slug + "/", t.description,
                               count(Members(by_tier_, t.slug).size())));
    }
    Put(&common_, "tiers", std::move(tiers));
    SetValue(&common_, "service_count", std::to_string(count(published_.size())));
    counts_key_ = counts.value();

    // What every page is made from besides its own data: the site and
    // taxonomy files, the templates and the (content-hashed) asset names.
    InputKey global;
    // The program too: keys outlive the process in the site's manifest, and
    // another version of signpost may make other bytes from the same inputs.
    global.Add(ProgramHash());
    global.Add(cat_.site.source_hash).Add(cat_.taxonomy.source_hash).Add(theme_->source_hash());
    for (const auto& [key, path] : assets_) global.Add(key).Add(path);
    global_key_ = global.value();
    // Each page template's base key, once, not once per page.
    for (const char* const* name = kPageTemplates; *name != nullptr; ++name) {
      page_keys_[*name] = PageKey(*name).value();
    }
  }

  static bool Has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  // The services on a category, area or tier page, A to Z (none: empty).
  static const std::vector<const Service*>& Members(
      const std::unordered_map<std::string, std::vector<const Service*>>& lists,
      const std::string& slug) {
    static const std::vector<const Service*> kNone;
    auto it = lists.find(slug);
    return it == lists.end() ? kNone : it->second;
  }

  static mu::data TermData(const std::string& name, const std::string& href,
                           const std::string& description, size_t count) {
    mu::data d;
    SetValue(&d, "name", name);
    SetValue(&d, "href", href);
    SetOrFalse(&d, "description", description);
    SetValue(&d, "count", std::to_string(count));
    SetValue(&d, "count_text", count == 1 ? "1 service" : std::to_string(count) + " services");
    return d;
  }

  std::string RepositoryUrl() const {
    std::string repo = cat_.site.repository;
    while (!repo.empty() && repo.back() == '/') repo.pop_back();
    return IsHttpLink(repo) ? repo : "";
  }

  std::string AreasText(const Service& s) const {
    if (s.CoversAllAreas()) return "Everyone in the borough";
    std::vector<std::string> names;
    for (const std::string& slug : s.areas) {
      const Area* a = cat_.taxonomy.FindArea(slug);
      names.push_back(a ? a->name : slug);
    }
    return JoinWords(names);
  }

  // A card's fields, written to a KeyedData (the card and its key) or a
  // KeyOnly (just the key), so the two can never disagree.
  template <typename Fields>
  void CardFields(const Service& s, Fields* d) const {
    d->Set("name", s.name);
    d->Set("slug", s.slug);
    d->Set("href", ServiceHref(s.slug));
    d->Set("organisation", s.organisation);
    d->Set("summary", s.summary);
    d->Set("self_referral", s.AcceptsSelfReferral());
    d->Set("cost", CostLabel(s.cost));
    d->SetOrFalse("ages", FormatAges(s.age_min, s.age_max));
    d->Set("areas_text", AreasText(s));
    const Tier* t = cat_.taxonomy.FindTier(s.tier);
    d->SetOrFalse("tier_name", t ? t->name : "");
    d->Set("temporarily_closed", s.status == Status::kTemporarilyClosed);
    d->SetOrFalse("reopens",
                  s.reopens && s.status == Status::kTemporarilyClosed ? s.reopens->ToLong() : "");
    d->Set("phone", NonBreaking(s.contact.phone));
    d->SetOrFalse("phone_href", TelHref(s.contact.phone));
  }

  // The card of `s`, built on first use: an incremental build that renders
  // no list page builds none of the 10,000.
  const mu::data& CardData(const Service& s) const {
    Card& card = CardOf(s);
    std::call_once(card.built, [&] {
      KeyedData d;
      CardFields(s, &d);
      card.data = std::move(d.data());
    });
    return card.data;
  }

  // Cards by reference: the cached card itself is rendered, not a copy
  // (list pages hold thousands of them).
  mu::data CardList(const std::vector<const Service*>& services) const {
    mu::data list{mu::data::type::list};
    for (const Service* s : services) PushBack(&list, RenderContext::Reference(&CardData(*s)));
    return list;
  }

  // The key of a page made from global inputs (`page`, the page's own
  // identity) plus the cards of `services`, in order.
  uint64_t ListKey(const std::string& page, const std::vector<const Service*>& services,
                   InputKey key) const {
    key.Add(page).Add(static_cast<uint64_t>(services.size()));
    for (const Service* s : services) key.Add(CardOf(*s).key);
    return key.value();
  }

  // The base of every page's key: what all pages are made from, and the
  // counts only for pages whose templates can print them.
  InputKey PageKey(const std::string& template_name) const {
    auto it = page_keys_.find(template_name);
    if (it != page_keys_.end()) return InputKey(it->second);
    InputKey key(global_key_);
    key.Add(template_name);
    if (theme_->Uses(template_name, "count") || theme_->Uses(template_name, "count_text") ||
        theme_->Uses(template_name, "service_count")) {
      key.Add(counts_key_);
    }
    return key;
  }

  // With a memo, true when `rel` was made from the same inputs last time and
  // is kept as it is; false when it must be rendered.
  // `page`: counts in the memo's kept pages (data/services.json does not).
  bool KeepIfUnchanged(const std::string& rel, uint64_t key, bool page = true) {
    if (memo_ == nullptr || !memo_->Matches(rel, key) || !writer_->Keep(rel, key)) return false;
    memo_->Record(rel, key, /*kept=*/true, page);
    return true;
  }

  // Renders page template `name` into `dir` + "index.html" (or `file`).
  // `key` is the page's RenderMemo key (0: not memoised).
  bool Emit(const std::string& name, const std::string& dir, mu::data& page, Diagnostics* diags,
            const std::string& file = "index.html", const std::string& root_override = "",
            uint64_t key = 0) {
    std::string root = root_override.empty() ? RootFor(dir) : root_override;
    SetValue(&page, "root", root);
    SetValue(&page, "canonical", cat_.site.base_url + dir);
    SetValue(&page, "page_path", dir);
    const mu::data* crumbs = page.get("breadcrumbs");
    bool has_crumbs = crumbs != nullptr && crumbs->is_non_empty_list();
    SetValue(&page, "has_breadcrumbs", has_crumbs);
    if (has_crumbs) {
      SetValue(&page, "breadcrumb_back", crumbs->list_value().back());
    } else {
      SetValue(&page, "breadcrumb_back", false);
    }
    RenderContext ctx(&common_);
    ctx.push(&page);
    std::string html, error;
    if (!theme_->Render(name, &ctx, &html, &error)) {
      diags->Error("templates/pages/" + name + ".mustache", 0, 0,
                   "rendering " + dir + file + " failed: " + error);
      return false;
    }
    if (!writer_->Write(dir + file, html, diags, key)) return false;
    if (memo_ != nullptr && key != 0) memo_->Record(dir + file, key, /*kept=*/false);
    return true;
  }

  static mu::data Breadcrumbs(std::initializer_list<std::pair<std::string, std::string>> items) {
    mu::data list{mu::data::type::list};
    for (const auto& [text, href] : items) PushBack(&list, Link(text, href));
    return list;
  }

  static mu::data PageData(const std::string& title, const std::string& description) {
    mu::data d;
    SetValue(&d, "page_title", title);
    SetIf(&d, "description", description);
    return d;
  }

  std::optional<Date> Latest(const std::vector<const Service*>& services) const {
    std::optional<Date> latest;
    for (const Service* s : services) {
      if (!latest || *latest < s->last_reviewed) latest = s->last_reviewed;
    }
    return latest;
  }

  void AddToSitemap(std::string path, std::optional<Date> lastmod) {
    std::lock_guard<std::mutex> lock(sitemap_mutex_);
    sitemap_.push_back({std::move(path), lastmod});
  }

  // A name-and-link item for the long lists (A to Z, pathway cells), much
  // cheaper to copy than a full card.
  // An A-Z or pathway item (name and link), as CardFields.
  template <typename Fields>
  static void ItemFields(const Service& s, Fields* d) {
    d->Set("name", s.name);
    d->Set("href", ServiceHref(s.slug));
    d->Set("organisation", s.organisation);
  }

  static mu::data Item(const Service& s) {
    KeyedData d;
    ItemFields(s, &d);
    return std::move(d.data());
  }

  void RenderSmallPages(Diagnostics* diags) {
    std::optional<Date> all_latest = Latest(published_);
    mu::data home = PageData(
        cat_.site.title, "Find mental health and wellbeing services in " + cat_.site.title + ".");
    SetValue(&home, "is_home", true);
    // The page has its own search box; a second `q` field would confuse.
    SetValue(&home, "has_page_search", true);
    Emit("home", "", home, diags);
    AddToSitemap("", all_latest);

    mu::data search = PageData("Search", "Search the directory of services.");
    Put(&search, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    SetValue(&search, "has_page_search", true);
    Emit("search", "search/", search, diags);
    AddToSitemap("search/", std::nullopt);

    mu::data a11y = PageData("Accessibility statement",
                             "How accessible this website is and how to report a problem.");
    Put(&a11y, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    Emit("accessibility", "accessibility/", a11y, diags);
    AddToSitemap("accessibility/", std::nullopt);

    mu::data not_found = PageData("Page not found", "");
    Emit("404", "", not_found, diags, "404.html", BasePath(cat_.site.base_url));

    mu::data cats_page = PageData("Services by need", "Every kind of support in the directory.");
    Put(&cats_page, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    Emit("categories", "categories/", cats_page, diags);
    AddToSitemap("categories/", all_latest);

    mu::data areas_page = PageData("Services by area", "Services in each part of the borough.");
    Put(&areas_page, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    Emit("areas", "areas/", areas_page, diags);
    AddToSitemap("areas/", all_latest);
  }

  void RenderCategory(const Category& c, Diagnostics* diags) {
    const auto& services = Members(by_category_, c.slug);
    std::string dir = "categories/" + c.slug + "/";
    AddToSitemap(dir, Latest(services));
    uint64_t key = ListKey(dir, services, PageKey("category"));
    if (KeepIfUnchanged(dir + "index.html", key)) return;
    mu::data page = PageData(c.name, c.description);
    SetValue(&page, "name", c.name);
    SetIf(&page, "intro", c.description);
    Put(&page, "services", CardList(services));
    SetValue(&page, "has_services", !services.empty());
    SetValue(&page, "count_text",
             services.size() == 1 ? "1 service" : std::to_string(services.size()) + " services");
    Put(&page, "breadcrumbs", Breadcrumbs({{"Home", ""}, {"Services by need", "categories/"}}));
    Emit("category", dir, page, diags, "index.html", "", key);
  }

  // Local services first, then the borough-wide ones.
  void RenderArea(const Area& a, Diagnostics* diags) {
    const auto& local = Members(by_area_, a.slug);
    const auto& everyone = everyone_;
    std::string dir = "areas/" + a.slug + "/";
    std::vector<const Service*> all = local;
    all.insert(all.end(), everyone.begin(), everyone.end());
    AddToSitemap(dir, Latest(all));
    uint64_t key =
        ListKey(dir + "everyone", everyone, InputKey(ListKey(dir, local, PageKey("area"))));
    if (KeepIfUnchanged(dir + "index.html", key)) return;
    mu::data page = PageData(a.name, "Services in " + a.name + ". " + a.description);
    SetValue(&page, "name", a.name);
    SetIf(&page, "intro", a.description);
    SetValue(&page, "postcodes", JoinWords(a.postcodes));
    Put(&page, "services", CardList(local));
    SetValue(&page, "has_services", !local.empty());
    Put(&page, "everyone", CardList(everyone));
    SetValue(&page, "has_everyone", !everyone.empty());
    Put(&page, "breadcrumbs", Breadcrumbs({{"Home", ""}, {"Services by area", "areas/"}}));
    Emit("area", dir, page, diags, "index.html", "", key);
  }

  void RenderTier(const Tier& t, Diagnostics* diags) {
    const auto& services = Members(by_tier_, t.slug);
    std::string dir = "tiers/" + t.slug + "/";
    AddToSitemap(dir, Latest(services));
    uint64_t key = ListKey(dir, services, PageKey("tier"));
    if (KeepIfUnchanged(dir + "index.html", key)) return;
    mu::data page = PageData(t.name, t.description);
    SetValue(&page, "name", t.name);
    SetIf(&page, "intro", t.description);
    Put(&page, "services", CardList(services));
    SetValue(&page, "has_services", !services.empty());
    Put(&page, "breadcrumbs", Breadcrumbs({{"Home", ""}, {"Pathway", "pathway/"}}));
    Emit("tier", dir, page, diags, "index.html", "", key);
  }

  void RenderPathway(Diagnostics* diags) {
    AddToSitemap("pathway/", Latest(published_));
    // One pass over the services fills every cell.
    size_t n_tiers = cat_.taxonomy.tiers.size();
    std::vector<std::vector<const Service*>> cells(cat_.taxonomy.categories.size() * n_tiers);
    for (const Service* s : by_name_) {
      for (size_t t = 0; t < n_tiers; ++t) {
        if (cat_.taxonomy.tiers[t].slug != s->tier) continue;
        for (size_t c = 0; c < cat_.taxonomy.categories.size(); ++c) {
          if (Has(s->categories, cat_.taxonomy.categories[c].slug)) {
            cells[c * n_tiers + t].push_back(s);
          }
        }
      }
    }
    InputKey key = PageKey("pathway");
    for (const auto& cell : cells) {
      key.Add(static_cast<uint64_t>(cell.size()));
      for (const Service* s : cell) key.Add(CardOf(*s).item_key);
    }
    if (KeepIfUnchanged("pathway/index.html", key.value())) return;

    mu::data page = PageData("Pathway map",
                             "Every service placed by need and by step of the pathway, "
                             "showing where there are gaps.");
    mu::data columns{mu::data::type::list};
    for (const Tier& t : cat_.taxonomy.tiers) {
      columns.push_back(TermData(t.name, "tiers/" + t.slug + "/", t.description, 0));
    }
    mu::data rows{mu::data::type::list};
    size_t gaps = 0;
    for (size_t c = 0; c < cat_.taxonomy.categories.size(); ++c) {
      const Category& category = cat_.taxonomy.categories[c];
      mu::data row;
      SetValue(&row, "name", category.name);
      SetValue(&row, "href", "categories/" + category.slug + "/");
      mu::data cell_list{mu::data::type::list};
      for (size_t t = 0; t < n_tiers; ++t) {
        const auto& services = cells[c * n_tiers + t];
        mu::data cell;
        SetValue(&cell, "tier_name", cat_.taxonomy.tiers[t].name);
        mu::data items{mu::data::type::list};
        for (const Service* s : services) PushBack(&items, Item(*s));
        Put(&cell, "services", std::move(items));
        SetValue(&cell, "empty", services.empty());
        gaps += services.empty();
        PushBack(&cell_list, std::move(cell));
      }
      Put(&row, "cells", std::move(cell_list));
      PushBack(&rows, std::move(row));
    }
    Put(&page, "columns", std::move(columns));
    Put(&page, "rows", std::move(rows));
    SetValue(&page, "gap_count", std::to_string(gaps));
    Put(&page, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    Emit("pathway", "pathway/", page, diags, "index.html", "", key.value());
  }

  void RenderAtoZ(Diagnostics* diags) {
    AddToSitemap("a-z/", Latest(published_));
    std::map<std::string, std::vector<const Service*>> by_letter;
    for (const Service* s : by_name_) by_letter[IndexLetter(s->name)].push_back(s);
    InputKey key = PageKey("a-z");
    for (const auto& [letter, services] : by_letter) {
      key.Add(letter).Add(static_cast<uint64_t>(services.size()));
      for (const Service* s : services) key.Add(CardOf(*s).item_key);
    }
    if (KeepIfUnchanged("a-z/index.html", key.value())) return;

    mu::data letters{mu::data::type::list}, groups{mu::data::type::list};
    std::vector<std::string> all;
    for (char c = 'A'; c <= 'Z'; ++c) all.emplace_back(1, c);
    all.push_back("#");
    for (const std::string& letter : all) {
      auto it = by_letter.find(letter);
      bool has = it != by_letter.end();
      std::string id = letter == "#" ? "other" : letter;
      mu::data l;
      SetValue(&l, "letter", letter == "#" ? "Other" : letter);
      SetValue(&l, "id", id);
      SetValue(&l, "has_services", has);
      if (!has) {
        PushBack(&letters, std::move(l));
        continue;
      }
      mu::data g = l;
      PushBack(&letters, std::move(l));
      mu::data items{mu::data::type::list};
      for (const Service* s : it->second) PushBack(&items, Item(*s));
      Put(&g, "services", std::move(items));
      PushBack(&groups, std::move(g));
    }
    mu::data page = PageData("Services A to Z", "Every service in the directory, A to Z.");
    Put(&page, "letters", std::move(letters));
    Put(&page, "groups", std::move(groups));
    Put(&page, "breadcrumbs", Breadcrumbs({{"Home", ""}}));
    Emit("a-z", "a-z/", page, diags, "index.html", "", key.value());
  }

  // Every page is a job; both cores take jobs until none are left. The
  // three biggest kinds of list page (A-Z, pathway, areas) go first: made
  // last, they peaked beside the search index's export (over 150 MB at
  // 10,000 entries). Then the service pages, each handing its body's text
  // to the search index, which is built on its own thread in service order
  // and so starts early instead of after every list page; then the rest,
  // biggest first, so the last job on each core is a small one.
  bool RenderPages(Diagnostics* diags) {
    std::vector<std::function<void(Diagnostics*)>> jobs;
    jobs.emplace_back([this](Diagnostics* d) { RenderAtoZ(d); });
    jobs.emplace_back([this](Diagnostics* d) { RenderPathway(d); });
    for (const Area& a : cat_.taxonomy.areas) {
      jobs.emplace_back([this, &a](Diagnostics* d) { RenderArea(a, d); });
    }
    // Every service page is in the sitemap, made or kept: listed here in
    // one go rather than under the sitemap's lock from each job.
    sitemap_.reserve(published_.size() + 64);
    for (const Service* s : published_) {
      sitemap_.push_back({ServiceHref(s->slug), s->last_reviewed});
      jobs.emplace_back([this, s](Diagnostics* d) { RenderService(*s, d); });
    }
    jobs.emplace_back([this](Diagnostics* d) { RenderOpenData(d); });
    for (const Category& c : cat_.taxonomy.categories) {
      jobs.emplace_back([this, &c](Diagnostics* d) { RenderCategory(c, d); });
    }
    for (const Tier& t : cat_.taxonomy.tiers) {
      jobs.emplace_back([this, &t](Diagnostics* d) { RenderTier(t, d); });
    }
    jobs.emplace_back([this](Diagnostics* d) { RenderSmallPages(d); });
    unsigned threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    if (jobs.size() < 64) threads = 1;
    std::atomic<size_t> next{0};
    std::vector<Diagnostics> thread_diags(threads);
    auto work = [&](Diagnostics* d) {
      for (size_t i = next++; i < jobs.size(); i = next++) jobs[i](d);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, &thread_diags[t]);
    work(&thread_diags[0]);
    for (std::thread& t : pool) t.join();
    bool ok = true;
    for (const Diagnostics& d : thread_diags) {
      ok = ok && !d.HasErrors();
      diags->Append(d);
    }
    return ok;
  }

  // The key of a service page: its entry's bytes and the cards of the
  // related services it shows.
  uint64_t ServiceKey(const Service& s) const {
    InputKey key = PageKey("service");
    key.Add(s.slug).Add(s.source_hash);
    for (const std::string& slug : s.related) {
      const Service* r = cat_.FindService(slug);
      key.Add(r != nullptr && r->IsPublished() ? CardOf(*r).key : 0);
    }
    return key.value();
  }

  // data/services.json is made from every published entry and the taxonomy
  // (area and category names) only: with its key unchanged it is kept (a
  // build over its own output spared ~100 ms of JSON at 10,000 entries).
  void RenderOpenData(Diagnostics* diags) {
    const std::string rel = "data/services.json";
    uint64_t key = 0;
    if (memo_ != nullptr) {
      InputKey k;
      k.Add("open data").Add(ProgramHash()).Add(cat_.taxonomy.source_hash);
      k.Add(static_cast<uint64_t>(published_.size()));
      for (const Service* s : published_) k.Add(s->slug).Add(s->source_hash);
      key = k.value();
      if (KeepIfUnchanged(rel, key, /*page=*/false)) return;
    }
    if (WriteOpenData(cat_, writer_, diags,
                      memo_ != nullptr && memo_->persistent() ? &memo_->open_data : nullptr) &&
        memo_ != nullptr) {
      memo_->Record(rel, key, /*kept=*/false, /*page=*/false);
      writer_->SetKey(rel, key);
    }
  }

  // For a page kept on a key from the manifest (no text known): makes the
  // body's text again when the search index or a persistent memo needs it.
  // False when the body cannot be rendered: the page is then made (written
  // over the kept entry), and fails, as usual.
  bool KeptBodyText(const Service& s, size_t index) {
    if (texts_ == nullptr && !memo_->persistent()) return true;
    MarkdownResult body =
        RenderMarkdown(bodies_ != nullptr ? (*bodies_)[index] : s.body, /*html=*/false);
    if (!body.ok) return false;
    if (bodies_ != nullptr) std::string().swap((*bodies_)[index]);
    if (memo_->persistent()) memo_->RecordText(s.slug, s.source_hash, body.text);
    if (texts_ != nullptr) texts_->Put(index, std::move(body.text));
    return true;
  }

  void RenderService(const Service& s, Diagnostics* diags) {
    const size_t index = &s - cat_.services.data();
    const std::string rel = ServiceHref(s.slug) + "index.html";
    uint64_t key = memo_ != nullptr ? ServiceKey(s) : 0;
    bool has_text = false;
    if (memo_ != nullptr && memo_->CanKeepService(rel, key, s.slug, s.source_hash, &has_text) &&
        writer_->Keep(rel, key) && (has_text || KeptBodyText(s, index))) {
      if (has_text) {
        // The body's text is the same as last time: carried over, and a
        // copy for the search index when it is being built beside the pages.
        std::string text;
        memo_->KeepService(rel, key, s.slug, texts_ != nullptr ? &text : nullptr);
        if (texts_ != nullptr) texts_->Put(index, std::move(text));
      } else {
        memo_->Record(rel, key, /*kept=*/true);
      }
      return;
    }
    mu::data page = PageData(s.name, s.summary);
    SetValue(&page, "name", s.name);
    SetValue(&page, "organisation", s.organisation);
    SetValue(&page, "summary", s.summary);
    SetValue(&page, "slug", s.slug);
    if (s.status == Status::kTemporarilyClosed) {
      SetValue(&page, "temporarily_closed", true);
      if (s.reopens) SetValue(&page, "reopens", s.reopens->ToLong());
    }

    // Who can refer, first: a GP decides in seconds whether to hand this over.
    std::vector<std::string> routes;
    for (const std::string& r : s.referral) routes.push_back(ReferralLabel(r));
    SetValue(&page, "self_referral", s.AcceptsSelfReferral());
    Put(&page, "referral", StringList(routes));
    SetValue(&page, "referral_text", SentenceList(routes));
    if (IsHttpLink(s.contact.referral_url)) SetValue(&page, "referral_url", s.contact.referral_url);
    SetIf(&page, "ages", FormatAges(s.age_min, s.age_max));
    SetIf(&page, "eligibility", s.eligibility);
    SetValue(&page, "areas_text", AreasText(s));
    mu::data areas{mu::data::type::list};
    if (!s.CoversAllAreas()) {
      for (const std::string& slug : s.areas) {
        if (const Area* a = cat_.taxonomy.FindArea(slug)) {
          PushBack(&areas, Link(a->name, "areas/" + a->slug + "/"));
        }
      }
    }
    SetValue(&page, "has_area_links", areas.is_non_empty_list());
    Put(&page, "areas", std::move(areas));
    SetValue(&page, "cost", CostLabel(s.cost));
    SetIf(&page, "cost_note", s.cost_note);

    mu::data contact;
    bool any_contact = false;
    if (std::string tel = TelHref(s.contact.phone); !tel.empty()) {
      SetValue(&contact, "phone", NonBreaking(s.contact.phone));
      SetValue(&contact, "phone_href", tel);
      any_contact = true;
    }
    if (std::string sms = SmsHref(s.contact.text); !sms.empty()) {
      SetValue(&contact, "text", NonBreaking(s.contact.text));
      SetValue(&contact, "text_href", sms);
      any_contact = true;
    }
    if (!s.contact.email.empty() && IsSafeUrl("mailto:" + s.contact.email) &&
        s.contact.email.find_first_of(" \t\r\n?#/<>\"'") == std::string::npos) {
      SetValue(&contact, "email", s.contact.email);
      SetValue(&contact, "email_href", "mailto:" + s.contact.email);
      any_contact = true;
    }
    if (IsHttpLink(s.contact.website)) {
      SetValue(&contact, "website", s.contact.website);
      SetValue(&contact, "website_text", DisplayUrl(s.contact.website));
      any_contact = true;
    }
    Put(&page, "contact", std::move(contact));
    SetValue(&page, "has_contact", any_contact);

    mu::data hours{mu::data::type::list};
    for (const Hours& h : s.hours) {
      mu::data row;
      SetValue(&row, "text", FormatHours(h));
      SetOrFalse(&row, "channel", h.channel.empty() ? "" : DeliveryLabel(h.channel));
      SetOrFalse(&row, "note", h.note);
      PushBack(&hours, std::move(row));
    }
    Put(&page, "hours", std::move(hours));
    SetValue(&page, "has_hours", !s.hours.empty());
    SetIf(&page, "waiting_time", s.waiting_time);
    std::vector<std::string> delivery;
    for (const std::string& d : s.delivery) delivery.push_back(DeliveryLabel(d));
    SetIf(&page, "delivery_text", SentenceList(delivery));
    SetIf(&page, "languages_text", JoinWords(s.languages));
    Put(&page, "accessibility", StringList(s.accessibility));
    SetValue(&page, "has_accessibility", !s.accessibility.empty());
    mu::data locations{mu::data::type::list};
    for (const Location& l : s.locations) {
      mu::data d;
      SetOrFalse(&d, "name", l.name);
      SetOrFalse(&d, "address", l.address);
      SetOrFalse(&d, "postcode", l.postcode);
      PushBack(&locations, std::move(d));
    }
    Put(&page, "locations", std::move(locations));
    SetValue(&page, "has_locations", !s.locations.empty());

    mu::data categories{mu::data::type::list};
    for (const std::string& slug : s.categories) {
      if (const Category* c = cat_.taxonomy.FindCategory(slug)) {
        PushBack(&categories, Link(c->name, "categories/" + c->slug + "/"));
      }
    }
    Put(&page, "categories", std::move(categories));
    if (const Tier* t = cat_.taxonomy.FindTier(s.tier)) {
      SetValue(&page, "tier", Link(t->name, "tiers/" + t->slug + "/"));
    }

    MarkdownResult body = RenderMarkdown(bodies_ != nullptr ? (*bodies_)[index] : s.body);
    if (bodies_ != nullptr) std::string().swap((*bodies_)[index]);  // read once; free it now
    if (memo_ != nullptr && memo_->persistent() && body.ok)
      memo_->RecordText(s.slug, s.source_hash, body.text);
    if (texts_ != nullptr) texts_->Put(index, std::move(body.text));
    if (!body.ok) {
      int line = body.line > 0 ? s.body_line + body.line - 1 : s.body_line;
      diags->Error(s.path, std::max(line, 1), std::max(body.column, 1), body.message,
                   "split the text up, or make the table smaller");
      return;
    }
    SetIf(&page, "body", body.html);

    mu::data related{mu::data::type::list};
    for (const std::string& slug : s.related) {
      const Service* r = cat_.FindService(slug);
      if (r != nullptr && r->IsPublished())
        PushBack(&related, RenderContext::Reference(&CardData(*r)));
    }
    SetValue(&page, "has_related", !related.is_empty_list());
    Put(&page, "related", std::move(related));

    SetValue(&page, "last_reviewed", s.last_reviewed.ToLong());
    SetValue(&page, "last_reviewed_iso", s.last_reviewed.ToIso());
    Date next =
        Date::FromDaysSinceEpoch(s.last_reviewed.DaysSinceEpoch() + cat_.site.warn_after_days);
    SetValue(&page, "next_review", next.ToLong());
    SetValue(&page, "next_review_iso", next.ToIso());
    std::string repo = RepositoryUrl();
    if (!repo.empty()) {
      SetValue(&page, "edit_url", repo + "/edit/main/content/services/" + s.slug + ".md");
      SetValue(&page, "report_url",
               repo + "/issues/new?template=report-wrong-listing.yml&title=" +
                   UrlEncode("Wrong listing: " + s.name + " (" + s.slug + ")"));
    }
    mu::data crumbs{mu::data::type::list};
    PushBack(&crumbs, Link("Home", ""));
    if (!s.categories.empty()) {
      if (const Category* c = cat_.taxonomy.FindCategory(s.categories[0])) {
        PushBack(&crumbs, Link(c->name, "categories/" + c->slug + "/"));
      }
    }
    Put(&page, "breadcrumbs", std::move(crumbs));
    Emit("service", ServiceHref(s.slug), page, diags, "index.html", "", key);
  }

  bool WriteSitemap(Diagnostics* diags) {
    // Made from the base URL and each page's path and date only: kept when
    // those are unchanged (1.4 MB of XML at 10,000 entries, ~10 ms a rebuild).
    // The entries come from both threads in no fixed order, so the key sums
    // one hash per entry (any order gives the same sum) and only a sitemap
    // that is written again needs sorting.
    if (memo_ != nullptr) {
      uint64_t sum = 0;
      for (const SitemapEntry& e : sitemap_) {
        InputKey one;
        one.Add(e.path).Add(e.lastmod ? static_cast<uint64_t>(e.lastmod->DaysSinceEpoch()) + 1 : 0);
        sum += one.value();
      }
      InputKey key;
      key.Add("sitemap").Add(ProgramHash()).Add(cat_.site.base_url);
      key.Add(static_cast<uint64_t>(sitemap_.size())).Add(sum);
      if (KeepIfUnchanged("sitemap.xml", key.value(), /*page=*/false)) return true;
      bool ok = WriteSitemapXml(diags, key.value());
      if (ok) memo_->Record("sitemap.xml", key.value(), /*kept=*/false, /*page=*/false);
      return ok;
    }
    return WriteSitemapXml(diags);
  }

  bool WriteSitemapXml(Diagnostics* diags, uint64_t key = 0) {
    std::sort(sitemap_.begin(), sitemap_.end(),
              [](const SitemapEntry& a, const SitemapEntry& b) { return a.path < b.path; });
    std::string xml;
    xml.reserve(sitemap_.size() * (cat_.site.base_url.size() + 64) + 256);
    xml +=
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (const SitemapEntry& e : sitemap_) {
      // XML needs the same five escapes as HTML.
      xml += "  <url><loc>" + HtmlEscape(cat_.site.base_url + e.path) + "</loc>";
      if (e.lastmod) xml += "<lastmod>" + e.lastmod->ToIso() + "</lastmod>";
      xml += "</url>\n";
    }
    xml += "</urlset>\n";
    return writer_->Write("sitemap.xml", xml, diags, key);
  }

  const Catalogue& cat_;
  SiteWriter* writer_;
  BodyTexts* texts_;  // may be null
  std::vector<std::string>* bodies_;  // may be null: then Service::body
  std::shared_ptr<const Theme> theme_;
  AssetMap assets_;
  mu::data common_;
  std::vector<const Service*> published_;  // by slug
  std::vector<const Service*> by_name_;
  std::unordered_map<std::string, std::vector<const Service*>> by_category_, by_area_, by_tier_;
  std::vector<const Service*> everyone_;  // areas = ["all"]
  // Per published service: the keys of its card and item, and the card's
  // data once a page needs it (CardData).
  struct Card {
    uint64_t key = 0;
    uint64_t item_key = 0;
    std::once_flag built;
    mu::data data;
  };
  // By index into cat_.services (looked up for every card of every list:
  // a map by slug spent its time comparing strings).
  mutable std::vector<Card> cards_;
  Card& CardOf(const Service& s) const { return cards_[&s - cat_.services.data()]; }
  RenderMemo* memo_;  // may be null
  uint64_t global_key_ = 0;
  std::unordered_map<std::string, uint64_t> page_keys_;  // by page template
  uint64_t counts_key_ = 0;
  std::mutex sitemap_mutex_;  // guards sitemap_: pages are rendered on several threads
  std::vector<SitemapEntry> sitemap_;
};

}  // namespace

void RenderMemo::Begin() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++build_;  // what an earlier, discarded build recorded is now stale
  rendered_ = kept_ = 0;
}

bool RenderMemo::CardKeys(const std::string& slug, uint64_t source_hash, uint64_t taxonomy_hash,
                          uint64_t* card_key, uint64_t* item_key) const {
  auto it = cards_.find(slug);
  if (it == cards_.end() || !it->second.has || it->second.value.source_hash != source_hash ||
      it->second.value.taxonomy_hash != taxonomy_hash) {
    return false;
  }
  *card_key = it->second.value.card;
  *item_key = it->second.value.item;
  return true;
}

void RenderMemo::RecordCardKeys(const std::string& slug, uint64_t source_hash,
                                uint64_t taxonomy_hash, uint64_t card_key, uint64_t item_key) {
  Versions<CardKey>& v = cards_[slug];
  v.next = CardKey{source_hash, taxonomy_hash, card_key, item_key};
  v.build = build_;
  v.carried = false;
}

template <typename T>
void RenderMemo::Promote(std::unordered_map<std::string, Versions<T>>* map) {
  // What this build recorded becomes the value; what it did not is gone.
  // One pass: ~30,000 scattered nodes at 10,000 entries.
  for (auto it = map->begin(); it != map->end();) {
    Versions<T>& v = it->second;
    if (v.build != build_) {
      it = map->erase(it);
      continue;
    }
    if (!v.carried) v.value = std::move(v.next);
    v.next = T{};
    v.carried = false;
    v.has = true;
    ++it;
  }
}

void RenderMemo::Commit() {
  open_data.Commit();
  std::lock_guard<std::mutex> lock(mutex_);
  Promote(&cards_);
  Promote(&keys_);
  Promote(&texts_);
  ++build_;  // nothing is recorded under this number again
}

void RenderMemo::Discard() {
  open_data.Discard();
  std::lock_guard<std::mutex> lock(mutex_);
  ++build_;  // the records of the failed build are never promoted
  rendered_ = kept_ = 0;
}

bool RenderMemo::Matches(const std::string& rel, uint64_t key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = keys_.find(rel);
  return it != keys_.end() && it->second.has && it->second.value == key;
}

void RenderMemo::Record(const std::string& rel, uint64_t key, bool kept, bool page) {
  std::lock_guard<std::mutex> lock(mutex_);
  Versions<uint64_t>& v = keys_[rel];
  v.next = key;
  v.build = build_;
  v.carried = false;
  if (page) ++(kept ? kept_ : rendered_);
}

bool RenderMemo::CanKeepService(const std::string& rel, uint64_t key, const std::string& slug,
                                uint64_t source_hash, bool* has_text) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto page = keys_.find(rel);
  if (page == keys_.end() || !page->second.has || page->second.value != key) return false;
  auto text = texts_.find(slug);
  *has_text =
      text != texts_.end() && text->second.has && text->second.value.source_hash == source_hash;
  return true;
}

void RenderMemo::Seed(const PageKeys& keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [rel, key] : keys) {
    Versions<uint64_t>& v = keys_[rel];
    if (v.has) continue;
    v.has = true;
    v.value = key;
  }
}

void RenderMemo::KeepService(const std::string& rel, uint64_t key, const std::string& slug,
                             std::string* copy) {
  std::lock_guard<std::mutex> lock(mutex_);
  Versions<uint64_t>& page = keys_[rel];
  page.next = key;
  page.build = build_;
  page.carried = false;
  ++kept_;
  auto it = texts_.find(slug);
  if (it == texts_.end()) return;
  Versions<BodyText>& text = it->second;
  // Not moved into `next`: a failed build must leave the committed text.
  text.carried = true;
  text.build = build_;
  if (copy != nullptr) *copy = text.value.text;
}

bool RenderMemo::Text(const std::string& slug, uint64_t source_hash, std::string* text) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = texts_.find(slug);
  if (it == texts_.end() || !it->second.has || it->second.value.source_hash != source_hash)
    return false;
  *text = it->second.value.text;
  return true;
}

void RenderMemo::RecordText(const std::string& slug, uint64_t source_hash,
                            const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  Versions<BodyText>& v = texts_[slug];
  v.next = BodyText{source_hash, text};
  v.build = build_;
  v.carried = false;
}

bool RenderSite(const Catalogue& catalogue, const std::string& templates_dir, SiteWriter* writer,
                Diagnostics* diags, BodyTexts* texts, RenderMemo* memo,
                std::vector<std::string>* bodies) {
  if (memo != nullptr) memo->Begin();
  SiteRenderer renderer(catalogue, writer, texts, memo, bodies);
  return renderer.Run(templates_dir, diags);
}

}  // namespace signpost
