#include "site_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
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

// Builds `files` (path -> bytes) into `out`; `update` false is `build --clean`.
struct BuildStats {
  bool ok = false;
  bool updated_in_place = false;
  size_t changed = 0;
  size_t deleted = 0;
};
BuildStats BuildFiles(const std::string& out, const std::map<std::string, std::string>& files,
                      bool update = true) {
  Diagnostics diags;
  SiteWriter writer(out);
  writer.set_background_delete(false);
  writer.set_update_in_place(update);
  BuildStats stats;
  if (!writer.Begin(&diags)) return stats;
  for (const auto& [rel, bytes] : files) {
    if (!writer.Write(rel, bytes, &diags)) return stats;
  }
  stats.updated_in_place = writer.updating_in_place();
  stats.ok = writer.Commit(&diags) && !diags.HasErrors();
  stats.changed = writer.files_changed();
  stats.deleted = writer.files_deleted();
  return stats;
}

// Every file under `dir` with its bytes, and every folder (as "path/").
std::map<std::string, std::string> Tree(const fs::path& dir) {
  std::map<std::string, std::string> tree;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = e.path().lexically_relative(dir).string();
    if (e.is_directory()) {
      tree[rel + "/"] = "";
    } else {
      tree[rel] = ReadFile(e.path());
    }
  }
  return tree;
}

ino_t Inode(const fs::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
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

BOOST_AUTO_TEST_CASE(manifest_round_trips_and_refuses_damage) {
  std::vector<std::pair<std::string, ManifestEntry>> files = {
      {"404.html", {12, 0x0123456789abcdefULL}},
      {"services/a b/index.html", {0, 0}},
  };
  std::string text = FormatManifest(files);
  std::unordered_map<std::string, ManifestEntry> parsed;
  BOOST_REQUIRE(ParseManifest(text, &parsed));
  BOOST_TEST(parsed.size() == 2u);
  BOOST_TEST((parsed["404.html"] == ManifestEntry{12, 0x0123456789abcdefULL}));
  BOOST_TEST(parsed.count("services/a b/index.html") == 1u);
  const std::string header = text.substr(0, text.find("0123"));
  for (const std::string& bad : {
           std::string("This folder was generated by signpost build.\n"),  // an older marker
           std::string(""), header + "0123456789abcdef 12 ../../etc/passwd\n",
           header + "0123456789abcdef 12 /etc/passwd\n", header + "0123456789abcdeg 12 a\n",
           header + "0123456789abcdef x a\n",
           header + "0123456789abcdef 12 a",  // cut short
       }) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseManifest(bad, &parsed)); }
  }
}

BOOST_AUTO_TEST_CASE(manifest_round_trips_page_keys_and_refuses_stray_ones) {
  std::vector<std::pair<std::string, ManifestEntry>> files = {
      {"404.html", {12, 1}},
      {"services/a b/index.html", {3, 2}},
  };
  PageKeys keys = {{"services/a b/index.html", 0xfedcba9876543210ULL}};
  std::string text = FormatManifest(files, &keys);
  BOOST_TEST(text.find("\nkeys\nfedcba9876543210 services/a b/index.html\n") != std::string::npos);
  std::unordered_map<std::string, ManifestEntry> parsed;
  PageKeys parsed_keys;
  BOOST_REQUIRE(ParseManifest(text, &parsed, &parsed_keys));
  BOOST_TEST(parsed.size() == 2u);
  BOOST_TEST((parsed_keys == keys));
  // Without keys the format is exactly the old one.
  PageKeys none;
  BOOST_TEST(FormatManifest(files, &none) == FormatManifest(files));
  // A key for a file the manifest does not list, or a bad key line.
  for (const std::string& bad : {text + "0000000000000001 elsewhere.html\n",
                                 text + "000000000000000z 404.html\n", text + "keys\n"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseManifest(bad, &parsed, &parsed_keys)); }
  }
}

