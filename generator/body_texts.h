// The hand-off of each service body's plain text from the renderer, which
// parses every Markdown body once (for the page and for the index), to the
// search index, which is built on its own thread at the same time.
#ifndef SIGNPOST_BODY_TEXTS_H_
#define SIGNPOST_BODY_TEXTS_H_

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace signpost {

/// One slot per service (by index into Catalogue::services), each filled
/// once by Put and emptied once by Take. Thread-safe; one thread takes.
class BodyTexts {
 public:
  /// How far a Put may run ahead of the reader before it waits.
  static constexpr size_t kMaxAhead = 256;
  /// `count` slots, all empty.
  explicit BodyTexts(size_t count);
  BodyTexts(const BodyTexts&) = delete;
  BodyTexts& operator=(const BodyTexts&) = delete;

  /// Publishes the text of slot `index` and wakes a Take waiting for it.
  /// Waits first while `index` is kMaxAhead or more slots past the next one
  /// the reader takes, unless closed.
  void Put(size_t index, std::string text);
  /// Waits until slot `index` is published, or until Close(), and takes its
  /// text (moved out: a slot is taken once). An unpublished slot after
  /// Close() gives "".
  std::string Take(size_t index);
  /// No more Puts will come (rendering finished or failed), or no more
  /// Takes (the reader stopped): wakes every waiter. Idempotent.
  void Close();
  /// True once Close() was called.
  bool closed() const;
  /// How many Puts are waiting for the reader to catch up (for tests).
  size_t waiting_puts() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable room_;  ///< A Put far ahead waits here.
  std::vector<std::string> texts_;
  std::vector<char> published_;
  static constexpr size_t kNone = static_cast<size_t>(-1);
  size_t awaited_ = kNone;  ///< The slot a Take is waiting for, if any.
  size_t next_ = 0;         ///< One past the last slot taken.
  size_t blocked_ = 0;      ///< Puts waiting for room.
  bool closed_ = false;
};

}  // namespace signpost

#endif  // SIGNPOST_BODY_TEXTS_H_
