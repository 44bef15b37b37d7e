#include <ember/ember.hpp>
#include <iostream>

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);
  auto squares = ctx.range(1, 101).map([](const int64_t& x) { return x * x; });
  std::cout << "sum of squares: " << squares.sum() << "\n";
}
