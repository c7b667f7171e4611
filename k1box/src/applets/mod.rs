//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod cp;
pub mod echo;
pub mod mv;
pub mod true_false;
pub mod yes;
