#include "render.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "markdown.h"
#include "sample_catalogue.h"
#include "site_writer.h"

namespace signpost {

namespace fs = std::filesystem;

namespace {

const std::string kTemplates = std::string(SIGNPOST_SOURCE_DIR) + "/templates";
const std::string kGoldenDir = std::string(SIGNPOST_SOURCE_DIR) + "/tests/fixtures/render";

struct TempDir {
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "signpost-render-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Runs render the way `signpost build` does: staging folder, then swap.
bool Build(const Catalogue& catalogue, const std::string& templates, const std::string& out,
           Diagnostics* diags) {
  SiteWriter writer(out);
  return writer.Begin(diags) && RenderSite(catalogue, templates, &writer, diags) &&
         writer.Commit(diags);
}

std::map<std::string, std::string> ReadTree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), root).generic_string()] = ReadFile(entry.path());
    }
  }
  return files;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string DiagText(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.items()) {
    out += d.path + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           d.message + "\n";
  }
  return out;
}

// Golden files: set SIGNPOST_UPDATE_GOLDEN=1 to rewrite them from the output.
void CheckGolden(const std::string& actual, const std::string& name) {
  fs::path golden = fs::path(kGoldenDir) / name;
  if (std::getenv("SIGNPOST_UPDATE_GOLDEN") != nullptr) {
    WriteFile(golden, actual);
    BOOST_TEST_MESSAGE("rewrote " << golden);
    return;
  }
  BOOST_REQUIRE_MESSAGE(fs::exists(golden), golden.string() << " is missing; run the tests with "
                                                               "SIGNPOST_UPDATE_GOLDEN=1");
  std::string expected = ReadFile(golden);
  BOOST_TEST(actual == expected, name << " differs from its golden file; if the change is "
                                         "intended, rerun with SIGNPOST_UPDATE_GOLDEN=1");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(render_test)

BOOST_AUTO_TEST_CASE(sample_site_has_every_page) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE_MESSAGE(Build(testing::SampleCatalogue(), kTemplates, out, &diags),
                        DiagText(diags));
  for (const char* page :
       {"index.html", "404.html", "search/index.html", "accessibility/index.html", "a-z/index.html",
        "pathway/index.html", "categories/index.html", "areas/index.html",
        "categories/talking-therapies/index.html", "areas/north/index.html",
        "tiers/crisis/index.html", "services/talking-therapies/index.html",
        "services/night-line/index.html", "sitemap.xml", "robots.txt", "data/services.json"}) {
    BOOST_TEST(fs::exists(fs::path(out) / page), page);
  }
}

// The search index takes each body's text from the renderer's parse.
BOOST_AUTO_TEST_CASE(body_texts_come_from_the_same_parse_as_the_pages) {
  TempDir tmp;
  Diagnostics diags;
  const Catalogue& catalogue = testing::SampleCatalogue();
  BodyTexts texts(catalogue.services.size());
  SiteWriter writer(tmp.path + "/site");
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_REQUIRE(RenderSite(catalogue, kTemplates, &writer, &diags, &texts));
  texts.Close();
  size_t with_words = 0;
  for (size_t i = 0; i < catalogue.services.size(); ++i) {
    const Service& s = catalogue.services[i];
    std::string expected = s.IsPublished() ? RenderMarkdown(s.body).text : "";
    with_words += !expected.empty();
    BOOST_TEST(texts.Take(i) == expected, s.slug);
  }
  BOOST_TEST(with_words > 1u);
}

BOOST_AUTO_TEST_CASE(closed_services_are_published_nowhere) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  BOOST_TEST(!fs::exists(out + "/services/old-service"));
  for (const auto& [path, bytes] : ReadTree(out)) {
    BOOST_TEST(bytes.find("old-service") == std::string::npos, path);
    BOOST_TEST(bytes.find("Old Closed Service") == std::string::npos, path);
  }
}

BOOST_AUTO_TEST_CASE(service_page_matches_golden_file) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  CheckGolden(ReadFile(out + "/services/talking-therapies/index.html"),
              "service-talking-therapies.html");
  CheckGolden(ReadFile(out + "/services/night-line/index.html"), "service-night-line.html");
  CheckGolden(ReadFile(out + "/sitemap.xml"), "sitemap.xml");
}

