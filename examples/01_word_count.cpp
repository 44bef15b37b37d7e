// Tutorial 01: word count, the "hello world" of Spark.
//
// What to look at:
//   - textFile() gives an Rdd<std::string> with one element per line.
//   - flatMap, map and reduceByKey are transformations: they only describe
//     the computation. Nothing runs until an action (takeOrdered, count).
//   - reduceByKey adds the 1s of each word inside each partition first
//     (map-side combine), so only one (word, partial count) per word and
//     partition crosses the shuffle.
//
// Run it:
//   build/release/examples/01_word_count examples/data/sample.txt
//   build/release/examples/01_word_count --master local[1] examples/data/sample.txt
//   build/release/examples/01_word_count examples/data/sample.txt counts-out   (also saves every
//   count)
//
// The output you should see on the bundled sample:
//   the top ten words with their counts, "the" first, then a line
//   "<N> distinct words in <M> lines". With an output directory, it also holds
//   part-00000, part-00001 ("word<TAB>count" lines) and _SUCCESS.

#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

#include <ember/ember.hpp>

int main(int argc, char** argv) {
  ember::Context ctx(argc, argv);  // removes --master/--conf from argv
  if (argc < 2) {
    std::cerr << "usage: " << argv[0]
              << " [--master local[N]] <input file or directory> [output directory]\n";
    return 2;
  }

  auto lines = ctx.textFile(argv[1]);
  auto counts = lines.flatMap([](const std::string& line) { return ember::splitWords(line); })
                    .map([](const std::string& word) {
                      return std::pair{word, int64_t{1}};
                    })
                    .reduceByKey(std::plus<>{});

  // takeOrdered with "more frequent first" (ties by word, so the output is stable).
  auto top = counts.takeOrdered(10, [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (ctx.isDriver()) {
    std::cout << "Top words:\n";
    for (const auto& [word, n] : top) std::cout << "  " << word << "\t" << n << "\n";
    std::cout << counts.count() << " distinct words in " << lines.count() << " lines\n";
  }
  if (argc > 2) counts.saveAsTextFile(argv[2]);
  return 0;
}
