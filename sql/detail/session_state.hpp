#pragma once
// SessionState: what every DataFrame of a Session shares.

#include "rdd/context.hpp"

namespace ember::sql {

struct SessionState {
  Context* ctx = nullptr;  ///< outlives the session's DataFrames (documented)
};

}  // namespace ember::sql
