package apperr

// SlowConsumer ends a subscription whose client fell too far behind to be
// kept up with; extensions.cursor says where to subscribe again from.
const SlowConsumer Code = "SLOW_CONSUMER"
