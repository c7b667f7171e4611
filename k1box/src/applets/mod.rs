//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod basename;
pub mod cp;
pub mod dirname;
pub mod echo;
pub mod ln;
pub mod ls;
pub mod mkdir;
pub mod mv;
pub mod pwd;
pub mod rm;
pub mod rmdir;
pub mod sleep;
pub mod sync;
pub mod true_false;
pub mod yes;
