//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod cat;
pub mod echo;
pub mod head;
pub mod tail;
pub mod true_false;
pub mod wc;
pub mod yes;
