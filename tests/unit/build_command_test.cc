// The whole pipeline in-process (BuildSite) over a copy of the sample
// content: rebuilding after an edit updates the site in place, gives exactly
// what a clean build gives, and a failed rebuild changes nothing.
#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>

#include "commands.h"
#include "content_fixture.h"

namespace fs = std::filesystem;

namespace signpost {
namespace {

// Every file under `root` with its bytes.
std::map<std::string, std::string> ReadTree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), root).generic_string()] =
          testing::ReadFile(entry.path().string());
    }
  }
  return files;
}

// A copy of the repository's sample content and templates in a temporary
// folder, with "today" pinned so review dates never drift into errors.
struct SampleSite {
  testing::TempDir tmp;
  BuildOptions options;

  SampleSite() {
    ::setenv("SIGNPOST_TODAY", "2026-11-23", 1);
    fs::copy(std::string(SIGNPOST_SOURCE_DIR) + "/content", tmp.path() + "/content",
             fs::copy_options::recursive);
    options.content_dir = tmp.path() + "/content";
    options.templates_dir = std::string(SIGNPOST_SOURCE_DIR) + "/templates";
    options.out_dir = tmp.path() + "/site";
    options.quiet = true;
  }
  ~SampleSite() { ::unsetenv("SIGNPOST_TODAY"); }

  std::string Entry(const std::string& slug) const {
    return options.content_dir + "/services/" + slug + ".md";
  }
  // A slug no other entry names (in `related` or `not_duplicate_of`), so
  // deleting it leaves valid content.
  std::string UnreferencedSlug() const {
    std::map<std::string, std::string> texts;
    for (const auto& e : fs::directory_iterator(options.content_dir + "/services")) {
      texts[e.path().stem().string()] = testing::ReadFile(e.path().string());
    }
    for (const auto& [slug, unused] : texts) {
      bool named = false;
      for (const auto& [other, text] : texts) {
        named = named || (other != slug && text.find('"' + slug + '"') != std::string::npos);
      }
      if (!named) return slug;
    }
    return "";
  }
  // How many entries there are.
  size_t Count() const {
    fs::directory_iterator entries(options.content_dir + "/services");
    return static_cast<size_t>(std::distance(begin(entries), end(entries)));
  }
  // The first entry's slug (sorted), to edit.
  std::string FirstSlug() const {
    std::string first;
    for (const auto& e : fs::directory_iterator(options.content_dir + "/services")) {
      std::string slug = e.path().stem().string();
      if (first.empty() || slug < first) first = slug;
    }
    return first;
  }
};

BOOST_AUTO_TEST_SUITE(build_command_test)

BOOST_AUTO_TEST_CASE(editing_one_entry_updates_in_place_and_equals_a_clean_build) {
  SampleSite site;
  BuildResult first = BuildSite(site.options);
  BOOST_REQUIRE(first.exit_code == kExitOk);
  BOOST_TEST(!first.updated_in_place);
  BOOST_TEST(first.files_changed == first.files);

  std::string slug = site.FirstSlug();
  std::ofstream(site.Entry(slug), std::ios::app) << "\nA sentence added by an editor.\n";
  BuildResult second = BuildSite(site.options);
  BOOST_REQUIRE(second.exit_code == kExitOk);
  BOOST_TEST(second.updated_in_place);
  BOOST_TEST(!second.search_index_kept);  // the entry's words changed
  BOOST_TEST(second.files_changed > 0u);
  // The entry's page, the search files and data; not the other services' pages.
  BOOST_TEST(second.files_changed < second.files / 2);
  BOOST_TEST(testing::ReadFile(site.options.out_dir + "/services/" + slug + "/index.html")
                 .find("A sentence added by an editor.") != std::string::npos);

  BuildOptions clean = site.options;
  clean.out_dir = site.tmp.path() + "/clean";
  clean.clean = true;
  BOOST_REQUIRE(BuildSite(clean).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(clean.out_dir)));
}

BOOST_AUTO_TEST_CASE(a_build_with_nothing_changed_writes_nothing) {
  SampleSite site;
  BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
  BuildResult again = BuildSite(site.options);
  BOOST_REQUIRE(again.exit_code == kExitOk);
  BOOST_TEST(again.updated_in_place);
  BOOST_TEST(again.files_changed == 0u);
  BOOST_TEST(again.files_deleted == 0u);
  BOOST_TEST(again.search_index_kept);
}

