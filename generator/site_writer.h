// The last pipeline stage: every output file is written into a staging folder
// beside the output folder, and only a fully successful build moves it into
// place, so a failed build leaves the previous site byte-identical.
//
// Two ways to move it into place:
//  - replace: the staging folder holds the whole site and is swapped with the
//    old one in one rename (a fresh --out, an old site without a manifest, or
//    set_update_in_place(false));
//  - update in place (the default over a site this tool made): the marker file
//    lists every file's size and XXH3 hash, Write() skips a file whose bytes
//    are unchanged, and Commit() renames only the changed files into the site
//    and deletes the ones no longer made. After editing one entry that is a few
//    dozen files instead of ~10,000 creations plus deleting the old site.
#ifndef SIGNPOST_SITE_WRITER_H_
#define SIGNPOST_SITE_WRITER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "diagnostic.h"
#include "file_stamp.h"

namespace signpost {

/// True when `rel` is a relative path that stays inside its root: no leading
/// '/', no '\\', no empty, "." or ".." segments, no NUL or control bytes.
bool IsSafeRelativePath(std::string_view rel);

/// One output file as the manifest records it.
struct ManifestEntry {
  uint64_t size = 0;
  uint64_t hash = 0;  ///< XXH3-64 of the bytes.
  /// What the file was made from (RenderMemo's key); 0: none recorded.
  uint64_t key = 0;
  bool operator==(const ManifestEntry&) const = default;
  /// The same bytes (size and hash), whatever the keys.
  bool SameBytes(const ManifestEntry& o) const { return size == o.size && hash == o.hash; }
};

/// What each page was made from (RenderMemo's key), by path.
using PageKeys = std::unordered_map<std::string, uint64_t>;

/// The manifest text stored in the marker file: a header line, then one
/// "<16 hex hash> <size> <path>" line per file, in the order given (sorted by
/// path); then, when any file has a key, a "keys" line and one
/// "<16 hex key> <path>" line per such file, in the same order. The keys are
/// the entries' own, or with `keys`, those instead.
std::string FormatManifest(const std::vector<std::pair<std::string, ManifestEntry>>& files,
                           const PageKeys* keys = nullptr);
/// Parses FormatManifest's text; false when it is not a manifest (an older
/// marker, a damaged file), which makes the next build replace the site.
/// Each file's key goes into its entry, and to *keys when given (a key for
/// a path the manifest does not list makes it invalid).
bool ParseManifest(std::string_view text, std::unordered_map<std::string, ManifestEntry>* files,
                   PageKeys* keys = nullptr);

class SiteWriter;

/// What a SiteWriter last committed into its folder, kept by a long-lived
/// process (signpost serve) for its next build: that build neither reads
/// the manifest again nor checks each kept file on disk (~20,000 fstatat
/// calls per rebuild at 10,000 entries, spread over its two writers). It
/// holds only while the marker file is the very file that commit wrote
/// (same FileStamp: device, inode, size and times): any other build into
/// the folder writes a new marker, and the next build reads the manifest
/// as usual. A file deleted or truncated by hand in between is not noticed
/// until a page is made again or the process restarts.
struct SiteState {
  bool valid = false;
  FileStamp marker;                                      ///< The marker file as written.
  std::unordered_map<std::string, ManifestEntry> files;  ///< With their keys.
};

/// One output file written piece by piece, for exports too large to build
/// in memory first (data/services.json is tens of MB at 10,000 services).
/// Hashed as it is written, so the manifest and "unchanged" checks work as
/// for SiteWriter::Write. Not thread-safe; one stream per thread.
class OutputStream {
 public:
  ~OutputStream();
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;

  /// Appends `bytes` (buffered).
  void Append(std::string_view bytes);
  /// Writes what is buffered and records the file with the writer; false
  /// (with a diagnostic) when any write failed. Call once, at the end.
  bool Close(Diagnostics* diags);

