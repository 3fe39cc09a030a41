// Fixtures the tests of the image-list, tar, LMDB and COCO readers make:
// encoded images of a chosen size, ustar archives built in memory, and the
// profile comparison they share. Header-only; tests only.
#pragma once

#include <lmdb.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <cstring>
#include <catch2/catch.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <utility>
#include <vector>

#include "stats/core/input_shape.h"
#include "stats/core/model_space.h"
#include "stats/core/profile.h"
#include "stats/readers/tar_test_archive.h"

namespace autoscale::reader_test {

using tar_test::TarArchive;
using tar_test::TarHeader;
using tar_test::TarMemberBytes;

// An image of rows x cols encoded as `ext` (".png", ".jpg", ".bmp").
inline std::string EncodedImage(int rows, int cols, const std::string& ext = ".png") {
  cv::Mat m(rows, cols, CV_8UC3, cv::Scalar(rows % 255, cols % 255, 90));
  std::vector<unsigned char> bytes;
  cv::imencode(ext, m, bytes);
  return std::string(bytes.begin(), bytes.end());
}

// A detector's input, 1,3,-1,-1: each image scaled to limit_side_len 1280.
inline ModelSpace DetectionSpace() {
  InputShape shape;
  shape.dims = {1, 3, -1, -1};
  return ModelSpace(shape, 1280);
}

// Writes an LMDB environment in folder `dir` holding `entries` (key, value).
inline void WriteLmdb(const std::string& dir, const std::map<std::string, std::string>& entries) {
  std::filesystem::create_directories(dir);
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi = 0;
  REQUIRE(mdb_env_create(&env) == 0);
  REQUIRE(mdb_env_set_mapsize(env, size_t{64} << 20) == 0);
  REQUIRE(mdb_env_open(env, dir.c_str(), 0, 0644) == 0);
  REQUIRE(mdb_txn_begin(env, nullptr, 0, &txn) == 0);
  REQUIRE(mdb_dbi_open(txn, nullptr, 0, &dbi) == 0);
  for (const auto& [key, value] : entries) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{value.size(), const_cast<char*>(value.data())};
    REQUIRE(mdb_put(txn, dbi, &k, &v, 0) == 0);
  }
  REQUIRE(mdb_txn_commit(txn) == 0);
  mdb_env_close(env);
}

// The parts of two profiles the strategies read: samples, box counts and
// the images' box lists, and the image and box counts.
inline bool SameSamples(const Profile& a, const Profile& b) {
  return a.samples() == b.samples() && a.image_boxes() == b.image_boxes() &&
         a.batch() == b.batch() && a.dataset.images == b.dataset.images &&
         a.dataset.boxes == b.dataset.boxes && a.SampleCount() == b.SampleCount();
}

}  // namespace autoscale::reader_test
