#include "io/hdf5_util.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <numeric>

namespace anjian::h5 {

namespace {

// Growth step of an in-memory file; large steps keep reallocation rare for big results.
constexpr std::size_t kMemoryIncrement = std::size_t{8} << 20;

// Memory type (native) and file type (fixed little-endian) of each element type.
template <Element T>
struct TypeOf;
template <>
struct TypeOf<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct TypeOf<float> {
  static hid_t memory() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct TypeOf<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct TypeOf<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct TypeOf<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct TypeOf<std::uint32_t> {
  static hid_t memory() { return H5T_NATIVE_UINT32; }
  static hid_t file() { return H5T_STD_U32LE; }
};
template <>
struct TypeOf<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct TypeOf<std::uint16_t> {
  static hid_t memory() { return H5T_NATIVE_UINT16; }
  static hid_t file() { return H5T_STD_U16LE; }
};

// The innermost frame of HDF5's error stack usually carries the concrete reason (errno text,
// "no space", "not found"); the outer frames only repeat the API call that failed.
herr_t keep_innermost(unsigned n, const H5E_error2_t* error, void* data) {
  auto* reason = static_cast<std::string*>(data);
  if (n == 0 && error->desc != nullptr) *reason = error->desc;
  return 0;
}

// System-call failures come as a long line of diagnostics around the errno text; people need
// only the errno text ("Permission denied").
std::string concise(std::string reason) {
  const std::string marker = "error message = '";
  if (const auto at = reason.find(marker); at != std::string::npos) {
    const auto begin = at + marker.size();
    if (const auto end = reason.find('\'', begin); end != std::string::npos)
      return reason.substr(begin, end - begin);
  }
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  return reason;
}

std::string join_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

// An object creation property list that records no access/modification/change times, so that
// writing the same content twice gives the same bytes.
PropListHandle untimed_plist(hid_t plist_class) {
  PropListHandle plist(H5Pcreate(plist_class));
  if (!plist.valid() || H5Pset_obj_track_times(plist.get(), false) < 0) return PropListHandle{};
  return plist;
}

TypeHandle utf8_string_type() {
  TypeHandle type(H5Tcopy(H5T_C_S1));
  if (!type.valid() || H5Tset_size(type.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0)
    return TypeHandle{};
  return type;
}

DataspaceHandle scalar_space() { return DataspaceHandle(H5Screate(H5S_SCALAR)); }

// Reads one string stored with `stored_type` (variable or fixed length). `read` reads the value
// into a buffer using the given memory type.
std::string read_string_value(hid_t stored_type, hid_t space, const std::function<herr_t(hid_t, void*)>& read,
                              const std::function<void(const std::string&)>& on_error) {
  if (H5Tget_class(stored_type) != H5T_STRING) on_error("expected a string in");
  if (H5Sget_simple_extent_npoints(space) != 1) on_error("expected a single string in");
  // Reading with a copy of the stored type avoids character-set conversion, which HDF5 refuses.
  TypeHandle memory(H5Tcopy(stored_type));
  if (!memory.valid()) on_error("cannot read string");
  const htri_t variable = H5Tis_variable_str(stored_type);
  if (variable < 0) on_error("cannot read string");
  if (variable > 0) {
    char* text = nullptr;
    if (read(memory.get(), &text) < 0) on_error("cannot read string");
    std::string value = text != nullptr ? text : "";
    // The 1.10 library declares H5Treclaim but does not export it.
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space, H5P_DEFAULT, &text);
#else
    H5Dvlen_reclaim(memory.get(), space, H5P_DEFAULT, &text);
#endif
    return value;
  }
  const std::size_t size = H5Tget_size(stored_type);
  std::string buffer(size, '\0');
  if (size > 0 && read(memory.get(), buffer.data()) < 0) on_error("cannot read string");
  buffer.resize(std::min(buffer.find('\0'), buffer.size()));
  if (H5Tget_strpad(stored_type) == H5T_STR_SPACEPAD) {
    buffer.erase(buffer.find_last_not_of(' ') + 1);
  }
  return buffer;
}

std::size_t element_count(const std::vector<hsize_t>& dims) {
  return std::accumulate(dims.begin(), dims.end(), std::size_t{1},
                         [](std::size_t a, hsize_t b) { return a * static_cast<std::size_t>(b); });
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) text += " x ";
    text += std::to_string(dims[i]);
  }
  return text + "]";
}

}  // namespace

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

