//! The demo municipality, *Demo kommune*: deterministic (fixed seed), believable, in three
//! sizes. (Filled in by the demo work.)