BOOST_AUTO_TEST_CASE(update_in_place_rewrites_only_the_files_that_changed) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BuildStats first = BuildFiles(out, {{"a/index.html", "one"}, {"b/index.html", "same"}});
  BOOST_REQUIRE(first.ok);
  BOOST_TEST(!first.updated_in_place);  // a fresh folder is made whole
  ino_t b = Inode(out + "/b/index.html");
  BuildStats second = BuildFiles(out, {{"a/index.html", "two"}, {"b/index.html", "same"}});
  BOOST_REQUIRE(second.ok);
  BOOST_TEST(second.updated_in_place);
  BOOST_TEST(second.changed == 1u);
  BOOST_TEST(second.deleted == 0u);
  BOOST_TEST(ReadFile(out + "/a/index.html") == "two");
  BOOST_TEST(Inode(out + "/b/index.html") == b);   // untouched, not rewritten
  BOOST_TEST(Others(tmp.path(), "site").empty());  // no staging folder left
}

BOOST_AUTO_TEST_CASE(update_in_place_gives_the_same_tree_as_a_clean_build) {
  testing::TempDir tmp;
  std::string updated = tmp.path() + "/updated";
  std::string clean = tmp.path() + "/clean";
  BOOST_REQUIRE(BuildFiles(updated, {{"index.html", "home"},
                                     {"services/gone/index.html", "removed later"},
                                     {"services/kept/index.html", "kept"},
                                     {"data/search/shard.1.json", "old shard"}})
                    .ok);
  std::map<std::string, std::string> next = {{"index.html", "home, changed"},
                                             {"services/kept/index.html", "kept"},
                                             {"services/new/index.html", "new"},
                                             {"data/search/shard.2.json", "new shard"}};
  BuildStats stats = BuildFiles(updated, next);
  BOOST_REQUIRE(stats.ok);
  BOOST_TEST(stats.updated_in_place);
  BOOST_TEST(stats.changed == 3u);
  BOOST_TEST(stats.deleted == 2u);
  BOOST_REQUIRE(BuildFiles(clean, next, /*update=*/false).ok);
  // Same files, same bytes, same manifest, and the emptied folders are gone.
  BOOST_TEST(Tree(updated) == Tree(clean));
  BOOST_TEST(!fs::exists(updated + "/services/gone"));
}

BOOST_AUTO_TEST_CASE(a_file_deleted_or_changed_by_hand_is_written_again) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  std::map<std::string, std::string> files = {{"a.html", "aaaa"}, {"b.html", "bbbb"}};
  BOOST_REQUIRE(BuildFiles(out, files).ok);
  fs::remove(out + "/a.html");
  std::ofstream(out + "/b.html") << "truncated";
  BuildStats stats = BuildFiles(out, files);
  BOOST_REQUIRE(stats.ok);
  BOOST_TEST(stats.changed == 2u);
  BOOST_TEST(ReadFile(out + "/a.html") == "aaaa");
  BOOST_TEST(ReadFile(out + "/b.html") == "bbbb");
}

BOOST_AUTO_TEST_CASE(adopted_files_written_straight_into_staging_are_moved_in_and_listed) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  struct Round {
    const char* db;
    size_t changed;
  } rounds[] = {{"version 1", 1}, {"version 2", 1}, {"version 2", 0}};
  for (const Round& round : rounds) {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    // As the SQLite stage does: a path inside the staging folder.
    BOOST_REQUIRE(writer.EnsureParent("data/db.sqlite3", &diags));
    std::ofstream(writer.staging_dir() + "/data/db.sqlite3") << round.db;
    BOOST_REQUIRE(writer.Adopt("data/db.sqlite3", &diags));
    BOOST_REQUIRE(writer.Commit(&diags));
    BOOST_TEST(ReadFile(out + "/data/db.sqlite3") == round.db);
    BOOST_TEST(writer.files_changed() == round.changed);
    std::unordered_map<std::string, ManifestEntry> manifest;
    BOOST_REQUIRE(ParseManifest(ReadFile(out + "/" + SiteWriter::kMarkerFile), &manifest));
    BOOST_TEST(manifest.count("data/db.sqlite3") == 1u);
  }
}

