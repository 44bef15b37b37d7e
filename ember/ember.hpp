#pragma once
// The whole public API of ember: #include <ember/ember.hpp>.

#include "common/conf.hpp"
#include "common/error.hpp"
#include "rdd/accumulator.hpp"
#include "rdd/broadcast.hpp"
#include "rdd/context.hpp"
#include "rdd/hash_partitioner.hpp"
#include "rdd/rdd.hpp"
#include "rdd/split_words.hpp"
#include "rdd/stat_counter.hpp"
#include "scheduler/scheduler_listener.hpp"
#include "scheduler/task_context.hpp"
#include "storage/storage_level.hpp"
