#pragma once
// Thin RAII layer over the HDF5 C API: owned identifiers, groups and datasets that remember
// their file and path, typed 1-D/2-D datasets and string/integer attributes. Every HDF5 failure
// becomes an IoError naming the file and the object; HDF5's own error printing is silenced.

#include <hdf5.h>

#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anjian {

// A result file could not be written or read. The message is meant for the user.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace h5 {

// Element types stored in datasets. Files always use little-endian IEEE/two's-complement types,
// so a file does not depend on the machine that wrote it.
template <class T>
concept Element = std::same_as<T, double> || std::same_as<T, float> || std::same_as<T, std::int64_t> ||
    std::same_as<T, std::int32_t> || std::same_as<T, std::uint64_t> || std::same_as<T, std::uint32_t> ||
    std::same_as<T, std::uint16_t> || std::same_as<T, std::uint8_t>;

// Owns one HDF5 identifier and closes it with the matching H5?close.
template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns HDF5's status so that callers that must know (file close) can check.
  herr_t reset() {
    herr_t status = 0;
    if (id_ >= 0) status = Close(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using FileHandle = Handle<H5Fclose>;
using ObjectHandle = Handle<H5Oclose>;  // groups and datasets
using DataspaceHandle = Handle<H5Sclose>;
using TypeHandle = Handle<H5Tclose>;
using PropListHandle = Handle<H5Pclose>;
using AttributeHandle = Handle<H5Aclose>;

// Turns off HDF5's printing of its error stack in the calling thread (the library keeps that
// setting per thread), so that users see our IoError message only.
void silence_hdf5_errors();

// Throws an IoError "<action> <object> in <file>: <HDF5's innermost reason>". Call it right
// after the failing HDF5 call, before any other HDF5 call clears the error stack.
[[noreturn]] void fail(const std::string& file, const std::string& object, const std::string& action);

// A group or dataset, with the file name and path used in error messages.
class Object {
 public:
  hid_t id() const { return handle_.get(); }
  const std::string& file_name() const { return file_; }
  const std::string& path() const { return path_; }

  bool has_attribute(const std::string& name) const;
  std::vector<std::string> attribute_names() const;                           // in name order
  void set_attribute(const std::string& name, std::string_view value) const;  // UTF-8 string
  void set_attribute(const std::string& name, std::int64_t value) const;
  void set_attribute(const std::string& name, double value) const;
  std::string string_attribute(const std::string& name) const;  // variable or fixed length
  std::int64_t int_attribute(const std::string& name) const;
  double real_attribute(const std::string& name) const;

 protected:
  Object(ObjectHandle handle, std::string file, std::string path)
      : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& action) const { h5::fail(file_, path_, action); }

 private:
  ObjectHandle handle_;
  std::string file_;
  std::string path_;
};

// Values of a 2-D dataset in row-major order.
template <Element T>
struct Array2 {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<T> values;
};

class Dataset : public Object {
 public:
  std::vector<hsize_t> dims() const;
  template <Element T>
  void write(std::span<const T> values) const;  // the whole dataset, row-major
  template <Element T>
  void write_row(hsize_t row, std::span<const T> values) const;  // one row of a 2-D dataset
  template <Element T>
  std::vector<T> read() const;  // the whole dataset, row-major, converted to T

 private:
  friend class Group;
  Dataset(ObjectHandle handle, std::string file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}
};

class Group : public Object {
 public:
  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  bool contains(const std::string& name) const;  // a link of that name exists here
  std::vector<std::string> children() const;     // link names in name order

  // An uninitialised dataset of the given shape, contiguous, without timestamps.
  template <Element T>
  Dataset create_dataset(const std::string& name, const std::vector<hsize_t>& dims) const;
  Dataset open_dataset(const std::string& name) const;

  template <Element T>
  Dataset write_1d(const std::string& name, std::span<const T> values) const;
  template <Element T>
  Dataset write_2d(const std::string& name, std::size_t rows, std::size_t cols,
                   std::span<const T> values) const;
  Dataset write_string(const std::string& name, std::string_view value) const;  // scalar UTF-8

  template <Element T>
  std::vector<T> read_1d(const std::string& name) const;
  template <Element T>
  Array2<T> read_2d(const std::string& name) const;
  std::string read_string(const std::string& name) const;

 private:
  friend class File;
  Group(ObjectHandle handle, std::string file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}
};

class File {
 public:
  // A new file assembled in memory. HDF5 never touches the disk for it, so no I/O error can
  // strike inside the library (HDF5 1.10 crashes at exit after a close that failed to write);
  // the caller writes image() out. The settings make the bytes a function of the content only:
  // no object timestamps, a fixed format (the earliest, readable by every HDF5 release).
  // `display_name` is the name used in error messages.
  static File create_in_memory(const std::string& display_name);
  static File open_read_only(const std::string& path);

  Group root() const;
  const std::string& name() const { return name_; }
  // Flushes and returns the complete file as bytes, then closes it. Every group and dataset
  // of the file must have been destroyed before.
  std::vector<char> close_to_image();

 private:
  File(FileHandle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}
  FileHandle handle_;
  std::string name_;
};

}  // namespace h5
}  // namespace anjian