void fail(const std::string& file, const std::string& object, const std::string& action) {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &reason);
  H5Eclear2(H5E_DEFAULT);
  std::string message = action + " " + (object.empty() ? file : object + " in " + file);
  if (!reason.empty()) message += " (HDF5: " + concise(reason) + ")";
  throw IoError(message);
}

// ---- Object: attributes ----------------------------------------------------------------------

bool Object::has_attribute(const std::string& name) const {
  const htri_t exists = H5Aexists(id(), name.c_str());
  if (exists < 0) fail("cannot look for attribute '" + name + "' of");
  return exists > 0;
}

std::vector<std::string> Object::attribute_names() const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  if (H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names) < 0)
    fail("cannot list the attributes of");
  return names;
}

void Object::set_attribute(const std::string& name, std::string_view value) const {
  const std::string action = "cannot write attribute '" + name + "' of";
  TypeHandle type = utf8_string_type();
  DataspaceHandle space = scalar_space();
  if (!type.valid() || !space.valid()) fail(action);
  AttributeHandle attribute(
      H5Acreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
  const std::string text(value);
  const char* pointer = text.c_str();
  if (!attribute.valid() || H5Awrite(attribute.get(), type.get(), &pointer) < 0) fail(action);
}

void Object::set_attribute(const std::string& name, std::int64_t value) const {
  const std::string action = "cannot write attribute '" + name + "' of";
  DataspaceHandle space = scalar_space();
  if (!space.valid()) fail(action);
  AttributeHandle attribute(
      H5Acreate2(id(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attribute.valid() || H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value) < 0) fail(action);
}

void Object::set_attribute(const std::string& name, double value) const {
  const std::string action = "cannot write attribute '" + name + "' of";
  DataspaceHandle space = scalar_space();
  if (!space.valid()) fail(action);
  AttributeHandle attribute(
      H5Acreate2(id(), name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attribute.valid() || H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail(action);
}

std::string Object::string_attribute(const std::string& name) const {
  const std::string action = "cannot read attribute '" + name + "' of";
  if (!has_attribute(name)) fail("missing attribute '" + name + "' on");
  AttributeHandle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attribute.valid()) fail(action);
  TypeHandle type(H5Aget_type(attribute.get()));
  DataspaceHandle space(H5Aget_space(attribute.get()));
  if (!type.valid() || !space.valid()) fail(action);
  return read_string_value(
      type.get(), space.get(),
      [&](hid_t memory, void* buffer) { return H5Aread(attribute.get(), memory, buffer); },
      [&](const std::string& what) { fail(what + " attribute '" + name + "' of"); });
}

std::int64_t Object::int_attribute(const std::string& name) const {
  const std::string action = "cannot read integer attribute '" + name + "' of";
  if (!has_attribute(name)) fail("missing attribute '" + name + "' on");
  AttributeHandle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attribute.valid()) fail(action);
  TypeHandle type(H5Aget_type(attribute.get()));
  if (!type.valid() || H5Tget_class(type.get()) != H5T_INTEGER) fail(action);
  std::int64_t value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0) fail(action);
  return value;
}

double Object::real_attribute(const std::string& name) const {
  const std::string action = "cannot read numeric attribute '" + name + "' of";
  if (!has_attribute(name)) fail("missing attribute '" + name + "' on");
  AttributeHandle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT));
  if (!attribute.valid()) fail(action);
  TypeHandle type(H5Aget_type(attribute.get()));
  if (!type.valid()) fail(action);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) fail(action);
  double value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail(action);
  return value;
}

// ---- Dataset ---------------------------------------------------------------------------------

