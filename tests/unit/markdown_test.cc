#include "markdown.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>
#include <vector>

namespace signpost {

namespace {

std::string Html(const std::string& md) {
  MarkdownResult r = RenderMarkdown(md);
  BOOST_REQUIRE_MESSAGE(r.ok, r.message);
  return r.html;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(markdown_test)

// Expected HTML for the GFM features the directory uses.
BOOST_AUTO_TEST_CASE(renders_gfm_features) {
  struct Case {
    const char* markdown;
    const char* html;
  };
  const Case cases[] = {
      {"Hello *world*", "<p>Hello <em>world</em></p>\n"},
      {"~~old~~ new", "<p><del>old</del> new</p>\n"},
      {"Visit https://example.org/x now",
       "<p>Visit <a href=\"https://example.org/x\">https://example.org/x</a> now</p>\n"},
      {"Mail help@example.org",
       "<p>Mail <a href=\"mailto:help@example.org\">help@example.org</a></p>\n"},
      {"| a | b |\n| - | - |\n| 1 | 2 |\n",
       "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
       "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
      {"[call](tel:01632960123)", "<p><a href=\"tel:01632960123\">call</a></p>\n"},
      {"[01632 960123](tel:01632960123)",
       "<p><a href=\"tel:01632960123\">01632\u00a0960123</a></p>\n"},
      {"[text](sms:85258)", "<p><a href=\"sms:85258\">text</a></p>\n"},
      {"[rel](../other/)", "<p><a href=\"../other/\">rel</a></p>\n"},
      {"[frag](#top)", "<p><a href=\"#top\">frag</a></p>\n"},
      {"[web](http://example.org)", "<p><a href=\"http://example.org\">web</a></p>\n"},
  };
  for (const Case& c : cases) BOOST_TEST(Html(c.markdown) == c.html, c.markdown);
}

BOOST_AUTO_TEST_CASE(raw_html_never_passes) {
  const char* cases[] = {
      "<script>alert(1)</script>",
      "Text <script>alert(1)</script> inline",
      "<img src=x onerror=alert(1)>",
      "<iframe src=\"https://evil.example\"></iframe>",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<div onclick=\"alert(1)\">x</div>",
      "<style>body{display:none}</style>",
      "<textarea><script>alert(1)</script></textarea>",
      "<!-- comment --><svg onload=alert(1)>",
      "| a |\n| - |\n| <script>alert(1)</script> |\n",
  };
  for (const char* md : cases) {
    std::string html = Lower(Html(md));
    for (const char* tag : {"<script", "<img", "<iframe", "<div", "<style", "<svg", "<textarea",
                            "onclick", "onerror=alert(1)>"}) {
      BOOST_TEST(html.find(tag) == std::string::npos, md << " -> " << html);
    }
  }
}

BOOST_AUTO_TEST_CASE(unsafe_link_schemes_become_plain_text) {
  const char* cases[] = {
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](javascript&#58;alert(1))",
      "[x](javascript&colon;alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](<java\tscript:alert(1)>)",
      "[x]( vbscript:msgbox(1))",
      "[x](data:text/html,<script>alert(1)</script>)",
      "[x](DATA:text/html;base64,PHNjcmlwdD4=)",
      "[x](file:///etc/passwd)",
      "[x][ref]\n\n[ref]: javascript:alert(1)",
      "<javascript:alert(1)>",
      "[x](\\\\evil.example/share)",
  };
  for (const char* md : cases) {
    std::string html = Lower(Html(md));
    BOOST_TEST(html.find("href") == std::string::npos, md << " -> " << html);
    BOOST_TEST(html.find("href=\"javascript") == std::string::npos, md << " -> " << html);
    BOOST_TEST(html.find("href=\"data:") == std::string::npos, md << " -> " << html);
  }
  // The link text survives as text.
  BOOST_TEST(Html("[Click here](javascript:alert(1))") == "<p>Click here</p>\n");
}

BOOST_AUTO_TEST_CASE(anything_that_looks_like_a_scheme_is_checked) {
  // A colon before the first '/', '?' or '#' counts as a scheme, even where a
  // browser would read a relative path: refusing too much is the safe side.
  BOOST_TEST(!IsSafeUrl("java%0Ascript:alert(1)"));
  BOOST_TEST(Html("[x](java%0Ascript:alert(1))") == "<p>x</p>\n");
}

BOOST_AUTO_TEST_CASE(is_safe_url_table) {
  struct Case {
    const char* url;
    bool safe;
  };
  const Case cases[] = {
      {"https://example.org", true},
      {"HTTP://example.org", true},
      {"mailto:a@example.org", true},
      {"tel:+441632960123", true},
      {"sms:85258", true},
      {"../a/", true},
      {"#top", true},
      {"page?x=a:b", true},
      {"", true},
      {"javascript:alert(1)", false},
      {" JavaScript:alert(1)", false},
      {"java\nscript:alert(1)", false},
      {"java\tscript:x", false},
      {"\x01javascript:x", false},
      {"vbscript:x", false},
      {"data:text/html,x", false},
      {"file:///etc/passwd", false},
      {"ftp://example.org", false},
      {"\\\\evil/x", false},
      {"blob:https://x/y", false},
  };
  for (const Case& c : cases) BOOST_TEST(IsSafeUrl(c.url) == c.safe, c.url);
}

BOOST_AUTO_TEST_CASE(images_become_links_and_never_load) {
  BOOST_TEST(Html("![A leaflet](https://example.org/leaflet.pdf)") ==
             "<p><a href=\"https://example.org/leaflet.pdf\">A leaflet</a></p>\n");
  BOOST_TEST(Html("![](https://example.org/x.png)") ==
             "<p><a href=\"https://example.org/x.png\">Image</a></p>\n");
  BOOST_TEST(Html("![alt](javascript:alert(1))") == "<p>alt</p>\n");
  BOOST_TEST(Html("![alt](data:image/png;base64,AAAA)") == "<p>alt</p>\n");
  // An image inside a link keeps the link and becomes its text (no nested <a>).
  BOOST_TEST(Html("[![logo](https://e.org/l.png)](https://e.org/)") ==
             "<p><a href=\"https://e.org/\">logo</a></p>\n");
  BOOST_TEST(Lower(Html("![a](x.png) ![b](https://e.org/b.gif \"title\")")).find("<img") ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(headings_are_demoted_below_the_page_h1) {
  BOOST_TEST(Html("# One\n\n## Two\n\n###### Six") == "<h2>One</h2>\n<h3>Two</h3>\n<h6>Six</h6>\n");
  BOOST_TEST(Html("## Already h2\n\n### h3") == "<h2>Already h2</h2>\n<h3>h3</h3>\n");
  BOOST_TEST(Html("Setext\n======\n") == "<h2>Setext</h2>\n");
}

BOOST_AUTO_TEST_CASE(mustache_in_body_prints_literally) {
  BOOST_TEST(Html("{{site.title}} {{{x}}}") == "<p>{{site.title}} {{{x}}}</p>\n");
}

BOOST_AUTO_TEST_CASE(wide_table_with_many_short_rows_is_refused) {
  // CVE-2023-37463: a few KB of input, rows x columns of output.
  std::string header = "|", sep = "|";
  for (int i = 0; i < 500; ++i) {
    header += "a|";
    sep += "-|";
  }
  std::string md = "Intro\n\n" + header + "\n" + sep + "\n";
  for (int i = 0; i < 5000; ++i) md += "|x\n";
  MarkdownResult r = RenderMarkdown(md);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.message.find("too complex to render") != std::string::npos);
  BOOST_TEST(r.line == 3);
  BOOST_TEST(r.column == 1);
  BOOST_TEST(r.html.empty());
}

BOOST_AUTO_TEST_CASE(ordinary_table_is_within_limits) {
  std::string md = "| a | b | c |\n| - | - | - |\n";
  for (int i = 0; i < 200; ++i) md += "| 1 | 2 | 3 |\n";
  BOOST_TEST(RenderMarkdown(md).ok);
}

// Pathological inputs must finish (a hang shows as a CTest timeout) and not
// crash; no timing assertion here (speed belongs in bench/).
BOOST_AUTO_TEST_CASE(pathological_inputs_finish_without_crashing) {
  const std::pair<const char*, std::string> cases[] = {
      {"nested block quotes", std::string(100000, '>') + " deep\n"},
      {"open brackets", std::string(50000, '[')},
      {"open image brackets",
       [] {
         std::string s;
         for (int i = 0; i < 20000; ++i) s += "![";
         return s;
       }()},
      {"nested lists",
       [] {
         std::string s;
         for (int i = 0; i < 2000; ++i) s += std::string(i * 2 % 200, ' ') + "- item\n";
         return s;
       }()},
      {"emphasis runs",
       [] {
         std::string s;
         for (int i = 0; i < 30000; ++i) s += "*a_";
         return s;
       }()},
      {"backticks", std::string(50000, '`') + "x"},
      {"link reference storm",
       [] {
         std::string s;
         for (int i = 0; i < 5000; ++i) s += "[a" + std::to_string(i) + "]: https://e.org/\n";
         for (int i = 0; i < 5000; ++i) s += "[a" + std::to_string(i) + "] ";
         return s;
       }()},
      {"html comments",
       [] {
         std::string s;
         for (int i = 0; i < 30000; ++i) s += "<!--";
         return s;
       }()},
      {"table cells without rows", "|" + std::string(60000, 'a') + "|\n|-|\n"},
      {"invalid utf-8", std::string("\xff\xfe\xc3(\xe2\x82 text\n")},
      {"nul bytes", std::string("a\0b\0c", 5)},
  };
  for (const auto& [name, md] : cases) {
    MarkdownResult r = RenderMarkdown(md);
    BOOST_TEST_MESSAGE(name << ": ok=" << r.ok << " bytes=" << r.html.size());
    BOOST_TEST((r.ok || r.message.find("too complex") != std::string::npos), name);
    BOOST_TEST(r.html.size() <= kMaxRenderedBytes, name);
  }
}

// Regression: cmark-gfm 0.29 keeps the extensions' special characters in a
// process-wide table toggled by every parse; concurrent parses lost `~` and
// `|` until parsing was serialised.
BOOST_AUTO_TEST_CASE(concurrent_renders_keep_extension_syntax) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (RenderMarkdown("| a |\n| - |\n| ~~b~~ |\n").html.find("<del>") == std::string::npos) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(failures.load() == 0);
}

// The plain text for the search index comes from the same parse as the HTML.
BOOST_AUTO_TEST_CASE(plain_text_has_the_words_a_reader_sees) {
  struct Case {
    const char* markdown;
    const char* text;  // exactly
  };
  const Case cases[] = {
      {"## What happens\n\nWe **help** you.", "What happens\nWe help you.\n"},
      {"[our form](https://example.org/refer) today", "our form today\n"},
      {"- one\n- two", "one\ntwo\n"},
      {"Some <span>inline</span> text", "Some inline text\n"},
      {"<div>\nblock html\n</div>\n\nafter", "after\n"},
      {"`code` and *emphasis*", "code and emphasis\n"},
      {"line one\nline two", "line one\nline two\n"},
      {"| a | b |\n| - | - |\n| c | d |", "a\nb\nc\nd\n"},
      {"![a map](https://example.org/map.png)", "a map\n"},
      {"[bad](javascript:alert(1)) link", "bad link\n"},
      {"```\nfenced code\n```\nnext", "fenced code\nnext\n"},
      {"above\n\n---\n\nbelow", "above\nbelow\n"},
      {"~~gone~~ www.example.org", "gone www.example.org\n"},
      {"", ""},
  };
  for (const Case& c : cases) {
    MarkdownResult r = RenderMarkdown(c.markdown);
    BOOST_TEST(r.ok);
    BOOST_TEST(r.text == c.text, c.markdown);
    // Text only (a kept page's body, for the search index): the same words,
    // no HTML.
    MarkdownResult text_only = RenderMarkdown(c.markdown, /*html=*/false);
    BOOST_TEST(text_only.ok);
    BOOST_TEST(text_only.text == c.text, c.markdown);
    BOOST_TEST(text_only.html.empty());
  }
  BOOST_TEST(RenderMarkdown(std::string(5000, '>') + " deep words").text == "deep words\n");
  // Phone numbers in links are kept together in the text as on the page.
  const char* phone = "Call [01632 960 123](tel:+441632960123) now";
  BOOST_TEST(RenderMarkdown(phone, false).text == RenderMarkdown(phone).text);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
