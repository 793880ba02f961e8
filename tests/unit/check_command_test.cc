// End to end: the real `signpost check` binary on fixture content folders.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "content_fixture.h"

namespace signpost {

namespace {

const std::string kSource = SIGNPOST_SOURCE_DIR;

}  // namespace

BOOST_AUTO_TEST_SUITE(check_command_test)

BOOST_AUTO_TEST_CASE(valid_fixture_passes) {
  auto r = testing::RunSignpost("check --content tests/fixtures/content/valid", kSource);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err == "checked 2 services: no errors\n");
  BOOST_TEST(r.out == "");
}

BOOST_AUTO_TEST_CASE(broken_fixture_text_output_matches_golden_file) {
  auto r = testing::RunSignpost("check --content tests/fixtures/content/broken", kSource);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == testing::ReadFile(kSource + "/tests/fixtures/check/broken.txt"));
  // The caret sits under the offending value.
  BOOST_TEST(r.err.find("    summary = 42\n              ^\n") != std::string::npos);
  // b-typos names d-unquoted-phone in `related`; that entry has a syntax
  // error, reported once on its own file rather than again as a reference.
  BOOST_TEST(r.err.find("no such service") == std::string::npos);
  BOOST_TEST(r.err.find("d-unquoted-phone.md:13:9: error: a phone number must be written in "
                        "double quotes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(broken_fixture_github_output_matches_golden_file) {
  auto r = testing::RunSignpost("check --content tests/fixtures/content/broken --format github",
                                kSource);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == testing::ReadFile(kSource + "/tests/fixtures/check/broken.github.txt"));
}

BOOST_AUTO_TEST_CASE(warnings_alone_exit_zero) {
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  // A year on, both fixture entries are due for review but not overdue.
  auto r = testing::RunSignpost("check", dir.path(), "2027-10-05");
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.find("warning: this entry is due for review") != std::string::npos);
  BOOST_TEST(r.err.find("0 errors, 2 warnings in 2 files\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_and_io_errors) {
  BOOST_TEST(testing::RunSignpost("check --format xml", kSource).exit_code == 2);
  auto r = testing::RunSignpost("check --content does/not/exist", kSource);
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(r.err.find("does/not/exist: error: the content folder does not exist") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(unreadable_entry_is_an_io_failure) {
  if (::geteuid() == 0) return;  // root reads anything; nothing to test
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.path() + "/content/services/beta-peer-support.md";
  std::filesystem::permissions(path, std::filesystem::perms::none);
  auto r = testing::RunSignpost("check", dir.path());
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(r.err.find("cannot open the file: Permission denied") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(symlink_is_a_content_error_and_its_target_is_not_echoed) {
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  dir.Write("outside.md", "+++\nname = \"PRIVATE DATA\"\n");
  std::filesystem::create_symlink(dir.path() + "/outside.md",
                                  dir.path() + "/content/services/link.md");
  auto r = testing::RunSignpost("check", dir.path());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("content/services/link.md: error: this is a symbolic link") !=
             std::string::npos);
  BOOST_TEST(r.err.find("PRIVATE") == std::string::npos);
  BOOST_TEST(r.err.find("outside") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(repository_sample_content_passes) {
  if (!std::filesystem::exists(kSource + "/content/services")) return;
  // The real date: sample entries age like real ones and must be kept reviewed.
  auto r = testing::RunSignpost("check --content content", kSource, "");
  BOOST_TEST(r.exit_code == 0, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