// A build that died while moving files in leaves no manifest: the next one
// must not trust hashes of a half-updated folder and replaces it whole.
BOOST_AUTO_TEST_CASE(a_half_updated_site_is_replaced_whole) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "a"}}).ok);
  std::ofstream(out + "/" + SiteWriter::kMarkerFile)
      << "This folder was generated by signpost build.\n"
         "update in progress: the next build replaces this site\n";
  BuildStats stats = BuildFiles(out, {{"a.html", "a"}});
  BOOST_REQUIRE(stats.ok);
  BOOST_TEST(!stats.updated_in_place);
  BOOST_TEST(ReadFile(out + "/a.html") == "a");
}

BOOST_AUTO_TEST_CASE(clean_replaces_the_whole_folder) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "a"}}).ok);
  ino_t before = Inode(out + "/a.html");
  BuildStats stats = BuildFiles(out, {{"a.html", "a"}}, /*update=*/false);
  BOOST_REQUIRE(stats.ok);
  BOOST_TEST(!stats.updated_in_place);
  BOOST_TEST(stats.changed == 1u);
  BOOST_TEST(Inode(out + "/a.html") != before);
}

// Updating in place works from the manifests, not by walking the site: a
// file put into the site by hand is left alone until `build --clean`.
BOOST_AUTO_TEST_CASE(update_in_place_leaves_files_no_build_made_until_clean) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "a"}, {"old/index.html", "old"}}).ok);
  std::ofstream(out + "/by-hand.txt") << "notes";
  BuildStats stats = BuildFiles(out, {{"a.html", "a"}});
  BOOST_REQUIRE(stats.ok);
  BOOST_TEST(stats.deleted == 1u);
  BOOST_TEST(!fs::exists(out + "/old"));
  BOOST_TEST(ReadFile(out + "/by-hand.txt") == "notes");
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "a"}}, /*update=*/false).ok);
  BOOST_TEST(!fs::exists(out + "/by-hand.txt"));
}

// The last write of a path wins; when that is what the site holds already,
// nothing is moved in.
BOOST_AUTO_TEST_CASE(a_path_written_twice_keeps_the_last_version) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "same"}}).ok);
  ino_t before = Inode(out + "/a.html");
  Diagnostics diags;
  SiteWriter writer(out);
  writer.set_background_delete(false);
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_REQUIRE(writer.Write("a.html", "draft", &diags));
  BOOST_REQUIRE(writer.Write("a.html", "same", &diags));
  BOOST_REQUIRE(writer.Commit(&diags));
  BOOST_TEST(writer.files_changed() == 0u);
  BOOST_TEST(ReadFile(out + "/a.html") == "same");
  BOOST_TEST(Inode(out + "/a.html") == before);
}

// An incremental build keeps a file it did not render; the manifest still
// lists it, and a file that is not (or no longer) in the site cannot be kept.
BOOST_AUTO_TEST_CASE(keep_carries_an_unchanged_file_over) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  {
    Diagnostics diags;
    SiteWriter writer(out);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_TEST(!writer.Keep("a.html"));  // nothing to keep in a fresh folder
  }
  BOOST_REQUIRE(BuildFiles(out, {{"a.html", "aaa"}, {"b.html", "bbb"}}).ok);
  ino_t a = Inode(out + "/a.html");
  Diagnostics diags;
  SiteWriter writer(out);
  writer.set_background_delete(false);
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_TEST(writer.Keep("a.html"));
  BOOST_TEST(!writer.Keep("missing.html"));
  fs::remove(out + "/b.html");
  BOOST_TEST(!writer.Keep("b.html"));  // deleted by hand: must be written
  BOOST_REQUIRE(writer.Write("b.html", "bbb", &diags));
  BOOST_REQUIRE(writer.Commit(&diags));
  BOOST_TEST(writer.files_deleted() == 0u);
  BOOST_TEST(Inode(out + "/a.html") == a);
  BOOST_TEST(ReadFile(out + "/b.html") == "bbb");
  std::unordered_map<std::string, ManifestEntry> manifest;
  BOOST_REQUIRE(ParseManifest(ReadFile(out + "/" + SiteWriter::kMarkerFile), &manifest));
  BOOST_TEST(manifest.size() == 2u);
  BOOST_TEST(manifest.count("a.html") == 1u);
}

