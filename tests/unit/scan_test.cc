#include "scan.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace signpost {

BOOST_AUTO_TEST_SUITE(scan_test)

namespace {

// Random texts mixing plain letters with every byte class the scans treat
// specially, so matches fall at every offset of an 8-byte word.
std::vector<std::string> RandomTexts() {
  const std::string special = std::string("]<`\\\n\r\t\x7F\x80\xC3\xA9\xFF\x1F ~", 16) + '\0';
  unsigned seed = 2026;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return seed >> 16;
  };
  std::vector<std::string> texts = {"", "a", "abcdefgh", "abcdefghijklmnop"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t size = next() % 40;
    unsigned density = 2 + next() % 30;  // one special byte in `density`
    for (size_t k = 0; k < size; ++k) {
      text += next() % density == 0 ? special[next() % special.size()]
                                    : static_cast<char>('a' + next() % 26);
    }
    texts.push_back(text);
  }
  return texts;
}

}  // namespace

BOOST_AUTO_TEST_CASE(find_any_byte_matches_a_plain_loop) {
  for (const std::string& text : RandomTexts()) {
    for (size_t from = 0; from <= text.size() + 1; ++from) {
      size_t want = text.size();
      for (size_t i = from; i < text.size(); ++i) {
        if (text[i] == ']' || text[i] == '<') {
          want = i;
          break;
        }
      }
      BOOST_TEST_CONTEXT("text of " << text.size() << " bytes from " << from) {
        BOOST_TEST(FindAnyByte(text, from, ']', '<') == want);
      }
      size_t want3 = text.size();
      for (size_t i = from; i < text.size(); ++i) {
        if (text[i] == '\\' || text[i] == '`' || text[i] == '\0') {
          want3 = i;
          break;
        }
      }
      BOOST_TEST(FindAnyByte(text, from, '\\', '`', '\0') == want3);
    }
  }
}

BOOST_AUTO_TEST_CASE(printable_ascii_end_matches_a_plain_loop) {
  for (const std::string& text : RandomTexts()) {
    for (size_t from = 0; from <= text.size(); ++from) {
      size_t want = from;
      while (want < text.size() && static_cast<unsigned char>(text[want]) >= 0x20 &&
             static_cast<unsigned char>(text[want]) < 0x7F) {
        ++want;
      }
      BOOST_TEST(PrintableAsciiEnd(text, from) == want);
    }
  }
}

BOOST_AUTO_TEST_CASE(is_ascii_matches_a_plain_loop) {
  for (const std::string& text : RandomTexts()) {
    bool want = true;
    for (char c : text) want = want && static_cast<unsigned char>(c) < 0x80;
    BOOST_TEST(IsAscii(text) == want, "text of " << text.size() << " bytes");
  }
  // One high byte at every offset of a text longer than a word.
  for (size_t at = 0; at < 19; ++at) {
    std::string text(19, 'a');
    text[at] = '\x80';
    BOOST_TEST(!IsAscii(text), at);
  }
}

BOOST_AUTO_TEST_CASE(plain_ascii_word_boundaries) {
  // Every byte value in every position of a word.
  for (int byte = 0; byte < 256; ++byte) {
    for (int at = 0; at < 8; ++at) {
      std::string word = "abcdefgh";
      word[at] = static_cast<char>(byte);
      BOOST_TEST(IsPlainAsciiWord(word.data()) == (byte >= 1 && byte < 0x80));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
