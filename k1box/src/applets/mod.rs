//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod echo;
pub mod env;
pub mod printf;
pub mod test;
pub mod true_false;
pub mod uname;
pub mod yes;