 private:
  friend class SiteWriter;
  OutputStream(SiteWriter* writer, std::string rel, std::string path, int fd);
  void Flush();

  SiteWriter* writer_;
  std::string rel_;
  std::string path_;
  int fd_;
  bool failed_ = false;
  int error_ = 0;  // errno of the first failed write
  uint64_t size_ = 0;
  void* hash_state_;  // XXH3_state_t, kept out of this header
  std::string buffer_;
};

/// Writes one build's output into `<out>.staging-<pid>` and moves it in.
class SiteWriter {
 public:
  /// The marker file that proves a folder was made by `signpost build`;
  /// any other non-empty folder is never replaced. It holds the manifest.
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
  /// creating parent folders; when updating in place and the site already
  /// holds exactly these bytes there, writes nothing. Thread-safe.
  /// `key`: what the file was made from, for the manifest (0: none).
  bool Write(std::string_view rel, std::string_view bytes, Diagnostics* diags, uint64_t key = 0);
  /// Keeps the file `rel` exactly as the previous build made it, without its
  /// bytes: for a stage that knows its inputs are unchanged (an incremental
  /// build). True when updating in place and the site still holds that file
  /// as the manifest records it; otherwise false, and the caller must write
  /// it. `key` is recorded with it (0: the key the manifest had). Thread-safe.
  bool Keep(std::string_view rel, uint64_t key = 0);
  /// Keep() for every file of the previous build whose path satisfies
  /// `keep` (e.g. the search index while only pages are rebuilt); returns
  /// how many were kept.
  size_t KeepWhere(const std::function<bool(std::string_view rel)>& keep);
  /// True when updating in place, the previous build made at least one file
  /// whose path satisfies `match`, and every such file is still there as
  /// the manifest records it: then KeepWhere(match) keeps all of them.
  bool AllInSite(const std::function<bool(std::string_view rel)>& match) const;
  /// Reads the previous build's file `rel` into *bytes; false unless
  /// updating in place and the file still holds exactly the bytes the
  /// manifest records. A file edited by hand does not count, and is written
  /// again by this build even when its new bytes equal the manifest's.
  /// Call before the build's writes start (not thread-safe).
  bool ReadPrevious(std::string_view rel, std::string* bytes);
  /// Starts the file `rel` for writing in pieces (see OutputStream); null
  /// (with a diagnostic) when it cannot be created. Thread-safe.
  std::unique_ptr<OutputStream> OpenStream(std::string_view rel, Diagnostics* diags);
  /// Copies the file `source` to `rel` inside the staging folder.
  bool CopyFile(const std::string& source, std::string_view rel, Diagnostics* diags);
  /// The absolute staging folder (for stages such as SQLite that need a path).
  /// Call EnsureParent(rel) first when writing into a new sub-folder, and
  /// Adopt(rel) once the file is complete.
  const std::string& staging_dir() const { return staging_; }
  /// Creates the folders above `rel` inside the staging folder.
  bool EnsureParent(std::string_view rel, Diagnostics* diags);
  /// Takes into the build the file `rel` that a stage wrote straight into
  /// staging_dir() (it is read back and hashed as Write would). A file
  /// there that is never adopted is not part of the site. Thread-safe.
  bool Adopt(std::string_view rel, Diagnostics* diags);
  /// Replace: atomically swaps the staging folder with the output folder
  /// (renameat2 RENAME_EXCHANGE when it exists), then renames the old one to
  /// `.<out>.old-<pid>` and deletes it in a detached process (see
  /// set_background_delete); Begin() deletes any such folder left behind.
  /// Update in place: renames each changed file into the site (each rename
  /// atomic), deletes files no longer made, then rewrites the manifest.
  bool Commit(Diagnostics* diags);
  /// When false, Commit() deletes the previous site before returning.
  void set_background_delete(bool on) { background_delete_ = on; }
  /// Starts from, and leaves behind, the state of the folder as this
  /// process last committed it (see SiteState). Call before Begin().
  void set_state(SiteState* state) { state_ = state; }
  /// When false (`build --clean`), every build replaces the whole site.
  /// Call before Begin().
  void set_update_in_place(bool on) { allow_update_ = on; }
  /// True after Begin() when this build updates an existing site in place.
  bool updating_in_place() const { return update_; }
  /// The page keys the previous build recorded in its manifest (empty when
  /// replacing the site): a later process's RenderMemo starts from them, so
  /// `signpost build` over its own output renders only what changed. Empty
  /// when the build started from a SiteState (its process has its own).
  const PageKeys& previous_keys() const { return previous_keys_; }
  /// Records `key` for the file `rel` this build made some other way than
  /// Write (a stream). A file without a key from this build keeps the
  /// previous one when its bytes are unchanged (the key still names inputs
  /// that make exactly these bytes). Call before Commit(). Thread-safe.
  void SetKey(std::string_view rel, uint64_t key);
  /// Bytes and files the build made (changed or not), for the summary.
  size_t bytes_written() const { return bytes_written_; }
  size_t files_written() const { return files_written_; }
  /// Files that differed from the previous site (all of them when replacing);
  /// known after Commit().
  size_t files_changed() const { return files_changed_; }
  /// Files of the previous site deleted because no longer made.
  size_t files_deleted() const { return files_deleted_; }

