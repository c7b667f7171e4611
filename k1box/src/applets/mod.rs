//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod echo;
pub mod ls;
pub mod true_false;
pub mod yes;
