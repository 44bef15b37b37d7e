// Drives the fuzz target without libFuzzer (GCC has none): valid encodings
// of each format, then a bounded number of random mutations of them (bit
// flips, cut and grown lengths, overwritten length fields, random bytes).
// Run by CTest, under the sanitizers of the build; tools/fuzz.sh runs the
// same target under libFuzzer's coverage-guided search.
//
//   decoders_fuzz [iterations] [seed]

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "net/detail/frame.hpp"
#include "scheduler/detail/protocol.hpp"
#include "sql/row.hpp"
#include "sql/types/batch.hpp"
#include "storage/block_frame.hpp"
#include "storage/map_status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using namespace ember;

std::vector<std::string> seeds() {
  const std::string text(300, 'x');
  std::string block;
  encodeFrame(text, Codec::kLz4, block);
  encodeFrame("raw payload", Codec::kNone, block);
  // A map status in each of its forms: few buckets with exact sizes, a
  // bitmap, and an average with one large bucket.
  std::vector<std::pair<int32_t, int64_t>> few{{2, 10}, {7, 2000}};
  std::vector<std::pair<int32_t, int64_t>> many;
  for (int32_t b = 0; b < 3000; ++b) many.emplace_back(b, b == 5 ? 1 << 20 : 100);
  detail::MapStatusesMessage statuses;
  statuses.shuffleId = 4;  // its first byte picks the message (4 % 3: map statuses)
  statuses.ranks = {1, 2, 1};
  statuses.statuses = {MapStatus(100, few), MapStatus(40, few), MapStatus(5000, many)};
  detail::TaskEndMessage end;
  end.taskId = 9;  // likewise (9 % 3: a task's end)
  end.succeeded = true;
  end.mapStatus = MapStatus(100, few);
  // A batch of three types with nulls, and a row, as the DataFrame layer
  // ships them (first byte 4: columnar; then 0: batch, 1: row).
  sql::BatchBuilder builder({DataType::bigint(), DataType::string(), DataType::decimal(30, 3)});
  for (int i = 0; i < 40; ++i) {
    sql::appendValue(builder.column(0), i % 3 ? sql::Value::bigint(i) : sql::Value::null());
    sql::appendValue(builder.column(1),
                     sql::Value::string(std::string(static_cast<size_t>(i), 'y')));
    sql::appendValue(builder.column(2), sql::Value::decimal(DataType::decimal(30, 3), i * 1001));
    builder.rowAppended();
  }
  std::string batch;
  ByteWriter batchOut(batch);
  builder.finish().writeTo(batchOut);
  std::string row;
  ByteWriter rowOut(row);
  Row({sql::Value::bigint(7), sql::Value::string("seven"), sql::Value::null(DataType::date())},
      std::make_shared<const StructType>(StructType::fromDDL("a BIGINT, b STRING, c DATE")))
      .writeTo(rowOut);
  return {
      std::string(1, '\4') + std::string(1, '\0') + batch,
      std::string(1, '\4') + std::string(1, '\1') + row,
      std::string(1, '\0') + net::detail::encodeFrame(net::detail::FrameKind::kMessage, 7, text),
      std::string(1, '\1') + block,
      std::string(1, '\2') + std::string(1, '\3') + std::string(40, '\0'),
      std::string(1, '\3') + detail::encode(end).payload,
      std::string(1, '\3') + detail::encode(statuses).payload,
  };
}

std::string mutate(std::string input, std::mt19937_64& rng) {
  auto pick = [&rng](size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  for (int edits = 1 + static_cast<int>(pick(4)); edits > 0; --edits) {
    switch (pick(5)) {
      case 0:  // flip a bit
        if (input.size() > 1) input[1 + pick(input.size() - 1)] ^= static_cast<char>(1 << pick(8));
        break;
      case 1:  // cut
        input.resize(1 + pick(input.size()));
        break;
      case 2:  // grow with random bytes
        for (size_t n = pick(64); n > 0; --n) input.push_back(static_cast<char>(rng()));
        break;
      case 3:  // an extreme 32-bit length somewhere
        if (input.size() > 5) {
          const uint32_t v = pick(2) ? 0xFFFFFFFFu : static_cast<uint32_t>(rng());
          const size_t at = 1 + pick(input.size() - 4);
          for (int b = 0; b < 4; ++b)
            input[at + static_cast<size_t>(b)] = static_cast<char>(v >> (8 * b));
        }
        break;
      default:  // another decoder for the same bytes
        input[0] = static_cast<char>(rng());
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 20000;
  std::mt19937_64 rng(argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1);
  const std::vector<std::string> corpus = seeds();
  auto run = [](const std::string& input) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  };
  for (const std::string& seed : corpus) run(seed);
  for (long i = 0; i < iterations; ++i)
    run(mutate(corpus[static_cast<size_t>(i) % corpus.size()], rng));
  std::cout << "decoders_fuzz: " << iterations << " mutated inputs, no crash\n";
  return 0;
}