std::vector<hsize_t> Dataset::dims() const {
  DataspaceHandle space(H5Dget_space(id()));
  if (!space.valid()) fail("cannot read the shape of");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("cannot read the shape of");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    fail("cannot read the shape of");
  return dims;
}

template <Element T>
void Dataset::write(std::span<const T> values) const {
  const std::vector<hsize_t> shape = dims();
  if (values.size() != element_count(shape)) {
    throw IoError("cannot write dataset " + path() + " in " + file_name() + ": " +
                  std::to_string(values.size()) + " values for shape " + shape_text(shape));
  }
  // HDF5 rejects a null buffer even for an empty selection on some versions; nothing to write.
  if (values.empty()) return;
  if (H5Dwrite(id(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail("cannot write dataset");
}

template <Element T>
void Dataset::write_row(hsize_t row, std::span<const T> values) const {
  const std::vector<hsize_t> shape = dims();
  if (shape.size() != 2 || row >= shape[0] || values.size() != shape[1]) {
    throw IoError("cannot write row " + std::to_string(row) + " of " + std::to_string(values.size()) +
                  " values into dataset " + path() + " of shape " + shape_text(shape) + " in " + file_name());
  }
  if (values.empty()) return;
  DataspaceHandle file_space(H5Dget_space(id()));
  const hsize_t start[2] = {row, 0};
  const hsize_t count[2] = {1, shape[1]};
  DataspaceHandle memory_space(H5Screate_simple(1, &count[1], nullptr));
  if (!file_space.valid() || !memory_space.valid() ||
      H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
      H5Dwrite(id(), TypeOf<T>::memory(), memory_space.get(), file_space.get(), H5P_DEFAULT, values.data()) <
          0)
    fail("cannot write row " + std::to_string(row) + " of dataset");
}

template <Element T>
std::vector<T> Dataset::read() const {
  // A damaged shape must not become an allocation of terabytes: the values a dataset claims
  // must be stored in the file (its datasets are contiguous and uncompressed).
  const std::size_t count = element_count(dims());
  TypeHandle file_type(H5Dget_type(id()));
  if (count > 0 && (!file_type.valid() || static_cast<double>(count) * static_cast<double>(H5Tget_size(file_type.get())) >
                                              static_cast<double>(H5Dget_storage_size(id())))) {
    throw IoError("dataset " + path() + " in " + file_name() +
                  " is damaged: its shape claims more values than the file stores");
  }
  std::vector<T> values(count);
  if (values.empty()) return values;
  if (H5Dread(id(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail("cannot read dataset");
  return values;
}

// ---- Group -----------------------------------------------------------------------------------

Group Group::create_group(const std::string& name) const {
  const std::string child = join_path(path(), name);
  PropListHandle plist = untimed_plist(H5P_GROUP_CREATE);
  if (!plist.valid()) h5::fail(file_name(), child, "cannot create group");
  ObjectHandle group(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, plist.get(), H5P_DEFAULT));
  if (!group.valid()) h5::fail(file_name(), child, "cannot create group");
  return Group(std::move(group), file_name(), child);
}

Group Group::open_group(const std::string& name) const {
  const std::string child = join_path(path(), name);
  if (!contains(name)) h5::fail(file_name(), child, "missing group");
  ObjectHandle group(H5Gopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!group.valid()) h5::fail(file_name(), child, "cannot open group");
  return Group(std::move(group), file_name(), child);
}

bool Group::contains(const std::string& name) const {
  const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look for '" + name + "' in");
  return exists > 0;
}

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names) < 0)
    fail("cannot list the members of");
  return names;
}

template <Element T>
Dataset Group::create_dataset(const std::string& name, const std::vector<hsize_t>& dims) const {
  const std::string child = join_path(path(), name);
  PropListHandle plist = untimed_plist(H5P_DATASET_CREATE);
  DataspaceHandle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  if (!plist.valid() || !space.valid()) h5::fail(file_name(), child, "cannot create dataset");
  ObjectHandle dataset(
      H5Dcreate2(id(), name.c_str(), TypeOf<T>::file(), space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT));
  if (!dataset.valid()) h5::fail(file_name(), child, "cannot create dataset");
  return Dataset(std::move(dataset), file_name(), child);
}

Dataset Group::open_dataset(const std::string& name) const {
  const std::string child = join_path(path(), name);
  if (!contains(name)) h5::fail(file_name(), child, "missing dataset");
  ObjectHandle dataset(H5Dopen2(id(), name.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) h5::fail(file_name(), child, "cannot open dataset");
  return Dataset(std::move(dataset), file_name(), child);
}

template <Element T>
Dataset Group::write_1d(const std::string& name, std::span<const T> values) const {
  Dataset dataset = create_dataset<T>(name, {values.size()});
  dataset.write(values);
  return dataset;
}

template <Element T>
Dataset Group::write_2d(const std::string& name, std::size_t rows, std::size_t cols,
                        std::span<const T> values) const {
  Dataset dataset = create_dataset<T>(name, {rows, cols});
  dataset.write(values);
  return dataset;
}

Dataset Group::write_string(const std::string& name, std::string_view value) const {
  const std::string child = join_path(path(), name);
  TypeHandle type = utf8_string_type();
  DataspaceHandle space = scalar_space();
  PropListHandle plist = untimed_plist(H5P_DATASET_CREATE);
  if (!type.valid() || !space.valid() || !plist.valid())
    h5::fail(file_name(), child, "cannot create dataset");
  ObjectHandle handle(
      H5Dcreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT));
  if (!handle.valid()) h5::fail(file_name(), child, "cannot create dataset");
  Dataset dataset(std::move(handle), file_name(), child);
  const std::string text(value);
  const char* pointer = text.c_str();
  if (H5Dwrite(dataset.id(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer) < 0)
    h5::fail(file_name(), child, "cannot write dataset");
  return dataset;
}

template <Element T>
std::vector<T> Group::read_1d(const std::string& name) const {
  Dataset dataset = open_dataset(name);
  const auto shape = dataset.dims();
  if (shape.size() != 1) {
    throw IoError("dataset " + dataset.path() + " in " + file_name() + " has shape " + shape_text(shape) +
                  "; expected one dimension");
  }
  return dataset.read<T>();
}

template <Element T>
Array2<T> Group::read_2d(const std::string& name) const {
  Dataset dataset = open_dataset(name);
  const auto shape = dataset.dims();
  if (shape.size() != 2) {
    throw IoError("dataset " + dataset.path() + " in " + file_name() + " has shape " + shape_text(shape) +
                  "; expected two dimensions");
  }
  return Array2<T>{static_cast<std::size_t>(shape[0]), static_cast<std::size_t>(shape[1]), dataset.read<T>()};
}

std::string Group::read_string(const std::string& name) const {
  Dataset dataset = open_dataset(name);
  TypeHandle type(H5Dget_type(dataset.id()));
  DataspaceHandle space(H5Dget_space(dataset.id()));
  if (!type.valid() || !space.valid()) h5::fail(file_name(), dataset.path(), "cannot read dataset");
  return read_string_value(
      type.get(), space.get(),
      [&](hid_t memory, void* buffer) {
        return H5Dread(dataset.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
      },
      [&](const std::string& what) { h5::fail(file_name(), dataset.path(), what + " dataset"); });
}

// ---- File ------------------------------------------------------------------------------------

File File::create_in_memory(const std::string& display_name) {
  silence_hdf5_errors();
  // The core driver identifies files by name; two files open at once must not share one.
  static std::atomic<std::uint64_t> serial{0};
  const std::string memory_name = "anjian-in-memory-" + std::to_string(++serial);
  // The file creation list also governs the root group, so it too must not record times.
  PropListHandle creation = untimed_plist(H5P_FILE_CREATE);
  PropListHandle access(H5Pcreate(H5P_FILE_ACCESS));
  // The earliest format: the 1.10 library's file image carries a stale superblock checksum for
  // the 1.8 format (the copy clears the "open for writing" flag without re-summing), and the old
  // format is readable by every HDF5 release. Closing with objects still open is an error rather
  // than a silently delayed close, so an image is never taken while a handle could change it.
  if (!creation.valid() || !access.valid() || H5Pset_fapl_core(access.get(), kMemoryIncrement, false) < 0 ||
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18) < 0 ||
      H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI) < 0)
    fail(display_name, "", "cannot set up HDF5 file");
  FileHandle file(H5Fcreate(memory_name.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()));
  if (!file.valid()) fail(display_name, "", "cannot create HDF5 file");
  return File(std::move(file), display_name);
}

namespace {

// "results/x.h5.tmp-4242": the name a run writes under before renaming the complete file.
bool temporary_name(const std::string& path) {
  const auto at = path.rfind(".tmp-");
  return at != std::string::npos && at + 5 < path.size() &&
         path.find_first_not_of("0123456789", at + 5) == std::string::npos;
}

}  // namespace

File File::open_read_only(const std::string& path) {
  silence_hdf5_errors();
  if (temporary_name(path)) {
    throw IoError(path + ": the temporary file of a run that was interrupted or is still writing (a run writes "
                  "NAME.tmp-PID and renames it to NAME when complete): run it again, or open the finished file");
  }
  FileHandle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file.valid()) {
    try {
      fail(path, "", "cannot open HDF5 file");
    } catch (const IoError& error) {
      if (std::string_view(error.what()).find("truncated") == std::string_view::npos) throw;
      throw IoError(path + ": incomplete file, written by an interrupted run or cut short in copying (it ends "
                    "before its own recorded end): run it again, or copy it again");
    }
  }
  return File(std::move(file), path);
}

Group File::root() const {
  ObjectHandle group(H5Gopen2(handle_.get(), "/", H5P_DEFAULT));
  if (!group.valid()) fail(name_, "/", "cannot open group");
  return Group(std::move(group), name_, "/");
}

std::vector<char> File::close_to_image() {
  // A flush also hands back the space HDF5 reserved ahead, so the image ends where the data does.
  if (H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL) < 0) fail(name_, "", "cannot complete");
  const ssize_t size = H5Fget_file_image(handle_.get(), nullptr, 0);
  if (size < 0) fail(name_, "", "cannot complete");
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(handle_.get(), image.data(), image.size()) != size)
    fail(name_, "", "cannot complete");
  if (handle_.reset() < 0) fail(name_, "", "cannot close (an object in it is still open)");
  return image;
}

