// The single Boost.Test module; every suite lives in its own *_test.cc file.
#define BOOST_TEST_MODULE signpost
#include <boost/test/unit_test.hpp>
