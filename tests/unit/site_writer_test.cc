#include "site_writer.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace signpost {
namespace {

namespace fs = std::filesystem;

// A fresh temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/signpost-site-writer-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

BOOST_AUTO_TEST_SUITE(site_writer_test)

BOOST_AUTO_TEST_CASE(safe_relative_paths) {
  struct Case {
    const char* rel;
    bool safe;
  } cases[] = {
      {"index.html", true},
      {"services/a-b/index.html", true},
      {"data/search/shard.0a1b.json", true},
      {"", false},
      {"/etc/passwd", false},
      {"../x", false},
      {"services/../../x", false},
      {"services/./x", false},
      {"services//x", false},
      {"services/", false},
      {"a\\b", false},
      {"a\nb", false},
      {"..", false},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.rel) { BOOST_TEST(IsSafeRelativePath(c.rel) == c.safe); }
  }
  BOOST_TEST(!IsSafeRelativePath(std::string_view("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(commit_swaps_in_the_new_site) {
  TempDir tmp;
  fs::path out = tmp.path / "site";
  for (const char* text : {"first", "second"}) {
    Diagnostics diags;
    SiteWriter writer(out.string());
    BOOST_TEST_REQUIRE(writer.Begin(&diags));
    BOOST_TEST(writer.Write("services/a/index.html", text, &diags));
    BOOST_TEST(writer.Commit(&diags));
    BOOST_TEST(diags.empty());
    BOOST_TEST(Slurp(out / "services/a/index.html") == text);
    BOOST_TEST(fs::exists(out / SiteWriter::kMarkerFile));
  }
  // No staging folder is left beside the output.
  for (const auto& entry : fs::directory_iterator(tmp.path)) {
    BOOST_TEST(entry.path().filename().string().find("staging") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(an_abandoned_build_leaves_the_previous_site_untouched) {
  TempDir tmp;
  fs::path out = tmp.path / "site";
  {
    Diagnostics diags;
    SiteWriter writer(out.string());
    BOOST_TEST_REQUIRE(writer.Begin(&diags));
    writer.Write("index.html", "old", &diags);
    BOOST_TEST_REQUIRE(writer.Commit(&diags));
  }
  {
    Diagnostics diags;
    SiteWriter writer(out.string());
    BOOST_TEST_REQUIRE(writer.Begin(&diags));
    writer.Write("index.html", "new", &diags);
    // No Commit: a later stage failed.
  }
  BOOST_TEST(Slurp(out / "index.html") == "old");
  for (const auto& entry : fs::directory_iterator(tmp.path)) {
    BOOST_TEST(entry.path().filename() == "site");
  }
}

BOOST_AUTO_TEST_CASE(refuses_to_replace_a_folder_it_did_not_make) {
  TempDir tmp;
  fs::path out = tmp.path / "precious";
  fs::create_directories(out);
  std::ofstream(out / "thesis.docx") << "years of work";
  Diagnostics diags;
  SiteWriter writer(out.string());
  BOOST_TEST(!writer.Begin(&diags));
  BOOST_TEST_REQUIRE(diags.items().size() == 1u);
  BOOST_TEST(diags.items()[0].path == out.string());
  BOOST_TEST(diags.items()[0].message.find("not made by `signpost build`") != std::string::npos);
  BOOST_TEST(Slurp(out / "thesis.docx") == "years of work");
}

BOOST_AUTO_TEST_CASE(refuses_paths_that_escape_the_site) {
  TempDir tmp;
  Diagnostics diags;
  SiteWriter writer((tmp.path / "site").string());
  BOOST_TEST_REQUIRE(writer.Begin(&diags));
  BOOST_TEST(!writer.Write("../escaped.html", "x", &diags));
  BOOST_TEST(!writer.Write("/tmp/escaped.html", "x", &diags));
  BOOST_TEST(diags.ErrorCount() == 2);
  BOOST_TEST(!fs::exists(tmp.path / "escaped.html"));
}

BOOST_AUTO_TEST_CASE(an_output_path_that_is_a_file_is_an_error) {
  TempDir tmp;
  fs::path out = tmp.path / "site";
  std::ofstream(out) << "a file";
  Diagnostics diags;
  SiteWriter writer(out.string());
  BOOST_TEST(!writer.Begin(&diags));
  BOOST_TEST(diags.HasErrors());
  BOOST_TEST(Slurp(out) == "a file");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