// ---- Explicit instantiations for every element type -------------------------------------------

#define ANJIAN_H5_INSTANTIATE(T)                                                                        \
  template void Dataset::write<T>(std::span<const T>) const;                                            \
  template void Dataset::write_row<T>(hsize_t, std::span<const T>) const;                               \
  template std::vector<T> Dataset::read<T>() const;                                                     \
  template Dataset Group::create_dataset<T>(const std::string&, const std::vector<hsize_t>&) const;     \
  template Dataset Group::write_1d<T>(const std::string&, std::span<const T>) const;                    \
  template Dataset Group::write_2d<T>(const std::string&, std::size_t, std::size_t, std::span<const T>) \
      const;                                                                                            \
  template std::vector<T> Group::read_1d<T>(const std::string&) const;                                  \
  template Array2<T> Group::read_2d<T>(const std::string&) const;

ANJIAN_H5_INSTANTIATE(double)
ANJIAN_H5_INSTANTIATE(float)
ANJIAN_H5_INSTANTIATE(std::int64_t)
ANJIAN_H5_INSTANTIATE(std::int32_t)
ANJIAN_H5_INSTANTIATE(std::uint64_t)
ANJIAN_H5_INSTANTIATE(std::uint32_t)
ANJIAN_H5_INSTANTIATE(std::uint16_t)
ANJIAN_H5_INSTANTIATE(std::uint8_t)
#undef ANJIAN_H5_INSTANTIATE

}  // namespace anjian::h5
