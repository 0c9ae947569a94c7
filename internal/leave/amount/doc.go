// Package amount works out amounts of leave, in exact integer minutes: the
// duration of a range against the work calendar (per day, by unit and
// counting, lunch deducted for hours), what is left of a leave after a
// moment (for returning early), and yearly grants (fixed or by years of
// service, prorated for members hired during the year, with carry-over).
//
// It knows nothing of the database, so the ent schema can store its types.
package amount
