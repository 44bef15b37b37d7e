#pragma once
// ExistingRdd: the batches of an RDD the program made, as the leaf of a
// DataFrame's plan (Spark's LogicalRDD).

#include "rdd/rdd.hpp"
#include "sql/types/batch.hpp"

namespace ember::sql {

struct ExistingRdd {
  Rdd<Batch> batches;
};

}  // namespace ember::sql
