// The Catch2 runner for the whole suite (each TEST_CASE is its own ctest test).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