// AllInSite says whether a whole group of the previous build's files is
// still there; ReadPrevious reads one only while it holds the manifest's bytes.
BOOST_AUTO_TEST_CASE(all_in_site_and_read_previous_trust_only_intact_files) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  auto in_index = [](std::string_view rel) { return rel.substr(0, 6) == "index/"; };
  {
    Diagnostics diags;
    SiteWriter writer(out);
    BOOST_REQUIRE(writer.Begin(&diags));
    std::string bytes;
    BOOST_TEST(!writer.AllInSite(in_index));  // a fresh folder has nothing
    BOOST_TEST(!writer.ReadPrevious("index/key", &bytes));
  }
  BOOST_REQUIRE(
      BuildFiles(out, {{"index/a", "aaa"}, {"index/key", "k1"}, {"page.html", "p"}}).ok);
  auto check = [&](bool all, bool read, const std::string& expect) {
    Diagnostics diags;
    SiteWriter writer(out);
    BOOST_REQUIRE(writer.Begin(&diags));
    std::string bytes;
    BOOST_TEST(writer.AllInSite(in_index) == all);
    BOOST_TEST(writer.ReadPrevious("index/key", &bytes) == read);
    if (read) BOOST_TEST(bytes == expect);
    BOOST_TEST(!writer.AllInSite([](std::string_view rel) { return rel == "none"; }));
    BOOST_TEST(!writer.ReadPrevious("page-not-made.html", &bytes));
  };
  check(true, true, "k1");
  std::ofstream(out + "/index/key", std::ios::trunc) << "k2";  // same size, other bytes
  check(true, false, "");
  {
    // ReadPrevious found it changed by hand: the same bytes as the
    // manifest's are written again (a size check alone would skip them).
    Diagnostics diags;
    SiteWriter writer(out);
    BOOST_REQUIRE(writer.Begin(&diags));
    std::string bytes;
    BOOST_TEST(!writer.ReadPrevious("index/key", &bytes));
    BOOST_REQUIRE(writer.Write("index/key", "k1", &diags));
    BOOST_REQUIRE(writer.Keep("index/a") && writer.Keep("page.html"));
    BOOST_REQUIRE(writer.Commit(&diags));
    BOOST_TEST(ReadFile(out + "/index/key") == "k1");
  }
  std::ofstream(out + "/index/key", std::ios::trunc) << "k2";
  fs::remove(out + "/index/a");
  check(false, false, "");
}