BOOST_AUTO_TEST_CASE(service_page_puts_gp_facts_first) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  std::string html = ReadFile(out + "/services/talking-therapies/index.html");
  size_t refer = html.find("Who can refer");
  size_t body = html.find("A practitioner calls you");
  BOOST_TEST(refer != std::string::npos);
  BOOST_TEST(refer < body);
  BOOST_TEST(html.find("You can refer yourself") != std::string::npos);
  BOOST_TEST(html.find("href=\"tel:+442079460104\"") != std::string::npos);
  BOOST_TEST(html.find("href=\"sms:+447700900123\"") != std::string::npos);
  BOOST_TEST(html.find("href=\"mailto:talk@example.org\"") != std::string::npos);
  BOOST_TEST(html.find("Monday to Friday, 9am to 5pm") != std::string::npos);
  BOOST_TEST(html.find("18 and over") != std::string::npos);
  BOOST_TEST(html.find("Page last reviewed: <time datetime=\"2026-09-14\">14 September 2026") !=
             std::string::npos);
  // next review = last_reviewed + warn_after_days (365)
  BOOST_TEST(html.find("14 September 2027") != std::string::npos);
  BOOST_TEST(html.find("https://github.com/example/directory/edit/main/content/services/"
                       "talking-therapies.md") != std::string::npos);
  BOOST_TEST(html.find("/issues/new?template=report-wrong-listing.yml&amp;title=") !=
             std::string::npos);
  // The body's "# What happens" is demoted below the page's only h1.
  BOOST_TEST(html.find("<h2>What happens</h2>") != std::string::npos);
  size_t h1 = html.find("<h1");
  BOOST_TEST(html.find("<h1", h1 + 1) == std::string::npos);
  // Related: the closed service is left out, the open one is linked.
  BOOST_TEST(html.find("href=\"../../services/debt-advice/\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_page_has_crisis_block_csp_and_relative_links) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  for (const auto& [path, html] : ReadTree(out)) {
    if (path.size() < 5 || path.substr(path.size() - 5) != ".html") continue;
    BOOST_TEST(html.find("http-equiv=\"Content-Security-Policy\"") != std::string::npos, path);
    BOOST_TEST(html.find("href=\"tel:116123\"") != std::string::npos, path);
    BOOST_TEST(html.find("href=\"sms:85258\"") != std::string::npos, path);
    BOOST_TEST(html.find("<script>") == std::string::npos, path);
    BOOST_TEST(html.find(" style=") == std::string::npos, path);
    BOOST_TEST((html.find("href=\"/") == std::string::npos || path == "404.html"), path);
  }
}

