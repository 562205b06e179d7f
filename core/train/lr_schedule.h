#pragma once
// Learning-rate schedules shared by the training recipes.
namespace emitrace::train {

// Cosine annealing from `initial` to `minimum` over `totalSteps` steps
// (SGDR without restarts): lr(t) = min + (initial - min)(1 + cos(pi t / T)) / 2,
// clamped at T.
double cosineAnnealing(double initial, double minimum, long step, long totalSteps);

// Exponential decay from `start` to `end` over `totalSteps` steps (DMFNet's
// Gumbel temperature 1 -> 1e-4): start * (end / start)^(t / T), clamped at T.
double exponentialDecay(double start, double end, long step, long totalSteps);

}  // namespace emitrace::train
