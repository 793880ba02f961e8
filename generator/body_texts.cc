#include "body_texts.h"

#include <utility>

namespace signpost {

BodyTexts::BodyTexts(size_t count) : texts_(count), published_(count, 0) {}

void BodyTexts::Put(size_t index, std::string text) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (index >= texts_.size()) return;
    texts_[index] = std::move(text);
    published_[index] = 1;
  }
  // One reader (the index thread) waits for one slot at a time.
  ready_.notify_all();
}

std::string BodyTexts::Take(size_t index) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (index >= texts_.size()) return "";
  ready_.wait(lock, [&] { return published_[index] || closed_; });
  return std::move(texts_[index]);
}

void BodyTexts::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

bool BodyTexts::closed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_;
}

}  // namespace signpost
