// `signpost new` run as a real binary: slug checks, no overwriting, and a
// skeleton that `check` rejects only for its placeholders.
#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "content_fixture.h"

namespace signpost {

BOOST_AUTO_TEST_SUITE(new_command_test)

BOOST_AUTO_TEST_CASE(bad_slug_is_a_usage_error_with_the_fixed_name) {
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  auto r = testing::RunSignpost("new 'My Service'", dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "signpost new: `My Service` is not a slug: use lower-case letters, digits and "
             "hyphens\n  hint: signpost new my-service\n");
  BOOST_TEST(!std::filesystem::exists(dir.path() + "/content/services/my-service.md"));
}

BOOST_AUTO_TEST_CASE(writes_the_skeleton_and_check_reports_only_placeholders) {
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  auto r = testing::RunSignpost("new carers-centre", dir.path());
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out.rfind("created content/services/carers-centre.md\n", 0) == 0);
  BOOST_TEST(r.out ==
             "created content/services/carers-centre.md\n"
             "next steps:\n"
             "  1. open it and replace every value starting with TODO (the comments explain each "
             "field)\n"
             "  2. check it with: ./build/signpost check\n"
             "  3. commit the file and open a pull request\n");
  std::string text = testing::ReadFile(dir.path() + "/content/services/carers-centre.md");
  BOOST_TEST(text.rfind("+++\n", 0) == 0);
  BOOST_TEST(text.find("last_reviewed = 2026-11-23\n") != std::string::npos);

  auto check = testing::RunSignpost("check", dir.path());
  BOOST_TEST(check.exit_code == 1);
  BOOST_TEST(check.err.find("12 errors, 0 warnings in 1 file\n") != std::string::npos);
  size_t errors = 0;
  for (size_t at = 0; (at = check.err.find(": error: ", at)) != std::string::npos; ++at) {
    ++errors;
    BOOST_TEST(check.err.compare(at, 32, ": error: replace the placeholder") == 0);
  }
  BOOST_TEST(errors == 12u);
}

BOOST_AUTO_TEST_CASE(refuses_to_overwrite) {
  testing::TempDir dir;
  testing::CopyFixture("valid", dir);
  std::string path = dir.path() + "/content/services/beta-peer-support.md";
  std::string before = testing::ReadFile(path);
  auto r = testing::RunSignpost("new beta-peer-support", dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("content/services/beta-peer-support.md already exists") !=
             std::string::npos);
  BOOST_TEST(testing::ReadFile(path) == before);
}

BOOST_AUTO_TEST_CASE(missing_services_folder_is_a_usage_error) {
  testing::TempDir dir;
  auto r = testing::RunSignpost("new example", dir.path());
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("there is no folder content/services") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