 private:
  friend class OutputStream;
  /// Records a finished file; when updating in place and the site already
  /// holds exactly these bytes, deletes the staged copy `staged`.
  void Record(std::string_view rel, const ManifestEntry& entry, const std::string& staged);
  /// Creates `dir` (absolute, under staging_) and its missing parents.
  /// Takes mutex_ itself, only around made_dirs_.
  bool MakeDirs(const std::string& dir, Diagnostics* diags);
  /// True when the previous site already holds exactly `entry` at `rel`.
  bool AlreadyInSite(const std::string& rel, const ManifestEntry& entry) const;
  /// True when `rel` is a regular file of `entry`'s size in the site folder.
  bool OnDisk(const std::string& rel, const ManifestEntry& entry) const;
  /// The manifest of what this build produced, with each file's key (see
  /// SetKey); fills in the keys of produced_ first.
  std::string Manifest();
  bool CommitReplace(Diagnostics* diags);
  bool CommitUpdate(Diagnostics* diags);
  /// After a commit that wrote `manifest` to the marker: the state the next
  /// build of this process starts from (no-op without set_state).
  void SaveState(const std::string& marker);

  SiteState* state_ = nullptr;
  /// previous_ came from this process's own last commit (SiteState), so a
  /// file it lists is taken to be on disk as recorded, without a stat.
  bool trusted_ = false;

  std::string out_;
  std::string staging_;
  bool committed_ = false;
  bool background_delete_ = true;
  bool allow_update_ = true;
  bool update_ = false;
  int out_fd_ = -1;  ///< The output folder, open while updating in place.
  /// The previous site's manifest (update in place only); read-only after
  /// Begin(), so Write() reads it without the lock.
  std::unordered_map<std::string, ManifestEntry> previous_;
  PageKeys previous_keys_;
  PageKeys keys_;                    ///< SetKey's, guarded by mutex_.
  std::mutex mutex_;                 // guards everything below and diagnostics
  std::set<std::string> made_dirs_;  ///< Folders known to exist (staging_ included).
  /// Every file this build made, changed or not: the next manifest.
  std::vector<std::pair<std::string, ManifestEntry>> produced_;
  /// The files written into staging_ (all of them when replacing; the
  /// changed ones when updating in place): what CommitUpdate moves in.
  std::vector<std::string> staged_;
  size_t bytes_written_ = 0;
  size_t files_written_ = 0;
  size_t files_changed_ = 0;
  size_t files_deleted_ = 0;
};

}  // namespace signpost

#endif  // SIGNPOST_SITE_WRITER_H_
