// Package judge decides attendance results: the distance of a check-in to
// the allowed places (haversine), the attendance day a punch belongs to
// (night shifts keep a punch after midnight in the day they started), the
// time and location result of each punch, and the result of a member's day
// from punches, rule, calendar and approved leave, trips and outings.
//
// It knows nothing of the database, so the ent schema can store its types
// and every rule is tested with plain values.
package judge
