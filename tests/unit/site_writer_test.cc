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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