// A long-lived process (serve) starts each build from the folder as its own
// last commit left it: the same manifest, page keys and tree as a writer
// that reads the marker, without checking each kept file on disk.
BOOST_AUTO_TEST_CASE(a_saved_state_stands_for_the_folder_its_commit_left) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  SiteState state;
  auto build = [&](SiteState* with, const std::map<std::string, std::string>& write,
                   const std::vector<std::string>& keep, const PageKeys& keys) {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    writer.set_state(with);
    BOOST_REQUIRE(writer.Begin(&diags));
    for (const auto& [rel, bytes] : write) {
      auto key = keys.find(rel);
      BOOST_REQUIRE(writer.Write(rel, bytes, &diags, key == keys.end() ? 0 : key->second));
    }
    std::vector<std::string> not_kept;
    for (const std::string& rel : keep) {
      if (!writer.Keep(rel)) not_kept.push_back(rel);
    }
    BOOST_REQUIRE(writer.Commit(&diags));
    return not_kept;
  };
  build(&state, {{"a.html", "aaa"}, {"b/index.html", "bbb"}}, {}, {{"a.html", 7}});
  BOOST_REQUIRE(state.valid);
  BOOST_TEST(state.files.size() == 2u);
  BOOST_TEST(state.files.at("a.html").key == 7u);
  std::string marker = ReadFile(out + "/" + SiteWriter::kMarkerFile);

  // Keeping everything through the state gives the same marker and keys.
  BOOST_TEST(build(&state, {}, {"a.html", "b/index.html"}, {}).empty());
  BOOST_TEST(ReadFile(out + "/" + SiteWriter::kMarkerFile) == marker);
  BOOST_TEST(state.files.at("a.html").key == 7u);  // carried: the bytes are unchanged

  // Taken on trust: a file deleted by hand is not noticed through the state
  // (that is its price), but is by any writer that reads the marker.
  fs::remove(out + "/b/index.html");
  {
    SiteState copy = state;
    BOOST_TEST(build(&copy, {}, {"a.html", "b/index.html"}, {}).empty());
  }
  BOOST_TEST(build(nullptr, {{"b/index.html", "bbb"}}, {"a.html"}, {}).empty());
  BOOST_TEST(ReadFile(out + "/b/index.html") == "bbb");

  // Another build into the folder (here, one without the state) writes a new
  // marker: the state no longer stands for the folder and is not used.
  build(&state, {{"a.html", "aaa"}}, {}, {});  // b/ dropped
  BOOST_REQUIRE(state.valid);
  build(nullptr, {{"a.html", "aaa"}, {"c.html", "ccc"}}, {}, {});
  BOOST_TEST(build(&state, {}, {"a.html", "b/index.html", "c.html"}, {}) ==
                 std::vector<std::string>{"b/index.html"},
             boost::test_tools::per_element());
  std::unordered_map<std::string, ManifestEntry> manifest;
  BOOST_REQUIRE(ParseManifest(ReadFile(out + "/" + SiteWriter::kMarkerFile), &manifest));
  BOOST_TEST(manifest.size() == 2u);
  BOOST_TEST(manifest.count("c.html") == 1u);

  // A failed build leaves no state: the next one reads the marker.
  {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_state(&state);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(writer.Write("a.html", "changed", &diags));
  }  // never committed
  BOOST_TEST(!state.valid);
  BOOST_TEST(ReadFile(out + "/a.html") == "aaa");
}

// Each file's key travels with it: given to Write or Keep, carried from the
// previous manifest by a Keep or an unchanged Write without one, and SetKey's
// (for a streamed file) over any other.
BOOST_AUTO_TEST_CASE(keys_travel_with_their_files) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  auto keys = [&] {
    std::unordered_map<std::string, ManifestEntry> files;
    PageKeys parsed;
    BOOST_REQUIRE(ParseManifest(ReadFile(out + "/" + SiteWriter::kMarkerFile), &files, &parsed));
    for (const auto& [rel, entry] : files)
      BOOST_TEST(entry.key == (parsed.count(rel) ? parsed[rel] : 0));
    return parsed;
  };
  {
    Diagnostics diags;
    SiteWriter writer(out);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(writer.Write("a.html", "a", &diags, 1));
    BOOST_REQUIRE(writer.Write("b.html", "b", &diags, 2));
    BOOST_REQUIRE(writer.Write("c.html", "c", &diags, 3));
    BOOST_REQUIRE(writer.Write("d.json", "d", &diags));
    BOOST_REQUIRE(writer.Commit(&diags));
  }
  BOOST_TEST((keys() == PageKeys{{"a.html", 1}, {"b.html", 2}, {"c.html", 3}}));
  {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(writer.Keep("a.html"));                // carried: 1
    BOOST_REQUIRE(writer.Keep("b.html", 20));            // given: 20
    BOOST_REQUIRE(writer.Write("c.html", "c", &diags));  // same bytes, no key: 3 carried
    BOOST_REQUIRE(writer.Keep("d.json"));
    writer.SetKey("d.json", 4);
    writer.SetKey("a.html", 10);  // over the carried one
    BOOST_REQUIRE(writer.Commit(&diags));
  }
  BOOST_TEST((keys() == PageKeys{{"a.html", 10}, {"b.html", 20}, {"c.html", 3}, {"d.json", 4}}));
  {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    BOOST_REQUIRE(writer.Write("a.html", "a", &diags, 10));
    BOOST_REQUIRE(writer.Write("b.html", "b", &diags, 20));
    BOOST_REQUIRE(writer.Write("c.html", "changed", &diags));  // new bytes: the old key goes
    BOOST_REQUIRE(writer.Keep("d.json"));
    BOOST_REQUIRE(writer.Commit(&diags));
  }
  BOOST_TEST((keys() == PageKeys{{"a.html", 10}, {"b.html", 20}, {"d.json", 4}}));
}

