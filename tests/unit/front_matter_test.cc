#include "front_matter.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "diagnostic.h"

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

// CheckEncoding skips ASCII 8 bytes at a time: every problem must be found
// wherever it falls relative to those words, with the same position.
BOOST_AUTO_TEST_CASE(encoding_fast_path_word_boundaries) {
  struct Case {
    const char* name;
    std::string bytes;
    bool valid;
    const char* message;  ///< When invalid.
  };
  const std::vector<Case> cases = {
      {"2-byte", "\xC3\xA9", true, ""},
      {"3-byte", "\xE2\x82\xAC", true, ""},
      {"4-byte", "\xF0\x9F\x98\x80", true, ""},
      {"U+10FFFF", "\xF4\x8F\xBF\xBF", true, ""},
      {"DEL", "\x7F", true, ""},
      {"NUL", std::string(1, '\0'), false, "the file contains a NUL byte (a zero byte)"},
      {"lone continuation", "\x80", false, "the file is not valid UTF-8 (byte 0x80)"},
      {"overlong 2-byte", "\xC0\xAF", false, "the file is not valid UTF-8 (byte 0xc0)"},
      {"overlong 3-byte", "\xE0\x80\xAF", false, "the file is not valid UTF-8 (byte 0xe0)"},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", false, "the file is not valid UTF-8 (byte 0xf0)"},
      {"surrogate", "\xED\xA0\x80", false, "the file is not valid UTF-8 (byte 0xed)"},
      {"last surrogate", "\xED\xBF\xBF", false, "the file is not valid UTF-8 (byte 0xed)"},
      {"past U+10FFFF", "\xF4\x90\x80\x80", false, "the file is not valid UTF-8 (byte 0xf4)"},
      {"0xFF", "\xFF", false, "the file is not valid UTF-8 (byte 0xff)"},
      {"lead then NUL", std::string("\xC3\0", 2), false, "the file is not valid UTF-8 (byte 0xc3)"},
      {"lead then ASCII", "\xE2\x82x", false, "the file is not valid UTF-8 (byte 0xe2)"},
  };
  for (const Case& c : cases) {
    for (size_t before = 0; before <= 17; ++before) {
      for (size_t after : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{13}}) {
        // A multibyte character first, so columns count code points, not bytes.
        std::string text =
            "\xC3\xA9\n" + std::string(before, 'a') + c.bytes + std::string(after, 'b');
        EncodingProblem p;
        bool ok = CheckEncoding(text, &p);
        BOOST_TEST_CONTEXT(c.name << ", " << before << " bytes before, " << after << " after") {
          BOOST_TEST(ok == c.valid);
          if (!c.valid && !ok) {
            BOOST_TEST(p.pos.line == 2);
            BOOST_TEST(p.pos.column == static_cast<int>(before) + 1);
            BOOST_TEST(p.message == c.message);
          }
        }
      }
    }
  }
  // A sequence cut off by the end of the text.
  for (size_t before = 0; before <= 17; ++before) {
    EncodingProblem p;
    BOOST_TEST(!CheckEncoding(std::string(before, 'a') + "\xF0\x9F\x98", &p));
    BOOST_TEST(p.pos.column == static_cast<int>(before) + 1);
  }
}

// The fast path against the plain byte-at-a-time definition, on random mixes
// of ASCII, valid and invalid sequences.
BOOST_AUTO_TEST_CASE(encoding_fast_path_matches_byte_at_a_time_check) {
  auto reference = [](std::string_view text) -> long {  // offset of the first problem, or -1
    for (size_t i = 0; i < text.size();) {
      if (text[i] == '\0') return static_cast<long>(i);
      int len = Utf8SequenceLength(text, i);
      if (len == 0) return static_cast<long>(i);
      i += len;
    }
    return -1;
  };
  const std::vector<std::string> pieces = {
      "a",        "bcdefgh",  "\n",       "\xC3\xA9",     "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
      "\x7F",     "\x80",     "\xC3",     "\xED\xA0\x80", "\xF4\x90",     std::string(1, '\0'),
      "\xC0\xAF", "\xF8\x88", "01234567", "\xEF\xBB\xBF"};
  unsigned seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
  };
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    int n = static_cast<int>(next() % 12);
    for (int k = 0; k < n; ++k) {
      // Mostly valid pieces, so problems land at varied offsets.
      size_t pick = next() % pieces.size();
      text += next() % 4 == 0 ? pieces[pick] : pieces[pick % 6];
    }
    long expected = reference(text);
    EncodingProblem p;
    bool ok = CheckEncoding(text, &p);
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_TEST(ok == (expected < 0));
      if (!ok && expected >= 0) {
        SourcePos want = PositionOf(text, static_cast<size_t>(expected));
        BOOST_TEST(p.pos.line == want.line);
        BOOST_TEST(p.pos.column == want.column);
      }
    }
  }
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
