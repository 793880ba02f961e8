// The last pipeline stage: every output file is written into a staging folder
// beside the output folder, and only a fully successful build swaps it in, so
// a failed build leaves the previous site byte-identical.
#ifndef SIGNPOST_SITE_WRITER_H_
#define SIGNPOST_SITE_WRITER_H_

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "diagnostic.h"

namespace signpost {

/// True when `rel` is a relative path that stays inside its root: no leading
/// '/', no '\\', no empty, "." or ".." segments, no NUL or control bytes.
bool IsSafeRelativePath(std::string_view rel);

/// Writes one build's output into `<out>.staging-<pid>` and swaps it in.
class SiteWriter {
 public:
  /// The marker file that proves a folder was made by `signpost build`;
  /// any other non-empty folder is never replaced.
  static constexpr const char* kMarkerFile = ".signpost-site";

  explicit SiteWriter(std::string out_dir);
  /// Removes the staging folder unless Commit() succeeded.
  ~SiteWriter();
  SiteWriter(const SiteWriter&) = delete;
  SiteWriter& operator=(const SiteWriter&) = delete;

  /// Creates an empty staging folder; false (with a diagnostic naming the
  /// path) when the output folder cannot be replaced or written.
  bool Begin(Diagnostics* diags);
  /// Writes `bytes` to the relative path `rel` inside the staging folder,
  /// creating parent folders. Safe to call from several threads at once.
  bool Write(std::string_view rel, std::string_view bytes, Diagnostics* diags);
  /// Copies the file `source` to `rel` inside the staging folder.
  bool CopyFile(const std::string& source, std::string_view rel, Diagnostics* diags);
  /// The absolute staging folder (for stages such as SQLite that need a path).
  /// Call EnsureParent(rel) first when writing into a new sub-folder.
  const std::string& staging_dir() const { return staging_; }
  /// Creates the folders above `rel` inside the staging folder.
  bool EnsureParent(std::string_view rel, Diagnostics* diags);
  /// Atomically replaces the output folder with the staging folder
  /// (renameat2 RENAME_EXCHANGE when it exists), then renames the old one to
  /// `.<out>.old-<pid>` and deletes it in a detached process (see
  /// set_background_delete); Begin() deletes any such folder left behind.
  bool Commit(Diagnostics* diags);
  /// When false, Commit() deletes the previous site before returning.
  void set_background_delete(bool on) { background_delete_ = on; }
  /// Total bytes written so far (for the build summary).
  size_t bytes_written() const { return bytes_written_; }
  size_t files_written() const { return files_written_; }

 private:
  bool MakeDirs(const std::string& dir, Diagnostics* diags);

  std::string out_;
  std::string staging_;
  bool committed_ = false;
  bool background_delete_ = true;
  std::mutex mutex_;  // guards made_dirs_, counters and diagnostics
  std::set<std::string> made_dirs_;
  size_t bytes_written_ = 0;
  size_t files_written_ = 0;
};

}  // namespace signpost

#endif  // SIGNPOST_SITE_WRITER_H_
