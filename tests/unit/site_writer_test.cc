#include "site_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "content_fixture.h"

namespace fs = std::filesystem;

namespace signpost {
namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool BuildOnce(const std::string& out, const std::string& text, bool background) {
  Diagnostics diags;
  SiteWriter writer(out);
  writer.set_background_delete(background);
  return writer.Begin(&diags) && writer.Write("a/index.html", text, &diags) &&
         writer.Commit(&diags) && !diags.HasErrors();
}

// Names in `dir` other than `keep`.
std::vector<std::string> Others(const std::string& dir, const std::string& keep) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != keep) names.push_back(e.path().filename().string());
  }
  return names;
}

BOOST_AUTO_TEST_SUITE(site_writer_test)

BOOST_AUTO_TEST_CASE(commit_replaces_the_site_and_leaves_no_folder_behind) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildOnce(out, "one", false));
  BOOST_REQUIRE(BuildOnce(out, "two", false));
  BOOST_TEST(ReadFile(out + "/a/index.html") == "two");
  BOOST_TEST(Others(tmp.path(), "site").empty());
}

// Regression: the previous site is deleted in the background, and repeated
// builds must not pile up `.site.old-*` folders.
BOOST_AUTO_TEST_CASE(background_delete_leaves_no_stale_folders) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  for (const char* text : {"one", "two", "three", "four"}) {
    BOOST_REQUIRE(BuildOnce(out, text, true));
    BOOST_TEST(ReadFile(out + "/a/index.html") == text);
  }
  // The detached deleter finishes on its own; wait for it (a liveness bound,
  // not a speed check).
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!Others(tmp.path(), "site").empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(Others(tmp.path(), "site").empty());
}

BOOST_AUTO_TEST_CASE(begin_deletes_an_abandoned_old_site_but_not_one_being_deleted) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildOnce(out, "one", false));
  fs::create_directories(tmp.path() + "/.site.old-1/x");
  fs::create_directories(tmp.path() + "/.site.old-2/x");
  // A deleter still at work holds the lock on its folder.
  int fd = ::open((tmp.path() + "/.site.old-2").c_str(), O_RDONLY | O_DIRECTORY);
  BOOST_REQUIRE(fd >= 0);
  BOOST_REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  BOOST_REQUIRE(BuildOnce(out, "two", false));
  ::close(fd);
  BOOST_TEST(!fs::exists(tmp.path() + "/.site.old-1"));
  BOOST_TEST(fs::exists(tmp.path() + "/.site.old-2/x"));
  // Other folders that merely look alike are never touched.
  fs::create_directories(tmp.path() + "/site.old-3");
  BOOST_REQUIRE(BuildOnce(out, "three", false));
  BOOST_TEST(!fs::exists(tmp.path() + "/.site.old-2"));
  BOOST_TEST(fs::exists(tmp.path() + "/site.old-3"));
}

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

BOOST_AUTO_TEST_CASE(an_abandoned_build_leaves_the_previous_site_untouched) {
  testing::TempDir tmp;
  fs::path out = fs::path(tmp.path()) / "site";
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
  BOOST_TEST(ReadFile(out / "index.html") == "old");
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    BOOST_TEST(entry.path().filename() == "site");
  }
}

BOOST_AUTO_TEST_CASE(refuses_to_replace_a_folder_it_did_not_make) {
  testing::TempDir tmp;
  fs::path out = fs::path(tmp.path()) / "precious";
  fs::create_directories(out);
  std::ofstream(out / "thesis.docx") << "years of work";
  Diagnostics diags;
  SiteWriter writer(out.string());
  BOOST_TEST(!writer.Begin(&diags));
  BOOST_TEST_REQUIRE(diags.items().size() == 1u);
  BOOST_TEST(diags.items()[0].path == out.string());
  BOOST_TEST(diags.items()[0].message.find("not made by `signpost build`") != std::string::npos);
  BOOST_TEST(ReadFile(out / "thesis.docx") == "years of work");
}

BOOST_AUTO_TEST_CASE(refuses_paths_that_escape_the_site) {
  testing::TempDir tmp;
  Diagnostics diags;
  SiteWriter writer((fs::path(tmp.path()) / "site").string());
  BOOST_TEST_REQUIRE(writer.Begin(&diags));
  BOOST_TEST(!writer.Write("../escaped.html", "x", &diags));
  BOOST_TEST(!writer.Write("/tmp/escaped.html", "x", &diags));
  BOOST_TEST(diags.ErrorCount() == 2);
  BOOST_TEST(!fs::exists(fs::path(tmp.path()) / "escaped.html"));
}

BOOST_AUTO_TEST_CASE(an_output_path_that_is_a_file_is_an_error) {
  testing::TempDir tmp;
  fs::path out = fs::path(tmp.path()) / "site";
  std::ofstream(out) << "a file";
  Diagnostics diags;
  SiteWriter writer(out.string());
  BOOST_TEST(!writer.Begin(&diags));
  BOOST_TEST(diags.HasErrors());
  BOOST_TEST(ReadFile(out) == "a file");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
