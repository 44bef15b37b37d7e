#pragma once
// A batch through the bytes the exchange and the cache write, and back:
// what the serialization tests round-trip and then damage.

#include <string>

#include <ember/ember.hpp>

#include "storage/serializer.hpp"

namespace ember::testing {

/// The bytes `batch.writeTo` writes.
inline std::string bytesOf(const sql::Batch& batch) {
  std::string bytes;
  ByteWriter w(bytes);
  batch.writeTo(w);
  return bytes;
}

/// The batch that `bytes` hold, read by `readFrom`.
inline sql::Batch batchFrom(const std::string& bytes) {
  ByteReader r(bytes, "a test batch");
  sql::Batch back;
  back.readFrom(r);
  return back;
}

}  // namespace ember::testing
