#include "front_matter.h"

#include <boost/test/unit_test.hpp>

namespace signpost {

BOOST_AUTO_TEST_SUITE(front_matter_test)

BOOST_AUTO_TEST_CASE(splits_front_matter_and_body) {
  FrontMatter fm;
  std::string hint;
  std::string text = "+++\nname = \"x\"\n+++\n## Body\n";
  BOOST_TEST(SplitFrontMatter(text, &fm, &hint) == "");
  BOOST_TEST(fm.toml == "name = \"x\"\n");
  BOOST_TEST(fm.toml_first_line == 2);
  BOOST_TEST(fm.body == "## Body\n");
  BOOST_TEST(fm.body_line == 4);
}

BOOST_AUTO_TEST_CASE(bom_crlf_and_trailing_spaces_on_delimiters) {
  FrontMatter fm;
  std::string hint;
  std::string text = "\xEF\xBB\xBF+++  \r\nname = \"x\"\r\n+++\r\nbody\r\n";
  BOOST_TEST(SplitFrontMatter(text, &fm, &hint) == "");
  BOOST_TEST(fm.toml == "name = \"x\"\r\n");
  BOOST_TEST(fm.body == "body\r\n");
  BOOST_TEST(fm.body_line == 4);
}

BOOST_AUTO_TEST_CASE(empty_front_matter_and_body) {
  FrontMatter fm;
  std::string hint;
  BOOST_TEST(SplitFrontMatter("+++\n+++", &fm, &hint) == "");
  BOOST_TEST(fm.toml == "");
  BOOST_TEST(fm.body == "");
  BOOST_TEST(fm.body_line == 3);
}

BOOST_AUTO_TEST_CASE(problems) {
  FrontMatter fm;
  std::string hint;
  BOOST_TEST(SplitFrontMatter("", &fm, &hint) == "the file is empty: it has no front matter");
  BOOST_TEST(SplitFrontMatter("\xEF\xBB\xBF", &fm, &hint) ==
             "the file is empty: it has no front matter");
  BOOST_TEST(SplitFrontMatter("---\ntitle: x\n---\n", &fm, &hint) ==
             "the file does not start with front matter (a +++ line)");
  BOOST_TEST(SplitFrontMatter("++++\n", &fm, &hint) ==
             "the file does not start with front matter (a +++ line)");
  BOOST_TEST(SplitFrontMatter("+++\nname = 1\n", &fm, &hint) ==
             "front matter is not closed: add a line with +++ after the last field");
  BOOST_TEST(SplitFrontMatter("+++", &fm, &hint) ==
             "front matter is not closed: add a line with +++ after the last field");
}

BOOST_AUTO_TEST_CASE(encoding_problems_are_located_in_code_points) {
  EncodingProblem p;
  BOOST_TEST(CheckEncoding("caf\xC3\xA9\n\xE2\x82\xAC ok", &p));
  BOOST_TEST(!CheckEncoding("ab\ncaf\xC3\xA9 \xE9t\xE9", &p));  // Latin-1 é
  BOOST_TEST(p.pos.line == 2);
  BOOST_TEST(p.pos.column == 6);
  BOOST_TEST(p.message == "the file is not valid UTF-8 (byte 0xe9)");
  BOOST_TEST(!CheckEncoding(std::string("a\nb\0c", 5), &p));
  BOOST_TEST(p.pos.line == 2);
  BOOST_TEST(p.pos.column == 2);
  BOOST_TEST(p.message == "the file contains a NUL byte (a zero byte)");
  BOOST_TEST(!CheckEncoding("\xED\xA0\x80", &p));      // a UTF-16 surrogate
  BOOST_TEST(!CheckEncoding("\xC0\xAF", &p));          // overlong '/'
  BOOST_TEST(!CheckEncoding("\xF4\x90\x80\x80", &p));  // past U+10FFFF
}

BOOST_AUTO_TEST_CASE(position_of_offsets) {
  std::string text = "ab\n\xC3\xA9x\n";
  BOOST_TEST(PositionOf(text, 0).column == 1);
  BOOST_TEST(PositionOf(text, 5).line == 2);
  BOOST_TEST(PositionOf(text, 5).column == 2);  // after one 2-byte code point
  BOOST_TEST(PositionOf(text, 7, 10).line == 12);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
