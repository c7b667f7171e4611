//! The applets, one file each (a folder when one grows). See `APPLETS` in lib.rs.
pub mod blkid;
pub mod cp;
pub mod dmesg;
pub mod echo;
pub mod findfs;
pub mod hostname;
pub mod kill;
pub mod losetup;
pub mod mknod;
pub mod mount;
pub mod mountpoint;
pub mod mv;
pub mod poweroff;
pub mod switch_root;
pub mod true_false;
pub mod umount;
pub mod yes;
