// What identifies one version of a file without reading it, shared by the
// stages that must notice an edit cheaply: the loader's entry cache, the
// site writer's record of its own marker, the theme's inputs.
#ifndef SIGNPOST_FILE_STAMP_H_
#define SIGNPOST_FILE_STAMP_H_

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace signpost {

/// An edit, a replacement or a `touch` changes at least one of these.
struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = -1;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

/// The stamp of what `st` describes.
inline FileStamp StampOf(const struct stat& st) {
  FileStamp stamp;
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = st.st_size;
  stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return stamp;
}

/// The stamp of `path` itself (not following a symbolic link); false, with
/// *stamp left as it was, when it cannot be stat'ed.
inline bool StampPath(const std::string& path, FileStamp* stamp, mode_t* mode = nullptr) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return false;
  *stamp = StampOf(st);
  if (mode != nullptr) *mode = st.st_mode;
  return true;
}

}  // namespace signpost

#endif  // SIGNPOST_FILE_STAMP_H_