// A copy of the templates to edit, for SampleSite.
void UseOwnTemplates(SampleSite* site) {
  fs::copy(site->options.templates_dir, site->tmp.path() + "/templates",
           fs::copy_options::recursive);
  site->options.templates_dir = site->tmp.path() + "/templates";
  // The theme's compiled CSS and JS are found beside the templates.
  fs::create_directory_symlink(std::string(SIGNPOST_SOURCE_DIR) + "/node_modules",
                               site->tmp.path() + "/node_modules");
}

BuildOptions CleanOptions(const SampleSite& site) {
  BuildOptions clean = site.options;
  clean.out_dir = site.tmp.path() + "/clean";
  clean.clean = true;
  clean.pages_ready = nullptr;
  return clean;
}

// The manifest keeps the key each page was made under, so `signpost build`
// over its own output renders only pages whose inputs changed, and the
// result is still exactly a clean build (search index included: a kept
// page's body text is made again for it).
BOOST_AUTO_TEST_CASE(a_build_over_its_own_output_renders_only_what_changed) {
  SampleSite site;
  BuildResult first = BuildSite(site.options);
  BOOST_REQUIRE(first.exit_code == kExitOk);
  BOOST_TEST(first.pages_kept == 0u);
  const size_t pages = first.pages_rendered;
  BOOST_TEST(pages > site.Count());

  BuildResult again = BuildSite(site.options);
  BOOST_REQUIRE(again.exit_code == kExitOk);
  BOOST_TEST(again.pages_rendered == 0u);
  BOOST_TEST(again.pages_kept == pages);

  std::string slug = site.FirstSlug();
  std::ofstream(site.Entry(slug), std::ios::app) << "\nA sentence about opening times.\n";
  BuildResult edited = BuildSite(site.options);
  BOOST_REQUIRE(edited.exit_code == kExitOk);
  BOOST_TEST(edited.pages_rendered == 1u);  // a body edit: that service's page alone
  BOOST_TEST(!edited.search_index_kept);
  BOOST_REQUIRE(BuildSite(CleanOptions(site)).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(CleanOptions(site).out_dir)));

  // A page whose recorded key is not what its inputs give now is made again.
  std::string marker = site.options.out_dir + "/" + SiteWriter::kMarkerFile;
  std::string manifest = testing::ReadFile(marker);
  std::string page = " services/" + slug + "/index.html\n";
  size_t at = manifest.rfind(page);
  BOOST_REQUIRE(at != std::string::npos);
  manifest[at - 1] = manifest[at - 1] == '0' ? '1' : '0';
  std::ofstream(marker, std::ios::trunc) << manifest;
  BuildResult tampered = BuildSite(site.options);
  BOOST_REQUIRE(tampered.exit_code == kExitOk);
  BOOST_TEST(tampered.pages_rendered == 1u);
  BOOST_TEST(tampered.files_changed == 0u);  // made again, to the same bytes
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(CleanOptions(site).out_dir)));
}

// The search index is made from the entries, site.toml and taxonomy.toml,
// not the templates: after a template edit the pages change and the index
// is kept, and the site still equals a clean build.
BOOST_AUTO_TEST_CASE(a_template_edit_keeps_the_search_index_and_equals_a_clean_build) {
  SampleSite site;
  UseOwnTemplates(&site);
  BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
  std::string index_before = testing::ReadFile(site.options.out_dir + "/data/directory.sqlite3");
  std::ofstream(site.options.templates_dir + "/partials/footer.mustache", std::ios::app)
      << "<p>Footer line added by a theme editor.</p>\n";
  BuildResult edited = BuildSite(site.options);
  BOOST_REQUIRE(edited.exit_code == kExitOk);
  BOOST_TEST(edited.search_index_kept);
  BOOST_TEST(edited.files_changed > 10u);  // every page has the footer
  BOOST_TEST(testing::ReadFile(site.options.out_dir + "/index.html")
                 .find("Footer line added by a theme editor.") != std::string::npos);
  BOOST_TEST(testing::ReadFile(site.options.out_dir + "/data/directory.sqlite3") == index_before);
  BOOST_REQUIRE(BuildSite(CleanOptions(site)).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(CleanOptions(site).out_dir)));
}

// Changing any input of the index makes it again: site.toml, taxonomy.toml.
BOOST_AUTO_TEST_CASE(editing_site_or_taxonomy_makes_the_search_index_again) {
  for (const char* file : {"/site.toml", "/taxonomy.toml"}) {
    SampleSite site;
    BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
    std::ofstream(site.options.content_dir + file, std::ios::app) << "\n# a comment\n";
    BuildResult again = BuildSite(site.options);
    BOOST_REQUIRE(again.exit_code == kExitOk);
    BOOST_TEST(!again.search_index_kept, file);
    BOOST_REQUIRE(BuildSite(CleanOptions(site)).exit_code == kExitOk);
    BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(CleanOptions(site).out_dir)));
  }
}

