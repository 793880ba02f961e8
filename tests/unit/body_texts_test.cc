#include "body_texts.h"

#include <boost/test/unit_test.hpp>
#include <thread>

namespace signpost {

BOOST_AUTO_TEST_SUITE(body_texts_test)

BOOST_AUTO_TEST_CASE(take_waits_for_put_in_any_order) {
  BodyTexts texts(100);
  std::thread producer([&] {
    // Published out of order, as two render threads would.
    for (int i = 99; i >= 0; i -= 2) texts.Put(i, "text " + std::to_string(i));
    for (int i = 0; i < 100; i += 2) texts.Put(i, "text " + std::to_string(i));
  });
  for (int i = 0; i < 100; ++i) BOOST_TEST(texts.Take(i) == "text " + std::to_string(i));
  producer.join();
  BOOST_TEST(!texts.closed());
}

BOOST_AUTO_TEST_CASE(close_releases_a_waiting_reader) {
  BodyTexts texts(3);
  texts.Put(0, "first");
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    texts.Close();
  });
  BOOST_TEST(texts.Take(0) == "first");
  BOOST_TEST(texts.Take(1) == "");  // never published: released by Close()
  closer.join();
  BOOST_TEST(texts.closed());
  BOOST_TEST(texts.Take(2) == "");
  texts.Close();  // idempotent
}

BOOST_AUTO_TEST_CASE(out_of_range_slots_are_ignored) {
  BodyTexts texts(1);
  texts.Put(5, "nowhere");
  BOOST_TEST(texts.Take(5) == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace signpost