// A file written in pieces is the same file as one written whole: same
// bytes, and the next build's Write() of those bytes finds it unchanged.
BOOST_AUTO_TEST_CASE(a_streamed_file_equals_one_written_whole) {
  testing::TempDir tmp;
  std::string out = tmp.path() + "/site";
  std::string big;
  for (int i = 0; i < 40000; ++i) big += "line " + std::to_string(i) + "\n";  // > the buffer
  {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    auto stream = writer.OpenStream("data/big.json", &diags);
    BOOST_REQUIRE(stream != nullptr);
    stream->Append("");
    stream->Append(std::string_view(big).substr(0, 7));
    stream->Append(std::string_view(big).substr(7, 300000));  // one piece larger than the buffer
    stream->Append(std::string_view(big).substr(300007));
    BOOST_REQUIRE(stream->Close(&diags));
    BOOST_REQUIRE(writer.Commit(&diags));
    BOOST_TEST(writer.files_written() == 1u);
    BOOST_TEST(writer.bytes_written() == big.size());
  }
  BOOST_TEST(ReadFile(out + "/data/big.json") == big);
  ino_t before = Inode(out + "/data/big.json");
  BuildStats again = BuildFiles(out, {{"data/big.json", big}});
  BOOST_REQUIRE(again.ok);
  BOOST_TEST(again.updated_in_place);
  BOOST_TEST(again.changed == 0u);
  BOOST_TEST(Inode(out + "/data/big.json") == before);

  // And the other way round: streamed after a whole write, unchanged bytes
  // are not moved in; changed ones are.
  for (const std::string& bytes : {big, big + "more\n"}) {
    Diagnostics diags;
    SiteWriter writer(out);
    writer.set_background_delete(false);
    BOOST_REQUIRE(writer.Begin(&diags));
    auto stream = writer.OpenStream("data/big.json", &diags);
    BOOST_REQUIRE(stream != nullptr);
    stream->Append(bytes);
    BOOST_REQUIRE(stream->Close(&diags));
    BOOST_REQUIRE(writer.Commit(&diags));
    BOOST_TEST(writer.files_changed() == (bytes == big ? 0u : 1u));
    BOOST_TEST(ReadFile(out + "/data/big.json") == bytes);
  }
}

BOOST_AUTO_TEST_CASE(a_stream_refuses_paths_that_escape_the_site) {
  testing::TempDir tmp;
  Diagnostics diags;
  SiteWriter writer(tmp.path() + "/site");
  BOOST_REQUIRE(writer.Begin(&diags));
  BOOST_TEST(writer.OpenStream("../escape.json", &diags) == nullptr);
  BOOST_TEST(diags.HasErrors());
  BOOST_TEST(!fs::exists(tmp.path() + "/escape.json"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace signpost