// An index file deleted or the record of its inputs edited by hand: the
// index is not trusted and is made again, whole.
BOOST_AUTO_TEST_CASE(a_damaged_search_index_is_made_again) {
  SampleSite site;
  BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
  BOOST_REQUIRE(BuildSite(CleanOptions(site)).exit_code == kExitOk);
  auto clean = ReadTree(CleanOptions(site).out_dir);
  std::string shard;
  for (const auto& e : fs::directory_iterator(site.options.out_dir + "/data/search")) {
    if (e.path().filename().string().rfind("c.", 0) == 0) shard = e.path().string();
  }
  BOOST_REQUIRE(!shard.empty());
  fs::remove(shard);
  BuildResult rebuilt = BuildSite(site.options);
  BOOST_REQUIRE(rebuilt.exit_code == kExitOk);
  BOOST_TEST(!rebuilt.search_index_kept);
  BOOST_TEST((ReadTree(site.options.out_dir) == clean));

  std::ofstream(site.options.out_dir + "/data/search/inputs.txt", std::ios::trunc)
      << "0123456789abcdef\n";
  rebuilt = BuildSite(site.options);
  BOOST_REQUIRE(rebuilt.exit_code == kExitOk);
  BOOST_TEST(!rebuilt.search_index_kept);
  BOOST_TEST((ReadTree(site.options.out_dir) == clean));
}

// serve after a template edit: one step (no separate search index update),
// the index kept, the site equal to a clean build.
BOOST_AUTO_TEST_CASE(memo_rebuild_after_a_template_edit_keeps_the_search_index) {
  SampleSite site;
  UseOwnTemplates(&site);
  BuildMemo memo;
  int calls = 0;
  site.options.pages_ready = [&](const BuildResult&) { ++calls; };
  BOOST_REQUIRE(BuildSite(site.options, &memo).exit_code == kExitOk);
  std::ofstream(site.options.templates_dir + "/partials/footer.mustache", std::ios::app)
      << "<p>Footer line added while serving.</p>\n";
  BuildResult edited = BuildSite(site.options, &memo);
  BOOST_REQUIRE(edited.exit_code == kExitOk);
  BOOST_TEST(calls == 0);
  BOOST_TEST(edited.search_index_kept);
  BOOST_TEST(edited.pages_rendered > 10u);
  BOOST_REQUIRE(BuildSite(CleanOptions(site)).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(CleanOptions(site).out_dir)));
}

BOOST_AUTO_TEST_CASE(removing_an_entry_removes_its_page_and_folder) {
  SampleSite site;
  BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
  std::string slug = site.UnreferencedSlug();
  BOOST_REQUIRE(!slug.empty());
  BOOST_REQUIRE(fs::exists(site.options.out_dir + "/services/" + slug + "/index.html"));
  fs::remove(site.Entry(slug));
  BuildResult result = BuildSite(site.options);
  BOOST_REQUIRE(result.exit_code == kExitOk);
  BOOST_TEST(result.updated_in_place);
  BOOST_TEST(result.files_deleted >= 1u);
  BOOST_TEST(!fs::exists(site.options.out_dir + "/services/" + slug));
}

BOOST_AUTO_TEST_CASE(a_failed_rebuild_leaves_the_site_byte_identical) {
  SampleSite site;
  BOOST_REQUIRE(BuildSite(site.options).exit_code == kExitOk);
  auto before = ReadTree(site.options.out_dir);
  std::string slug = site.FirstSlug();

  // A content error: stopped before anything is written.
  std::string entry = testing::ReadFile(site.Entry(slug));
  std::ofstream(site.Entry(slug)) << "+++\nname = \"unterminated\n+++\n";
  BOOST_TEST(BuildSite(site.options).exit_code == kExitContentError);
  BOOST_TEST((ReadTree(site.options.out_dir) == before));

  // A template error: content changed and fine, rendering fails part-way.
  std::ofstream(site.Entry(slug)) << entry << "\nAn edit that never reaches the site.\n";
  fs::copy(site.options.templates_dir, site.tmp.path() + "/templates", fs::copy_options::recursive);
  // Theme assets are found beside the real templates folder, not the copy.
  ::setenv("SIGNPOST_NHSUK_DIR",
           (std::string(SIGNPOST_SOURCE_DIR) + "/node_modules/nhsuk-frontend/dist/nhsuk").c_str(),
           1);
  site.options.templates_dir = site.tmp.path() + "/templates";
  std::ofstream(site.tmp.path() + "/templates/pages/service.mustache", std::ios::app)
      << "{{#unclosed}}";
  BOOST_TEST(BuildSite(site.options).exit_code == kExitFailure);
  ::unsetenv("SIGNPOST_NHSUK_DIR");
  BOOST_TEST((ReadTree(site.options.out_dir) == before));
  for (const auto& e : fs::directory_iterator(site.tmp.path())) {
    BOOST_TEST(e.path().filename().string().find("staging") == std::string::npos);
  }
}

