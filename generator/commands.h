// The sub-commands of the `signpost` executable. main.cc only parses the
// command line into these option structs and calls one Run* function, which
// returns the process exit code.
#ifndef SIGNPOST_COMMANDS_H_
#define SIGNPOST_COMMANDS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "loader.h"
#include "render.h"
#include "validate.h"

namespace signpost {

/// Exit codes (DESIGN.md "CLI contract").
constexpr int kExitOk = 0;
constexpr int kExitContentError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFailure = 3;

struct BuildOptions {
  std::string content_dir = "content";
  std::string templates_dir = "templates";
  std::string out_dir = "site";
  bool quiet = false;
  /// Rebuild every file and swap the whole folder in one rename, instead of
  /// updating only the files that changed.
  bool clean = false;
  /// Print how long each stage took (to stderr), for profiling.
  bool timings = false;
  /// With a BuildMemo that has built once (signpost serve): commit the pages
  /// first, keeping the previous search index, call this, and then build the
  /// search index and commit it too. A one-entry edit then shows in the
  /// pages in a fraction of the time the search index takes.
  std::function<void(const struct BuildResult&)> pages_ready;
  /// serve: when its watcher began the walk of the folders that found the
  /// change; the times reported (milliseconds, pages_milliseconds) count
  /// from there, the walk included. Unset: from the start of BuildSite.
  std::chrono::steady_clock::time_point noticed{};
};

struct CheckOptions {
  std::string content_dir = "content";
  std::string format = "text";  ///< "text" | "github"
};

struct SearchOptions {
  std::string query;
  std::string index = "site/data/directory.sqlite3";
  std::string category;
  std::string area;
  std::string tier;
  bool self_referral = false;
  int limit = 10;
  bool json = false;
};

struct ServeOptions {
  std::string content_dir = "content";
  std::string templates_dir = "templates";
  std::string out_dir = "site";
  std::string host = "127.0.0.1";
  int port = 8000;
  bool timings = false;  ///< Print how long each stage of a rebuild took.
};

struct NewOptions {
  std::string slug;
  std::string content_dir = "content";
};

/// What one run of the build pipeline did, for a summary line.
struct BuildResult {
  int exit_code = kExitOk;
  size_t services = 0;       ///< Published services.
  size_t files = 0;          ///< Files the site has.
  size_t files_changed = 0;  ///< Of those, written this time.
  size_t files_deleted = 0;  ///< Files of the previous site no longer made.
  bool updated_in_place = false;
  /// The search index was made from the same inputs as the previous
  /// site's (SearchIndexInputs), so it was kept, not made again.
  bool search_index_kept = false;
  /// serve: the look-alike pass was skipped, its inputs unchanged since it
  /// last found nothing (LookAlikeInputs).
  bool look_alikes_reused = false;
  size_t bytes = 0;
  long long milliseconds = 0;
  size_t entries_parsed = 0;  ///< With a memo: entries read and parsed (the rest reused).
  size_t pages_rendered = 0;  ///< Pages rendered; the rest were kept (their keys unchanged).
  size_t pages_kept = 0;      ///< Pages kept as the previous build made them.
  /// With pages_ready: when the pages were committed (milliseconds is when
  /// the search index was).
  long long pages_milliseconds = 0;
};

/// What one process keeps from build to build (signpost serve), so a
/// rebuild after a small edit re-parses only the changed entries and renders
/// only the pages whose inputs changed. Every such build still gives exactly
/// the bytes a clean build gives.
struct BuildMemo {
  EntryCache entries;
  ValidateMemo checks;
  RenderMemo pages;
  SiteState site;  ///< The output folder as the last build committed it.
  bool built = false;  ///< A build through this memo has succeeded.
};

/// Runs load → validate → render → index → write and prints diagnostics (and
/// "build failed" on failure) to stderr, but no summary line: RunBuild and
/// `signpost serve` print their own. With a `memo`, work whose inputs are
/// unchanged since the memo's last build is reused.
BuildResult BuildSite(const BuildOptions& options, BuildMemo* memo = nullptr);
/// BuildSite plus the "built N services ..." line unless options.quiet.
int RunBuild(const BuildOptions& options);
/// load → validate; writes nothing.
int RunCheck(const CheckOptions& options);
/// Queries the built FTS5 database and prints results to stdout.
int RunSearch(const SearchOptions& options);
/// Builds, serves the output folder on loopback and rebuilds on change.
int RunServe(const ServeOptions& options);
/// Writes content/services/<slug>.md from the commented skeleton.
int RunNew(const NewOptions& options);

}  // namespace signpost

#endif  // SIGNPOST_COMMANDS_H_
