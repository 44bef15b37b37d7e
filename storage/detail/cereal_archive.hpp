#pragma once
// Cereal archives that write into ember's ByteWriter and read from its
// ByteReader, so a user type with a cereal serialize(Archive&) (or save/load)
// function is stored inline in a block: values as raw bytes, sizes as
// varints, field names dropped.
//
// The archives are templates over the writer and reader only so that this
// header does not need serializer.hpp (which includes it); ember uses them
// with ByteWriter and ByteReader alone.

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <cereal/cereal.hpp>

namespace ember {
class ByteWriter;
class ByteReader;
}  // namespace ember

namespace ember::detail {

template <class Writer>
class CerealOutput
    : public cereal::OutputArchive<CerealOutput<Writer>, cereal::AllowEmptyClassElision> {
 public:
  explicit CerealOutput(Writer& writer)
      : cereal::OutputArchive<CerealOutput, cereal::AllowEmptyClassElision>(this),
        writer_(&writer) {}

  void writeBytes(const void* data, size_t n) { writer_->write(data, n); }
  void writeSize(uint64_t size) { writer_->writeVarint(size); }

 private:
  Writer* writer_;
};

template <class Reader>
class CerealInput
    : public cereal::InputArchive<CerealInput<Reader>, cereal::AllowEmptyClassElision> {
 public:
  explicit CerealInput(Reader& reader)
      : cereal::InputArchive<CerealInput, cereal::AllowEmptyClassElision>(this), reader_(&reader) {}

  void readBytes(void* data, size_t n) { reader_->read(data, n); }

  /// A container size. Cereal resizes the container before reading its
  /// elements, so a size is checked against the bytes left first: a damaged
  /// size must not become a huge allocation. This assumes an element takes at
  /// least one byte, which an empty class (elided by cereal) does not.
  uint64_t readSize() {
    const uint64_t size = reader_->readVarint();
    if (size > reader_->remaining()) {
      reader_->fail("bad length: a cereal container claims " + std::to_string(size) +
                    " elements, more than the " + std::to_string(reader_->remaining()) +
                    " bytes left");
    }
    return size;
  }

 private:
  Reader* reader_;
};

// The functions below tell cereal how the archives store what it hands them;
// cereal finds them by argument-dependent lookup on the archive type.

template <class W, class T>
requires std::is_arithmetic_v<T>
void CEREAL_SAVE_FUNCTION_NAME(CerealOutput<W>& ar, const T& value) {
  ar.writeBytes(&value, sizeof value);
}

template <class R, class T>
requires std::is_arithmetic_v<T>
void CEREAL_LOAD_FUNCTION_NAME(CerealInput<R>& ar, T& value) { ar.readBytes(&value, sizeof value); }

// Fields are identified by position, so names cost nothing.
template <class W, class T>
void CEREAL_SAVE_FUNCTION_NAME(CerealOutput<W>& ar, const cereal::NameValuePair<T>& field) {
  ar(field.value);
}

template <class R, class T>
void CEREAL_LOAD_FUNCTION_NAME(CerealInput<R>& ar, cereal::NameValuePair<T>& field) {
  ar(field.value);
}

template <class W, class T>
void CEREAL_SAVE_FUNCTION_NAME(CerealOutput<W>& ar, const cereal::SizeTag<T>& tag) {
  ar.writeSize(static_cast<uint64_t>(tag.size));
}

template <class R, class T>
void CEREAL_LOAD_FUNCTION_NAME(CerealInput<R>& ar, cereal::SizeTag<T>& tag) {
  tag.size = static_cast<std::remove_reference_t<T>>(ar.readSize());
}

template <class W, class T>
void CEREAL_SAVE_FUNCTION_NAME(CerealOutput<W>& ar, const cereal::BinaryData<T>& data) {
  ar.writeBytes(data.data, static_cast<size_t>(data.size));
}

template <class R, class T>
void CEREAL_LOAD_FUNCTION_NAME(CerealInput<R>& ar, cereal::BinaryData<T>& data) {
  ar.readBytes(data.data, static_cast<size_t>(data.size));
}

}  // namespace ember::detail

// Registration lets users' polymorphic pointers go through these archives.
CEREAL_REGISTER_ARCHIVE(ember::detail::CerealOutput<ember::ByteWriter>)
CEREAL_REGISTER_ARCHIVE(ember::detail::CerealInput<ember::ByteReader>)
CEREAL_SETUP_ARCHIVE_TRAITS(ember::detail::CerealInput<ember::ByteReader>,
                            ember::detail::CerealOutput<ember::ByteWriter>)