// signpost serve's rebuilds: through one BuildMemo, each rebuild after an
// edit, a removal, a broken entry and its fix gives exactly what a clean
// build of the same content gives, and parses and renders only what changed.
BOOST_AUTO_TEST_CASE(memo_rebuilds_equal_clean_builds) {
  SampleSite site;
  BuildMemo memo;
  auto clean_tree = [&] {
    BuildOptions clean = site.options;
    clean.out_dir = site.tmp.path() + "/clean";
    clean.clean = true;
    BOOST_REQUIRE(BuildSite(clean).exit_code == kExitOk);
    return ReadTree(clean.out_dir);
  };
  BuildResult first = BuildSite(site.options, &memo);
  BOOST_REQUIRE(first.exit_code == kExitOk);
  size_t entries = first.entries_parsed;
  BOOST_TEST(entries > 10u);

  BuildResult same = BuildSite(site.options, &memo);
  BOOST_REQUIRE(same.exit_code == kExitOk);
  BOOST_TEST(same.entries_parsed == 0u);
  BOOST_TEST(same.pages_rendered == 0u);
  BOOST_TEST(same.files_changed == 0u);

  std::string slug = site.FirstSlug();
  std::ofstream(site.Entry(slug), std::ios::app) << "\nA sentence added by an editor.\n";
  BuildResult edited = BuildSite(site.options, &memo);
  BOOST_REQUIRE(edited.exit_code == kExitOk);
  BOOST_TEST(edited.entries_parsed == 1u);
  BOOST_TEST(edited.pages_rendered == 1u);
  BOOST_TEST((ReadTree(site.options.out_dir) == clean_tree()));

  // A new review date changes the page and the sitemap's <lastmod>; a
  // rebuild with nothing else changed keeps the sitemap as it is.
  std::string text = testing::ReadFile(site.Entry(slug));
  size_t at = text.find("last_reviewed = ");
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at + 16, 10, "2026-11-20");
  std::ofstream(site.Entry(slug), std::ios::trunc) << text;
  BOOST_REQUIRE(BuildSite(site.options, &memo).exit_code == kExitOk);
  auto reviewed = ReadTree(site.options.out_dir);
  BOOST_TEST((reviewed == clean_tree()));
  BOOST_TEST(reviewed["sitemap.xml"].find("/services/" + slug + "/</loc><lastmod>2026-11-20<") !=
             std::string::npos);
  BOOST_REQUIRE(BuildSite(site.options, &memo).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == reviewed));

  std::string gone = site.UnreferencedSlug();
  BOOST_REQUIRE(!gone.empty());
  fs::remove(site.Entry(gone));
  BOOST_REQUIRE(BuildSite(site.options, &memo).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == clean_tree()));

  // A broken entry fails the rebuild and changes nothing; fixing it works.
  std::string good = testing::ReadFile(site.Entry(slug));
  auto before = ReadTree(site.options.out_dir);
  std::ofstream(site.Entry(slug), std::ios::trunc) << good.substr(0, good.size() / 3);
  BOOST_TEST(BuildSite(site.options, &memo).exit_code == kExitContentError);
  BOOST_TEST((ReadTree(site.options.out_dir) == before));
  std::ofstream(site.Entry(slug), std::ios::trunc) << good;
  BuildResult fixed = BuildSite(site.options, &memo);
  BOOST_REQUIRE(fixed.exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == clean_tree()));
}

