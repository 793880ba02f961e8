#include "diagnostic.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "content_fixture.h"

namespace signpost {

BOOST_AUTO_TEST_SUITE(diagnostic_test)

BOOST_AUTO_TEST_CASE(text_format_has_position_source_line_caret_and_hint) {
  SourceMap sources;
  sources.Add("content/services/a.md", "+++\nname = 42\n+++\n");
  Diagnostic d{"content/services/a.md", 2, 8, Severity::kError, "`name` must be text",
               "put the name in quotes"};
  BOOST_TEST(FormatText(d, sources) ==
             "content/services/a.md:2:8: error: `name` must be text\n"
             "    name = 42\n"
             "           ^\n"
             "  hint: put the name in quotes\n");
}

BOOST_AUTO_TEST_CASE(crlf_line_endings_are_not_echoed) {
  SourceMap sources;
  sources.Add("a.md", "+++\r\nname = 1\r\n");
  Diagnostic d{"a.md", 2, 1, Severity::kWarning, "w", ""};
  BOOST_TEST(FormatText(d, sources) == "a.md:2:1: warning: w\n    name = 1\n    ^\n");
}

BOOST_AUTO_TEST_CASE(long_lines_are_shortened_around_the_column) {
  SourceMap sources;
  std::string line(5000, 'x');
  line[2500] = 'Y';
  sources.Add("a.md", line);
  Diagnostic d{"a.md", 1, 2501, Severity::kError, "m", ""};
  std::string text = FormatText(d, sources);
  BOOST_TEST(text.size() < 400u);
  auto echo_start = text.find("    ...");
  BOOST_TEST_REQUIRE(echo_start != std::string::npos);
  auto y = text.find('Y');
  auto caret_line = text.find('\n', y) + 1;
  auto caret = text.find('^', caret_line);
  // The caret sits under the Y.
  BOOST_TEST(caret - caret_line == y - echo_start);
}

// Files noted with AddOnDisk are read again only for the lines diagnostics
// echo, and only while they are unchanged.
BOOST_AUTO_TEST_CASE(noted_files_are_read_again_for_their_lines) {
  testing::TempDir dir;
  const std::string text = "+++\r\nname = 42\n+++\nbody\n";
  std::string path = dir.Write("a.md", text);
  SourceMap sources;
  sources.AddOnDisk(path, SourceFingerprint::Of(text));
  std::string line;
  BOOST_TEST(sources.GetLine(path, 2, &line));
  BOOST_TEST(line == "name = 42");
  BOOST_TEST(sources.GetLine(path, 1, &line));
  BOOST_TEST(line == "+++");
  BOOST_TEST(!sources.GetLine(path, 9, &line));
  Diagnostic d{path, 2, 8, Severity::kError, "`name` must be text", ""};
  BOOST_TEST(FormatText(d, sources) ==
             path +
                 ":2:8: error: `name` must be text\n    name = 42\n       "
                 "    ^\n");
  BOOST_TEST(!sources.GetLine(dir.path() + "/never-noted.md", 1, &line));
}

BOOST_AUTO_TEST_CASE(a_noted_file_that_changed_is_not_echoed) {
  testing::TempDir dir;
  const std::string text = "+++\nname = 42\n+++\n";
  std::string path = dir.Write("a.md", text);
  SourceMap sources;
  sources.AddOnDisk(path, SourceFingerprint::Of(text));
  // Same size, different bytes: the echo would point at the wrong text.
  dir.Write("a.md", "+++\nname = 43\n+++\n");
  std::string line;
  BOOST_TEST(!sources.GetLine(path, 2, &line));
  Diagnostic d{path, 2, 8, Severity::kError, "`name` must be text", "quote it"};
  BOOST_TEST(FormatText(d, sources) ==
             path + ":2:8: error: `name` must be text\n  hint: quote it\n");
  // A longer file, a deleted one and a symbolic link to the original text
  // are refused too.
  SourceMap longer;
  longer.AddOnDisk(path, SourceFingerprint::Of(text));
  dir.Write("a.md", text + "more\n");
  BOOST_TEST(!longer.GetLine(path, 2, &line));
  std::string original = dir.Write("original.md", text);
  std::filesystem::remove(path);
  SourceMap gone;
  gone.AddOnDisk(path, SourceFingerprint::Of(text));
  BOOST_TEST(!gone.GetLine(path, 2, &line));
  BOOST_TEST_REQUIRE(::symlink(original.c_str(), path.c_str()) == 0);
  BOOST_TEST(!gone.GetLine(path, 2, &line));
}

BOOST_AUTO_TEST_CASE(added_text_replaces_a_noted_file_and_back) {
  testing::TempDir dir;
  std::string path = dir.Write("a.md", "on disk\n");
  SourceMap sources;
  sources.AddOnDisk(path, SourceFingerprint::Of("on disk\n"));
  std::string line;
  BOOST_TEST(sources.GetLine(path, 1, &line));
  BOOST_TEST(line == "on disk");
  sources.Add(path, "in memory\n");
  BOOST_TEST(sources.GetLine(path, 1, &line));
  BOOST_TEST(line == "in memory");
  sources.AddOnDisk(path, SourceFingerprint::Of("on disk\n"));
  BOOST_TEST(sources.GetLine(path, 1, &line));
  BOOST_TEST(line == "on disk");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_and_control_bytes_are_replaced) {
  BOOST_TEST(SanitizeForDisplay(std::string("a\xff"
                                            "b\x01"
                                            "c",
                                            5)) ==
             "a\xEF\xBF\xBD"
             "b\xEF\xBF\xBD"
             "c");
  BOOST_TEST(SanitizeForDisplay("caf\xC3\xA9") == "caf\xC3\xA9");
  // Overlong encoding of '/' is invalid.
  BOOST_TEST(SanitizeForDisplay("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

// SanitizeForDisplay copies printable ASCII runs word by word: every byte
// value at every offset around a word must come out as the byte-at-a-time
// rule says.
BOOST_AUTO_TEST_CASE(sanitize_fast_path_matches_byte_at_a_time_rule) {
  auto reference = [](std::string_view bytes) {
    std::string out;
    for (size_t i = 0; i < bytes.size();) {
      int len = Utf8SequenceLength(bytes, i);
      auto c = static_cast<unsigned char>(bytes[i]);
      if (len == 0 || (len == 1 && c < 0x20 && c != '\t') || c == 0x7F) {
        out += "\xEF\xBF\xBD";
        i += len == 0 ? 1 : len;
        continue;
      }
      out.append(bytes.substr(i, len));
      i += len;
    }
    return out;
  };
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t before = 0; before <= 17; ++before) {
      for (std::string tail : {"", "x", "\xA9tail-of-text", "\x80\x80\x80 more"}) {
        std::string text = std::string(before, 'a') + static_cast<char>(byte) + tail;
        BOOST_TEST_CONTEXT("byte " << byte << " after " << before) {
          BOOST_TEST(SanitizeForDisplay(text) == reference(text));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(github_format_escapes_properties_and_data) {
  Diagnostic d{"content/services/a,b.md", 3, 4, Severity::kError, "50% wrong", "fix: it"};
  BOOST_TEST(FormatGithub(d) ==
             "::error file=content/services/a%2Cb.md,line=3,col=4::50%25 wrong (fix: it)\n");
}

BOOST_AUTO_TEST_CASE(sort_orders_by_file_then_line_and_drops_duplicates) {
  Diagnostics diags;
  diags.Error("b.md", 1, 1, "x");
  diags.Error("a.md", 9, 1, "y");
  diags.Warning("a.md", 2, 1, "z");
  diags.Error("a.md", 9, 1, "y");
  diags.Sort();
  BOOST_TEST_REQUIRE(diags.items().size() == 3u);
  BOOST_TEST(diags.items()[0].line == 2);
  BOOST_TEST(diags.items()[1].line == 9);
  BOOST_TEST(diags.items()[2].path == "b.md");
  BOOST_TEST(diags.ErrorCount() == 2);
  BOOST_TEST(diags.WarningCount() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