BOOST_AUTO_TEST_CASE(area_pages_list_borough_wide_services_separately) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  std::string html = ReadFile(out + "/areas/north/index.html");
  size_t everyone = html.find("Services for everyone in the borough");
  BOOST_REQUIRE(everyone != std::string::npos);
  BOOST_TEST(html.find("Debt Advice Centre") < everyone);
  BOOST_TEST(html.find("Example Talking Therapies", everyone) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pathway_marks_every_gap) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  std::string html = ReadFile(out + "/pathway/index.html");
  // 3 categories x 3 tiers, 3 cells filled.
  size_t gaps = 0;
  for (size_t p = html.find("No service listed"); p != std::string::npos;
       p = html.find("No service listed", p + 1)) {
    ++gaps;
  }
  BOOST_TEST(gaps == 6u);
  BOOST_TEST(html.find("<table") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(temporarily_closed_service_has_banner_with_reopening_date) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  std::string html = ReadFile(out + "/services/night-line/index.html");
  BOOST_TEST(html.find("This service is temporarily closed") != std::string::npos);
  BOOST_TEST(html.find("1 March 2027") != std::string::npos);
  BOOST_TEST(html.find("Every day, 8pm to 8am (overnight)") != std::string::npos);
  // The card on the category page says so too.
  std::string cat = ReadFile(out + "/categories/crisis-support/index.html");
  BOOST_TEST(cat.find("Temporarily closed") != std::string::npos);
  // ...but the open service's card does not.
  std::string tt = ReadFile(out + "/categories/talking-therapies/index.html");
  BOOST_TEST(tt.find("Temporarily closed") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sitemap_and_robots_use_absolute_urls) {
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  std::string sitemap = ReadFile(out + "/sitemap.xml");
  BOOST_TEST(sitemap.find("<loc>https://directory.example.org/services/talking-therapies/</loc>"
                          "<lastmod>2026-09-14</lastmod>") != std::string::npos);
  std::string robots = ReadFile(out + "/robots.txt");
  BOOST_TEST(robots.find("Sitemap: https://directory.example.org/sitemap.xml") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_fields_never_reach_the_html_as_markup) {
  Catalogue c = testing::SampleCatalogue();
  c.services.push_back(testing::HostileService());
  c.services[0].related.push_back("hostile");
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  TempDir tmp;
  Diagnostics diags;
  std::string out = tmp.path + "/site";
  BOOST_REQUIRE_MESSAGE(Build(c, kTemplates, out, &diags), DiagText(diags));
  std::string page = ReadFile(out + "/services/hostile/index.html");
  if (std::getenv("SIGNPOST_DUMP_HOSTILE")) std::printf("%s", page.c_str());
  // Mustache in a field prints literally (escaped), never re-expanded.
  BOOST_TEST(page.find("{{site.title}}") != std::string::npos);
  BOOST_TEST(page.find("{{{assets}}}") != std::string::npos);
  BOOST_TEST(page.find("&quot;&gt;&lt;script&gt;alert(1)") != std::string::npos);
  for (const auto& [path, bytes] : ReadTree(out)) {
    if (path.find(".html") == std::string::npos) continue;
    std::string lower = Lower(bytes);
    // Every link target is a safe scheme or relative.
    static const std::regex kAttr(R"re((href|src|action)\s*=\s*"([^"]*)")re");
    for (auto it = std::sregex_iterator(lower.begin(), lower.end(), kAttr);
         it != std::sregex_iterator(); ++it) {
      std::string url = (*it)[2].str();
      BOOST_TEST((IsSafeUrl(url) || url == "data:,"), path << ": " << url);  // empty favicon
      BOOST_TEST(url.find("&#") == std::string::npos, path << ": " << url);
    }
    for (const char* bad :
         {"<script>alert", "=\"javascript:", "<img", "<svg onload", "<iframe", "<b>",
          "onmouseover=\"", "data:text/html", "<u>", "<i>", "&#58;alert"}) {
      BOOST_TEST(lower.find(bad) == std::string::npos, path << " contains " << bad);
    }
    // Only the theme's module scripts, nothing from content.
    size_t scripts = 0;
    for (size_t p = lower.find("<script"); p != std::string::npos;
         p = lower.find("<script", p + 1)) {
      ++scripts;
    }
    BOOST_TEST(scripts <= 3u, path);
  }
}

// ---- RenderMemo: incremental builds (signpost serve) ----------------------

// Stands in for the loader's hash of an entry's bytes.
void Rehash(Service* s) {
  s->source_hash = std::hash<std::string>()(s->name + "\x1f" + s->summary + "\x1f" + s->body +
                                            "\x1f" + s->organisation);
}

Catalogue MemoCatalogue() {
  Catalogue c = testing::SampleCatalogue();
  for (int i = 0; i < 120; ++i) {  // enough for both render threads
    char slug[32];
    std::snprintf(slug, sizeof slug, "memo-%03d", i);
    c.services.push_back(testing::SampleService(slug, std::string("Memo ") + slug));
  }
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  for (Service& s : c.services) Rehash(&s);
  return c;
}

struct MemoBuild {
  bool ok = false;
  size_t rendered = 0, kept = 0, changed = 0;
};

// One build into `out` updating in place, with the memo, as serve does.
MemoBuild BuildWithMemo(const Catalogue& c, const std::string& templates, const std::string& out,
                        RenderMemo* memo) {
  Diagnostics diags;
  SiteWriter writer(out);
  writer.set_background_delete(false);
  MemoBuild result;
  if (!writer.Begin(&diags)) return result;
  BodyTexts texts(c.services.size());
  bool rendered = RenderSite(c, templates, &writer, &diags, &texts, memo);
  texts.Close();
  result.ok = rendered && writer.Commit(&diags) && !diags.HasErrors();
  if (result.ok) {
    memo->Commit();
  } else {
    memo->Discard();
  }
  result.rendered = memo->rendered();
  result.kept = memo->kept();
  result.changed = writer.files_changed();
  return result;
}

// Every incremental build must give exactly the site a clean build gives,
// the manifest's page keys included (a clean `signpost build` records them
// through a memo of its own).
void ExpectSameAsClean(const Catalogue& c, const std::string& templates, const std::string& out) {
  TempDir clean;
  Diagnostics diags;
  SiteWriter writer(clean.path + "/site");
  RenderMemo one_build(/*persistent=*/false);
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_REQUIRE(RenderSite(c, templates, &writer, &diags, nullptr, &one_build));
  BOOST_REQUIRE(writer.Commit(&diags));
  BOOST_TEST((ReadTree(out) == ReadTree(clean.path + "/site")));
}

BOOST_AUTO_TEST_CASE(memo_keeps_pages_whose_inputs_are_unchanged) {
  TempDir tmp;
  std::string out = tmp.path + "/site";
  Catalogue c = MemoCatalogue();
  RenderMemo memo;
  MemoBuild first = BuildWithMemo(c, kTemplates, out, &memo);
  BOOST_REQUIRE(first.ok);
  BOOST_TEST(first.kept == 0u);
  size_t memoised = first.rendered;
  BOOST_TEST(memoised > c.services.size());  // service, list, A-Z and pathway pages

  MemoBuild again = BuildWithMemo(c, kTemplates, out, &memo);
  BOOST_REQUIRE(again.ok);
  BOOST_TEST(again.rendered == 0u);
  BOOST_TEST(again.kept == memoised);
  BOOST_TEST(again.changed == 0u);
  ExpectSameAsClean(c, kTemplates, out);

  // A body edit: only that service's page is rendered again.
  Service* edited = nullptr;
  for (Service& s : c.services) {
    if (s.slug == "memo-050") edited = &s;
  }
  BOOST_REQUIRE(edited != nullptr);
  edited->body += "\n\nA new sentence about **opening hours**.\n";
  Rehash(edited);
  MemoBuild body = BuildWithMemo(c, kTemplates, out, &memo);
  BOOST_REQUIRE(body.ok);
  BOOST_TEST(body.rendered == 1u);
  BOOST_TEST(body.changed == 1u);
  ExpectSameAsClean(c, kTemplates, out);

  // A name edit changes the card: every list showing it, A-Z, the pathway
  // and pages that show it as a related service are rendered again.
  edited->name = "Renamed memo service";
  Rehash(edited);
  MemoBuild name = BuildWithMemo(c, kTemplates, out, &memo);
  BOOST_REQUIRE(name.ok);
  BOOST_TEST(name.rendered > 3u);
  BOOST_TEST(name.rendered < memoised / 2);
  ExpectSameAsClean(c, kTemplates, out);

  // A removed service: its page goes, the lists change.
  c.services.erase(std::remove_if(c.services.begin(), c.services.end(),
                                  [](const Service& s) { return s.slug == "memo-010"; }),
                   c.services.end());
  BOOST_REQUIRE(BuildWithMemo(c, kTemplates, out, &memo).ok);
  BOOST_TEST(!fs::exists(out + "/services/memo-010"));
  ExpectSameAsClean(c, kTemplates, out);
}

// A copy of the repository's templates in `tmp` (to edit), with
// nhsuk-frontend where the theme looks for it, beside the templates folder.
std::string CopyOfTemplates(const TempDir& tmp) {
  std::string templates = tmp.path + "/templates";
  fs::copy(kTemplates, templates, fs::copy_options::recursive);
  fs::create_directory_symlink(std::string(SIGNPOST_SOURCE_DIR) + "/node_modules",
                               tmp.path + "/node_modules");
  return templates;
}

BOOST_AUTO_TEST_CASE(memo_renders_everything_again_after_a_template_edit) {
  TempDir tmp;
  std::string templates = CopyOfTemplates(tmp);
  std::string out = tmp.path + "/site";
  Catalogue c = MemoCatalogue();
  RenderMemo memo;
  MemoBuild first = BuildWithMemo(c, templates, out, &memo);
  BOOST_REQUIRE(first.ok);
  std::string footer = ReadFile(templates + "/partials/footer.mustache");
  WriteFile(templates + "/partials/footer.mustache", footer + "<p>Changed footer</p>\n");
  const size_t parts = memo.open_data.parts();
  BOOST_TEST(parts > 0u);
  MemoBuild edited = BuildWithMemo(c, templates, out, &memo);
  BOOST_REQUIRE(edited.ok);
  // data/services.json does not depend on the templates: kept, and the
  // open-data parts stay remembered for the next entry edit.
  BOOST_TEST(memo.open_data.parts() == parts);
  BOOST_TEST(edited.kept == 0u);
  BOOST_TEST(edited.rendered == first.rendered);
  ExpectSameAsClean(c, templates, out);
  BOOST_TEST(ReadFile(out + "/services/memo-001/index.html").find("Changed footer") !=
             std::string::npos);
}

// A persistent memo keeps the compiled theme and keeps its asset files while
// nothing the theme is made from changes; an edit to any template or asset
// loads it again.
BOOST_AUTO_TEST_CASE(memo_keeps_the_compiled_theme_while_its_files_are_unchanged) {
  TempDir tmp;
  std::string templates = CopyOfTemplates(tmp);
  std::string out = tmp.path + "/site";
  Catalogue c = MemoCatalogue();
  RenderMemo memo;
  BOOST_REQUIRE(BuildWithMemo(c, templates, out, &memo).ok);
  const Theme* first = memo.theme.theme.get();
  BOOST_REQUIRE(first != nullptr);
  BOOST_TEST(memo.theme.files.size() > 4u);  // theme CSS and JS, nhsuk-frontend's, images
  BOOST_TEST(memo.theme.assets.count("nhsuk_css") == 1u);

  BOOST_REQUIRE(BuildWithMemo(c, templates, out, &memo).ok);
  BOOST_TEST(memo.theme.theme.get() == first);  // neither read nor compiled again

  // An asset deleted from the site by hand is written again (the theme stays).
  std::string css = out + "/" + memo.theme.assets.at("nhsuk_css");
  fs::remove(css);
  BOOST_REQUIRE(BuildWithMemo(c, templates, out, &memo).ok);
  BOOST_TEST(fs::exists(css));
  ExpectSameAsClean(c, templates, out);

  // An edited asset: loaded again, under its new hashed name.
  std::string site_css = ReadFile(templates + "/assets/site.css");
  WriteFile(templates + "/assets/site.css", site_css + "\n/* edited */\n");
  std::string old_name = memo.theme.assets.at("site_css");
  BOOST_REQUIRE(BuildWithMemo(c, templates, out, &memo).ok);
  BOOST_TEST(memo.theme.theme.get() != first);
  BOOST_TEST(memo.theme.assets.at("site_css") != old_name);
  BOOST_TEST(!fs::exists(out + "/" + old_name));
  ExpectSameAsClean(c, templates, out);

  // A non-persistent memo (one `signpost build`) keeps no theme.
  RenderMemo one_build(/*persistent=*/false);
  BOOST_REQUIRE(BuildWithMemo(c, templates, out, &one_build).ok);
  BOOST_TEST(one_build.theme.theme == nullptr);
}

BOOST_AUTO_TEST_CASE(memo_still_hands_every_body_text_to_the_index) {
  TempDir tmp;
  Catalogue c = MemoCatalogue();
  RenderMemo memo;
  BOOST_REQUIRE(BuildWithMemo(c, kTemplates, tmp.path + "/site", &memo).ok);
  Diagnostics diags;
  SiteWriter writer(tmp.path + "/site");
  writer.set_background_delete(false);
  BOOST_REQUIRE(writer.Begin(&diags));
  BodyTexts texts(c.services.size());
  BOOST_REQUIRE(RenderSite(c, kTemplates, &writer, &diags, &texts, &memo));
  texts.Close();
  BOOST_TEST(memo.rendered() == 0u);
  for (size_t i = 0; i < c.services.size(); ++i) {
    const Service& s = c.services[i];
    BOOST_TEST(texts.Take(i) == (s.IsPublished() ? RenderMarkdown(s.body).text : ""), s.slug);
  }
}

// A build that fails after keeping pages (its commit never happens) must
// leave the memo as the last committed build left it: the texts it carried
// are still there for the next build's index, and nothing it recorded counts.
BOOST_AUTO_TEST_CASE(memo_keeps_committed_texts_after_a_discarded_build) {
  TempDir tmp;
  Catalogue c = MemoCatalogue();
  RenderMemo memo;
  BOOST_REQUIRE(BuildWithMemo(c, kTemplates, tmp.path + "/site", &memo).ok);
  auto render_into_texts = [&](BodyTexts* texts) {
    Diagnostics diags;
    SiteWriter writer(tmp.path + "/site");
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(RenderSite(c, kTemplates, &writer, &diags, texts, &memo));
  };
  {
    BodyTexts texts(c.services.size());
    render_into_texts(&texts);  // every page kept, texts carried...
    BOOST_TEST(memo.kept() > 0u);
    memo.Discard();  // ...then the build fails before its commit
  }
  BodyTexts texts(c.services.size());
  render_into_texts(&texts);
  texts.Close();
  BOOST_TEST(memo.rendered() == 0u);
  for (size_t i = 0; i < c.services.size(); ++i) {
    const Service& s = c.services[i];
    BOOST_TEST(texts.Take(i) == (s.IsPublished() ? RenderMarkdown(s.body).text : ""), s.slug);
  }
  std::string text;
  BOOST_TEST(memo.Text(c.services[0].slug, c.services[0].source_hash, &text));
  BOOST_TEST(text == RenderMarkdown(c.services[0].body).text);
}

BOOST_AUTO_TEST_CASE(builds_are_byte_identical) {
  TempDir tmp;
  Diagnostics d1, d2;
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, tmp.path + "/a", &d1));
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, tmp.path + "/b", &d2));
  auto a = ReadTree(tmp.path + "/a");
  auto b = ReadTree(tmp.path + "/b");
  BOOST_TEST(a.size() == b.size());
  BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(many_services_render_on_several_threads_deterministically) {
  Catalogue c = testing::SampleCatalogue();
  for (int i = 0; i < 300; ++i) {
    char slug[32];
    std::snprintf(slug, sizeof slug, "generated-%03d", i);
    c.services.push_back(testing::SampleService(slug, std::string("Generated ") + slug));
  }
  std::sort(c.services.begin(), c.services.end(),
            [](const Service& a, const Service& b) { return a.slug < b.slug; });
  TempDir tmp;
  Diagnostics d1, d2;
  BOOST_REQUIRE(Build(c, kTemplates, tmp.path + "/a", &d1));
  BOOST_REQUIRE(Build(c, kTemplates, tmp.path + "/b", &d2));
  BOOST_TEST(fs::exists(tmp.path + "/a/services/generated-299/index.html"));
  BOOST_TEST((ReadTree(tmp.path + "/a") == ReadTree(tmp.path + "/b")));
}

BOOST_AUTO_TEST_CASE(broken_template_names_file_and_line_and_keeps_old_site) {
  TempDir tmp;
  std::string out = tmp.path + "/site";
  Diagnostics good;
  BOOST_REQUIRE(Build(testing::SampleCatalogue(), kTemplates, out, &good));
  auto before = ReadTree(out);

  std::string theme = tmp.path + "/templates";
  fs::copy(kTemplates, theme, fs::copy_options::recursive);
  WriteFile(theme + "/pages/service.mustache", "<h1>{{name}}</h1>\n<p>\n    {{#hours}}\n");
  Diagnostics diags;
  BOOST_TEST(!Build(testing::SampleCatalogue(), theme, out, &diags));
  BOOST_REQUIRE(!diags.items().empty());
  const Diagnostic& d = diags.items().front();
  BOOST_TEST(d.path == theme + "/pages/service.mustache");
  BOOST_TEST(d.line == 3);
  BOOST_TEST(d.column == 5);
  BOOST_TEST(d.message == "unclosed section `hours`");
  BOOST_TEST((ReadTree(out) == before));
  // No staging folder is left behind.
  for (const auto& entry : fs::directory_iterator(tmp.path)) {
    BOOST_TEST(entry.path().filename().string().find("staging") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(broken_partial_names_the_partial) {
  TempDir tmp;
  std::string theme = tmp.path + "/templates";
  fs::copy(kTemplates, theme, fs::copy_options::recursive);
  WriteFile(theme + "/partials/footer.mustache", "<footer>\n{{/links}}\n</footer>\n");
  Diagnostics diags;
  BOOST_TEST(!Build(testing::SampleCatalogue(), theme, tmp.path + "/site", &diags));
  BOOST_REQUIRE(!diags.items().empty());
  BOOST_TEST(diags.items().front().path == theme + "/partials/footer.mustache");
  BOOST_TEST(diags.items().front().line == 2);
  BOOST_TEST(diags.items().front().message == "unopened section `links`");
}

BOOST_AUTO_TEST_CASE(missing_template_partial_or_asset_is_a_clear_error) {
  struct Case {
    const char* remove;
    const char* expect_path;
  };
  for (const Case& c :
       {Case{"pages/a-z.mustache", "pages/a-z.mustache"},
        Case{"layouts/base.mustache", "layouts/base.mustache"},
        Case{"partials/crisis.mustache", "layouts/base.mustache"}, Case{"assets", "assets"}}) {
    TempDir tmp;
    std::string theme = tmp.path + "/templates";
    fs::copy(kTemplates, theme, fs::copy_options::recursive);
    fs::remove_all(fs::path(theme) / c.remove);
    Diagnostics diags;
    BOOST_TEST(!Build(testing::SampleCatalogue(), theme, tmp.path + "/site", &diags), c.remove);
    BOOST_REQUIRE(!diags.items().empty());
    BOOST_TEST(diags.items().front().path.find(c.expect_path) != std::string::npos,
               c.remove << ": " << DiagText(diags));
    BOOST_TEST(!fs::exists(tmp.path + "/site"));
  }
}

BOOST_AUTO_TEST_CASE(unwritable_output_is_an_error_with_the_path) {
  TempDir tmp;
  WriteFile(tmp.path + "/not-a-folder", "x");
  std::string out = tmp.path + "/not-a-folder/site";
  Diagnostics diags;
  BOOST_TEST(!Build(testing::SampleCatalogue(), kTemplates, out, &diags));
  BOOST_REQUIRE(!diags.items().empty());
  BOOST_TEST(DiagText(diags).find(tmp.path + "/not-a-folder") != std::string::npos,
             DiagText(diags));
}

BOOST_AUTO_TEST_CASE(too_complex_body_is_a_diagnostic_on_the_entry) {
  Catalogue c = testing::SampleCatalogue();
  Service& s = c.services[0];
  std::string table = "| a |" + std::string();
  std::string header = "|";
  std::string sep = "|";
  for (int i = 0; i < 300; ++i) {
    header += " h |";
    sep += " - |";
  }
  std::string body = "Intro\n\n" + header + "\n" + sep + "\n";
  for (int i = 0; i < 300; ++i) body += "| x\n";
  s.body = body;
  s.body_line = 20;
  TempDir tmp;
  Diagnostics diags;
  BOOST_TEST(!Build(c, kTemplates, tmp.path + "/site", &diags));
  BOOST_REQUIRE(!diags.items().empty());
  const Diagnostic& d = diags.items().front();
  BOOST_TEST(d.path == s.path);
  BOOST_TEST(d.line == 22);  // the table starts on body line 3
  BOOST_TEST(d.message.find("too complex to render") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_found_page_links_from_the_base_path) {
  Catalogue c = testing::SampleCatalogue();
  c.site.base_url = "https://example.org/directory/";
  TempDir tmp;
  Diagnostics diags;
  BOOST_REQUIRE(Build(c, kTemplates, tmp.path + "/site", &diags));
  std::string html = ReadFile(tmp.path + "/site/404.html");
  BOOST_TEST(html.find("href=\"/directory/search/\"") != std::string::npos);
  BOOST_TEST(html.find("href=\"/directory/assets/") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