// serve commits the pages first, then the search index: when pages_ready is
// called the edited page is in the site beside the previous search index;
// when BuildSite returns the site equals a clean build.
BOOST_AUTO_TEST_CASE(memo_rebuild_commits_pages_before_the_search_index) {
  SampleSite site;
  BuildMemo memo;
  int calls = 0;
  site.options.pages_ready = [&](const BuildResult&) { ++calls; };
  BOOST_REQUIRE(BuildSite(site.options, &memo).exit_code == kExitOk);
  BOOST_TEST(calls == 0);  // a first build is one step
  std::string slug = site.FirstSlug();
  std::string manifest_before =
      testing::ReadFile(site.options.out_dir + "/data/search/manifest.json");
  std::ofstream(site.Entry(slug), std::ios::app) << "\nZygomorphic bellflowers grow here.\n";
  site.options.pages_ready = [&](const BuildResult& pages) {
    ++calls;
    BOOST_TEST(pages.pages_rendered == 1u);
    std::string page =
        testing::ReadFile(site.options.out_dir + "/services/" + slug + "/index.html");
    BOOST_TEST(page.find("Zygomorphic") != std::string::npos);
    BOOST_TEST(testing::ReadFile(site.options.out_dir + "/data/search/manifest.json") ==
               manifest_before);
  };
  BuildResult result = BuildSite(site.options, &memo);
  BOOST_REQUIRE(result.exit_code == kExitOk);
  BOOST_TEST(calls == 1);
  BOOST_TEST(result.pages_milliseconds <= result.milliseconds);
  BOOST_TEST(testing::ReadFile(site.options.out_dir + "/data/search/manifest.json") !=
             manifest_before);
  BuildOptions clean = site.options;
  clean.out_dir = site.tmp.path() + "/clean";
  clean.clean = true;
  clean.pages_ready = nullptr;
  BOOST_REQUIRE(BuildSite(clean).exit_code == kExitOk);
  BOOST_TEST((ReadTree(site.options.out_dir) == ReadTree(clean.out_dir)));
}

// The look-alike pass runs beside rendering; a look-alike still fails the
// build with a content error and leaves the site as it was, with or without
// serve's memo.
BOOST_AUTO_TEST_CASE(a_look_alike_fails_the_build_before_anything_is_committed) {
  for (bool with_memo : {false, true}) {
    SampleSite site;
    BuildMemo memo;
    BuildMemo* m = with_memo ? &memo : nullptr;
    BOOST_REQUIRE(BuildSite(site.options, m).exit_code == kExitOk);
    auto before = ReadTree(site.options.out_dir);
    std::string slug = site.FirstSlug();
    // The same entry under another name: every contact detail is shared.
    std::ofstream(site.Entry("zz-" + slug + "-copy")) << testing::ReadFile(site.Entry(slug));
    BOOST_TEST(BuildSite(site.options, m).exit_code == kExitContentError, with_memo);
    BOOST_TEST((ReadTree(site.options.out_dir) == before), with_memo);
  }
}

// serve skips the look-alike pass while nothing it reads has changed since it
// last found nothing (a body edit); any change to what it reads, or an
// earlier finding, runs it again.
BOOST_AUTO_TEST_CASE(memo_skips_the_look_alike_pass_only_while_its_inputs_are_unchanged) {
  SampleSite site;
  BuildMemo memo;
  BuildResult first = BuildSite(site.options, &memo);
  BOOST_REQUIRE(first.exit_code == kExitOk);
  BOOST_TEST(!first.look_alikes_reused);
  std::string slug = site.FirstSlug();
  std::ofstream(site.Entry(slug), std::ios::app) << "\nA body edit.\n";
  BuildResult body = BuildSite(site.options, &memo);
  BOOST_REQUIRE(body.exit_code == kExitOk);
  BOOST_TEST(body.look_alikes_reused);

  // A copy shares every contact detail: found, however the pass began.
  std::string copy = site.Entry("zz-" + slug + "-copy");
  std::ofstream(copy) << testing::ReadFile(site.Entry(slug));
  BuildResult duplicate = BuildSite(site.options, &memo);
  BOOST_TEST(duplicate.exit_code == kExitContentError);
  BOOST_TEST(!duplicate.look_alikes_reused);
  // Still there after a body edit elsewhere: its finding is not forgotten.
  std::ofstream(site.Entry(slug), std::ios::app) << "\nAnother body edit.\n";
  BOOST_TEST(BuildSite(site.options, &memo).exit_code == kExitContentError);

  fs::remove(copy);
  BuildResult fixed = BuildSite(site.options, &memo);
  BOOST_REQUIRE(fixed.exit_code == kExitOk);
  BOOST_TEST(!fixed.look_alikes_reused);
  std::ofstream(site.Entry(slug), std::ios::app) << "\nA third body edit.\n";
  BuildResult again = BuildSite(site.options, &memo);
  BOOST_REQUIRE(again.exit_code == kExitOk);
  BOOST_TEST(again.look_alikes_reused);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
